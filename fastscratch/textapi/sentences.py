"""Sentences, and the sentences that mention keywords (``sentences_with_keywords``).

The sentence rule (``fastscratch.kernels.sentences`` computes it over the UTF-8 bytes of a whole
corpus in parallel):

- a sentence ends after a run of ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or brackets
  after it: ``"`` ``'`` ``)`` ``]`` ``}`` ``”`` ``’`` ``»``) that whitespace or the end of the text
  follows, except a single ``.`` that ends an abbreviation: single letters joined by periods
  (``u.s.``, ``e.m.s.``, ``F.``) or one of :data:`ABBREVIATIONS` (``Mr.``, ``Dr.``, ``Jan.``...);
- a blank line ends a sentence too;
- a sentence is the text between two ends, without the whitespace around it; nothing is
  rewritten inside it.

A keyword matches a sentence when it appears in it as a whole word (the characters next to it are
not letters, digits or ``_``), case-insensitively: every character is compared by its
``str.lower()`` when that is a single character (``fastscratch.textapi.chars.fold_text``). So
``covid`` matches "COVID-19 cases", "covid's toll" and "#covid", not "covidiots".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from fastscratch.errors import ParameterError
from fastscratch.kernels import sentences as _ks
from fastscratch.kernels import vocab as _vocab
from fastscratch.text.utf8 import readonly
from fastscratch.textapi import chars
from fastscratch.textapi.corpus import Corpus, as_corpus

__all__ = ["ABBREVIATIONS", "split_sentences", "sentences_with_keywords", "Sentences", "find_sentences"]

ABBREVIATIONS = ("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "gen", "gov", "sen", "rep", "rev", "lt",
                 "col", "sgt", "capt", "mt", "ft", "jan", "feb", "aug", "sept", "oct", "nov", "dec")
"""Words whose period does not end a sentence (titles, and the months the Associated Press
abbreviates), compared in lower case without the period."""


@dataclass(frozen=True)
class Sentences:
    """The sentences of a corpus: sentence ``k`` is ``corpus.span(starts[k], ends[k])``, from document
    ``document[k]``; ``matches[k, q]`` says whether it holds keyword ``q``."""

    corpus: Corpus
    starts: np.ndarray
    ends: np.ndarray
    document: np.ndarray
    matches: np.ndarray

    def __len__(self) -> int:
        return self.starts.shape[0]

    def text(self, k: int) -> str:
        """Sentence ``k``."""
        return self.corpus.span(int(self.starts[k]), int(self.ends[k]))


@functools.lru_cache(maxsize=1)
def _abbreviations():
    words = [w.encode("ascii") for w in ABBREVIATIONS]
    blob = np.frombuffer(b"".join(words), dtype=np.uint8).copy()
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=offsets[1:])
    table = np.empty((_vocab.table_size(len(words)), 4), dtype=np.uint64)
    _vocab.build_table(blob, offsets, np.empty(len(words), np.uint64), table, np.empty(len(words), np.int64))
    return readonly(table), readonly(blob), readonly(offsets)


def _keyword_cps(keywords: list[str]) -> tuple[np.ndarray, np.ndarray]:
    folded = [chars.fold_text(k) for k in keywords]
    cps = np.array([ord(c) for k in folded for c in k], dtype=np.int64)
    offsets = np.zeros(len(folded) + 1, dtype=np.int64)
    np.cumsum([len(k) for k in folded], out=offsets[1:])
    return readonly(cps), readonly(offsets)


def find_sentences(corpus: Corpus, keywords: list[str] | tuple[str, ...] = ()) -> Sentences:
    """Every sentence of ``corpus`` (in order), with the keywords each one holds."""
    table, blob, offsets = _abbreviations()
    kw_cps, kw_offsets = _keyword_cps(list(keywords))
    flags, fold = chars.flags(), chars.fold()
    n = len(corpus)
    counts = np.zeros(n, dtype=np.int64)
    none = np.empty(0, dtype=np.int64)
    no_matches = np.empty((0, len(keywords)), dtype=np.bool_)
    tables = (flags, fold, table, blob, offsets, kw_cps, kw_offsets)

    def run(counts, starts, ends, matches, fill):
        if n <= _ks.BLOCK:  # one task: no thread team to start
            _ks.sentences_range(corpus.data, corpus.offsets, 0, n, *tables, counts, starts, ends, matches, fill)
        else:
            _ks.split_sentences(corpus.data, corpus.offsets, *tables, counts, starts, ends, matches, fill)

    run(counts, none, none, no_matches, False)
    first = np.zeros(n, dtype=np.int64)
    np.cumsum(counts[:-1], out=first[1:])
    total = int(counts.sum())
    starts = np.empty(total, dtype=np.int64)
    ends = np.empty(total, dtype=np.int64)
    matches = np.zeros((total, len(keywords)), dtype=np.bool_)
    run(first, starts, ends, matches, True)
    return Sentences(corpus, starts, ends, np.repeat(np.arange(n), counts), matches)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` by the rule above."""
    if not isinstance(text, str):
        raise TypeError(f"split_sentences() takes a str, not {type(text).__name__}")
    found = find_sentences(Corpus.from_strings([text]))
    return [found.text(k) for k in range(len(found))]


def _checked_keywords(keywords) -> list[str]:
    if isinstance(keywords, str):
        keywords = [keywords]
    try:
        keywords = list(keywords)
    except TypeError:
        raise ParameterError(f"keywords must be a list of strings, not {type(keywords).__name__}") from None
    if not keywords:
        raise ParameterError("keywords is empty: give at least one keyword")
    for k in keywords:
        if not isinstance(k, str):
            raise ParameterError(f"keywords must be strings, not {type(k).__name__} {k!r}")
        if not k.strip():
            raise ParameterError(f"a keyword must not be empty or only whitespace: {k!r}")
    return keywords


def sentences_with_keywords(texts, keywords, *, per_document: bool = False, text_column: str = "text"):
    """The sentences that mention each keyword (whole word, any case).

    Parameters
    ----------
    texts : str or corpus
        One text, or a corpus (list, Arrow array, file: :mod:`fastscratch.textapi.corpus`).
    keywords : list of str (or one str)
    per_document : bool
        For a corpus: one result per document instead of one for the whole corpus.
    text_column : str
        The documents' column in a CSV, JSON-lines or Parquet file.

    Returns
    -------
    dict
        ``{keyword: [sentence, ...]}`` in text order (a sentence appears under every keyword it
        holds), for one text or for a whole corpus (its documents' sentences one after the
        other, as The Text API's answers to one request per document would be joined); with
        ``per_document``, a list of such dicts.
    """
    keywords = _checked_keywords(keywords)
    corpus, single = as_corpus(texts, text_column=text_column)
    found = find_sentences(corpus, keywords)
    if per_document and not single:
        out = [{k: [] for k in keywords} for _ in range(len(corpus))]
        for q, k in enumerate(keywords):
            for s in np.flatnonzero(found.matches[:, q]):
                out[int(found.document[s])][k].append(found.text(int(s)))
        return out
    return {k: [found.text(int(s)) for s in np.flatnonzero(found.matches[:, q])] for q, k in enumerate(keywords)}
