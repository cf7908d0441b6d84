"""An open-addressing hash table over words stored as one UTF-8 blob plus offsets.

Word ``i`` is ``blob[offsets[i]:offsets[i + 1]]``. ``hashes[i]`` is its 64-bit FNV-1a hash and
``table`` (int32, a power-of-two length, ``-1`` = empty) holds word indices, probed linearly
from ``hash & (len(table) - 1)``. Lookups are usable from other kernels.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._config import JIT

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@njit(**JIT)
def _lower_ascii(b):
    """ASCII ``A``-``Z`` to lower case; every other byte unchanged."""
    if 65 <= b <= 90:
        return b + 32
    return b


@njit(**JIT)
def fnv1a(buf, s, e, lower):
    """64-bit FNV-1a hash of ``buf[s:e]`` (ASCII-lowercased first when ``lower``)."""
    h = _FNV_OFFSET
    for j in range(s, e):
        b = buf[j]
        if lower:
            b = _lower_ascii(b)
        h = (h ^ np.uint64(b)) * _FNV_PRIME
    return h


def table_size(n: int) -> int:
    """Slots for ``n`` words: a power of two at least ``2 n`` (load factor <= 0.5), minimum 8."""
    size = 8
    while size < 2 * n:
        size *= 2
    return size


@njit(**JIT)
def lookup(table, hashes, blob, offsets, q, s, e, h, lower):
    """Index of the word equal to ``q[s:e]`` (ASCII-lowercased when ``lower``), or -1.

    ``h`` must be ``fnv1a(q, s, e, lower)``.
    """
    mask = table.shape[0] - 1
    slot = np.int64(h & np.uint64(mask))
    n = e - s
    for _ in range(table.shape[0]):
        w = table[slot]
        if w < 0:
            return -1
        if hashes[w] == h:
            ws = offsets[w]
            if offsets[w + 1] - ws == n:
                same = True
                for t in range(n):
                    b = q[s + t]
                    if lower:
                        b = _lower_ascii(b)
                    if blob[ws + t] != b:
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
    table : int32[size]
        Output, a power-of-two ``size`` >= ``n + 1``; filled with -1 here.
    first : int64[n]
        Output: ``first[i]`` is the index of the first occurrence of word ``i`` (``i`` itself
        when it is new).

    Returns
    -------
    int
        The number of repeated words.
    """
    table[:] = -1
    n = offsets.shape[0] - 1
    mask = table.shape[0] - 1
    dups = 0
    for i in range(n):
        s = offsets[i]
        e = offsets[i + 1]
        h = fnv1a(blob, s, e, False)
        hashes[i] = h
        found = lookup(table, hashes, blob, offsets, blob, s, e, h, False)
        if found >= 0:
            first[i] = found
            dups += 1
        else:
            first[i] = i
            slot = np.int64(h & np.uint64(mask))
            while table[slot] >= 0:
                slot = (slot + 1) & mask
            table[slot] = i
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
