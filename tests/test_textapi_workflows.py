"""The two posts' workflows: the NYT Archive loader, ``fastscratch demo headlines`` end to end on the
generated sample, and ``fastscratch analyze FILE``."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from fastscratch.app import cli
from fastscratch.app.analyze import analyze_posts, orchestrate_text_analysis
from fastscratch.data import nyt, nyt_sample
from fastscratch.errors import DatasetError
from tests import textapi_oracles as oracle

PNG = b"\x89PNG\r\n\x1a\n"


def article(main, printed=None):
    return {"headline": {"main": main, "print_headline": printed}, "pub_date": "2021-01-01T00:00:00+0000"}


def test_headline_text_is_the_posts_normalisation():
    assert nyt.headline_text(article("Main Headline", "Print Headline")) == "Main Headline, Print Headline."
    assert nyt.headline_text(article("Is It Over?", "Yes!")) == "Is It Over, Yes!"
    assert nyt.headline_text(article("Done.", "")) == "Done."
    assert nyt.headline_text(article("No End", None)) == "No End."
    assert nyt.headline_text(article("", "")) is None
    assert nyt.headline_text(article("", "Only Print")) == "Only Print."


def test_read_archive_takes_the_api_answer_or_a_list(tmp_path):
    docs = [article("A Covid Story", "Print"), article("Other")]
    (tmp_path / "api.json").write_text(json.dumps({"response": {"meta": {"hits": 2}, "docs": docs}}))
    (tmp_path / "list.json").write_text(json.dumps(docs))
    assert nyt.read_archive(tmp_path / "api.json") == nyt.read_archive(tmp_path / "list.json") == docs
    assert nyt.load_headlines(tmp_path / "api.json") == ["a covid story, print.", "other."]
    assert nyt.load_headlines(tmp_path / "api.json", lower=False)[0] == "A Covid Story, Print."


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a JSON file"),
    ('{"response": {}}', "not an Archive API answer"),
    ('"text"', "not a JSON str"),
    ('[{"headline": {"main": 3}}]', "article 0 has no headline.main string"),
    ('[{"headline": {"main": "a"}}, {"title": "b"}]', "article 1 has no headline.main string"),
    ('[{"headline": {"main": "a", "print_headline": 5}}]', "print_headline is int"),
])
def test_read_archive_names_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "m.json"
    path.write_text(content)
    with pytest.raises(DatasetError, match=message):
        nyt.read_archive(path)
    with pytest.raises(DatasetError, match="no such file"):
        nyt.read_archive(tmp_path / "missing.json")


def test_demo_headlines_end_to_end(tmp_path, capsys):
    """``fastscratch demo headlines`` on the generated sample of 2021: files, counts, polarities and
    phrases checked against the stated rules and vaderSentiment."""
    assert cli.main(["demo", "headlines", "--years", "2021", "--out", str(tmp_path), "--quiet", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    out = tmp_path / "headlines"
    assert json.loads((out / "summary.json").read_text()) == summary
    assert [m["month"] for m in summary["months"]] == list(range(1, 13))

    analyzer = SentimentIntensityAnalyzer()
    counts = list(csv.DictReader((out / "counts.csv").open()))
    polarity = list(csv.DictReader((out / "polarity.csv").open()))
    phrases = list(csv.DictReader((out / "phrases.csv").open()))
    for month, row in zip(range(1, 13), counts):
        headlines = nyt.load_headlines(out / "nyt" / "2021" / f"{nyt.MONTHS[month]}.json")
        covid = [s for h in headlines for s in oracle.split(h) if oracle.holds_keyword(s, "covid")]
        assert int(row["headlines"]) == len(headlines) and int(row["covid_headlines"]) == len(covid)
        assert len(covid) == (nyt_sample.POST_COUNTS[(2021, month)] + 2) // 3  # one sentence per article
        scored = [r for r in polarity if int(r["month"]) == month]
        assert [r["headline"] for r in scored] == covid
        assert [float(r["polarity"]) for r in scored] == [analyzer.polarity_scores(h)["compound"] for h in covid]
        assert [r["phrase"] for r in phrases if int(r["month"]) == month] == [
            p for p, _ in oracle.phrase_counts(covid)[:3]]
        assert summary["months"][month - 1]["average_polarity"] == pytest.approx(
            sum(float(r["polarity"]) for r in scored) / len(scored), abs=1e-12)
        for png in (out / "polarity" / f"2021_{month}_polarity.png", out / "wordclouds" / f"2021_{month}.png"):
            assert png.read_bytes()[:8] == PNG
    for png in ("counts.png", "polarity/2021_polarity.png", "polarity/total_polarity.png"):
        assert (out / png).read_bytes()[:8] == PNG
    assert summary["covid_headlines"] == sum(int(r["covid_headlines"]) for r in counts)


def test_demo_headlines_on_given_files(tmp_path, capsys):
    data = tmp_path / "nyt"
    path = nyt.month_file(data, 2020, 5)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(nyt_sample.archive_month(2020, 5, covid=4)), encoding="utf-8")
    assert cli.main(["demo", "headlines", "--nyt", str(data), "--out", str(tmp_path / "o"), "--quiet",
                     "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [(m["year"], m["month"], m["covid_headlines"]) for m in summary["months"]] == [(2020, 5, 4)]
    assert cli.main(["demo", "headlines", "--nyt", str(tmp_path / "empty"), "--out", str(tmp_path / "o")]) == 2
    assert "no month files" in capsys.readouterr().err


POSTS = ["Tesla stock soars after great earnings", "I love the new Tesla Model Y, it is wonderful",
         "terrible service at the Tesla store today", "Tesla stock soars again. Electric cars are the future",
         "electric cars are expensive but worth it", "Is Tesla stock overvalued?"]


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl", ".parquet"])
def test_analyze_a_file_of_posts(tmp_path, capsys, suffix):
    path = tmp_path / f"posts{suffix}"
    if suffix == ".txt":
        path.write_text("\n".join(POSTS) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        pd.DataFrame({"text": POSTS}).to_csv(path, index=False)
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps({"text": p, "id": i}) + "\n" for i, p in enumerate(POSTS)))
    else:
        pq.write_table(pa.table({"text": POSTS}), path)
    assert cli.main(["analyze", str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    summary, entities, phrases, polarity = orchestrate_text_analysis(". ".join(POSTS))
    assert (got["summary"], got["most_common_entities"], got["most_common_phrases"], got["polarity"]) == (
        summary, None, phrases, polarity)
    assert got["posts"] == len(POSTS) and phrases[:3] == ["tesla stock", "tesla stock soars", "electric cars"]
    assert cli.main(["analyze", str(path)]) == 0
    text = capsys.readouterr().out
    assert "most common entities: (needs a spaCy pipeline" in text and f"polarity: {polarity}" in text


def test_analyze_errors(tmp_path, capsys):
    path = tmp_path / "posts.txt"
    path.write_text("\n".join(POSTS))
    assert cli.main(["analyze", str(path), "--spacy-model", "no_such_model_xyz"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no_such_model_xyz" in err and "fastscratch[ner]" in err
    assert cli.main(["analyze", str(tmp_path / "missing.txt")]) == 2
    pd.DataFrame({"body": POSTS}).to_csv(tmp_path / "p.csv", index=False)
    assert cli.main(["analyze", str(tmp_path / "p.csv")]) == 2
    assert "no column 'text'" in capsys.readouterr().err
    assert cli.main(["analyze", str(tmp_path / "p.csv"), "--text-column", "body", "--json"]) == 0


def test_analyze_with_a_pipeline():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Tesla"}])
    result = analyze_posts(POSTS, nlp=nlp)
    assert result.most_common_entities == {"ORG": "Tesla"} and result.posts == 6
