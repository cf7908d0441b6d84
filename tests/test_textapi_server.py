"""The local Text API server against the two posts' own client code (``tests/post_scripts``),
concurrent requests, bad bodies, the API key, and shutting down."""

from __future__ import annotations

import asyncio
import importlib
import json
import socket
import sys
import time
import types
import urllib.error
import urllib.request

import aiohttp
import pytest

from fastscratch.app import analyze
from fastscratch.app.textapi_server import running_server
from fastscratch.data import nyt, nyt_sample
from fastscratch.textapi import (
    most_common_entities,
    most_common_phrases,
    ner,
    sentences_with_keywords,
    summarize,
    text_polarity,
)


@pytest.fixture(scope="module")
def nlp():
    """A blank English pipeline with a few entity patterns (spaCy is in the dev extra; built
    when a test needs it, not when pytest collects the file)."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Elon Musk"}, {"label": "ORG", "pattern": "Tesla"},
                        {"label": "ORG", "pattern": "SpaceX"}, {"label": "GPE", "pattern": "Texas"},
                        {"label": "GPE", "pattern": "Berlin"}, {"label": "DATE", "pattern": "Monday"},
                        {"label": "PRODUCT", "pattern": "Cybertruck"}])
    return nlp


@pytest.fixture(scope="module")
def server(nlp):
    with running_server(nlp=nlp) as url:
        yield url


def post_module(name: str, monkeypatch, **config):
    """Import a post's code afresh with its config module pointing at the local server."""
    for module, values in config.items():
        monkeypatch.setitem(sys.modules, module, types.SimpleNamespace(**values))
    sys.modules.pop(name, None)
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent / "post_scripts"))
    return importlib.import_module(name)


def request(url: str, body: bytes | None, *, method: str = "POST", headers: dict | None = None):
    """``(status, decoded JSON)`` of one request (urllib, no aiohttp)."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        assert exc.headers.get("Content-Type", "").startswith("application/json")
        return exc.code, json.loads(exc.read())


def test_the_covid_posts_code_runs_unchanged(server, tmp_path, monkeypatch):
    """Keyword extraction (requests), the polarities ten at a time (aiohttp, the post's
    gather_with_concurrency and post_async) and the most common phrases, against the library."""
    post = post_module("text_api_covid", monkeypatch, config={"thetextapikey": "any key", "text_url": server})
    monkeypatch.chdir(tmp_path)
    for folder in ("covid_headlines", "mcps"):
        (tmp_path / folder).mkdir()
    docs = nyt_sample.archive_month(2021, 12, covid=60)["response"]["docs"]
    path = nyt.month_file(tmp_path / "nyt", 2021, 12)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(docs), encoding="utf-8")  # the post's files are the bare list of articles

    chunks = post.load_headlines(2021, 12)
    ours, pending = [], ""  # the loader's headlines, cut into chunks by the post's own rule
    for headline in nyt.load_headlines(path):
        pending += headline + " "
        if len(pending) > 3000:
            ours.append(pending[:-1])
            pending = ""
    assert chunks == ours and len(chunks) >= 2

    post.execute(2021, 12)
    lines = (tmp_path / "covid_headlines" / "2021_12.txt").read_text().splitlines()
    assert lines == sentences_with_keywords(chunks, ["covid"])["covid"] and len(lines) > 20

    polarities = asyncio.run(post.get_hl_polarities(2021, 12))
    assert polarities == text_polarity(lines).tolist()

    post.get_hl_mcps(2021, 12)
    got = (tmp_path / "mcps" / "2021_12_values.txt").read_text().split("\n")
    assert got == most_common_phrases(post.parse(2021, 12), 3) and len(got) == 3


TWEETS = [
    "Elon Musk says Tesla will build the Cybertruck in Texas", "Tesla stock is up again, what a great day",
    "I love my Tesla so much", "SpaceX launch was amazing! Elon Musk did it again",
    "Tesla factory in Berlin is behind schedule, bad news", "Elon Musk tweets too much, honestly",
    "the Cybertruck looks terrible but I want one", "Monday: Tesla earnings call, stock volatile",
    "SpaceX and Tesla are both Elon Musk companies", "Texas is happy to host the Tesla factory",
    "Elon Musk in Berlin on Monday", "worst customer service from Tesla ever",
]


def test_the_twitter_posts_code_runs_unchanged(server, nlp, monkeypatch):
    """The post's pool of four concurrent requests and its orchestrator, against the library."""
    post = post_module("text_api_twitter", monkeypatch, text_config={"apikey": "any key", "text_url": server})
    text = ". ".join(TWEETS)  # the post's search(): the tweets joined
    asyncio.set_event_loop(asyncio.new_event_loop())  # the post's get_event_loop().run_until_complete
    try:
        got = post.orchestrate_text_analysis(text)
    finally:
        asyncio.get_event_loop().close()
        asyncio.set_event_loop(None)
    want = (summarize(text, 0.1).replace("\n", ""), most_common_entities(ner(text, nlp=nlp)),
            most_common_phrases(text, 5), text_polarity(text))
    assert got == want
    assert got == analyze.orchestrate_text_analysis(text, nlp=nlp)
    # "ARTICLE" leaves the PRODUCT out; Texas and Berlin are named twice each: the first seen wins
    assert got[1] == {"PERSON": "Elon Musk", "ORG": "Tesla", "GPE": "Texas", "DATE": "Monday"}


def test_ten_concurrent_requests_to_every_endpoint(server, nlp, monkeypatch):
    post = post_module("text_api_twitter", monkeypatch, text_config={"apikey": "k", "text_url": server})
    texts = TWEETS * 2
    calls = []
    for i, t in enumerate(texts):
        kind = i % 5
        if kind == 0:
            calls.append(("text_polarity", {"text": t}, {"text polarity": text_polarity(t)}))
        elif kind == 1:
            calls.append(("sentences_with_keywords", {"text": t, "keywords": ["tesla", "musk"]},
                          sentences_with_keywords(t, ["tesla", "musk"])))
        elif kind == 2:
            calls.append(("most_common_phrases", {"text": t, "num_phrases": 2},
                          {"most common phrases": most_common_phrases(t, 2)}))
        elif kind == 3:
            calls.append(("summarize", {"text": t + ". " + t, "proportion": 0.5},
                          {"summary": summarize(t + ". " + t, 0.5)}))
        else:
            calls.append(("ner", {"text": t, "labels": "ARTICLE"}, {"ner": ner(t, nlp=nlp)}))

    async def run():
        async with aiohttp.ClientSession() as session:
            return await post.gather_with_concurrency(10, *[post.post_async(server + name, session, post.headers, body)
                                                           for name, body, _ in calls])

    assert asyncio.run(run()) == [want for _, _, want in calls]


def test_a_stalled_client_does_not_block_the_others(server):
    host, port = server.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port))) as stalled:
        stalled.sendall(b"POST /text/text_polarity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 1000\r\n\r\n{\"text\": \"hal")
        t0 = time.perf_counter()
        assert request(server + "text_polarity", b'{"text": "great"}') == (200, {"text polarity": 0.6249})
        assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize("path, body, status, message", [
    ("text_polarity", b"not json", 400, "not JSON"),
    ("text_polarity", b"\xff\xfe", 400, "not JSON"),
    ("text_polarity", b"[1, 2]", 400, "must be a JSON object, not a list"),
    ("text_polarity", b"[" * 100_000 + b"]" * 100_000, 400, "RecursionError"),
    ("text_polarity", b'{"text": "a", "n": ' + b"9" * 5000 + b"}", 400, "not JSON this server reads"),
    ("text_polarity", b"{}", 400, "no 'text'"),
    ("text_polarity", b'{"txt": "a"}', 400, "no 'text'"),
    ("text_polarity", b'{"text": 5}', 400, "'text' must be a string, not a number"),
    ("text_polarity", b'{"text": null}', 400, "not null"),
    ("summarize", b'{"text": ["a"]}', 400, "not a list"),
    ("sentences_with_keywords", b'{"text": "a"}', 400, "no 'keywords'"),
    ("sentences_with_keywords", b'{"text": "a", "keywords": "covid"}', 400, "'keywords' must be a list"),
    ("sentences_with_keywords", b'{"text": "a", "keywords": []}', 400, "non-empty list"),
    ("sentences_with_keywords", b'{"text": "a", "keywords": [1]}', 400, "non-empty list"),
    ("most_common_phrases", b'{"text": "a", "num_phrases": "5"}', 400, "must be an integer"),
    ("most_common_phrases", b'{"text": "a", "num_phrases": 0}', 400, "from 1 to 10000"),
    ("most_common_phrases", b'{"text": "a", "num_phrases": true}', 400, "must be an integer, not true/false"),
    ("most_common_phrases", b'{"text": "a", "num_phrases": 2.5}', 400, "must be an integer"),
    ("summarize", b'{"text": "a", "proportion": 0}', 400, "in (0, 1]"),
    ("summarize", b'{"text": "a", "proportion": "0.1"}', 400, "must be a number"),
    ("ner", b'{"text": "a", "labels": "PEOPLE"}', 400, "'labels' must be one of"),
    ("ner", b'{"text": "a", "labels": 3}', 400, "'labels' must be a string or a list"),
    ("no_such_endpoint", b'{"text": "a"}', 404, "no endpoint 'no_such_endpoint'"),
])
def test_bad_requests_get_json_errors(server, path, body, status, message):
    got_status, got = request(server + path, body, headers={"Content-Type": "application/json"})
    assert got_status == status and got["status"] == status and message in got["error"], got
    assert request(server + "text_polarity", b'{"text": "good"}')[0] == 200  # and the server goes on


def test_wrong_method_and_index(server):
    status, got = request(server + "summarize", None, method="GET")
    assert status == 405 and got["status"] == 405
    status, got = request(server, None, method="GET")
    assert status == 200 and "/text/text_polarity" in got["endpoints"] and got["api_key_required"] is False


def test_api_key_size_limit_and_shutdown(nlp, monkeypatch):
    with running_server(api_key="s3cret", max_body=2048, nlp=nlp) as url:
        body = b'{"text": "good"}'
        assert request(url + "text_polarity", body)[0] == 401
        assert request(url + "text_polarity", body, headers={"apikey": "wrong"}) == (
            401, {"error": "missing or wrong apikey header", "status": 401})
        assert request(url + "text_polarity", body, headers={"apikey": "s3cret"}) == (200, {"text polarity": 0.4404})
        big = json.dumps({"text": "a" * 3000}).encode()
        status, got = request(url + "summarize", big, headers={"apikey": "s3cret"})
        assert status == 413 and "larger than 2048 bytes" in got["error"]
        post = post_module("text_api_twitter", monkeypatch, text_config={"apikey": "s3cret", "text_url": url})

        async def one():
            async with aiohttp.ClientSession() as session:
                return await post.post_async(url + "text_polarity", session, post.headers, {"text": "bad"})

        assert asyncio.run(one()) == {"text polarity": -0.5423}
        port = int(url.split(":")[2].split("/")[0])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


class BrokenPipeline:
    def pipe(self, texts):
        raise RuntimeError("the pipeline broke")


def test_an_internal_error_is_a_json_500_and_the_server_goes_on():
    with running_server(nlp=BrokenPipeline()) as url:
        status, got = request(url + "ner", b'{"text": "a"}')
        assert status == 500 and "the pipeline broke" in got["error"]
        assert request(url + "text_polarity", b'{"text": "good"}')[0] == 200


def test_ner_without_a_pipeline_is_501():
    with running_server(spacy_model="no_such_model_xyz") as url:
        status, got = request(url + "ner", b'{"text": "a"}')
        assert status == 501 and "no_such_model_xyz" in got["error"] and "fastscratch[ner]" in got["error"]
