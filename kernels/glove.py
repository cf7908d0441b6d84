"""Byte-level kernels of the streaming GloVe parser: line splitting, counting and row parsing.

A chunk of the file is a ``uint8`` array. Lines end and fields are separated as :mod:`.text`
says (universal newlines, as the reference's text-mode ``for line in f`` sees them; the ASCII
whitespace of ``str.split()``). The kernels parse the common case (an ASCII-or-UTF-8 word without spaces,
then exactly ``dim`` short decimals) and flag every other line ``SLOW`` for the exact Python path:
they never guess. Every read is bounded by an explicit ``end``; no input can make them read or
write outside their arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._bits import load_u64, popcount
from ._config import JIT, PARALLEL_JIT
from .floatparse import parse_decimal, parse_swar
from .text import (
    HIGH_BITS,
    U64,
    eq_mask,
    is_field_sep,
    is_line_break,
    is_unicode_space,
    is_whitespace,
    next_line,
    utf8_len,
)

_NL = U64(0x0A0A0A0A0A0A0A0A)
_CR = U64(0x0D0D0D0D0D0D0D0D)

# Line status codes written by ``parse_pieces``.
OK = 0
BLANK = 1  # only whitespace: not a row
SLOW = 2  # needs the exact Python path (odd token, wrong field count, non-ASCII space, bad UTF-8...)


@njit(**JIT)
def last_line_end(buf, n, at_eof) -> int:
    """Index just past the last complete line of ``buf[:n]``; ``-1`` when there is none.

    At end of file everything is complete (returns ``n``). Otherwise a ``\\r`` in the last byte
    does not count: the ``\\n`` of a ``\\r\\n`` may be in the next chunk.
    """
    if at_eof:
        return n
    j = n - 1
    while j >= 0:
        b = buf[j]
        if b == 10 or (b == 13 and j < n - 1):
            return j + 1
        j -= 1
    return -1


@njit(**JIT)
def split_pieces(buf, start, end, npieces, bounds) -> None:
    """Cut ``buf[start:end]`` into ``npieces`` runs of whole lines, about equal in bytes.

    Writes ``npieces + 1`` increasing positions into ``bounds`` (int64); pieces may be empty.
    A ``\\r\\n`` pair is never cut.
    """
    bounds[0] = start
    size = end - start
    for p in range(1, npieces):
        j = start + (size * p) // npieces
        if j < bounds[p - 1]:
            j = bounds[p - 1]
        _, j = next_line(buf, j, end)
        bounds[p] = j
    bounds[npieces] = end


@njit(**JIT)
def _count_lines(buf, s, e) -> int:
    """Number of lines in ``buf[s:e]`` with the universal-newline rule (see module doc).

    ``\\n`` are counted 8 bytes at a time; only a range holding a ``\\r`` is counted line by line.
    """
    s = max(s, 0)
    e = min(e, buf.shape[0])
    c = 0
    cr = U64(0)
    j = s
    while j + 8 <= e:
        w = load_u64(buf, j)
        c += np.int64(popcount(eq_mask(w, _NL)))
        cr |= eq_mask(w, _CR)
        j += 8
    while j < e:
        c += buf[j] == 10
        if buf[j] == 13:
            cr |= HIGH_BITS
        j += 1
    if cr != U64(0):
        c = 0
        j = s
        while j < e:
            _, j = next_line(buf, j, e)
            c += 1
        return c
    if e > s and not is_line_break(buf[e - 1]):
        c += 1
    return c


@njit(**PARALLEL_JIT)
def count_pieces(buf, bounds, first_line) -> int:
    """Count the lines of each piece; ``first_line[p]`` (int64, ``npieces + 1``) gets the prefix sums.

    Returns the total number of lines.
    """
    npieces = bounds.shape[0] - 1
    counts = np.zeros(npieces, dtype=np.int64)
    for p in prange(npieces):
        counts[p] = _count_lines(buf, bounds[p], bounds[p + 1])
    first_line[0] = 0
    for p in range(npieces):
        first_line[p + 1] = first_line[p] + counts[p]
    return first_line[npieces]


@njit(**JIT)
def _parse_line(buf, i, end, dim, out, row):
    """Parse the line starting at ``buf[i]`` into ``out[row, :dim]``.

    Returns ``(status, word_start, word_end, line_end, next_line_start)``.
    """
    while i < end and is_field_sep(buf[i]):
        i += 1
    if i >= end or is_line_break(buf[i]):
        status = BLANK
        ws = i
        we = i
    else:
        status = OK
        ws = i
        while i < end:
            b = buf[i]
            if b < 128:
                if is_whitespace(b):
                    break
                i += 1
            else:
                n = utf8_len(buf, i, end)
                if n == 0 or is_unicode_space(buf, i, n):
                    status = SLOW
                    break
                i += n
        we = i
        if status == OK:
            for k in range(dim):
                while i < end and is_field_sep(buf[i]):
                    i += 1
                if i >= end or is_line_break(buf[i]):
                    status = SLOW  # too few values
                    break
                v, j, ok = parse_swar(buf, i, end)
                if ok:
                    i = j
                else:
                    v, i, ok = parse_decimal(buf, i, end)
                f = np.float32(v)
                if not ok or np.isinf(f):
                    status = SLOW  # odd token, or float32 overflow: the exact path decides
                    break
                out[row, k] = f
        if status == OK:
            while i < end and is_field_sep(buf[i]):
                i += 1
            if i < end and not is_line_break(buf[i]):
                status = SLOW  # more fields: too many values, or a word with spaces
    le, nxt = next_line(buf, i, end)
    return status, ws, we, le, nxt


@njit(**PARALLEL_JIT)
def parse_pieces(buf, bounds, first_line, dim, out, row0, status, word_start, word_end, line_start, line_end):
    """Parse every line of every piece, pieces in parallel.

    Parameters
    ----------
    buf : uint8[:]
        The chunk.
    bounds, first_line : int64[npieces + 1]
        From ``split_pieces`` and ``count_pieces``.
    dim : int
        Values per row.
    out : float32[:, :]
        The matrix; line ``l`` of the chunk writes row ``row0 + l`` (needs ``out.shape[0] >=
        row0 + first_line[-1]`` and ``out.shape[1] == dim``; rows of non-OK lines hold garbage).
    status : int8[nlines]
        Per line: ``OK``, ``BLANK`` or ``SLOW``.
    word_start, word_end, line_start, line_end : int64[nlines]
        Byte ranges of the word and of the line (without its line break) in ``buf``.
    """
    npieces = bounds.shape[0] - 1
    nlines = status.shape[0]
    nrows = out.shape[0]
    if out.shape[1] != dim:
        return
    for p in prange(npieces):
        i = bounds[p]
        end = bounds[p + 1]
        li = first_line[p]
        stop = first_line[p + 1]
        while i < end and li < stop and li < nlines:
            row = row0 + li
            if row < 0 or row >= nrows:
                break
            st, ws, we, le, nxt = _parse_line(buf, i, end, dim, out, row)
            status[li] = st
            word_start[li] = ws
            word_end[li] = we
            line_start[li] = i
            line_end[li] = le
            li += 1
            i = nxt


@njit(**JIT)
def gather_words(buf, extra, word_start, word_end, from_extra, keep, lengths):
    """Concatenate the kept words of a chunk into one UTF-8 blob.

    Word ``l`` is ``buf[word_start[l]:word_end[l]]``, or the same range of ``extra`` when
    ``from_extra[l]`` (words the exact path rewrote). ``lengths`` (int64) receives each kept
    word's length in order. Returns the blob (uint8). Ranges are clipped to their source.
    """
    n = keep.shape[0]
    total = 0
    k = 0
    for l in range(n):
        if keep[l]:
            src_len = extra.shape[0] if from_extra[l] else buf.shape[0]
            s = min(max(word_start[l], 0), src_len)
            e = min(max(word_end[l], s), src_len)
            lengths[k] = e - s
            total += e - s
            k += 1
    blob = np.empty(total, dtype=np.uint8)
    pos = 0
    for l in range(n):
        if keep[l]:
            src_len = extra.shape[0] if from_extra[l] else buf.shape[0]
            s = min(max(word_start[l], 0), src_len)
            e = min(max(word_end[l], s), src_len)
            if from_extra[l]:
                blob[pos : pos + e - s] = extra[s:e]
            else:
                blob[pos : pos + e - s] = buf[s:e]
            pos += e - s
    return blob


@njit(**JIT)
def compact_rows(out, row0, keep) -> int:
    """Move the kept rows ``row0 + l`` (``keep[l]``) down to be contiguous from ``row0``, in order.

    Returns the number of kept rows. In place: no second matrix.
    """
    w = row0
    n = min(keep.shape[0], out.shape[0] - row0)
    for l in range(n):
        if keep[l]:
            r = row0 + l
            if w != r:
                out[w, :] = out[r, :]
            w += 1
    return w - row0
