"""Sentences of each document, and which of them hold each keyword as a whole word.

The rule (``fastscratch.textapi.sentences`` states it for users; this kernel is its only code):

- A sentence ends after a run of terminators (``.``, ``!``, ``?``, ``…``) and any closing
  characters after it (``"`` ``'`` ``)`` ``]`` ``}`` ``”`` ``’`` ``»``), when whitespace or the end of
  the text follows; except after a single ``.`` that ends an abbreviation: a word of single
  letters joined by periods (``u.s.``, ``e.m.s.``, ``F.``), or a word of ``abbreviations`` (``Mr.``,
  ``Jan.``: compared in ASCII lower case).
- A blank line (a line break, optional whitespace, another line break) also ends a sentence.
- Sentences are the text between those ends with the whitespace around them removed; empty
  ones are dropped. Whitespace is ``str.isspace()``'s.

Keywords (``kw_cps``, already folded: ``codepoints.fold_cp``) match case-insensitively, each
character compared through ``fold_cp``, as whole words: the characters just before and after the
match are not word characters (``str.isalnum()`` or ``_``, a regular expression's ``\\w``).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._bits import borrowed
from ._config import INLINE_JIT, JIT, PARALLEL_JIT
from .codepoints import SPACE, WORD, decode, decode_multibyte, find_word, is_space_cp, is_word_cp, prev_start

BLOCK = 64
"""Documents per parallel task; a corpus of at most this many is split by ``sentences_range`` alone."""


@njit(**INLINE_JIT)
def _is_terminator(cp):
    return cp == 0x2E or cp == 0x21 or cp == 0x3F or cp == 0x2026


@njit(**INLINE_JIT)
def _is_closer(cp):
    return (cp == 0x22 or cp == 0x27 or cp == 0x29 or cp == 0x5D or cp == 0x7D or cp == 0x201D or cp == 0x2019
            or cp == 0xBB)


@njit(**INLINE_JIT)
def _is_letter(flags, cp):
    return is_word_cp(flags, cp) and not (0x30 <= cp <= 0x39)


@njit(**JIT)
def _abbreviation(docs, st, i, flags, abbr_table, abbr_blob, abbr_offsets):
    """Whether the word that ends at the ``.`` at ``docs[i]`` (not before ``st``) is an abbreviation."""
    ws = i
    while ws > st:
        p = prev_start(docs, ws, st)
        cp, _ = decode(docs, p, ws)
        if is_space_cp(flags, cp):
            break
        ws = p
    # leading opening punctuation is not part of the word
    while ws < i:
        cp, ln = decode(docs, ws, i)
        if is_word_cp(flags, cp):
            break
        ws += ln
    if ws >= i:
        return False
    # single letters joined by periods: L(.L)*
    t = ws
    single = True
    while t < i:
        cp, ln = decode(docs, t, i)
        if not _is_letter(flags, cp):
            single = False
            break
        t += ln
        if t < i:
            if docs[t] != 0x2E:
                single = False
                break
            t += 1
            if t >= i:
                single = False
                break
    if single:
        return True
    return find_word(abbr_table, abbr_blob, abbr_offsets, docs, ws, i) >= 0


@njit(**JIT)
def _contains_word(docs, s, e, flags, fold, kw_cps, ka, kz):
    """Whether ``docs[s:e]`` holds the folded code points ``kw_cps[ka:kz]`` as a whole word.

    The arrays come ``borrowed`` (``sentences_range``): helpers taking them cost no reference counting."""
    if kz <= ka:
        return False
    first = kw_cps[ka]
    nfold = fold.shape[0]
    prev_word = False
    i = s
    while i < e:
        cp, ln = decode(docs, i, e)
        c = cp + 32 if 0x41 <= cp <= 0x5A else (np.int64(fold[cp]) if 0x80 <= cp < nfold else cp)
        if not prev_word and c == first:
            j = i + ln
            t = ka + 1
            same = True
            while t < kz:
                if j >= e:
                    same = False
                    break
                cp2, ln2 = decode(docs, j, e)
                c2 = cp2 + 32 if 0x41 <= cp2 <= 0x5A else (np.int64(fold[cp2]) if 0x80 <= cp2 < nfold else cp2)
                if c2 != kw_cps[t]:
                    same = False
                    break
                j += ln2
                t += 1
            if same:
                if j >= e:
                    return True
                cp3, _ = decode(docs, j, e)
                if not ((cp3 >= 0 and (flags[cp3] & WORD)) or cp3 == 0x5F):
                    return True
        prev_word = (cp >= 0 and (flags[cp] & WORD) != 0) or cp == 0x5F
        i += ln
    return False


@njit(**JIT)
def _emit(docs, st, end, flags, fold, kw_cps, kw_offsets, k, starts, ends, matches, fill):
    """Trim ``docs[st:end]``'s trailing whitespace; record it as sentence ``k`` when not empty (and
    ``fill``). Returns the next ``k``."""
    z = end
    while z > st:
        p = prev_start(docs, z, st)
        cp, _ = decode(docs, p, z)
        if cp < 0 or not (flags[cp] & SPACE):
            break
        z = p
    if z <= st:
        return k
    if fill:
        starts[k] = st
        ends[k] = z
        for q in range(kw_offsets.shape[0] - 1):
            matches[k, q] = _contains_word(docs, st, z, flags, fold, kw_cps, kw_offsets[q], kw_offsets[q + 1])
    return k + 1


@njit(**JIT)
def _document(docs, s, e, flags, fold, abbr_table, abbr_blob, abbr_offsets, kw_cps, kw_offsets, k, starts, ends,
              matches, fill):
    """The sentences of ``docs[s:e]``, numbered from ``k``; returns the next number."""
    i = s
    while i < e:
        cp, ln = decode(docs, i, e)
        if cp >= 0 and (flags[cp] & SPACE):
            i += ln
            continue
        st = i
        end = -1
        while i < e:
            b = docs[i]
            if b < 0x80:
                cp, ln = np.int64(b), 1
                if b > 0x3F or (b != 0x2E and b != 0x21 and b != 0x3F and b != 0x0A and b != 0x0D):
                    i += 1  # the common case: a plain ASCII character
                    continue
            else:
                cp, ln = decode_multibyte(docs, i, e)
            if _is_terminator(cp):
                j = i + ln
                single_dot = cp == 0x2E
                while j < e:
                    cp2, ln2 = decode(docs, j, e)
                    if not _is_terminator(cp2):
                        break
                    single_dot = False
                    j += ln2
                while j < e:
                    cp2, ln2 = decode(docs, j, e)
                    if not _is_closer(cp2):
                        break
                    j += ln2
                at_space = j >= e
                if not at_space:
                    cp2, _ = decode(docs, j, e)
                    at_space = cp2 >= 0 and (flags[cp2] & SPACE) != 0
                if at_space and not (single_dot and _abbreviation(docs, st, i, flags, abbr_table, abbr_blob,
                                                                     abbr_offsets)):
                    end = j
                    i = j
                    break
                i = j
                continue
            if cp == 0x0A or cp == 0x0D:
                j = i + 1
                if cp == 0x0D and j < e and docs[j] == 0x0A:
                    j += 1
                t = j
                blank = False
                while t < e:
                    cp3, ln3 = decode(docs, t, e)
                    if cp3 == 0x0A or cp3 == 0x0D:
                        blank = True
                        break
                    if cp3 < 0 or not (flags[cp3] & SPACE):
                        break
                    t += ln3
                if blank:
                    end = i
                    i = t
                    break
                i = j
                continue
            i += ln
        if end < 0:
            end = e
        k = _emit(docs, st, end, flags, fold, kw_cps, kw_offsets, k, starts, ends, matches, fill)
    return k


@njit(**JIT)
def sentences_range(docs, offsets, first, stop, flags, fold, abbr_table, abbr_blob, abbr_offsets, kw_cps, kw_offsets,
                    counts, starts, ends, matches, fill):
    """``split_sentences`` of the documents ``first`` to ``stop - 1``, serially: each parallel task's
    work, and the whole of it for a corpus of one block. Every array goes on as a ``borrowed``
    view: the helpers called per sentence cost no reference-count updates."""
    docs, offsets, flags, fold = borrowed(docs), borrowed(offsets), borrowed(flags), borrowed(fold)
    abbr_table, abbr_blob, abbr_offsets = borrowed(abbr_table), borrowed(abbr_blob), borrowed(abbr_offsets)
    kw_cps, kw_offsets, counts = borrowed(kw_cps), borrowed(kw_offsets), borrowed(counts)
    starts, ends, matches = borrowed(starts), borrowed(ends), borrowed(matches)
    size = docs.shape[0]
    for d in range(first, stop):
        s = min(max(offsets[d], 0), size)
        e = min(max(offsets[d + 1], s), size)
        k0 = counts[d] if fill else 0
        k = _document(docs, s, e, flags, fold, abbr_table, abbr_blob, abbr_offsets, kw_cps, kw_offsets, k0, starts,
                      ends, matches, fill)
        if not fill:
            counts[d] = k


@njit(**PARALLEL_JIT)
def split_sentences(docs, offsets, flags, fold, abbr_table, abbr_blob, abbr_offsets, kw_cps, kw_offsets, counts,
                    starts, ends, matches, fill):
    """Count (``fill`` False) or record (``fill`` True) the sentences of each document.

    Parameters
    ----------
    docs : uint8[:]
        UTF-8 bytes; document ``d`` is ``docs[offsets[d]:offsets[d + 1]]`` (offsets: int64[n + 1],
        ranges clipped to ``docs``).
    flags : uint8[:], fold : int32[:]
        The character tables (``codepoints``).
    abbr_table, abbr_blob, abbr_offsets
        The abbreviations (``vocab``), ASCII lower case, without their period.
    kw_cps : int64[:], kw_offsets : int64[m + 1]
        Keyword ``q`` is ``kw_cps[kw_offsets[q]:kw_offsets[q + 1]]``, folded code points.
    counts : int64[n]
        ``fill`` False: output, the number of sentences of each document. ``fill`` True: input,
        the number of the first sentence of each document (the exclusive prefix sum).
    starts, ends : int64[total]
        Output (``fill``): sentence ``k`` is ``docs[starts[k]:ends[k]]``.
    matches : bool[total, m]
        Output (``fill``): whether sentence ``k`` holds keyword ``q``.
    """
    n = offsets.shape[0] - 1
    for blk in prange((n + BLOCK - 1) // BLOCK):
        sentences_range(docs, offsets, blk * BLOCK, min((blk + 1) * BLOCK, n), flags, fold, abbr_table, abbr_blob,
               abbr_offsets, kw_cps, kw_offsets, counts, starts, ends, matches, fill)
