"""Document featurization: averaged word vectors with the reference's exact float32 arithmetic.

A document is ``docs[offsets[d]:offsets[d + 1]]`` (UTF-8). Tokens are maximal runs of non-
whitespace characters (``str.split()``'s whitespace, :mod:`.text`: ASCII in the byte loop,
non-ASCII through a code-point class table), lowercased in ASCII; a document with a character whose case ``lower()``
would change is left to the caller's exact Python path. The reference's
``np.mean(list_of_float32_rows, axis=0)`` starts from a float32 zero, adds the known rows one by
one in token order in float32, then divides by the count in float64 and rounds to float32; the
kernel does exactly that, so the result is bit-identical.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._bits import borrowed, load_u64, prefetch, trailing_zeros
from ._config import INLINE_JIT, PARALLEL_JIT
from .recognize import scratch as recognizer_scratch
from .recognize import write_columns as recognizer_columns
from .shapes import shape_hash
from .text import (
    BYTE_CLASS,
    BYTE_HIGH,
    BYTE_SPACE,
    BYTE_WORD,
    HIGH_BITS,
    U64,
    UNICODE_PYTHON,
    UNICODE_SPACE,
    space_mask,
    unicode_class,
)
from .vocab import LOW_BYTES, hash_short, lookup, lookup_prefixed, lower8, word_hash

_BLOCK = 64  # documents per parallel task
_GROUP = 16
"""Tokens hashed (and their hash-table slots prefetched) before the first of them is looked up,
and looked up (the known words' rows prefetched) before the first row is added: the table
(32 MiB for 400,000 words) and the matrix do not fit in cache, and the memory accesses of a
group then overlap instead of waiting one after another."""

_STOP = 3  # a character only Python's str.lower()/split() handle exactly


@njit(**INLINE_JIT)
def _char_at(docs, i, e, ascii_only, unicode_classes):
    """``(kind, length)`` of the character at ``docs[i]``: ``BYTE_SPACE`` (separates tokens),
    ``BYTE_WORD`` (part of a token) or ``_STOP`` (see ``ascii_only`` in :func:`embed_documents`)."""
    c = BYTE_CLASS[docs[i]]
    if c == BYTE_HIGH and ascii_only:
        cls, ln = unicode_class(docs, i, e, unicode_classes)
        if cls == UNICODE_PYTHON:
            return _STOP, ln
        return (BYTE_SPACE if cls == UNICODE_SPACE else BYTE_WORD), ln
    return (BYTE_SPACE if c == BYTE_SPACE else BYTE_WORD), 1


@njit(**INLINE_JIT)
def _add4(acc, matrix, a, b, c, d):
    """``acc += row a; += row b; += row c; += row d`` in that order, element by element: the
    same float32 additions as four separate passes, with one load and store of ``acc``."""
    ra = matrix[a]
    rb = matrix[b]
    rc = matrix[c]
    rd = matrix[d]
    for j in range(acc.shape[0]):
        x = acc[j]
        x += ra[j]
        x += rb[j]
        x += rc[j]
        x += rd[j]
        acc[j] = x


@njit(**INLINE_JIT)
def _look_up_and_add(table, blob, word_offsets, docs, g_start, g_end, g_hash, g_q0, ng, g_rows, matrix, acc, pend,
                     k, npend, shape_counts, nshapes):
    """Look up the ``ng`` grouped tokens (prefetching the rows of the known ones, collected in
    ``g_rows``), then add those rows to ``acc`` in token order (four at a time, through
    ``pend``). With ``nshapes > 0`` each unknown token counts once in ``shape_counts`` at its
    shape's bucket. Returns the updated known count and pending count."""
    size = docs.shape[0]
    found = 0
    for r in range(ng):
        ts = g_start[r]
        te = g_end[r]
        if te - ts <= 8 and ts + 8 <= size:
            w = lookup_prefixed(table, blob, word_offsets, docs, ts, te, g_hash[r], g_q0[r], U64(0), True)
        else:
            w = lookup(table, blob, word_offsets, docs, ts, te, g_hash[r], True)
        if w >= 0:
            g_rows[found] = w
            found += 1
            for c in range(0, matrix.shape[1], 16):
                prefetch(matrix, w * matrix.shape[1] + c)
        elif nshapes > 0:
            shape_counts[shape_hash(docs, ts, te) % np.uint64(nshapes)] += 1
    for r in range(found):
        k += 1
        pend[npend] = g_rows[r]
        npend += 1
        if npend == 4:
            _add4(acc, matrix, pend[0], pend[1], pend[2], pend[3])
            npend = 0
    return k, npend


@njit(**INLINE_JIT)
def _write_shapes(row, shape_counts, unknown, tokens):
    """``row[:-1] = shape_counts / tokens``, ``row[-1] = unknown / tokens`` (zeros for no tokens)."""
    nshapes = row.shape[0] - 1
    if tokens == 0:
        row[:] = 0.0
        return
    tt = np.float64(tokens)
    for j in range(nshapes):  # most buckets are empty: skip their division (0 / t is 0.0 anyway)
        c = shape_counts[j]
        row[j] = np.float32(np.float64(c) / tt) if c != 0 else np.float32(0.0)
    row[nshapes] = np.float32(np.float64(unknown) / tt)


@njit(**PARALLEL_JIT)
def embed_documents(docs, offsets, matrix, table, blob, word_offsets, ascii_only, unicode_classes, nshapes, npii, out,
                    known, total, non_ascii):
    """Average the vectors of the known tokens of each document, and (``nshapes > 0``) the shapes
    of the unknown ones.

    Parameters
    ----------
    docs : uint8[:]
        UTF-8 bytes of all documents.
    offsets : int32[n + 1] or int64[n + 1]
        Document ``d`` is ``docs[offsets[d]:offsets[d + 1]]`` (ranges are clipped to ``docs``).
    matrix : float32[V, dim]
    table, blob, word_offsets
        The vocabulary (see ``vocab``).
    ascii_only : bool
        When True, each non-ASCII character is looked up in ``unicode_classes``: whitespace
        (``text.UNICODE_SPACE``) separates tokens, a character that ``str.lower()`` leaves
        unchanged (``UNICODE_PLAIN``) is a token character, anything else (a case change, an
        astral or invalid sequence: ``UNICODE_PYTHON``) stops the document: ``non_ascii[d]`` is set and its row left
        zero, for the exact Python path. When False every byte >= 0x80 is a token byte (right for
        documents already lowercased and split by Python).
    unicode_classes : uint8[:]
        Class of each BMP code point (an empty array sends every non-ASCII document to Python).
    nshapes : int
        Shape buckets (0: none). Each unknown token's shape (``shapes.shape_hash``) counts in
        bucket ``hash % nshapes``.
    npii : int
        0, or ``recognize.COLUMNS``: then the last columns are the document's recognizer
        counts (``recognize.write_columns``), read on its bytes as given, whatever
        ``ascii_only`` decides for the words.
    out : float32[n, dim (+ nshapes + 1) (+ npii)]
        Output: columns ``[0, dim)`` the mean of the known vectors (zero when no token is
        known); with shapes, columns ``[dim, dim + nshapes)`` each bucket's count divided by the
        document's token count, and column ``dim + nshapes`` the unknown tokens' share (each
        ``float32(count / tokens)``, divided in float64; zero for a document without tokens);
        then the recognizer counts.
    known, total : int64[n]
        Output: known and all tokens per document.
    non_ascii : bool[n]
        Output, see ``ascii_only``.
    """
    n = offsets.shape[0] - 1
    dim = matrix.shape[1]
    size = docs.shape[0]
    mask = np.uint64(table.shape[0] - 1)
    nblocks = (n + _BLOCK - 1) // _BLOCK
    for blk in prange(nblocks):
        acc = np.empty(dim, dtype=np.float32)  # one accumulator per block of documents
        pend = np.empty(4, dtype=np.int64)  # known rows not yet added
        g_start = np.empty(_GROUP, dtype=np.int64)  # tokens hashed, not yet looked up
        g_end = np.empty(_GROUP, dtype=np.int64)
        g_hash = np.empty(_GROUP, dtype=np.uint64)
        g_q0 = np.empty(_GROUP, dtype=np.uint64)
        g_rows = np.empty(_GROUP, dtype=np.int64)  # the group's known words, in token order
        shape_counts = np.zeros(max(nshapes, 1), dtype=np.int64)
        r_starts, r_ends, r_types, r_masks, r_work, r_flags = recognizer_scratch()
        # the recognizers are a call per document: hand them views the threads do not
        # reference-count (both threads updating the shared arrays' counts cost ~1 us a document)
        r_docs = borrowed(docs)
        r_out = borrowed(out)
        for d in range(blk * _BLOCK, min((blk + 1) * _BLOCK, n)):
            s = min(max(np.int64(offsets[d]), 0), size)
            e = min(max(np.int64(offsets[d + 1]), s), size)
            acc[:] = 0.0
            shape_counts[:] = 0
            npend = 0
            ng = 0
            k = 0
            t = 0
            bad = False
            i = s
            while i < e:
                kind, ln = _char_at(docs, i, e, ascii_only, unicode_classes)
                if kind == _STOP:
                    bad = True
                    break
                if kind == BYTE_SPACE:
                    i += ln
                    continue
                ts = i
                # the token runs to the next whitespace: 8 bytes per step, an exact check of
                # the character only where a byte is <= 0x20 or >= 0x80
                while i < e:
                    if i + 8 <= size:
                        w = load_u64(docs, i)
                        m = space_mask(w) | (w & HIGH_BITS)
                        step = np.int64(trailing_zeros(m)) >> 3
                        if step >= e - i:
                            i = e
                            break
                        i += step
                        if step == 8:
                            continue
                    kind, ln = _char_at(docs, i, e, ascii_only, unicode_classes)
                    if kind == _STOP:
                        bad = True
                        break
                    if kind == BYTE_SPACE:
                        break
                    i += ln
                if bad:
                    break
                t += 1
                n8 = i - ts
                if n8 <= 8 and ts + 8 <= size:  # short token: one load, no loops
                    q0 = lower8(load_u64(docs, ts) & LOW_BYTES[n8])
                    h = hash_short(q0, n8)
                else:
                    q0 = U64(0)
                    h = word_hash(docs, ts, i, True)
                prefetch(table, np.int64(h & mask) * table.shape[1])
                g_start[ng] = ts
                g_end[ng] = i
                g_hash[ng] = h
                g_q0[ng] = q0
                ng += 1
                if ng == _GROUP:
                    k, npend = _look_up_and_add(table, blob, word_offsets, docs, g_start, g_end, g_hash, g_q0, ng, g_rows,
                                                matrix, acc, pend, k, npend, shape_counts, nshapes)
                    ng = 0
            if not bad:
                k, npend = _look_up_and_add(table, blob, word_offsets, docs, g_start, g_end, g_hash, g_q0, ng, g_rows,
                                            matrix, acc, pend, k, npend, shape_counts, nshapes)
            for r in range(npend):
                row = matrix[pend[r]]
                for c2 in range(dim):
                    acc[c2] += row[c2]
            non_ascii[d] = bad
            if bad:
                k = 0
                t = 0
            known[d] = k
            total[d] = t
            if k > 0:
                kk = np.float64(k)
                for c2 in range(dim):
                    out[d, c2] = np.float32(np.float64(acc[c2]) / kk)
            else:
                out[d, :dim] = 0.0
            if nshapes > 0:
                _write_shapes(out[d, dim:dim + nshapes + 1], shape_counts, t - k, t)
        if npii > 0:  # after the block's words: each loop's code, tables and branch history stay warm
            for d in range(blk * _BLOCK, min((blk + 1) * _BLOCK, n)):
                s = min(max(np.int64(offsets[d]), 0), size)
                e = min(max(np.int64(offsets[d + 1]), s), size)
                r_starts, r_ends, r_types = recognizer_columns(r_docs, s, e, r_out[d, out.shape[1] - npii:], r_starts,
                                                               r_ends, r_types, r_masks, r_work, r_flags)

