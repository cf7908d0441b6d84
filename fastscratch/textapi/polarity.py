"""``text_polarity``: VADER's compound score of a text or of every document of a corpus, compiled.

The value is vaderSentiment's ``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]``
(the rule: :mod:`fastscratch.textapi.vader`), computed by ``fastscratch.kernels.vader`` over the
UTF-8 bytes of all documents at once, in parallel, with the reference's float64 operations in
its order: equal values, not close ones. The few documents the kernel declines (invalid UTF-8,
surrogates, a character whose lower case holds ASCII) take the Python statement.
"""

from __future__ import annotations

import sys

import numpy as np

from fastscratch.kernels import vader as _kv
from fastscratch.textapi import chars, vader
from fastscratch.textapi.corpus import Corpus, as_corpus
from fastscratch.textapi.lexicon import tables

__all__ = ["text_polarity", "polarities"]

COMPENSATED_SUM = sys.version_info >= (3, 12)
"""Python's ``sum`` of floats is Neumaier-compensated from 3.12 on; VADER sums its valences with it."""


def text_polarity(texts, *, text_column: str = "text"):
    """VADER's compound polarity, from -1 (most negative) to 1 (most positive).

    Parameters
    ----------
    texts : str or corpus
        One text, or a corpus (list, Arrow array, file: see :mod:`fastscratch.textapi.corpus`).
    text_column : str
        The documents' column in a CSV, JSON-lines or Parquet file.

    Returns
    -------
    float for one text; float64[n] for a corpus, one score per document.
    """
    corpus, single = as_corpus(texts, text_column=text_column)
    scores = polarities(corpus)
    return float(scores[0]) if single else scores


def polarities(corpus: Corpus) -> np.ndarray:
    """float64[n]: the compound score of each document of ``corpus``."""
    n = len(corpus)
    out = np.empty(n, dtype=np.float64)
    python_path = np.empty(n, dtype=np.bool_)
    arrays = (chars.flags(), *tables().args(), COMPENSATED_SUM, out, python_path)
    if n <= _kv.BLOCK:  # one task: no thread team to start
        _kv.compound_range(corpus.data, corpus.offsets, 0, n, *arrays)
    else:
        _kv.vader_compound(corpus.data, corpus.offsets, *arrays)
    for d in np.flatnonzero(python_path):
        out[d] = vader.compound(corpus.text(int(d)))
    return out
