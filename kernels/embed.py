"""Document featurization: averaged word vectors with the reference's exact float32 arithmetic.

A document is ``docs[offsets[d]:offsets[d + 1]]`` (UTF-8). Tokens are maximal runs of non-
whitespace bytes (the ASCII whitespace of ``str.split()``), lowercased in ASCII. The reference's
``np.mean(list_of_float32_rows, axis=0)`` starts from a float32 zero, adds the known rows one by
one in token order in float32, then divides by the count in float64 and rounds to float32; the
kernel does exactly that, so the result is bit-identical.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._config import PARALLEL_JIT
from .vocab import fnv1a, lookup


@njit(**PARALLEL_JIT)
def embed_documents(docs, offsets, matrix, table, hashes, blob, word_offsets, ascii_only, out, known, total, non_ascii):
    """Average the vectors of the known tokens of each document.

    Parameters
    ----------
    docs : uint8[:]
        UTF-8 bytes of all documents.
    offsets : int32[n + 1] or int64[n + 1]
        Document ``d`` is ``docs[offsets[d]:offsets[d + 1]]`` (ranges are clipped to ``docs``).
    matrix : float32[V, dim]
    table, hashes, blob, word_offsets
        The vocabulary (see ``vocab``).
    ascii_only : bool
        When True a document holding a byte >= 0x80 is not embedded: ``non_ascii[d]`` is set and
        its row left zero, for the exact Python path. When False such bytes are token bytes
        (right for documents already lowercased and split by Python).
    out : float32[n, dim]
        Output vectors (zero when no token is known).
    known, total : int64[n]
        Output: known and all tokens per document.
    non_ascii : bool[n]
        Output, see ``ascii_only``.
    """
    n = offsets.shape[0] - 1
    dim = matrix.shape[1]
    size = docs.shape[0]
    for d in prange(n):
        s = min(max(np.int64(offsets[d]), 0), size)
        e = min(max(np.int64(offsets[d + 1]), s), size)
        out[d, :] = 0.0
        known[d] = 0
        total[d] = 0
        non_ascii[d] = False
        if ascii_only:
            for j in range(s, e):
                if docs[j] >= 128:
                    non_ascii[d] = True
                    break
            if non_ascii[d]:
                continue
        k = 0
        t = 0
        i = s
        while i < e:
            b = docs[i]
            if b == 32 or (9 <= b <= 13) or (28 <= b <= 31):
                i += 1
                continue
            ts = i
            while i < e:
                b = docs[i]
                if b == 32 or (9 <= b <= 13) or (28 <= b <= 31):
                    break
                i += 1
            t += 1
            h = fnv1a(docs, ts, i, True)
            w = lookup(table, hashes, blob, word_offsets, docs, ts, i, h, True)
            if w >= 0:
                k += 1
                for c in range(dim):
                    out[d, c] += matrix[w, c]
        known[d] = k
        total[d] = t
        if k > 0:
            kk = np.float64(k)
            for c in range(dim):
                out[d, c] = np.float32(np.float64(out[d, c]) / kk)
