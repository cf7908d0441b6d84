"""Token shapes, stated in plain Python: what the featurizer sees of a word it does not know.

E-mails, URLs, SSNs, phone and card numbers and the mask tokens of a cleaned document
(``[EMAIL]``, ``[SSN]``, ...) are not in GloVe's vocabulary, so they vanish from the averaged
word vector. Their *shapes* do not: ``575-74-7674`` is ``ddd-dd-dddd``, ``amy47@example.com``
is ``xdd@x.x``, ``[email]`` is ``[x]``. ``Vectors.embed(texts, shapes=B)`` appends to each
document's mean vector the share of its tokens whose (unknown) shape falls in each of ``B``
hash buckets, and the share of unknown tokens; this module is the rule it follows
(``fastscratch.kernels.shapes`` computes the same inside the featurizer's single pass).

Rule: in a token, each maximal run of one character class becomes a code. ASCII letters and
every non-ASCII character: ``x``. ASCII digits: ``d`` repeated for runs of 1 to 10 digits, else
``d{11-12}``, ``d{13-19}`` or ``d{20+}``. Any other character: itself, twice for a run of two or
more. The bucket is the 64-bit FNV-1a hash of the shape's ASCII bytes modulo ``B``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DEFAULT_BUCKETS", "token_shape", "shape_bucket", "shape_features"]

DEFAULT_BUCKETS = 64
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1


def _char_class(ch: str) -> str:
    if "0" <= ch <= "9":
        return "d"
    if ch >= "\x80" or ch.isalpha():
        return "x"
    return ch


def _run_code(cls: str, run: int) -> str:
    if cls == "x":
        return "x"
    if cls == "d":
        if run <= 10:
            return "d" * run
        return "d{11-12}" if run <= 12 else ("d{13-19}" if run <= 19 else "d{20+}")
    return cls * min(run, 2)


def token_shape(token: str) -> str:
    """The shape of one non-empty token (see the module docstring): ``'ddd-dd-dddd'``, ..."""
    if not token:
        raise ValueError("a token is never empty")
    codes = []
    cls, run = _char_class(token[0]), 1
    for ch in token[1:]:
        c = _char_class(ch)
        if c == cls:
            run += 1
        else:
            codes.append(_run_code(cls, run))
            cls, run = c, 1
    codes.append(_run_code(cls, run))
    return "".join(codes)


def shape_bucket(token: str, buckets: int = DEFAULT_BUCKETS) -> int:
    """The bucket in ``[0, buckets)`` of ``token``'s shape (FNV-1a, 64-bit, modulo ``buckets``)."""
    h = _FNV_OFFSET
    for byte in token_shape(token).encode("ascii"):
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return h % buckets


def shape_features(text: str, vocabulary, buckets: int = DEFAULT_BUCKETS) -> np.ndarray:
    """float32[buckets + 1]: the shape block of one document, as ``Vectors.embed(shapes=...)``
    appends it (plain Python, for checking the kernel).

    ``text.lower().split()`` gives the tokens; each token not in ``vocabulary`` (anything with
    ``in``) counts once in its shape's bucket. Entry ``j < buckets`` is that bucket's count and
    the last entry the unknown tokens' count, each divided by the number of tokens (float64
    division, rounded to float32); all zero for a document without tokens.
    """
    tokens = text.lower().split()
    out = np.zeros(buckets + 1, dtype=np.float32)
    if not tokens:
        return out
    counts = [0] * (buckets + 1)
    for token in tokens:
        if token not in vocabulary:
            counts[shape_bucket(token, buckets)] += 1
            counts[buckets] += 1
    for j, c in enumerate(counts):
        out[j] = np.float32(c / len(tokens))
    return out
