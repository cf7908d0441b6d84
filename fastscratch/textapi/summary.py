"""``summarize``: an extractive summary, the highest-scoring sentences in their original order.

Scoring (word frequency, after Luhn 1958):

1. the text is cut into sentences by the sentence rule (:mod:`fastscratch.textapi.sentences`) and
   into words by the word rule of :mod:`fastscratch.textapi.phrases` (lower case);
2. each word that is not a stop word (``phrases.STOP_WORDS``) weighs its count in the text divided
   by the count of the text's most frequent such word (so weights are in (0, 1]);
3. a sentence scores the sum of the weights of its words, each occurrence counted;
4. the summary keeps ``max(1, round(proportion * sentences))`` sentences (halves rounded up, at
   most all of them): the highest scores, the earlier sentence first among equal scores; it
   prints them in the text's order, joined by single spaces.
"""

from __future__ import annotations

import math

import numpy as np

from fastscratch.errors import ParameterError
from fastscratch.textapi.corpus import as_corpus
from fastscratch.textapi.phrases import STOP_WORDS, count_words
from fastscratch.textapi.sentences import find_sentences

__all__ = ["summarize", "sentence_scores"]


def _checked_proportion(proportion) -> float:
    if isinstance(proportion, bool) or not isinstance(proportion, (int, float, np.integer, np.floating)) \
            or not 0 < proportion <= 1:
        raise ParameterError(f"proportion must be a number in (0, 1], not {proportion!r}")
    return float(proportion)


def sentence_scores(corpus):
    """``(sentences, scores)``: every sentence of ``corpus`` (a ``Sentences``) and its score (float64)."""
    sentences = find_sentences(corpus)
    _, _, _, _, _, starts, ids = count_words(corpus, 1, 0, True)
    content = ids >= len(STOP_WORDS)
    starts, ids = starts[content], ids[content]
    scores = np.zeros(len(sentences), dtype=np.float64)
    if ids.size == 0:
        return sentences, scores
    doc = np.searchsorted(corpus.offsets, starts, side="right") - 1
    key = doc * (int(ids.max()) + 1) + ids
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    freq = counts[inverse].astype(np.float64)
    most = np.zeros(len(corpus), dtype=np.float64)
    np.maximum.at(most, doc, freq)
    which = np.searchsorted(sentences.starts, starts, side="right") - 1
    scores = np.bincount(which, weights=freq / most[doc], minlength=len(sentences))
    return sentences, scores


def summarize(texts, proportion: float = 0.3, *, text_column: str = "text"):
    """An extractive summary of each text (the scoring of the module's docstring).

    Parameters
    ----------
    texts : str or corpus
        One text, or a corpus (list, Arrow array, file): one summary per document. To summarize
        many short posts as one text, join them first, as the Twitter post does
        (``". ".join(posts)``).
    proportion : float
        The share of sentences to keep, in (0, 1]; at least one is kept.

    Returns
    -------
    str for one text (empty for a text without sentences), list of str for a corpus.
    """
    proportion = _checked_proportion(proportion)
    corpus, single = as_corpus(texts, text_column=text_column)
    sentences, scores = sentence_scores(corpus)
    bounds = np.searchsorted(sentences.document, np.arange(len(corpus) + 1))
    out = []
    for d in range(len(corpus)):
        a, z = int(bounds[d]), int(bounds[d + 1])
        n = z - a
        if n == 0:
            out.append("")
            continue
        keep = min(n, max(1, math.floor(proportion * n + 0.5)))
        order = np.lexsort((np.arange(n), -scores[a:z]))[:keep]
        out.append(" ".join(sentences.text(a + int(k)) for k in np.sort(order)))
    return out[0] if single else out
