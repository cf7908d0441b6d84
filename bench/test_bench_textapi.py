"""The Text API offline: polarity against vaderSentiment (bar: 50x, median of three runs), keyword
sentences and phrase counts over 1,000,000 headlines (documents per second), and the server under the
COVID post's ten-at-a-time client (requests per second, latency percentiles; one bounded run).

Headlines are generated offline (``fastscratch.benchmarks.textapi_workloads.headlines``: the NYT
sample's templates, often followed by words from VADER's lexicon; ~63 characters, ~11 words, a fifth
mention COVID). The compiled paths are warmed up (compiled or loaded from Numba's cache, and the
character tables built) before timing. Every fastscratch answer is checked against the reference's
or the peer's where they share a rule.
"""

from __future__ import annotations

import numpy as np
import pytest

from fastscratch.benchmarks import textapi_workloads as w
from fastscratch.textapi import most_common_phrases, sentences_with_keywords, text_polarity

POLARITY = "text polarity (VADER compound), 100,000 headlines"
KEYWORDS = "sentences with the keyword 'covid', 1,000,000 headlines"
PHRASES = "10 most common phrases, 1,000,000 headlines"
SERVER = "server on loopback: 2,000 text_polarity requests, the post's client (ten at a time)"


@pytest.fixture(scope="module")
def headlines_100k():
    return w.headlines(100_000, seed=0)


@pytest.fixture(scope="module")
def headlines_1m():
    return w.headlines(1_000_000, seed=1)


@pytest.mark.parametrize("impl", ["reference", "fastscratch"])
def test_polarity(benchmark, headlines_100k, impl):
    benchmark.group = POLARITY
    if impl == "reference":
        run = w.vader_reference()
        rounds = 3
    else:
        run = text_polarity
        run(headlines_100k[:100])  # compiled or loaded, tables built
        rounds = 7
    got = benchmark.pedantic(run, args=(headlines_100k,), rounds=rounds, iterations=1, warmup_rounds=0)
    benchmark.extra_info["documents_per_second"] = round(len(headlines_100k) / benchmark.stats.stats.median)
    if impl == "fastscratch":
        assert got[:2000].tolist() == w.vader_reference()(headlines_100k[:2000])


@pytest.mark.parametrize("impl", ["python_re", "fastscratch"])
def test_keyword_sentences(benchmark, headlines_1m, impl):
    benchmark.group = KEYWORDS
    if impl == "python_re":
        run = w.regex_keyword_sentences("covid")
    else:
        def run(texts):
            return sentences_with_keywords(texts, ["covid"])["covid"]

        run(headlines_1m[:1000])
    got = benchmark.pedantic(run, args=(headlines_1m,), rounds=3, iterations=1, warmup_rounds=0)
    benchmark.extra_info["documents_per_second"] = round(len(headlines_1m) / benchmark.stats.stats.median)
    benchmark.extra_info["sentences_found"] = len(got)


@pytest.mark.parametrize("impl", ["sklearn", "fastscratch"])
def test_phrase_counts(benchmark, headlines_1m, impl):
    benchmark.group = PHRASES
    if impl == "sklearn":
        run, rounds = w.sklearn_phrase_counts(10), 1
    else:
        def run(texts):
            return most_common_phrases(texts, 10)

        run(headlines_1m[:1000])
        rounds = 3
    got = benchmark.pedantic(run, args=(headlines_1m,), rounds=rounds, iterations=1, warmup_rounds=0)
    benchmark.extra_info["documents_per_second"] = round(len(headlines_1m) / benchmark.stats.stats.median)
    benchmark.extra_info["top_3"] = "; ".join(got[:3])


def test_server_with_the_posts_client(benchmark, headlines_100k):
    """One bounded run: the server in its own process (``fastscratch textapi serve``), the COVID
    post's client in this one."""
    benchmark.group = SERVER
    texts = headlines_100k[:2000]
    with w.ServerProcess() as server:
        w.post_client_run(server.url, server.api_key, texts[:50])  # connections, first requests
        result = benchmark.pedantic(w.post_client_run, args=(server.url, server.api_key, texts), rounds=1,
                                    iterations=1)
    assert result["polarities"] == text_polarity(texts).tolist()
    lat = result["latencies"] * 1e3
    benchmark.extra_info["requests_per_second"] = round(len(texts) / result["seconds"], 1)
    for q in (50, 90, 99):
        benchmark.extra_info[f"latency_p{q}_ms"] = round(float(np.percentile(lat, q)), 2)
    benchmark.extra_info["latency_max_ms"] = round(float(lat.max()), 2)
