"""VADER's compound polarity of each document, with vaderSentiment 3.3.2's exact arithmetic.

``fastscratch.textapi.vader`` states the rule in plain Python (it follows vaderSentiment's
``SentimentIntensityAnalyzer.polarity_scores(text)["compound"]`` step by step); this kernel follows
that statement over UTF-8 bytes, the same float64 operations in the same order, so the results are
equal, not close. Per document:

1. every character that is a key of the emoji lexicon becomes its description (a space before it
   unless the previous character was a space, none after);
2. the text is split on ``str.split()``'s whitespace; each token loses its leading and trailing ASCII
   punctuation unless fewer than three characters would be left;
3. each token's lower case is looked up in one word table (``vocab``) holding the lexicon, the
   boosters, the negations and the words the rules name; each token's ``isupper()`` and whether it
   holds ``n't`` are noted;
4. the valence of each token, the ``but`` rule, the sum (Neumaier-compensated, as Python's ``sum``
   from 3.12 on, when ``compensated``), the ``!``/``?`` emphasis, the normalisation and
   ``round(x, 4)`` (``round4``: correctly rounded, half to even) follow.

A document the kernel cannot follow exactly (invalid UTF-8, a surrogate, or a character whose
``str.lower()`` holds ASCII: ``codepoints.ASCII_LOWER``) gets ``python_path[d] = True`` and is left
for the Python statement.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._bits import borrowed
from ._config import INLINE_JIT, JIT, PARALLEL_JIT
from .codepoints import ASCII_LOWER, EMOJI, LOWER, SPACE, UPPER, decode_multibyte, find_word
from .text import ASCII_WHITESPACE

B_INCR = 0.293
C_INCR = 0.733
N_SCALAR = -0.74

# word_flags bits
IN_LEXICON = 1
BOOSTER = 2
NEGATION = 4
STARTS_SEQUENCE = 8
"""The first word of a multi-word key of ``SPECIAL_CASES`` or ``BOOSTER_DICT``."""

# indices into `special`: the word ids of the words the rules name
NO, OR, NOR, KIND, OF, LEAST, AT, VERY, NEVER, SO, THIS, WITHOUT, DOUBT, BUT = range(14)
SPECIAL_WORDS = ("no", "or", "nor", "kind", "of", "least", "at", "very", "never", "so", "this", "without", "doubt",
                 "but")

# seq_kind values: the multi-word keys of SPECIAL_CASES and of BOOSTER_DICT
SEQ_SPECIAL = 0
SEQ_BOOSTER = 1
PAD = -2
"""``seq_ids`` after a sequence's last word (a word outside the table is -1: it must not match)."""

BLOCK = 32
"""Documents per parallel task; a corpus of at most this many is scored by ``compound_range`` alone."""


@njit(**INLINE_JIT)
def round4(x):
    """Python's ``round(x, 4)`` for ``|x| <= 1``: the exact binary value rounded to four decimals,
    half to even, then the nearest double of that decimal (an IEEE division by 10,000 is correctly
    rounded). ``x * 10**4`` is held exactly as ``M * 625 * 2**E`` (``M < 2**53``, so ``M * 625 < 2**63``)."""
    if x == 0.0 or not math.isfinite(x):
        return x
    m, ex = math.frexp(abs(x) * 16.0)
    big = np.int64(m * 9007199254740992.0) * np.int64(625)
    e = ex - 53
    if e >= 0:
        n = big << np.int64(e)
    else:
        k = -e
        if k >= 64:
            n = np.int64(0)
        else:
            q = big >> np.int64(k)
            r = big - (q << np.int64(k))
            half = np.int64(1) << np.int64(k - 1)
            if r > half or (r == half and (q & 1) == 1):
                q += 1
            n = q
    return math.copysign(np.float64(n) / 10000.0, x)


@njit(**INLINE_JIT)
def _replace_emoji(docs, s, e, flags, emoji_cps, emoji_offsets, emoji_blob, buf):
    """Step 1 into ``buf`` (at least ``(e - s) * expansion`` bytes long): ``(length, ok)``; ``ok``
    False on invalid UTF-8."""
    pos = 0
    prev_space = True
    i = s
    while i < e:
        b = docs[i]
        if b < 0x80:
            buf[pos] = b
            pos += 1
            prev_space = b == 32
            i += 1
            continue
        cp, ln = decode_multibyte(docs, i, e)
        if cp < 0:
            return pos, False
        if flags[cp] & EMOJI:
            k = np.searchsorted(emoji_cps, cp)  # (it is there)
            if not prev_space:
                buf[pos] = 32
                pos += 1
            a = emoji_offsets[k]
            for t in range(emoji_offsets[k + 1] - a):
                buf[pos + t] = emoji_blob[a + t]
            pos += emoji_offsets[k + 1] - a
            prev_space = False
        else:
            for t in range(ln):
                buf[pos + t] = docs[i + t]
            pos += ln
            prev_space = False
        i += ln
    return pos, True


_A_SPACE, _A_PUNCT, _A_UPPER, _A_LOWER = 1, 2, 4, 8
_ASCII_CLASS = np.zeros(128, dtype=np.uint8)
"""uint8[128]: ``str.split()``'s whitespace, ``string.punctuation``, ``A``-``Z``, ``a``-``z``."""
_ASCII_CLASS[list(ASCII_WHITESPACE)] = _A_SPACE
_ASCII_CLASS[[*range(33, 48), *range(58, 65), *range(91, 97), *range(123, 127)]] = _A_PUNCT
_ASCII_CLASS[65:91] = _A_UPPER
_ASCII_CLASS[97:123] = _A_LOWER


@njit(**INLINE_JIT)
def _tokens(buf, length, flags, table, blob, word_offsets, tid, up, nt):
    """Steps 2 and 3 into ``tid``, ``up``, ``nt`` (long enough for ``length // 2 + 1`` tokens):
    ``(count, ok, bangs, questions)``; ``ok`` False when a token holds an ``ASCII_LOWER``
    character. One pass per token finds its end and what decides ``isupper()`` and ``n't``: the
    punctuation that stripping removes is neither cased nor part of an ``n't``."""
    count = 0
    bangs = 0
    questions = 0
    i = 0
    while i < length:
        b = buf[i]
        if b < 0x80:
            if _ASCII_CLASS[b] & _A_SPACE:
                i += 1
                continue
        else:
            cp, ln = decode_multibyte(buf, i, length)
            if cp >= 0 and (flags[cp] & SPACE):
                i += ln
                continue
        ts = i
        cased = False
        lower = False
        has_nt = False
        high = False
        while i < length:
            b = buf[i]
            if b < 0x80:
                c = _ASCII_CLASS[b]
                if c & _A_SPACE:
                    break
                if c & _A_UPPER:
                    cased = True
                elif c & _A_LOWER:
                    lower = True
                elif b == 39:
                    if i > ts and i + 1 < length and (buf[i - 1] | 32) == 110 and (buf[i + 1] | 32) == 116:
                        has_nt = True
                elif b == 33:
                    bangs += 1
                elif b == 63:
                    questions += 1
                i += 1
            else:
                cp, ln = decode_multibyte(buf, i, length)
                f = flags[cp] if cp >= 0 else 0
                if f & SPACE:
                    break
                if f & ASCII_LOWER:
                    return count, False, bangs, questions
                high = True
                if f & LOWER:
                    lower = True
                elif f & UPPER:
                    cased = True
                i += ln
        te = i
        a = ts
        while a < te and buf[a] < 0x80 and (_ASCII_CLASS[buf[a]] & _A_PUNCT):
            a += 1
        z = te
        while z > a and buf[z - 1] < 0x80 and (_ASCII_CLASS[buf[z - 1]] & _A_PUNCT):
            z -= 1
        chars = z - a
        if high:
            chars = 0
            for t in range(a, z):
                if (buf[t] & 0xC0) != 0x80:
                    chars += 1
        if chars <= 2:
            a = ts
            z = te
        tid[count] = find_word(table, blob, word_offsets, buf, a, z)
        up[count] = cased and not lower
        nt[count] = has_nt
        count += 1
    return count, True, bangs, questions


@njit(**INLINE_JIT)
def _in_lexicon(w, word_flags):
    return w >= 0 and (word_flags[w] & IN_LEXICON) != 0


@njit(**INLINE_JIT)
def _negated(j, tid, nt, word_flags):
    """vaderSentiment's ``negated([word])``: a negation word, or a word holding ``n't``."""
    w = tid[j]
    return (w >= 0 and (word_flags[w] & NEGATION) != 0) or nt[j]


@njit(**INLINE_JIT)
def _match(seq_ids, seq_kind, kind, a, b, c, word_flags):
    """Index of the ``kind`` sequence ``(a, b)`` (``c == PAD``) or ``(a, b, c)``, or -1."""
    if a < 0 or (word_flags[a] & STARTS_SEQUENCE) == 0:
        return -1
    for k in range(seq_ids.shape[0]):
        if seq_kind[k] == kind and seq_ids[k, 0] == a and seq_ids[k, 1] == b and seq_ids[k, 2] == c:
            return k
    return -1


@njit(**INLINE_JIT)
def _scalar_inc_dec(j, valence, tid, up, cap_diff, word_flags, booster):
    scalar = 0.0
    w = tid[j]
    if w >= 0 and (word_flags[w] & BOOSTER) != 0:
        scalar = booster[w]
        if valence < 0:
            scalar *= -1
        if up[j] and cap_diff:
            if valence > 0:
                scalar += C_INCR
            else:
                scalar -= C_INCR
    return scalar


@njit(**INLINE_JIT)
def _negation_check(valence, start_i, i, tid, nt, word_flags, special):
    if start_i == 0:
        if _negated(i - 1, tid, nt, word_flags):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if tid[i - 2] == special[NEVER] and (tid[i - 1] == special[SO] or tid[i - 1] == special[THIS]):
            valence = valence * 1.25
        elif tid[i - 2] == special[WITHOUT] and tid[i - 1] == special[DOUBT]:
            pass
        elif _negated(i - 2, tid, nt, word_flags):
            valence = valence * N_SCALAR
    else:
        if (tid[i - 3] == special[NEVER] and (tid[i - 2] == special[SO] or tid[i - 2] == special[THIS])) or (
                tid[i - 1] == special[SO] or tid[i - 1] == special[THIS]):
            valence = valence * 1.25
        elif tid[i - 3] == special[WITHOUT] and (tid[i - 2] == special[DOUBT] or tid[i - 1] == special[DOUBT]):
            pass
        elif _negated(i - 3, tid, nt, word_flags):
            valence = valence * N_SCALAR
    return valence


@njit(**JIT)
def _special_idioms_check(valence, i, count, tid, seq_ids, seq_val, seq_kind, word_flags):
    k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i - 1], tid[i], PAD, word_flags)
    if k < 0:
        k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i - 2], tid[i - 1], tid[i], word_flags)
    if k < 0:
        k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i - 2], tid[i - 1], PAD, word_flags)
    if k < 0:
        k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i - 3], tid[i - 2], tid[i - 1], word_flags)
    if k < 0:
        k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i - 3], tid[i - 2], PAD, word_flags)
    if k >= 0:
        valence = seq_val[k]
    if count - 1 > i:
        k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i], tid[i + 1], PAD, word_flags)
        if k >= 0:
            valence = seq_val[k]
    if count - 1 > i + 1:
        k = _match(seq_ids, seq_kind, SEQ_SPECIAL, tid[i], tid[i + 1], tid[i + 2], word_flags)
        if k >= 0:
            valence = seq_val[k]
    k = _match(seq_ids, seq_kind, SEQ_BOOSTER, tid[i - 3], tid[i - 2], tid[i - 1], word_flags)
    if k >= 0:
        valence = valence + seq_val[k]
    k = _match(seq_ids, seq_kind, SEQ_BOOSTER, tid[i - 3], tid[i - 2], PAD, word_flags)
    if k >= 0:
        valence = valence + seq_val[k]
    k = _match(seq_ids, seq_kind, SEQ_BOOSTER, tid[i - 2], tid[i - 1], PAD, word_flags)
    if k >= 0:
        valence = valence + seq_val[k]
    return valence


@njit(**INLINE_JIT)
def _least_check(valence, i, tid, word_flags, special):
    if i > 1 and not _in_lexicon(tid[i - 1], word_flags) and tid[i - 1] == special[LEAST]:
        if tid[i - 2] != special[AT] and tid[i - 2] != special[VERY]:
            valence = valence * N_SCALAR
    elif i > 0 and not _in_lexicon(tid[i - 1], word_flags) and tid[i - 1] == special[LEAST]:
        valence = valence * N_SCALAR
    return valence


@njit(**JIT)
def _valence(i, count, tid, up, nt, cap_diff, word_flags, valence_of, booster, special, seq_ids, seq_val, seq_kind):
    """vaderSentiment's ``sentiment_valence`` of token ``i``."""
    w = tid[i]
    if not _in_lexicon(w, word_flags):
        return 0.0
    valence = valence_of[w]
    if w == special[NO] and i != count - 1 and _in_lexicon(tid[i + 1], word_flags):
        valence = 0.0
    if (i > 0 and tid[i - 1] == special[NO]) or (i > 1 and tid[i - 2] == special[NO]) or (
            i > 2 and tid[i - 3] == special[NO] and (tid[i - 1] == special[OR] or tid[i - 1] == special[NOR])):
        valence = valence_of[w] * N_SCALAR
    if up[i] and cap_diff:
        if valence > 0:
            valence += C_INCR
        else:
            valence -= C_INCR
    for start_i in range(3):
        if i > start_i and not _in_lexicon(tid[i - (start_i + 1)], word_flags):
            s = _scalar_inc_dec(i - (start_i + 1), valence, tid, up, cap_diff, word_flags, booster)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation_check(valence, start_i, i, tid, nt, word_flags, special)
            if start_i == 2:
                valence = _special_idioms_check(valence, i, count, tid, seq_ids, seq_val, seq_kind, word_flags)
    return _least_check(valence, i, tid, word_flags, special)


@njit(**JIT)
def _but_check(count, tid, sent, but_id, nonzero):
    """vaderSentiment's ``_but_check``, quirks included: for each position ``k`` in turn, the *first*
    position holding ``sent[k]``'s value is halved (before the first ``but``) or scaled by 1.5
    (after it). Positions after ``k`` still hold their first values, so the first holder is
    looked for among the positions up to ``k``: a zero among the zeros (which stay zeros), any
    other value among the non-zero positions (``nonzero``, scratch)."""
    bi = -1
    for k in range(count):
        if tid[k] == but_id:
            bi = k
            break
    if bi < 0:
        return
    first_zero = -1
    m = 0
    for k in range(count):
        if sent[k] == 0:
            if first_zero < 0:
                first_zero = k
        else:
            nonzero[m] = k
            m += 1
    m = 0
    for k in range(count):
        x = sent[k]
        if x == 0:
            si = first_zero
        else:
            si = k
            for t in range(m + 1):
                if sent[nonzero[t]] == x:
                    si = nonzero[t]
                    break
            m += 1
        if si < bi:
            sent[si] = x * 0.5
        elif si > bi:
            sent[si] = x * 1.5


@njit(**JIT)
def _score(count, sent, bangs, questions, compensated):
    """vaderSentiment's ``score_valence(...)["compound"]`` of the sentiments ``sent[:count]``."""
    if count == 0:
        return 0.0
    total = 0.0
    comp = 0.0
    for k in range(count):
        x = sent[k]
        if compensated:
            t = total + x
            if abs(total) >= abs(x):
                comp += (total - t) + x
            else:
                comp += (x - t) + total
            total = t
        else:
            total += x
    if compensated and comp != 0.0 and math.isfinite(comp):
        total += comp
    ep = min(bangs, 4) * 0.292
    qm = 0.0
    if questions > 1:
        qm = questions * 0.18 if questions <= 3 else 0.96
    punct = ep + qm
    if total > 0:
        total += punct
    elif total < 0:
        total -= punct
    norm = total / math.sqrt((total * total) + 15)
    if norm < -1.0:
        norm = -1.0
    elif norm > 1.0:
        norm = 1.0
    return round4(norm)


@njit(**PARALLEL_JIT)
def vader_compound(docs, offsets, flags, emoji_cps, emoji_offsets, emoji_blob, expansion, table, blob, word_offsets,
                   word_flags, valence_of, booster, special, seq_ids, seq_val, seq_kind, compensated, out, python_path):
    """VADER's compound score of each document ``docs[offsets[d]:offsets[d + 1]]``.

    Parameters
    ----------
    docs : uint8[:]
        UTF-8 bytes of all documents; offsets : int64[n + 1] (ranges clipped to ``docs``).
    flags : uint8[:]
        Bits of each code point (``codepoints``), from ``fastscratch.textapi.chars``.
    emoji_cps : int64[k]
        The emoji lexicon's single-character keys, sorted; key ``j``'s description is
        ``emoji_blob[emoji_offsets[j]:emoji_offsets[j + 1]]``.
    expansion : int
        The most bytes a replaced character can become per byte of it (a space and its
        description over its UTF-8 length, rounded up).
    table, blob, word_offsets
        The word table (``vocab``): lexicon words, boosters, negations and ``SPECIAL_WORDS``.
    word_flags : int64[V]
        ``IN_LEXICON | BOOSTER | NEGATION`` of each word; ``valence_of`` and ``booster`` (float64[V])
        its lexicon valence and booster increment.
    special : int64[14]
        The ids of ``SPECIAL_WORDS``, in that order.
    seq_ids : int64[m, 3]
        The multi-word keys of ``SPECIAL_CASES`` (``seq_kind`` ``SEQ_SPECIAL``) and of ``BOOSTER_DICT``
        (``SEQ_BOOSTER``) as word ids, ``PAD`` after the last; ``seq_val`` (float64[m]) their values.
    compensated : bool
        Sum as Python 3.12's ``sum`` does (Neumaier); False: left to right (Python 3.11).
    out : float64[n]
        Output: the compound score, rounded as ``round(x, 4)``.
    python_path : bool[n]
        Output: True where the document must take the Python statement instead (``out`` is 0 there).
    """
    n = offsets.shape[0] - 1
    for blk in prange((n + BLOCK - 1) // BLOCK):
        compound_range(docs, offsets, blk * BLOCK, min((blk + 1) * BLOCK, n), flags, emoji_cps, emoji_offsets,
                       emoji_blob, expansion, table, blob, word_offsets, word_flags, valence_of, booster, special,
                       seq_ids, seq_val, seq_kind, compensated, out, python_path)


@njit(**JIT)
def compound_range(docs, offsets, first, stop, flags, emoji_cps, emoji_offsets, emoji_blob, expansion, table, blob,
                   word_offsets, word_flags, valence_of, booster, special, seq_ids, seq_val, seq_kind, compensated, out,
                   python_path):
    """``vader_compound`` of the documents ``first`` to ``stop - 1``, serially, with one set of scratch
    buffers: each parallel task's work, and the whole of it for a corpus of one block (a single
    text), where starting the thread team would cost more than the work.

    Every argument goes on as a ``borrowed`` view: the helpers called per document and per word
    then cost no reference-count updates on them (the scratch arrays, owned here, stay counted:
    Numba frees a local after its last use, which could come before its view's)."""
    docs, offsets, flags, emoji_cps, emoji_offsets, emoji_blob = (
        borrowed(docs), borrowed(offsets), borrowed(flags), borrowed(emoji_cps), borrowed(emoji_offsets),
        borrowed(emoji_blob))
    table, blob, word_offsets, word_flags, valence_of, booster = (
        borrowed(table), borrowed(blob), borrowed(word_offsets), borrowed(word_flags), borrowed(valence_of),
        borrowed(booster))
    special, seq_ids, seq_val, seq_kind = borrowed(special), borrowed(seq_ids), borrowed(seq_val), borrowed(seq_kind)
    size = docs.shape[0]
    buf = np.empty(0, np.uint8)
    tid = np.empty(0, np.int64)
    up = np.empty(0, np.bool_)
    nt = np.empty(0, np.bool_)
    sent = np.empty(0, np.float64)
    nonzero = np.empty(0, np.int64)
    for d in range(first, stop):
        s = min(max(offsets[d], 0), size)
        e = min(max(offsets[d + 1], s), size)
        need = (e - s) * expansion + 64
        if need > buf.shape[0]:
            need = max(need, 2 * buf.shape[0], 1024)
            buf = np.empty(need, np.uint8)
            tokens = need // 2 + 2
            tid = np.empty(tokens, np.int64)
            up = np.empty(tokens, np.bool_)
            nt = np.empty(tokens, np.bool_)
            sent = np.empty(tokens, np.float64)
            nonzero = np.empty(tokens, np.int64)
        out[d], python_path[d] = _document(docs, s, e, flags, emoji_cps, emoji_offsets, emoji_blob, table, blob,
                                           word_offsets, word_flags, valence_of, booster, special, seq_ids, seq_val,
                                           seq_kind, compensated, buf, tid, up, nt, sent, nonzero)


@njit(**INLINE_JIT)
def _document(docs, s, e, flags, emoji_cps, emoji_offsets, emoji_blob, table, blob, word_offsets, word_flags,
              valence_of, booster, special, seq_ids, seq_val, seq_kind, compensated, buf, tid, up, nt, sent, nonzero):
    """``(compound, python_path)`` of the document ``docs[s:e]``, in the scratch arrays given."""
    length, ok = _replace_emoji(docs, s, e, flags, emoji_cps, emoji_offsets, emoji_blob, buf)
    if not ok:
        return 0.0, True
    count, ok, bangs, questions = _tokens(buf, length, flags, table, blob, word_offsets, tid, up, nt)
    if not ok:
        return 0.0, True
    upper = 0
    for k in range(count):
        if up[k]:
            upper += 1
    cap_diff = 0 < count - upper < count
    for i in range(count):
        w = tid[i]
        if w < 0 or (word_flags[w] & BOOSTER) != 0:
            sent[i] = 0.0
        elif i < count - 1 and w == special[KIND] and tid[i + 1] == special[OF]:
            sent[i] = 0.0
        elif (word_flags[w] & IN_LEXICON) == 0:
            sent[i] = 0.0
        else:
            sent[i] = _valence(i, count, tid, up, nt, cap_diff, word_flags, valence_of, booster, special,
                               seq_ids, seq_val, seq_kind)
    _but_check(count, tid, sent, special[BUT], nonzero)
    return _score(count, sent, bangs, questions, compensated), False
