"""The PII recognizers over a document's UTF-8 bytes: e-mail, phone, SSN, URL and card spans, and
the mask tokens per type.

``fastscratch.text.recognizers`` states the rules in plain Python; this module follows them
byte for byte. They give a class only to ASCII characters (every other character is
punctuation to them), so the rules read the same on a ``str`` and on its UTF-8 bytes: a span's
byte offsets become character offsets by counting the bytes that start a character
(:func:`fill_spans`).

A document is ``buf[s:e]``; nothing outside it decides anything (the flags of the positions a
candidate may start from are computed in vector passes that also read bytes around the document,
where the buffer has them; what those bytes may change is a superset of flags, which the
recognizers test again within ``s`` and ``e``, and the document's first position, which is flagged
from its own byte: see :func:`_flag_window`). Candidates go into growable int64
buffers (``starts``, ``ends``, ``types``: a function that may grow them returns them), are sorted
by (start, longest first, type) and kept left to right when they do not overlap a kept one.
The tables are ``pii_tables``'.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._bits import borrowed, load_u64, trailing_zeros
from ._config import INLINE_JIT, JIT, PARALLEL_JIT
from .pii_tables import (
    BRAND_TABLE,
    CARD_LABEL_BYTES,
    CARD_LABEL_OFFSETS,
    COUNTRY_CODE_TABLE,
    MASK_BYTES,
    MASK_OFFSETS,
    SECURITY_LABEL_BYTES,
    SECURITY_LABEL_OFFSETS,
    TLD_KEYS,
    TYPES,
)
from .text import U64
from .vocab import LOW_BYTES

NTYPES = len(TYPES)
COLUMNS = 2 * NTYPES
"""Recognizer columns of a document: spans of each type, then mask tokens of each type."""
EMAIL, PHONE, SSN, URL, CARD = range(NTYPES)

_DIGIT, _LETTER, _LOCAL, _LABEL, _PATH, _JOINER, _TRAIL = 1, 2, 4, 8, 16, 32, 64
_ALNUM = _DIGIT | _LETTER
_CLASS = np.zeros(256, dtype=np.uint8)
"""Class bits of each byte (only ASCII has any)."""
for _b in range(128):
    _ch = chr(_b)
    _CLASS[_b] = ((_DIGIT if _ch.isdigit() else 0) | (_LETTER if _ch.isalpha() else 0)
                  | (_LOCAL if _ch.isalnum() or _ch in "._%+-" else 0) | (_LABEL if _ch.isalnum() or _ch == "-" else 0)
                  | (_PATH if " " < _ch < "\x7f" and _ch not in '<>"{}|\\^`' else 0)
                  | (_JOINER if _ch in "-./" else 0) | (_TRAIL if _ch in ".,;:!?'\")]}" else 0))

_T_DIGIT, _T_AT, _T_COLON, _T_DOT, _T_PLUS, _T_PAREN, _T_BRACKET = 1, 2, 3, 4, 5, 6, 7
_TRIGGER = np.zeros(256, dtype=np.uint8)
"""The bytes a candidate is found from: a digit (a number starts there), an e-mail's ``@``, the
``:`` of ``http://`` and the ``.`` of ``www.`` (rarer bytes than the ``h`` and ``w`` a URL starts
with), ``+`` (an international phone), ``(`` (a ``(AAA)`` phone), ``[`` (a mask token)."""
_TRIGGER[ord("0"):ord("9") + 1] = _T_DIGIT
_TRIGGER[ord("@")] = _T_AT
_TRIGGER[ord(":")] = _T_COLON
_TRIGGER[ord(".")] = _T_DOT
_TRIGGER[ord("+")] = _T_PLUS
_TRIGGER[ord("(")] = _T_PAREN
_TRIGGER[ord("[")] = _T_BRACKET
_MASK_OF_LETTER = np.full(256, NTYPES, dtype=np.int64)
"""The mask token (``TYPES`` index) that the letter after its ``[`` starts, in any case; ``NTYPES``
for none. (The tokens' first letters differ.)"""
for _w in range(NTYPES):
    _letter = MASK_BYTES[MASK_OFFSETS[_w] + 1]
    _MASK_OF_LETTER[_letter] = _MASK_OF_LETTER[_letter ^ 0x20] = _w
assert len({MASK_BYTES[MASK_OFFSETS[_w] + 1] for _w in range(NTYPES)}) == NTYPES

_CHUNK = 64
"""Positions flagged together by :func:`_flag_chunks`: a loop of a fixed length, which LLVM turns
into vector instructions with no scalar remainder."""
_BEFORE, _AFTER = 3, 11
"""Bytes before and after its position that a position's flag reads (``www.``; twelve digits)."""
_WINDOW = 512
"""Positions flagged before their candidates are collected (``flags``: ``FLAGS`` bytes whatever
the document's length; a chunk that starts in the window may end ``_CHUNK - 1`` bytes past it)."""
FLAGS = _WINDOW + _CHUNK


# Comparisons only, of a uint8 with a uint8: Numba widens integer arithmetic (``c - 48``, ``c | 32``)
# to 64 bits, and without AVX-512 LLVM then vectorizes the chunks 8 lanes wide instead of 32.
@njit(**INLINE_JIT)
def _digit(c):
    return (c >= np.uint8(48)) & (c <= np.uint8(57))


@njit(**INLINE_JIT)
def _separator(c):
    return (c == np.uint8(32)) | (c == np.uint8(45)) | (c == np.uint8(46))


@njit(**INLINE_JIT)
def _w(c):
    return (c == np.uint8(119)) | (c == np.uint8(87))


@njit(**INLINE_JIT)
def _flag_chunks(buf, j0, count, flags, f0):
    """``flags[f0 + q]`` (q < ``count * _CHUNK``): 1 where position ``j0 + q`` may start a
    candidate, read from ``buf[j0 + q - _BEFORE:j0 + q + _AFTER + 1]`` as if all of it were the
    document (the caller mends the positions for which it is not). Without branches, one shape
    for every lane:

    - a digit that starts a run (the byte before is not a digit) where :func:`_collect` calls a
      recognizer: twelve digits (a card); three digits, ``-``, a byte, a digit, ``-`` (an SSN,
      ``575-74-``); three digits, a separator (``-``, ``.``, a space), two bytes, a digit and the
      same separator (``212-555-``), or ``1``, a separator, two bytes and a digit (``1 212``: a
      North American phone); four digits, a space or ``-``, three digits (a card in groups). A
      separator is not a digit, so the run ends before it, as :func:`_collect` requires;
    - ``@``, ``+``, ``(`` (an e-mail, an international phone, an ``(AAA)`` phone), ``[`` (a mask
      token);
    - ``:`` before ``//`` (``http://``), and ``.`` after ``www`` in any case.

    Every other byte (sentence periods, times, amounts, dates, the digits inside numbers: the
    commonest of the rest) is 0. Reads ``buf[j0 - _BEFORE:j0 + count * _CHUNK + _AFTER]``."""
    v = buf[j0 - _BEFORE:j0 + count * _CHUNK + _AFTER]
    out = flags[f0:f0 + count * _CHUNK]
    for ch in range(count):
        for q in range(ch * _CHUNK, (ch + 1) * _CHUNK):
            c = v[q + 3]
            c1 = v[q + 4]
            c2 = v[q + 5]
            c3 = v[q + 6]
            c4 = v[q + 7]
            c5 = v[q + 8]
            c6 = v[q + 9]
            c7 = v[q + 10]
            d12 = _digit(c1) & _digit(c2)
            d567 = _digit(c5) & _digit(c6) & _digit(c7)
            twelve = d12 & _digit(c3) & _digit(c4) & d567
            for k in range(11, 15):
                twelve &= _digit(v[q + k])
            ssn = d12 & (c3 == np.uint8(45)) & _digit(c5) & (c6 == np.uint8(45))
            phone = (d12 & _separator(c3) & _digit(c6) & (c7 == c3)) | ((c == np.uint8(49)) & _separator(c1) & _digit(c4))
            card = d12 & _digit(c3) & ((c4 == np.uint8(32)) | (c4 == np.uint8(45))) & d567
            number = _digit(c) & ~_digit(v[q + 2]) & (twelve | ssn | phone | card)
            url = (((c == np.uint8(58)) & (c1 == np.uint8(47)) & (c2 == np.uint8(47)))
                   | ((c == np.uint8(46)) & _w(v[q + 2]) & _w(v[q + 1]) & _w(v[q])))
            other = (c == np.uint8(64)) | (c == np.uint8(43)) | (c == np.uint8(40)) | (c == np.uint8(91))
            out[q] = number | url | other


@njit(**INLINE_JIT)
def _may_start(buf, s, j):
    """1 where position ``j`` of the document from ``s`` holds a byte of ``_TRIGGER`` (a digit
    only where a run starts): every position :func:`_flag_chunks` flags and more, read from
    ``buf[max(s, j - 1):j + 1]`` only, without branches."""
    kind = _TRIGGER[buf[j]]
    inside_run = (kind == _T_DIGIT) & (j > s) & _digit(buf[max(j - 1, s)])
    return np.uint8((kind != 0) & ~inside_run)


@njit(**INLINE_JIT)
def _flag_window(buf, s, e, a, b, flags):
    """``flags[:b - a]``: for each position of ``[a, b)`` (in document ``buf[s:e]``, ``b - a <=
    _WINDOW``) 1 where a candidate may start, 0 mostly elsewhere. ``flags[b - a:]`` may be
    written too (the last chunk runs on, up to ``_CHUNK - 1`` bytes past ``b - a``): they mean
    nothing, and :func:`_collect` reads no flag there.

    :func:`_flag_chunks` reads the bytes around a position as if they were the document's. Past
    its end they are not, but every flag it must set there tests bytes of the document only (a
    test of a byte past the end fails in the rules: the recognizers find nothing that needs
    one), so the flags it sets are a superset, which :func:`_collect` tests again. Before its
    start only the test "the byte before is not a digit" can fail where the rules pass, at the
    document's first byte, which ``_may_start`` flags instead. Where a chunk would read outside
    ``buf``, ``_may_start`` flags each position."""
    size = buf.shape[0]
    j = a
    while j < b and j < _BEFORE:
        flags[j - a] = _may_start(buf, s, j)
        j += 1
    # (no "if count > 0" around the call: with it, LLVM's code for AVX2 ran the chunks 7x slower)
    count = max(min((b - j + _CHUNK - 1) // _CHUNK, (size - _AFTER - j) // _CHUNK), 0)
    _flag_chunks(buf, j, count, flags, j - a)  # may run past b, into the slack of flags
    j += count * _CHUNK
    while j < b:
        flags[j - a] = _may_start(buf, s, j)
        j += 1
    if a == s and s < b:
        flags[0] = _may_start(buf, s, s)


_MAX_LOCAL = 64
_MAX_LABEL = 63
_MAX_HOLDER = 60
_BUFFER = 16
_ENDS, _COUNTS, WORK = 20, 28, 36  # card groups: at most 1 + (19 - 4) // 3 = 6


# ---- characters -------------------------------------------------------------------------------


@njit(**INLINE_JIT)
def _has(b, bits):
    return (_CLASS[b] & bits) != 0


@njit(**INLINE_JIT)
def _lower(b):
    return b | 0x20 if 65 <= b <= 90 else b


@njit(**INLINE_JIT)
def _left_edge(buf, s, i):
    if i == s:
        return True
    c = buf[i - 1]
    return not _has(c, _ALNUM) and not (_has(c, _JOINER) and i - 2 >= s and _has(buf[i - 2], _DIGIT))


@njit(**INLINE_JIT)
def _right_edge(buf, e, j):
    if j == e:
        return True
    c = buf[j]
    return not _has(c, _ALNUM) and not (_has(c, _JOINER) and j + 1 < e and _has(buf[j + 1], _DIGIT))


@njit(**INLINE_JIT)
def _digits_at(buf, e, i):
    j = i
    while j < e and _has(buf[j], _DIGIT):
        j += 1
    return j - i


@njit(**INLINE_JIT)
def _value(buf, i, n):
    v = 0
    for k in range(n):
        v = v * 10 + (np.int64(buf[i + k]) - 48)
    return v


@njit(**INLINE_JIT)
def _matches(buf, e, i, words, offsets, w):
    """``buf[i:]`` starts with word ``w`` of ``words`` (lowercase), in any ASCII case."""
    a = offsets[w]
    n = offsets[w + 1] - a
    if i + n > e:
        return False
    for k in range(n):
        if _lower(buf[i + k]) != words[a + k]:
            return False
    return True


@njit(**INLINE_JIT)
def _digit_at(buf, e, i):
    return i < e and _has(buf[i], _DIGIT)


@njit(**INLINE_JIT)
def _byte_is(buf, e, i, ch):
    return i < e and buf[i] == ch


# ---- hosts --------------------------------------------------------------------------------------


@njit(**JIT)
def _is_tld(buf, s, e):
    """``buf[s:e]`` (a label) lowercased is a TLD of ``TLD_KEYS``."""
    n = e - s
    if n > 8:
        return False
    key = np.uint64(0)
    for k in range(n):
        key |= np.uint64(_lower(buf[s + k])) << np.uint64(8 * k)
    k = np.searchsorted(TLD_KEYS, key)
    return k < TLD_KEYS.shape[0] and TLD_KEYS[k] == key


@njit(**JIT)
def _host(buf, e, i, ipv4):
    """``(end, valid)`` of the longest run of labels from ``i`` (see ``_labels`` and ``_valid_host``
    in ``fastscratch.text.recognizers``)."""
    j = i
    count = 0
    wellformed = True
    numeric = True
    last_s = i
    last_e = i
    while True:
        k = j
        while k < e and _has(buf[k], _LABEL):
            k += 1
        if k == j:
            break
        count += 1
        last_s = j
        last_e = k
        if k - j > _MAX_LABEL or buf[j] == 45 or buf[k - 1] == 45:
            wellformed = False
        if k - j > 3 or _digits_at(buf, k, j) != k - j or _value(buf, j, k - j) > 255:
            numeric = False
        if k + 1 < e and buf[k] == 46 and _has(buf[k + 1], _LABEL):
            j = k + 1
            continue
        j = k
        break
    if count < 2 or not wellformed:
        return last_e if count else i, False
    if ipv4 and count == 4 and numeric:
        return last_e, True
    return last_e, _is_tld(buf, last_s, last_e)


# ---- the recognizers: each returns (start, end), start -1 for none -----------------------------


@njit(**JIT)
def _email_at(buf, s, e, at):
    b = at
    while b > s and at - b <= _MAX_LOCAL and _has(buf[b - 1], _LOCAL):
        b -= 1
    n = at - b
    if n == 0 or n > _MAX_LOCAL or buf[b] == 46 or buf[at - 1] == 46:
        return -1, -1
    for k in range(b, at - 1):
        if buf[k] == 46 and buf[k + 1] == 46:
            return -1, -1
    end, valid = _host(buf, e, at + 1, False)
    if not valid or _byte_is(buf, e, end, 64):
        return -1, -1
    return b, end


@njit(**JIT)
def _url_at(buf, s, e, i):
    if i + 7 <= e and _lower(buf[i]) == 104 and _lower(buf[i + 1]) == 116 and _lower(buf[i + 2]) == 116 \
            and _lower(buf[i + 3]) == 112 and (
            (buf[i + 4] == 58 and buf[i + 5] == 47 and buf[i + 6] == 47)
            or (i + 8 <= e and _lower(buf[i + 4]) == 115 and buf[i + 5] == 58 and buf[i + 6] == 47 and buf[i + 7] == 47)):
        if i > s and _has(buf[i - 1], _ALNUM):
            return -1, -1
        host = i + (7 if buf[i + 4] == 58 else 8)
        ipv4 = True
    elif i + 4 <= e and _lower(buf[i]) == 119 and _lower(buf[i + 1]) == 119 and _lower(buf[i + 2]) == 119 \
            and buf[i + 3] == 46:
        if i > s:
            c = buf[i - 1]
            if _has(c, _ALNUM) or c == 46 or c == 45 or c == 64 or c == 47 or c == 95:
                return -1, -1
        host = i
        ipv4 = False
    else:
        return -1, -1
    end, valid = _host(buf, e, host, ipv4)
    if not valid:
        return -1, -1
    if end + 1 < e and buf[end] == 58 and _has(buf[end + 1], _DIGIT):
        n = _digits_at(buf, e, end + 1)
        if n <= 5:
            end += 1 + n
    if end < e and (buf[end] == 47 or buf[end] == 63 or buf[end] == 35):
        while end < e and _has(buf[end], _PATH):
            end += 1
        while _has(buf[end - 1], _TRAIL):
            end -= 1
    return i, end


@njit(**JIT)
def _ssn_at(buf, s, e, i):
    if not _left_edge(buf, s, i) or i + 11 > e:
        return -1, -1
    if buf[i + 3] != 45 or buf[i + 6] != 45:
        return -1, -1
    for k in (0, 1, 2, 4, 5, 7, 8, 9, 10):
        if not _has(buf[i + k], _DIGIT):
            return -1, -1
    if not _right_edge(buf, e, i + 11):
        return -1, -1
    area = _value(buf, i, 3)
    if area == 0 or area == 666 or area >= 900 or _value(buf, i + 4, 2) == 0 or _value(buf, i + 7, 4) == 0:
        return -1, -1
    return i, i + 11


@njit(**JIT)
def _international_phone_at(buf, s, e, plus):
    if plus > s and _has(buf[plus - 1], _ALNUM):
        return -1, -1
    run = _digits_at(buf, e, plus + 1)
    cc = 0
    for k in range(1, 4):
        if run >= k and COUNTRY_CODE_TABLE[_value(buf, plus + 1, k)]:
            cc = k
            break
    if cc == 0:
        return -1, -1
    if cc == 1 and buf[plus + 1] == 49:  # +1: the ten digits of a North American number
        fewest = 10
        most = 10
    else:
        fewest = 7
        most = 12
    j = plus + 1 + cc
    national = 0
    while True:
        k = j + 1 if j < e and (buf[j] == 32 or buf[j] == 45 or buf[j] == 46) else j
        if _byte_is(buf, e, k, 40):
            n = _digits_at(buf, e, k + 1)
            if n == 0 or not _byte_is(buf, e, k + 1 + n, 41):
                break
            group_end = k + 2 + n
        else:
            n = _digits_at(buf, e, k)
            if n == 0:
                break
            group_end = k + n
        if national + n > most:
            break
        national += n
        j = group_end
    if national < fewest or not _right_edge(buf, e, j):
        return -1, -1
    return plus, j


@njit(**INLINE_JIT)
def _phone_sep(c):
    return c == 45 or c == 46 or c == 32


@njit(**JIT)
def _nanp_phone_at(buf, s, e, i):
    if buf[i] == 40:
        if (i > s and _has(buf[i - 1], _ALNUM)) or _digits_at(buf, e, i + 1) != 3 or not _byte_is(buf, e, i + 4, 41):
            return -1, -1
        area = i + 1
        exchange = i + 6 if _byte_is(buf, e, i + 5, 32) else i + 5
        if exchange + 3 >= e or not _phone_sep(buf[exchange + 3]):
            return -1, -1
        sep = buf[exchange + 3]
    else:
        if not _left_edge(buf, s, i):
            return -1, -1
        area = i
        if buf[i] == 49 and _digits_at(buf, e, i) == 1:  # 1-AAA-EEE-SSSS
            if i + 1 >= e or not _phone_sep(buf[i + 1]):
                return -1, -1
            area = i + 2
            if not _byte_is(buf, e, area + 3, buf[i + 1]):
                return -1, -1
        if area + 3 >= e or not _phone_sep(buf[area + 3]) or _digits_at(buf, e, area) != 3:
            return -1, -1
        sep = buf[area + 3]
        exchange = area + 4
    line = exchange + 4
    if _digits_at(buf, e, exchange) != 3 or not _byte_is(buf, e, exchange + 3, sep):
        return -1, -1
    if _digits_at(buf, e, line) != 4 or not _right_edge(buf, e, line + 4):
        return -1, -1
    if buf[area] <= 49 or buf[exchange] <= 49:  # '0' or '1'
        return -1, -1
    return i, line + 4


@njit(**JIT)
def _luhn_brand(digits, n):
    """The Luhn checksum of ``digits[:n]`` holds and a brand has that prefix and length."""
    total = 0
    for k in range(n):
        d = np.int64(digits[n - 1 - k])
        if k % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    if total % 10 != 0:
        return False
    for r in range(BRAND_TABLE.shape[0]):
        low, high, width, shortest, longest = BRAND_TABLE[r, 0], BRAND_TABLE[r, 1], BRAND_TABLE[r, 2], \
            BRAND_TABLE[r, 3], BRAND_TABLE[r, 4]
        if shortest <= n <= longest:
            p = 0
            for k in range(width):
                p = p * 10 + np.int64(digits[k])
            if low <= p <= high:
                return True
    return False


@njit(**JIT)
def _card_number_at(buf, s, e, i, work):
    """End of the valid card number at ``i`` (-1 for none); ``work`` (int64[WORK]) is scratch:
    the digits at ``[0, 20)``, each group's end at ``[20, 28)`` and digits so far at ``[28, 36)``."""
    digits = work
    if not _left_edge(buf, s, i) or (i - 2 >= s and buf[i - 1] == 32 and _has(buf[i - 2], _DIGIT)):
        return -1
    run = _digits_at(buf, e, i)
    if 12 <= run <= 19 and _right_edge(buf, e, i + run):
        for k in range(run):
            digits[k] = np.int64(buf[i + k]) - 48
        return i + run if _luhn_brand(digits, run) else -1
    if run != 4 or i + 4 >= e or (buf[i + 4] != 32 and buf[i + 4] != 45):
        return -1
    sep = buf[i + 4]
    for k in range(4):
        digits[k] = np.int64(buf[i + k]) - 48
    total = 4
    work[_ENDS] = i + 4
    work[_COUNTS] = 4
    groups = 1
    j = i + 4
    while j < e and buf[j] == sep:
        n = _digits_at(buf, e, j + 1)
        if n < 3 or n > 6 or total + n > 19:
            break
        for k in range(n):
            digits[total + k] = np.int64(buf[j + 1 + k]) - 48
        total += n
        j += 1 + n
        work[_ENDS + groups] = j
        work[_COUNTS + groups] = total
        groups += 1
    for g in range(groups - 1, -1, -1):
        if work[_COUNTS + g] < 12:
            break
        if _right_edge(buf, e, work[_ENDS + g]) and _luhn_brand(digits, work[_COUNTS + g]):
            return work[_ENDS + g]
    return -1


@njit(**JIT)
def _after_expiry(buf, e, j):
    if not _byte_is(buf, e, j, 32) or _digits_at(buf, e, j + 1) != 2 or not _byte_is(buf, e, j + 3, 47):
        return j
    month = _value(buf, j + 1, 2)
    n = _digits_at(buf, e, j + 4)
    if month < 1 or month > 12 or (n != 2 and n != 4) or not _right_edge(buf, e, j + 4 + n):
        return j
    return j + 4 + n


@njit(**JIT)
def _after_security_code(buf, e, j):
    if j >= e or (buf[j] != 10 and buf[j] != 32):
        return j
    own_line = buf[j] == 10
    k = j + 1
    found = False
    for w in range(SECURITY_LABEL_OFFSETS.shape[0] - 1):
        if _matches(buf, e, k, SECURITY_LABEL_BYTES, SECURITY_LABEL_OFFSETS, w):
            k += SECURITY_LABEL_OFFSETS[w + 1] - SECURITY_LABEL_OFFSETS[w]
            found = True
            break
    if not found:
        return j
    if _byte_is(buf, e, k, 58):
        k += 1
    while _byte_is(buf, e, k, 32):
        k += 1
    n = _digits_at(buf, e, k)
    if (n != 3 and n != 4) or not _right_edge(buf, e, k + n):
        return j
    k += n
    if own_line and _byte_is(buf, e, k, 10):
        k += 1
    return k


@njit(**JIT)
def _line_before(buf, s, i):
    """``(start, end)`` of the line whose line break is ``buf[i - 1]`` (``\\r`` left out), or
    ``(-1, -1)`` when ``i`` does not follow a line break."""
    if i == s or buf[i - 1] != 10:
        return -1, -1
    end = i - 1
    start = end
    while start > s and buf[start - 1] != 10:
        start -= 1
    if end > start and buf[end - 1] == 13:
        end -= 1
    return start, end


@njit(**JIT)
def _block_start(buf, s, e, i):
    hs, he = _line_before(buf, s, i)
    if hs < 0 or he - hs < 1 or he - hs > _MAX_HOLDER:
        return i
    letter = False
    for k in range(hs, he):
        c = buf[k]
        if _has(c, _LETTER):
            letter = True
        elif c != 32 and c != 46 and c != 39 and c != 45:
            return i
    if not letter:
        return i
    bs, be = _line_before(buf, s, hs)
    if bs < 0:
        return i
    best = -1
    for w in range(CARD_LABEL_OFFSETS.shape[0] - 1):
        n = CARD_LABEL_OFFSETS[w + 1] - CARD_LABEL_OFFSETS[w]
        start = be - n
        if start >= bs and _matches(buf, be, start, CARD_LABEL_BYTES, CARD_LABEL_OFFSETS, w) and (
                start == bs or buf[start - 1] == 32) and (best < 0 or start < best):
            best = start
    return best if best >= 0 else i


@njit(**JIT)
def _card_at(buf, s, e, i, work):
    end = _card_number_at(buf, s, e, i, work)
    if end < 0:
        return -1, -1
    end = _after_security_code(buf, e, _after_expiry(buf, e, end))
    return _block_start(buf, s, e, i), end


# ---- a document ---------------------------------------------------------------------------------


@njit(**INLINE_JIT)
def _put(starts, ends, types, n, a, b, t):
    """Append candidate ``(a, b, t)`` when ``a >= 0`` (room is the caller's); the new count."""
    if a < 0:
        return n
    starts[n] = a
    ends[n] = b
    types[n] = t
    return n + 1


@njit(**JIT)
def _grown(a, n):
    """``a`` (int64) in a buffer twice as long, its first ``n`` values kept."""
    out = np.empty(max(2 * a.shape[0], _BUFFER), dtype=np.int64)
    out[:n] = a[:n]
    return out


@njit(**JIT)
def _collect(buf, s, e, i, starts, ends, types, n, masks, work, flags):
    """Candidates of ``buf[s:e]`` from ``i`` on, appended to the buffers after their first ``n``,
    until the end or until the buffers may be too short for the next position; ``(i, n)``
    where it stopped. (The buffers are never replaced here: a loop that reassigns arrays pays
    reference counting at every byte.)

    A window of positions at a time: :func:`_flag_window` flags the positions that may start a
    candidate, without a branch per byte, and each flagged one is taken in turn. The windows are
    fixed by ``s``, so a call that resumes at ``i`` flags the same positions."""
    cap = starts.shape[0]
    lo = s + (i - s) // _WINDOW * _WINDOW
    while lo < e:
        hi = min(lo + _WINDOW, e)
        _flag_window(buf, s, e, lo, hi, flags)
        r = 0
        while r < hi - lo:
            if r + 32 <= hi - lo and (load_u64(flags, r) | load_u64(flags, r + 8) | load_u64(flags, r + 16)
                                      | load_u64(flags, r + 24)) == U64(0):  # most of a document
                r += 32
                continue
            m = load_u64(flags, r)
            if r + 8 > hi - lo:
                m &= LOW_BYTES[hi - lo - r]
            r += 8
            while m != U64(0):
                p = lo + r - 8 + (np.int64(trailing_zeros(m)) >> 3)
                m &= m - U64(1)
                if p < i:  # before where a resumed call starts (only a run's first digit is flagged)
                    continue
                if n + 3 > cap:
                    return p, n
                i = p
                c = buf[i]
                kind = _TRIGGER[c]
                if kind == _T_DIGIT:  # the start of a run of digits: the run's other digits start nothing
                    # Each recognizer is called only where its first characters fit (the flags mark the same
                    # places, but near a document's ends they may mark more): a call costs far more than a test.
                    run = _digits_at(buf, e, i)
                    nxt = buf[i + run] if i + run < e else 0
                    if run == 3 and nxt == 45 and _digit_at(buf, e, i + 5) and _byte_is(buf, e, i + 6, 45):
                        a, b = _ssn_at(buf, s, e, i)
                        n = _put(starts, ends, types, n, a, b, SSN)
                    if ((run == 3 and _phone_sep(nxt) and _digit_at(buf, e, i + 6) and _byte_is(buf, e, i + 7, nxt))
                            or (run == 1 and c == 49 and _phone_sep(nxt) and _digit_at(buf, e, i + 4))):
                        a, b = _nanp_phone_at(buf, s, e, i)
                        n = _put(starts, ends, types, n, a, b, PHONE)
                    if 12 <= run <= 19 or (run == 4 and (nxt == 32 or nxt == 45) and _digit_at(buf, e, i + 5)
                                           and _digit_at(buf, e, i + 6) and _digit_at(buf, e, i + 7)):
                        a, b = _card_at(buf, s, e, i, work)
                        n = _put(starts, ends, types, n, a, b, CARD)
                    i += run
                elif kind == _T_AT:
                    a, b = _email_at(buf, s, e, i)
                    n = _put(starts, ends, types, n, a, b, EMAIL)
                elif kind == _T_COLON:  # "http://" or "https://" starts 4 or 5 bytes before
                    if i + 2 < e and buf[i + 1] == 47 and buf[i + 2] == 47 and i - 4 >= s:
                        start = i - 5 if i - 5 >= s and _lower(buf[i - 1]) == 115 else i - 4
                        a, b = _url_at(buf, s, e, start)
                        n = _put(starts, ends, types, n, a, b, URL)
                elif kind == _T_DOT:  # "www." starts 3 bytes before
                    if i - 3 >= s and _lower(buf[i - 1]) == 119 and _lower(buf[i - 2]) == 119 and _lower(buf[i - 3]) == 119:
                        a, b = _url_at(buf, s, e, i - 3)
                        n = _put(starts, ends, types, n, a, b, URL)
                elif kind == _T_PLUS:
                    a, b = _international_phone_at(buf, s, e, i)
                    n = _put(starts, ends, types, n, a, b, PHONE)
                elif kind == _T_PAREN:
                    a, b = _nanp_phone_at(buf, s, e, i)
                    n = _put(starts, ends, types, n, a, b, PHONE)
                else:  # a mask token: the letter after "[" tells which it can be
                    w = _MASK_OF_LETTER[buf[i + 1]] if i + 1 < e else NTYPES
                    if w < NTYPES and _matches(buf, e, i, MASK_BYTES, MASK_OFFSETS, w):
                        masks[w] += 1
                if kind != _T_DIGIT:
                    i += 1
        lo = hi
    return e, n


@njit(**JIT)
def scan(buf, s, e, starts, ends, types, masks, work, flags):
    """The spans of document ``buf[s:e]``, kept left to right, and its mask tokens.

    Parameters
    ----------
    buf : uint8[:]
    s, e : int
        The document's byte range (``0 <= s <= e <= len(buf)``).
    starts, ends, types : int64[:]
        Candidate buffers (any length; grown when too short).
    masks : int64[NTYPES]
        Output: mask tokens of each type (overwritten).
    work : int64[WORK]
        Scratch.
    flags : uint8[FLAGS]
        Scratch.

    Returns
    -------
    (n, starts, ends, types): the ``n`` spans kept, in order, at the front of the (possibly
    new) buffers: byte offsets and ``TYPES`` indices.
    """
    masks[:] = 0
    n = 0
    i = s
    while True:
        i, n = _collect(buf, s, e, i, starts, ends, types, n, masks, work, flags)
        if i >= e:
            break
        starts, ends, types = _grown(starts, n), _grown(ends, n), _grown(types, n)
    for k in range(1, n):  # insertion sort: the candidates come almost in order
        a, b, t = starts[k], ends[k], types[k]
        j = k - 1
        while j >= 0 and (starts[j] > a or (starts[j] == a and (ends[j] < b or (ends[j] == b and types[j] > t)))):
            starts[j + 1] = starts[j]
            ends[j + 1] = ends[j]
            types[j + 1] = types[j]
            j -= 1
        starts[j + 1] = a
        ends[j + 1] = b
        types[j + 1] = t
    kept = 0
    for k in range(n):
        if kept == 0 or starts[k] >= ends[kept - 1]:
            starts[kept] = starts[k]
            ends[kept] = ends[k]
            types[kept] = types[k]
            kept += 1
    return kept, starts, ends, types


@njit(**JIT)
def scratch():
    """Fresh ``(starts, ends, types, masks, work, flags)`` buffers for :func:`scan`."""
    return (np.empty(_BUFFER, dtype=np.int64), np.empty(_BUFFER, dtype=np.int64),
            np.empty(_BUFFER, dtype=np.int64), np.zeros(NTYPES, dtype=np.int64), np.zeros(WORK, dtype=np.int64),
            np.zeros(FLAGS, dtype=np.uint8))


# ---- whole corpora ------------------------------------------------------------------------------

_BLOCK = 64  # documents per parallel task


@njit(**INLINE_JIT)
def _bounds(offsets, d, size):
    s = min(max(np.int64(offsets[d]), 0), size)
    e = min(max(np.int64(offsets[d + 1]), s), size)
    return s, e


@njit(**PARALLEL_JIT)
def count_spans(docs, offsets, counts):
    """``counts[d]`` (int64[n]): the spans of document ``d`` (``docs[offsets[d]:offsets[d + 1]]``)."""
    n = offsets.shape[0] - 1
    size = docs.shape[0]
    for blk in prange((n + _BLOCK - 1) // _BLOCK):
        starts, ends, types, masks, work, flags = scratch()
        buf = borrowed(docs)  # a call per document: no reference counting of the shared array
        for d in range(blk * _BLOCK, min((blk + 1) * _BLOCK, n)):
            s, e = _bounds(offsets, d, size)
            kept, starts, ends, types = scan(buf, s, e, starts, ends, types, masks, work, flags)
            counts[d] = kept


@njit(**PARALLEL_JIT)
def fill_spans(docs, offsets, first, out_starts, out_ends, out_types):
    """Write each document's spans at ``first[d]:first[d + 1]`` (``first``: the exclusive prefix
    sum of :func:`count_spans`, int64[n + 1]) as character offsets into the document (the bytes
    that start a UTF-8 character are counted; surrogates written by ``surrogatepass`` are one
    character of three bytes, as in Python's ``str``) and ``TYPES`` indices."""
    n = offsets.shape[0] - 1
    size = docs.shape[0]
    for blk in prange((n + _BLOCK - 1) // _BLOCK):
        starts, ends, types, masks, work, flags = scratch()
        buf = borrowed(docs)
        for d in range(blk * _BLOCK, min((blk + 1) * _BLOCK, n)):
            s, e = _bounds(offsets, d, size)
            kept, starts, ends, types = scan(buf, s, e, starts, ends, types, masks, work, flags)
            kept = min(kept, first[d + 1] - first[d])
            pos = s
            chars = 0
            for k in range(kept):
                for side in range(2):
                    target = starts[k] if side == 0 else ends[k]
                    while pos < target:
                        if (docs[pos] & 0xC0) != 0x80:
                            chars += 1
                        pos += 1
                    if side == 0:
                        out_starts[first[d] + k] = chars
                    else:
                        out_ends[first[d] + k] = chars
                out_types[first[d] + k] = types[k]


@njit(**JIT)
def write_columns(docs, s, e, row, starts, ends, types, masks, work, flags):
    """Document ``docs[s:e]``'s recognizer columns into ``row`` (float32[COLUMNS]): its spans of
    each type, then its mask tokens of each type; returns the (possibly grown) buffers."""
    kept, starts, ends, types = scan(docs, s, e, starts, ends, types, masks, work, flags)
    for t in range(NTYPES):
        row[t] = 0.0
        row[NTYPES + t] = np.float32(masks[t])
    for k in range(kept):
        row[types[k]] += np.float32(1.0)
    return starts, ends, types
