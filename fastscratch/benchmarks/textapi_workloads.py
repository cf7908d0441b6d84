"""Benchmark workloads for the Text API: generated headlines, the reference and peers, and the
server under the COVID post's ten-at-a-time client.

:func:`headlines` builds NYT-like headlines offline: the sample's templates
(``fastscratch.data.nyt_sample``) with their print headlines, as the post's ``load_headlines``
writes them (``"Main, Print."``), some followed by a clause of words drawn from VADER's lexicon and
plain words, in mixed case, about a fifth mentioning COVID.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time

import numpy as np

from fastscratch.data.nyt_sample import COVID_TEMPLATES, GROUPS, OTHER_TEMPLATES, PLACES, THINGS

_PLAIN = ("the", "city", "plan", "report", "says", "new", "after", "year", "market", "school", "police", "court",
          "vote", "state", "family", "week", "officials", "study", "home", "water", "fans", "game", "health")


def headlines(n: int, seed: int = 0) -> list[str]:
    """``n`` NYT-like headlines (see the module docstring), deterministic for a seed."""
    from fastscratch.textapi.lexicon import lexicon

    rng = np.random.default_rng(seed)
    sentiment = sorted(w for w in lexicon() if w.isalpha())
    covid = rng.random(n) < 0.2
    out = []
    for i in range(n):
        templates = COVID_TEMPLATES if covid[i] else OTHER_TEMPLATES
        main, printed = templates[rng.integers(len(templates))]
        fill = {"place": PLACES[rng.integers(len(PLACES))], "group": GROUPS[rng.integers(len(GROUPS))],
                "thing": THINGS[rng.integers(len(THINGS))]}
        text = main.format(**fill)
        if printed:
            text = text.rstrip(".?!") + ", " + printed.format(**fill)
        if rng.random() < 0.5:
            words = [sentiment[k] if rng.random() < 0.4 else _PLAIN[k % len(_PLAIN)]
                     for k in rng.integers(0, len(sentiment), rng.integers(2, 7))]
            text = text.rstrip(".?!") + ": " + " ".join(words).capitalize()
        out.append(text if text[-1] in ".?!" else text + ".")
    return out


def vader_reference():
    """vaderSentiment's compound score of each text, as a function of a list (the reference)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda texts: [analyzer.polarity_scores(t)["compound"] for t in texts]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def regex_keyword_sentences(keyword: str):
    """The peer a user would write: sentences cut at ``.``, ``!``, ``?`` and whitespace by a regular
    expression, kept when ``\\bkeyword\\b`` matches in any case (no abbreviations, no blank lines)."""
    pattern = re.compile(rf"\b{re.escape(keyword)}\b", re.IGNORECASE)
    return lambda texts: [s for t in texts for s in _SENTENCE_END.split(t) if pattern.search(s)]


def sklearn_phrase_counts(num: int = 10):
    """The peer a user would reach for: scikit-learn's ``CountVectorizer`` with 2- and 3-grams and the
    same stop words, summed over the corpus (its rule differs: it drops the stop words and then joins
    the words around them, and ignores punctuation)."""
    from sklearn.feature_extraction.text import CountVectorizer

    from fastscratch.textapi.phrases import STOP_WORDS

    def run(texts):
        vectorizer = CountVectorizer(ngram_range=(2, 3), stop_words=list(STOP_WORDS), token_pattern=r"(?u)\b\w+\b")
        counts = np.asarray(vectorizer.fit_transform(texts).sum(axis=0)).ravel()
        names = vectorizer.get_feature_names_out()
        return [names[k] for k in np.argsort(-counts, kind="stable")[:num]]

    return run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``fastscratch textapi serve`` in its own process on a free loopback port (a ``with`` block)."""

    def __init__(self, api_key: str = "bench"):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/text/"
        self.api_key = api_key
        self.proc = None

    def __enter__(self):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "fastscratch", "textapi", "serve", "--port",
                                      str(self.port), "--api-key", self.api_key, "--quiet"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server stopped: {self.proc.stderr.read().decode()}")
                time.sleep(0.1)
        raise RuntimeError("the server did not start in 120 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def post_client_run(url: str, api_key: str, texts: list[str]) -> dict:
    """The COVID post's ``get_hl_polarities`` pattern (its ``gather_with_concurrency`` and
    ``post_async``): bodies in sets of ten, each set sent concurrently and awaited before the
    next. Returns the polarities, the wall time and each request's latency."""
    import aiohttp

    headers = {"Content-Type": "application/json", "apikey": api_key}

    async def gather_with_concurrency(n, *tasks):
        semaphore = asyncio.Semaphore(n)

        async def sem_task(task):
            async with semaphore:
                return await task

        return await asyncio.gather(*(sem_task(task) for task in tasks))

    latencies = []

    async def post_async(session, body):
        t0 = time.perf_counter()
        async with session.post(url + "text_polarity", headers=headers, json=body) as response:
            text = await response.text()
        latencies.append(time.perf_counter() - t0)
        return json.loads(text)

    async def run():
        conn = aiohttp.TCPConnector(limit=None, ttl_dns_cache=300)
        async with aiohttp.ClientSession(connector=conn) as session:
            out = []
            for k in range(0, len(texts), 10):
                answers = await gather_with_concurrency(10, *[post_async(session, {"text": t})
                                                             for t in texts[k:k + 10]])
                out += [a["text polarity"] for a in answers]
            return out

    t0 = time.perf_counter()
    polarities = asyncio.run(run())
    return {"polarities": polarities, "seconds": time.perf_counter() - t0, "latencies": np.array(latencies)}
