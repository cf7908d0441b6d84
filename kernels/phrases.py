"""Words, and the counts of the phrases they form, over a whole corpus in one pass.

The word rule (``fastscratch.textapi.phrases`` states it for users):

- a word is a run of word characters (``str.isalnum()``) in which a single ``'``, ``’``, ``-``,
  ``.`` or ``&`` between two word characters also belongs to the word (``don't``, ``covid-19``,
  ``u.s``, ``at&t``); a word of single letters joined by periods takes the period after it too
  (``u.s.``, ``e.m.s.``);
- words are compared with every character folded (``codepoints.fold_cp``: its ``str.lower()``
  when that is one character);
- two words are adjacent when only whitespace separates them, inside one document.

Phrases: the runs of ``min_n`` to ``max_n`` adjacent words none of which is a stop word (the
words ``0 .. n_stop - 1`` of the table, seeded from ``stop_blob``). Each distinct phrase is
counted, and its first occurrence kept (byte range and the ordinal of its first word among all
the corpus's words). The pass is serial: words get their ids in order of first appearance, so
the result cannot depend on threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._bits import borrowed
from ._config import INLINE_JIT, JIT
from .codepoints import SPACE, WORD, decode, decode_multibyte

_K = np.uint64(0x9E3779B97F4A7C15)
_SEED = np.uint64(0x243F6A8885A308D3)


@njit(**INLINE_JIT)
def _mix(h, x):
    h = (h ^ np.uint64(x)) * _K
    return h ^ (h >> np.uint64(29))


@njit(**INLINE_JIT)
def _is_joiner(cp):
    return cp == 0x27 or cp == 0x2019 or cp == 0x2D or cp == 0x2E or cp == 0x26


@njit(**INLINE_JIT)
def next_word(buf, i, e, flags):
    """``(start, end, adjacent)`` of the first word at or after ``buf[i]`` (``start == e`` when there
    is none); ``adjacent``: only whitespace lay between ``i`` and the word.

    ``count_phrases`` hands its arrays on ``borrowed``: helpers taking them cost no reference counting."""
    adjacent = True
    while i < e:
        cp, ln = decode(buf, i, e)
        f = flags[cp] if cp >= 0 else 0
        if f & WORD:
            break
        if not (f & SPACE):
            adjacent = False
        i += ln
    if i >= e:
        return e, e, adjacent
    start = i
    letters_and_dots = True  # single letters joined by periods so far
    chars = 0
    dots = 0
    while i < e:
        cp, ln = decode(buf, i, e)
        f = flags[cp] if cp >= 0 else 0
        if f & WORD:
            chars += 1
            if chars > 1 or (0x30 <= cp <= 0x39):
                letters_and_dots = False
            i += ln
            continue
        if _is_joiner(cp) and i + ln < e:
            cp2, _ = decode(buf, i + ln, e)
            if cp2 >= 0 and (flags[cp2] & WORD):
                if cp != 0x2E:
                    letters_and_dots = False
                else:
                    dots += 1
                chars = 0
                i += ln
                continue
        break
    if letters_and_dots and dots > 0 and i < e and buf[i] == 0x2E:
        i += 1
    return start, i, adjacent


@njit(**INLINE_JIT)
def _word_hash(buf, s, e, fold):
    h = _SEED
    i = s
    while i < e:
        b = buf[i]
        if b < 0x80:
            c = np.int64(b)
            if 0x41 <= c <= 0x5A:
                c += 32
            i += 1
        else:
            cp, ln = decode_multibyte(buf, i, e)
            c = np.int64(fold[cp]) if 0 <= cp < fold.shape[0] else cp
            i += ln
        h = _mix(h, c)
    return h


@njit(**INLINE_JIT)
def _same_word(a, s, e, b, t, u, fold):
    """Whether ``a[s:e]`` and ``b[t:u]`` are the same word once folded."""
    while s < e and t < u:
        x = a[s]
        y = b[t]
        if x < 0x80 and y < 0x80:
            if x != y and (x | 32) != (y | 32):
                return False
            if x != y and not (0x61 <= (x | 32) <= 0x7A):
                return False
            s += 1
            t += 1
            continue
        if x < 0x80:
            c1, l1 = np.int64(x), 1
        else:
            c1, l1 = decode_multibyte(a, s, e)
        if y < 0x80:
            c2, l2 = np.int64(y), 1
        else:
            c2, l2 = decode_multibyte(b, t, u)
        f1 = c1 + 32 if 0x41 <= c1 <= 0x5A else (np.int64(fold[c1]) if 0x80 <= c1 < fold.shape[0] else c1)
        f2 = c2 + 32 if 0x41 <= c2 <= 0x5A else (np.int64(fold[c2]) if 0x80 <= c2 < fold.shape[0] else c2)
        if f1 != f2:
            return False
        s += l1
        t += l2
    return s == e and t == u


@njit(**JIT)
def _grow_words(slots, w_hash):
    """The slot table rebuilt at twice the size."""
    bigger = np.zeros(2 * slots.shape[0], np.int64)
    mask = np.uint64(bigger.shape[0] - 1)
    for k in range(slots.shape[0]):
        w = slots[k]
        if w > 0:
            p = np.int64(w_hash[w - 1] & mask)
            while bigger[p] != 0:
                p = (p + 1) & np.int64(mask)
            bigger[p] = w
    return bigger


@njit(**JIT)
def _grown(a, used, size):
    b = np.empty(size, a.dtype)
    for t in range(used):
        b[t] = a[t]
    return b


_LOW32 = np.uint64(0xFFFFFFFF)


@njit(**JIT)
def _grow_phrases(slots):
    """The phrase slot table rebuilt at twice the size."""
    bigger = np.zeros((2 * slots.shape[0], 4), np.uint64)
    mask = np.int64(bigger.shape[0] - 1)
    for k in range(slots.shape[0]):
        if slots[k, 2] != 0:
            p = np.int64(slots[k, 0]) & mask
            while bigger[p, 2] != 0:
                p = (p + 1) & mask
            for c in range(4):
                bigger[p, c] = slots[k, c]
    return bigger


@njit(**INLINE_JIT)
def _ngram_hash(ids, n):
    h = _SEED ^ np.uint64(n)
    for t in range(n):
        h = _mix(h, ids[t])
    return h


@njit(**INLINE_JIT)
def _find_word(slots, w_src, w_start, w_end, w_hash, stop_blob, docs, buf, s, e, h, fold):
    """``(word, slot)``: the id of ``buf[s:e]`` (hash ``h``) in the word table, or -1 and the empty
    slot where it goes. A word is compared in the buffer it was first seen in (``w_src``)."""
    mask = np.int64(slots.shape[0] - 1)
    p = np.int64(h) & mask
    while slots[p] != 0:
        q = slots[p] - 1
        if w_hash[q] == h:
            if w_src[q] == 0:
                same = _same_word(stop_blob, w_start[q], w_end[q], buf, s, e, fold)
            else:
                same = _same_word(docs, w_start[q], w_end[q], buf, s, e, fold)
            if same:
                return q, p
        p = (p + 1) & mask
    return -1, p


@njit(**INLINE_JIT)
def _add_word(src, s, e, h, p, n_words, w_src, w_start, w_end, w_hash, slots):
    """Word ``n_words`` (``src``: 0 stop words, 1 documents) at slot ``p``; the arrays, grown when full."""
    if n_words == w_src.shape[0]:
        cap = 2 * n_words
        w_src = _grown(w_src, n_words, cap)
        w_start = _grown(w_start, n_words, cap)
        w_end = _grown(w_end, n_words, cap)
        w_hash = _grown(w_hash, n_words, cap)
    w_src[n_words] = src
    w_start[n_words] = s
    w_end[n_words] = e
    w_hash[n_words] = h
    slots[p] = n_words + 1
    if 2 * (n_words + 1) > slots.shape[0]:
        slots = _grow_words(slots, w_hash)
    return w_src, w_start, w_end, w_hash, slots


@njit(**JIT)
def count_phrases(docs, offsets, flags, fold, stop_blob, stop_offsets, min_n, max_n, keep_words):
    """Count the phrases of ``min_n`` to ``max_n`` words of all documents.

    Parameters
    ----------
    docs : uint8[:], offsets : int64[n + 1]
        UTF-8 documents (ranges clipped to ``docs``).
    flags : uint8[:], fold : int32[:]
        The character tables (``codepoints``).
    stop_blob : uint8[:], stop_offsets : int64[s + 1]
        The stop words (folded), ids ``0 .. s - 1``.
    min_n, max_n : int
        Phrase lengths in words (``1 <= min_n <= max_n <= 3``); ``max_n == 0`` counts nothing (only
        words, with ``keep_words``).
    keep_words : bool
        Also return every word occurrence.

    Returns
    -------
    tuple
        ``(ids, count, first, start, end, word_start, word_id)``: phrase ``p`` is the word ids
        ``ids[p, :n]`` (-1 after the last), counted ``count[p]`` times, first seen as the word
        with ordinal ``first[p]``, at ``docs[start[p]:end[p]]``; with ``keep_words``, word
        occurrence ``j`` starts at ``word_start[j]`` and has id ``word_id[j]`` (else both empty).
    """
    docs, offsets, flags, fold = borrowed(docs), borrowed(offsets), borrowed(flags), borrowed(fold)
    stop_blob, stop_offsets = borrowed(stop_blob), borrowed(stop_offsets)
    size = docs.shape[0]
    n_stop = stop_offsets.shape[0] - 1
    # the word table: word w (0-based) is src[w] (0: stop_blob, 1: docs)[w_start[w]:w_end[w]]
    cap = 1024
    w_src = np.empty(cap, np.uint8)
    w_start = np.empty(cap, np.int64)
    w_end = np.empty(cap, np.int64)
    w_hash = np.empty(cap, np.uint64)
    slots = np.zeros(2048, np.int64)  # word id + 1; 0 = empty
    n_words = 0
    for w in range(n_stop):
        s = stop_offsets[w]
        e = stop_offsets[w + 1]
        h = _word_hash(stop_blob, s, e, fold)
        found, p = _find_word(slots, w_src, w_start, w_end, w_hash, stop_blob, docs, stop_blob, s, e, h, fold)
        if found < 0:  # else a repeated stop word
            w_src, w_start, w_end, w_hash, slots = _add_word(0, s, e, h, p, n_words, w_src, w_start, w_end, w_hash,
                                                             slots)
            n_words += 1
    n_stop = n_words
    # the phrase table: slot = [hash, (id0 + 1) | (id1 + 1) << 32, (id2 + 1) | (phrase + 1) << 32, count],
    # all zero when empty: one cache line per probe; the phrases' first occurrences are appended in order
    pcap = 1024
    p_ids = np.full((pcap, 3), -1, np.int64)
    p_first = np.empty(pcap, np.int64)
    p_start = np.empty(pcap, np.int64)
    p_end = np.empty(pcap, np.int64)
    p_slots = np.zeros((2048, 4), np.uint64)
    n_phrases = 0
    kcap = 1024 if keep_words else 0
    k_start = np.empty(kcap, np.int64)
    k_id = np.empty(kcap, np.int64)
    n_kept = 0
    win_id = np.full(3, -1, np.int64)
    win_start = np.zeros(3, np.int64)
    win_ord = np.zeros(3, np.int64)
    key = np.full(3, -1, np.int64)
    ordinal = 0
    for d in range(offsets.shape[0] - 1):
        s = min(max(offsets[d], 0), size)
        e = min(max(offsets[d + 1], s), size)
        run = 0  # adjacent non-stop words at the end of the window
        i = s
        while i < e:
            ws, we, adjacent = next_word(docs, i, e, flags)
            if ws >= e:
                break
            i = we
            h = _word_hash(docs, ws, we, fold)
            w, p = _find_word(slots, w_src, w_start, w_end, w_hash, stop_blob, docs, docs, ws, we, h, fold)
            if w < 0:
                w = n_words
                w_src, w_start, w_end, w_hash, slots = _add_word(1, ws, we, h, p, n_words, w_src, w_start, w_end,
                                                                 w_hash, slots)
                n_words += 1
            if keep_words:
                if n_kept == kcap:
                    kcap *= 2
                    k_start = _grown(k_start, n_kept, kcap)
                    k_id = _grown(k_id, n_kept, kcap)
                k_start[n_kept] = ws
                k_id[n_kept] = w
                n_kept += 1
            if not adjacent:
                run = 0
            if w < n_stop:
                run = 0
                ordinal += 1
                continue
            win_id[0] = win_id[1]
            win_id[1] = win_id[2]
            win_id[2] = w
            win_start[0] = win_start[1]
            win_start[1] = win_start[2]
            win_start[2] = ws
            win_ord[0] = win_ord[1]
            win_ord[1] = win_ord[2]
            win_ord[2] = ordinal
            run += 1
            for n in range(min_n, min(max_n, run) + 1):
                for t in range(3):
                    key[t] = win_id[3 - n + t] if t < n else -1
                ph = _ngram_hash(key, n)
                k01 = np.uint64(key[0] + 1) | (np.uint64(key[1] + 1) << np.uint64(32))
                k2 = np.uint64(key[2] + 1)
                pmask = np.int64(p_slots.shape[0] - 1)
                p = np.int64(ph) & pmask
                while p_slots[p, 2] != 0:
                    if p_slots[p, 0] == ph and p_slots[p, 1] == k01 and (p_slots[p, 2] & _LOW32) == k2:
                        break
                    p = (p + 1) & pmask
                if p_slots[p, 2] == 0:
                    if n_phrases == pcap:
                        pcap *= 2
                        bigger = np.full((pcap, 3), -1, np.int64)
                        bigger[:n_phrases] = p_ids[:n_phrases]
                        p_ids = bigger
                        p_first = _grown(p_first, n_phrases, pcap)
                        p_start = _grown(p_start, n_phrases, pcap)
                        p_end = _grown(p_end, n_phrases, pcap)
                    for t in range(3):
                        p_ids[n_phrases, t] = key[t]
                    p_first[n_phrases] = win_ord[3 - n]
                    p_start[n_phrases] = win_start[3 - n]
                    p_end[n_phrases] = we
                    p_slots[p, 0] = ph
                    p_slots[p, 1] = k01
                    p_slots[p, 2] = k2 | (np.uint64(n_phrases + 1) << np.uint64(32))
                    n_phrases += 1
                    if 2 * n_phrases > p_slots.shape[0]:
                        p_slots = _grow_phrases(p_slots)
                        pmask = np.int64(p_slots.shape[0] - 1)
                        p = np.int64(ph) & pmask
                        while p_slots[p, 0] != ph or p_slots[p, 1] != k01 or (p_slots[p, 2] & _LOW32) != k2:
                            p = (p + 1) & pmask
                p_slots[p, 3] += np.uint64(1)
            ordinal += 1
    p_count = np.zeros(n_phrases, np.int64)
    for p in range(p_slots.shape[0]):
        if p_slots[p, 2] != 0:
            p_count[np.int64(p_slots[p, 2] >> np.uint64(32)) - 1] = np.int64(p_slots[p, 3])
    return (p_ids[:n_phrases].copy(), p_count, p_first[:n_phrases].copy(), p_start[:n_phrases].copy(),
            p_end[:n_phrases].copy(), k_start[:n_kept].copy(), k_id[:n_kept].copy())
