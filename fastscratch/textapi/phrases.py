"""``most_common_phrases``: the phrases a text (or a whole corpus) repeats most.

The rule (``fastscratch.kernels.phrases`` counts over the UTF-8 bytes of the whole corpus in one
pass):

1. **Words**: runs of letters and digits (``str.isalnum()``); a single ``'``, ``’``, ``-``, ``.``
   or ``&`` between two of them belongs to the word (``don't``, ``covid-19``, ``at&t``), and a word
   of single letters joined by periods keeps its last period (``u.s.``, ``e.m.s.``). Words are
   compared in lower case, character by character (``fastscratch.textapi.chars.fold_text``).
2. **Phrases**: runs of 2 to 3 (``min_words`` to ``max_words``) consecutive words separated only
   by whitespace, none of them a stop word (:data:`STOP_WORDS`). Punctuation between two words,
   a stop word, and the end of a document each break a run; so phrases never cross documents.
3. **Nested phrases**: a phrase is left out when a phrase one word longer that contains it has
   the same count, since then every occurrence of it is inside that one ("long road" and "road
   back" give way to "long road back" when all three appear equally often).
4. **Ranking**: by count, most frequent first; among equal counts the longer phrase first, then
   the one that appeared first in the text (the corpus's documents taken in order). The result
   is deterministic.
5. A phrase is returned as its words in lower case joined by single spaces.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from fastscratch.errors import ParameterError
from fastscratch.kernels import phrases as _kp
from fastscratch.text.utf8 import readonly
from fastscratch.textapi import chars
from fastscratch.textapi.corpus import Corpus, as_corpus

__all__ = ["STOP_WORDS", "most_common_phrases", "phrase_counts", "PhraseCounts", "words"]

_STOP_WORDS = """
i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him his
himself she she's her hers herself it it's its itself they them their theirs themselves what which who whom this
that that'll these those am is are was were be been being have has had having do does did doing a an the and but
if or because as until while of at by for with about against between into through during before after above
below to from up down in out on off over under again further then once here there when where why how all any
both each few more most other some such no nor not only own same so than too very s t can will just don don't
should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn
hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn shouldn't wasn
wasn't weren weren't won won't wouldn wouldn't
""".split()

STOP_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    _STOP_WORDS + [w.replace("'", "\u2019") for w in _STOP_WORDS if "'" in w]))
"""NLTK's 179 English stop words, and their contractions again with a typographic apostrophe (``don’t``)."""


@dataclass(frozen=True)
class PhraseCounts:
    """Every phrase of a corpus with its count, in rank order (see the module's rule)."""

    phrases: list[str]
    counts: np.ndarray
    words: np.ndarray

    def __len__(self) -> int:
        return len(self.phrases)

    def top(self, k: int) -> list[str]:
        """The ``k`` highest-ranked phrases."""
        return self.phrases[:k]


@functools.lru_cache(maxsize=1)
def _stop_words():
    encoded = [chars.fold_text(w).encode("utf-8") for w in STOP_WORDS]
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return readonly(blob), readonly(offsets)


def _checked_lengths(min_words, max_words) -> tuple[int, int]:
    for name, v in (("min_words", min_words), ("max_words", max_words)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 1 <= v <= 3:
            raise ParameterError(f"{name} must be an integer from 1 to 3, not {v!r}")
    if min_words > max_words:
        raise ParameterError(f"min_words ({min_words}) is larger than max_words ({max_words})")
    return int(min_words), int(max_words)


def count_words(corpus: Corpus, min_words: int = 2, max_words: int = 3, keep_words: bool = False):
    """The kernel's raw result on ``corpus`` (see ``kernels.phrases.count_phrases``)."""
    blob, offsets = _stop_words()
    return _kp.count_phrases(corpus.data, corpus.offsets, chars.flags(), chars.fold(), blob, offsets, min_words,
                             max_words, keep_words)


def words(text: str) -> list[str]:
    """The words of ``text`` by rule 1, folded to lower case."""
    corpus = Corpus.from_strings([text])
    _, _, _, _, _, starts, ids = count_words(corpus, 1, 0, True)
    out = []
    flags = chars.flags()
    for s in starts:
        ws, we, _ = _kp.next_word(corpus.data, int(s), corpus.data.shape[0], flags)
        out.append(chars.fold_text(corpus.span(ws, we)))
    return out


def _rows(a: np.ndarray) -> np.ndarray:
    """Each row of the int64 matrix ``a`` as one opaque value, for set operations on rows."""
    a = np.ascontiguousarray(a, dtype=np.int64)
    return a.view(np.dtype((np.void, 8 * a.shape[1]))).ravel()


def _nested(ids: np.ndarray, count: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """bool[p]: the phrases inside a phrase one word longer with the same count (rule 3)."""
    nested = np.zeros(len(count), dtype=np.bool_)
    for n in range(2, 4):
        longer = n_words == n
        shorter = np.flatnonzero(n_words == n - 1)
        if not longer.any() or shorter.size == 0:
            continue
        pad = np.full((int(longer.sum()), 3 - (n - 1)), -1, dtype=np.int64)
        inside = [np.column_stack([ids[longer, off:off + n - 1], pad, count[longer]]) for off in (0, 1)]
        candidates = np.column_stack([ids[shorter], count[shorter]])
        nested[shorter] = np.isin(_rows(candidates), _rows(np.concatenate(inside)))
    return nested


def _counts(corpus: Corpus, min_words: int, max_words: int, limit: int | None) -> PhraseCounts:
    ids, count, first, start, end, _, _ = count_words(corpus, min_words, max_words)
    n_words = (ids >= 0).sum(axis=1)
    kept = np.flatnonzero(~_nested(ids, count, n_words))
    ids, count, first, start, end, n_words = ids[kept], count[kept], first[kept], start[kept], end[kept], n_words[kept]
    order = np.lexsort((first, -n_words, -count))
    if limit is not None:
        order = order[:limit]
    phrases = [" ".join(chars.fold_text(corpus.span(int(start[p]), int(end[p]))).split()) for p in order]
    return PhraseCounts(phrases, count[order], n_words[order])


def phrase_counts(texts, *, min_words: int = 2, max_words: int = 3, text_column: str = "text") -> PhraseCounts:
    """Every phrase of a text or a whole corpus with its count, ranked (the module's rule)."""
    min_words, max_words = _checked_lengths(min_words, max_words)
    corpus, _ = as_corpus(texts, text_column=text_column)
    return _counts(corpus, min_words, max_words, None)


def most_common_phrases(texts, num_phrases: int = 3, *, min_words: int = 2, max_words: int = 3,
                        per_document: bool = False, text_column: str = "text"):
    """The ``num_phrases`` most common phrases.

    Parameters
    ----------
    texts : str or corpus
        One text, or a corpus (list, Arrow array, file: :mod:`fastscratch.textapi.corpus`),
        counted as a whole: phrases never cross documents.
    num_phrases : int
        How many (at least 1); fewer come back when the text has fewer phrases.
    min_words, max_words : int
        Phrase lengths, 1 to 3 words (default 2 to 3).
    per_document : bool
        For a corpus: one list per document instead of one for the whole corpus.

    Returns
    -------
    list of str, ranked (the module's rule), or with ``per_document`` a list of such lists.
    """
    if isinstance(num_phrases, bool) or not isinstance(num_phrases, (int, np.integer)) or num_phrases < 1:
        raise ParameterError(f"num_phrases must be a positive integer, not {num_phrases!r}")
    min_words, max_words = _checked_lengths(min_words, max_words)
    corpus, single = as_corpus(texts, text_column=text_column)
    if per_document and not single:
        return [_counts(Corpus.from_strings([corpus.text(d)]), min_words, max_words, int(num_phrases)).phrases
                for d in range(len(corpus))]
    return _counts(corpus, min_words, max_words, int(num_phrases)).phrases
