"""An open-addressing hash table over words stored as one UTF-8 blob plus offsets.

Word ``i`` is ``blob[offsets[i]:offsets[i + 1]]``. ``hashes[i]`` is its 64-bit ``word_hash``;
``table`` (uint64, power-of-two rows of 4) holds per slot the hash, the word index and length
and the word's first 16 bytes, probed linearly from ``hash & (len(table) - 1)``. Lookups are usable from other kernels.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._bits import load_u64
from ._config import INLINE_JIT, JIT
from .text import HIGH_BITS, LOW7_BITS

# Helpers used per byte/token inside other kernels are inlined at the Numba IR level (INLINE_JIT).


_K = np.uint64(0x9E3779B97F4A7C15)
_SEED = np.uint64(0x243F6A8885A308D3)
_ADD_GE41 = np.uint64(0x3F3F3F3F3F3F3F3F)
_ADD_GE5B = np.uint64(0x2525252525252525)


@njit(**INLINE_JIT)
def load_partial(buf, i, n):
    """Little-endian uint64 of the ``n`` (0..8) bytes ``buf[i:i + n]``, higher bytes zero.

    One 8-byte load when 8 bytes are readable from ``i``, else byte by byte: never reads
    outside ``buf`` (callers guarantee ``0 <= i`` and ``i + n <= len(buf)``).
    """
    if i + 8 <= buf.shape[0]:
        w = load_u64(buf, i)
        if n < 8:
            w &= (np.uint64(1) << np.uint64(8 * n)) - np.uint64(1)
        return w
    w = np.uint64(0)
    for t in range(n):
        w |= np.uint64(buf[i + t]) << np.uint64(8 * t)
    return w


@njit(**INLINE_JIT)
def lower8(w):
    """ASCII ``A``-``Z`` to lower case in each byte of ``w``; every other byte unchanged."""
    x = w & LOW7_BITS
    up = (x + _ADD_GE41) & ~(x + _ADD_GE5B) & ~w & HIGH_BITS
    return w | (up >> np.uint64(2))


@njit(**INLINE_JIT)
def word_hash(buf, s, e, lower):
    """64-bit hash of ``buf[s:e]`` (ASCII-lowercased first when ``lower``), 8 bytes per step."""
    h = _SEED ^ (np.uint64(e - s) * _K)
    i = s
    while i < e:
        w = load_partial(buf, i, min(e - i, 8))
        if lower:
            w = lower8(w)
        h = (h ^ w) * _K
        h ^= h >> np.uint64(29)
        i += 8
    return h


def table_size(n: int) -> int:
    """Slots for ``n`` words: a power of two at least ``2 n`` (load factor <= 0.5), minimum 8."""
    size = 8
    while size < 2 * n:
        size *= 2
    return size


_IDX_BITS = np.uint64((1 << 40) - 1)
_MAX_LEN_FIELD = 0xFFFFFF


@njit(**INLINE_JIT)
def _prefix(q, s, n, lower):
    """The first 16 bytes of ``q[s:s + n]`` as two zero-padded words (ASCII-lowercased if ``lower``)."""
    q0 = load_partial(q, s, min(n, 8))
    q1 = np.uint64(0)
    if n > 8:
        q1 = load_partial(q, s + 8, min(n - 8, 8))
    if lower:
        q0 = lower8(q0)
        q1 = lower8(q1)
    return q0, q1


# LOW_BYTES[n]: the n low bytes of a word (n = 0..8)
LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


@njit(**INLINE_JIT)
def hash_short(q0, n):
    """``word_hash`` of a word of ``n <= 8`` bytes given as one zero-padded (lowercased) word."""
    h = _SEED ^ (np.uint64(n) * _K)
    if n > 0:
        h = (h ^ q0) * _K
        h ^= h >> np.uint64(29)
    return h


@njit(**INLINE_JIT)
def lookup(table, blob, offsets, q, s, e, h, lower):
    """Index of the word equal to ``q[s:e]`` (ASCII-lowercased when ``lower``), or -1.

    ``h`` must be ``word_hash(q, s, e, lower)``; ``0 <= s <= e <= len(q)``. A slot holds the
    hash, the index and length, and the word's first 16 bytes: a word of up to 16 bytes is
    found with one slot read; longer ones are compared in ``blob`` from byte 16 on.
    """
    q0, q1 = _prefix(q, s, e - s, lower)
    return lookup_prefixed(table, blob, offsets, q, s, e, h, q0, q1, lower)


@njit(**INLINE_JIT)
def lookup_prefixed(table, blob, offsets, q, s, e, h, q0, q1, lower):
    """``lookup`` with the query's first 16 bytes already in ``q0, q1`` (see ``_prefix``)."""
    mask = table.shape[0] - 1
    slot = np.int64(h & np.uint64(mask))
    n = e - s
    nfield = np.uint64(min(n, _MAX_LEN_FIELD))
    for _ in range(table.shape[0]):
        meta = table[slot, 1]
        if meta == 0:
            return -1
        if table[slot, 0] == h and (meta >> np.uint64(40)) == nfield and table[slot, 2] == q0 and table[slot, 3] == q1:
            w = np.int64(meta & _IDX_BITS) - 1
            if w < 0 or w + 1 >= offsets.shape[0]:
                return -1  # a damaged table: never index outside the arrays
            if n <= 16:
                return w
            ws = offsets[w]
            if 0 <= ws and offsets[w + 1] - ws == n and offsets[w + 1] <= blob.shape[0]:
                same = True
                for t in range(16, n, 8):
                    m = min(n - t, 8)
                    b = load_partial(q, s + t, m)
                    if lower:
                        b = lower8(b)
                    if load_partial(blob, ws + t, m) != b:
                        same = False
                        break
                if same:
                    return w
        slot = (slot + 1) & mask
    return -1


@njit(**JIT)
def build_table(blob, offsets, hashes, table, first):
    """Hash every word and insert it; a repeated word keeps the index of its first occurrence.

    Parameters
    ----------
    blob : uint8[:]
    offsets : int64[n + 1]
    hashes : uint64[n]
        Output: each word's hash.
    table : uint64[size, 4]
        Output, a power-of-two ``size`` > ``n``. Slot ``[hash, (index + 1) | length << 40,
        first 8 bytes, next 8 bytes]`` (zero-padded); all zero = empty.
    first : int64[n]
        Output: ``first[i]`` is the index of the first occurrence of word ``i`` (``i`` itself
        when it is new).

    Returns
    -------
    int
        The number of repeated words.
    """
    table[:, :] = 0
    n = offsets.shape[0] - 1
    mask = table.shape[0] - 1
    dups = 0
    for i in range(n):
        s = offsets[i]
        e = offsets[i + 1]
        h = word_hash(blob, s, e, False)
        hashes[i] = h
        found = lookup(table, blob, offsets, blob, s, e, h, False)
        if found >= 0:
            first[i] = found
            dups += 1
        else:
            first[i] = i
            slot = np.int64(h & np.uint64(mask))
            while table[slot, 1] != 0:
                slot = (slot + 1) & mask
            q0, q1 = _prefix(blob, s, e - s, False)
            table[slot, 0] = h
            table[slot, 1] = np.uint64(i + 1) | (np.uint64(min(e - s, _MAX_LEN_FIELD)) << np.uint64(40))
            table[slot, 2] = q0
            table[slot, 3] = q1
    return dups


@njit(**JIT)
def merge_duplicates(matrix, blob, offsets, first):
    """Apply "the last occurrence wins, at the first occurrence's place" (a Python dict's order).

    Copies each repeated word's row onto its first occurrence (so the last copy wins), then
    compacts ``matrix`` rows and the words in place. Returns ``(n_unique, blob_length)``; the
    first ``n_unique`` rows, ``n_unique + 1`` offsets and ``blob_length`` bytes are the result.
    """
    n = first.shape[0]
    for i in range(n):
        j = first[i]
        if j != i:
            matrix[j, :] = matrix[i, :]
    w = 0
    pos = 0
    for i in range(n):
        if first[i] == i:
            s = offsets[i]
            e = offsets[i + 1]
            if w != i:
                matrix[w, :] = matrix[i, :]
                for t in range(e - s):
                    blob[pos + t] = blob[s + t]
            offsets[w] = pos
            pos += e - s
            w += 1
    offsets[w] = pos
    return w, pos
