"""The Twitter post, offline: ``fastscratch analyze FILE`` and :func:`orchestrate_text_analysis`.

The post ("Using NLP to Get Insights from Twitter") joins a search's tweets into one text
(``". ".join(tweets)``), sends it to four Text API endpoints at once (summarize with proportion
0.1, ner with ``"ARTICLE"``, most_common_phrases with 5, text_polarity), reduces the entities to
the most common name of each type, and returns ``summary, most_common_ners, mcp, polarity``.
Here the same four results come from :mod:`fastscratch.textapi` on a file of posts (plain text
with one post per line, CSV, JSON lines or Parquet). Entities need a spaCy pipeline: without one
(``spacy_model=None`` and no ``nlp``) that result is None.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

__all__ = ["Analysis", "orchestrate_text_analysis", "analyze_posts", "join_posts"]

PROPORTION = 0.1
NUM_PHRASES = 5


@dataclass
class Analysis:
    """The post's four results, and what they were computed from."""

    summary: str
    most_common_entities: dict | None
    most_common_phrases: list
    polarity: float
    posts: int
    characters: int
    seconds: float

    def as_dict(self) -> dict:
        """JSON-ready."""
        return asdict(self)


def join_posts(posts) -> str:
    """The post's ``search``: the posts joined by ``". "`` into one text."""
    return ". ".join(posts)


def orchestrate_text_analysis(text: str, *, nlp=None, spacy_model: str | None = None,
                              proportion: float = PROPORTION, num_phrases: int = NUM_PHRASES):
    """The post's ``orchestrate_text_analysis``: ``(summary, most_common_ners, mcp, polarity)`` of one
    text. ``most_common_ners`` is None without a pipeline (``nlp`` or ``spacy_model``)."""
    from fastscratch.textapi import most_common_entities, most_common_phrases, ner, summarize, text_polarity
    from fastscratch.textapi.entities import DEFAULT_MODEL

    summary = summarize(text, proportion).replace("\n", "")
    most_common_ners = None
    if nlp is not None or spacy_model is not None:
        most_common_ners = most_common_entities(ner(text, "ARTICLE", nlp=nlp, model=spacy_model or DEFAULT_MODEL))
    return summary, most_common_ners, most_common_phrases(text, num_phrases), text_polarity(text)


def analyze_posts(posts, *, nlp=None, spacy_model: str | None = None, proportion: float = PROPORTION,
                  num_phrases: int = NUM_PHRASES, text_column: str = "text") -> Analysis:
    """The post's four results for a corpus of posts (a list, an Arrow array or a file)."""
    from fastscratch.textapi.corpus import as_corpus

    t0 = time.perf_counter()
    corpus, _ = as_corpus(posts, text_column=text_column)
    texts = [corpus.text(d) for d in range(len(corpus))]
    text = join_posts(texts)
    summary, entities, phrases, polarity = orchestrate_text_analysis(
        text, nlp=nlp, spacy_model=spacy_model, proportion=proportion, num_phrases=num_phrases)
    return Analysis(summary=summary, most_common_entities=entities, most_common_phrases=phrases, polarity=polarity,
                    posts=len(texts), characters=len(text), seconds=round(time.perf_counter() - t0, 4))
