"""The original notebook's word-vector code, pure NumPy: reading GloVe line by line and the
averaged document vector (``text_to_embedding``), the oracles of the parser and the featurizer.

Do not optimise or "fix" anything here: fast code is tested against this module.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

__all__ = ["load_glove", "text_to_embedding", "embed_corpus"]


def load_glove(path) -> dict[str, np.ndarray]:
    """The notebook's GloVe loader: one ``line.split()`` per line into a dict (last one wins)."""
    embeddings = {}
    with open(path, encoding="utf8") as f:
        for line in f:
            values = line.split()
            word = values[0]
            embeddings[word] = np.asarray(values[1:], dtype="float32")
    return embeddings


def text_to_embedding(text: str, embeddings: dict, dim: int = 300) -> np.ndarray:
    """Mean of the known words' float32 vectors; a float32 zero vector when none is known."""
    words = text.lower().split()
    vectors = [embeddings[w] for w in words if w in embeddings]
    if not vectors:
        return np.zeros(dim, dtype=np.float32)
    return np.mean(vectors, axis=0)


def embed_corpus(texts: Iterable[str], embeddings: dict, dim: int = 300) -> np.ndarray:
    """``np.array([text_to_embedding(t) for t in texts])``, as the notebook builds X."""
    return np.array([text_to_embedding(t, embeddings, dim) for t in texts])
