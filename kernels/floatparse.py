"""Exact decimal-to-float parsing of short decimals inside kernels.

Only the common, provably exact case is handled here (Clinger's fast path): a decimal with at
most 19 significant digits whose value is ``m * 10**e`` with ``m < 2**53`` and ``|e| <= 22``.
Then ``float64(m)`` and ``10.0**|e|`` are both exact and one IEEE multiplication or division
rounds correctly, so the result equals Python's ``float(token)``. Casting that float64 to
float32 is exactly what ``np.asarray(tokens, dtype='float32')`` does.

Everything else (more digits, big exponents, ``nan``/``inf``, underscores, non-ASCII digits,
garbage) is reported as *not handled*; the caller re-parses that token with Python's own rules.
All readers take explicit bounds and never read outside ``[i, end)``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._bits import load_u64, popcount, trailing_zeros
from ._config import INLINE_JIT, JIT
from .text import HIGH_BITS, LOW7_BITS, U64, WHITESPACE_BITS, eq_mask, is_whitespace, space_mask

# Small helpers are inlined at the Numba IR level (INLINE_JIT): a call per token, with
# reference counting of the buffer, costs more than the parse.

# Exact powers of ten representable in float64 (10**22 is the largest).
_POW10 = np.array([10.0**k for k in range(23)], dtype=np.float64)
_MAX_MANTISSA = np.uint64(2**53)


@njit(**JIT)
def parse_decimal(buf, i, end):
    """Parse one number token of ``buf`` starting at ``i`` (``i < end``), reading at most to ``end``.

    Parameters
    ----------
    buf : uint8[:]
        Bytes.
    i : int
        Index of the token's first byte.
    end : int
        One past the last readable byte.

    Returns
    -------
    (value, j, ok) : (float64, int, bool)
        ``j`` is the index just past the token (the first whitespace byte or ``end``), found
        whether or not the token is handled. ``ok`` is True only when ``value`` is exactly
        ``float(token)``; otherwise the token must be parsed by the slow exact path.
    """
    j = i
    neg = False
    ok = True
    b = buf[j]
    if b == 45:  # '-'
        neg = True
        j += 1
    elif b == 43:  # '+'
        j += 1
    mant = np.uint64(0)
    nsig = 0  # significant digits taken into mant
    ndig = 0  # digits seen in the mantissa (integer + fraction)
    exp10 = 0
    # integer part
    while j < end:
        b = buf[j]
        if b < 48 or b > 57:
            break
        ndig += 1
        if nsig > 0 or b != 48:
            if nsig < 19:
                mant = mant * np.uint64(10) + np.uint64(b - 48)
                nsig += 1
            else:
                ok = False  # too many significant digits for the fast path
        j += 1
    if j < end and buf[j] == 46:  # '.'
        j += 1
        while j < end:
            b = buf[j]
            if b < 48 or b > 57:
                break
            ndig += 1
            if nsig > 0 or b != 48:
                if nsig < 19:
                    mant = mant * np.uint64(10) + np.uint64(b - 48)
                    nsig += 1
                else:
                    ok = False
            exp10 -= 1
            j += 1
    if ndig == 0:
        ok = False
    if j < end and (buf[j] == 101 or buf[j] == 69):  # 'e' / 'E'
        j += 1
        eneg = False
        if j < end and (buf[j] == 45 or buf[j] == 43):
            eneg = buf[j] == 45
            j += 1
        edig = 0
        e = 0
        while j < end:
            b = buf[j]
            if b < 48 or b > 57:
                break
            if e < 100000:
                e = e * 10 + (b - 48)
            edig += 1
            j += 1
        if edig == 0:
            ok = False
        exp10 += -e if eneg else e
    # the token must end at whitespace or at the end of the readable range
    if j < end and not is_whitespace(buf[j]):
        ok = False
        while j < end and not is_whitespace(buf[j]):
            j += 1
    if not ok:
        return 0.0, j, False
    if mant == 0:
        return (-0.0 if neg else 0.0), j, True
    if mant > _MAX_MANTISSA or exp10 > 22 or exp10 < -22:
        return 0.0, j, False
    v = np.float64(mant)
    if exp10 >= 0:
        v = v * _POW10[exp10]
    else:
        v = v / _POW10[-exp10]
    if neg:
        v = -v
    return v, j, True


# ---- SWAR fast path: one token of <= 16 bytes parsed with 8-byte words, no per-byte branches ----
_ZEROS = U64(0x3030303030303030)
_DOTS = U64(0x2E2E2E2E2E2E2E2E)
_ADD_GE30 = U64(0x5050505050505050)
_ADD_GE3A = U64(0x4646464646464646)
_POW10_U64 = np.array([10**k for k in range(9)], dtype=np.uint64)
# _WANT[k]: high bits of bytes 0..k-1; _ZFILL[k]: '0' in bytes 0..7-k (left padding of k digits)
_WANT = np.array([0x8080808080808080 & ((1 << (8 * k)) - 1) for k in range(9)], dtype=np.uint64)
_ZFILL = np.array([0x3030303030303030 >> (8 * k) if k < 8 else 0 for k in range(9)], dtype=np.uint64)


@njit(**INLINE_JIT)
def _digit_mask(w):
    """High bit of each byte of ``w`` set iff that byte is an ASCII digit (exact, no carries)."""
    x = w & LOW7_BITS
    return (x + _ADD_GE30) & ~(x + _ADD_GE3A) & ~w & HIGH_BITS


@njit(**INLINE_JIT)
def _shl(x, s):
    """``x << s`` for ``0 <= s <= 64`` (64 gives 0), without a branch."""
    h = U64(s >> 1)
    return (x << h) << U64(s - (s >> 1))


@njit(**INLINE_JIT)
def _shr(x, s):
    """``x >> s`` for ``0 <= s <= 64`` (64 gives 0), without a branch."""
    h = U64(s >> 1)
    return (x >> h) >> U64(s - (s >> 1))


@njit(**INLINE_JIT)
def _first_byte(m0, m1):
    """Index (0..16) of the first byte whose high bit is set in the 16-byte masks ``m0, m1``."""
    t0 = np.int64(trailing_zeros(m0))
    t1 = np.int64(trailing_zeros(m1))
    return (t0 + (t0 >> 6) * t1) >> 3


@njit(**INLINE_JIT)
def _parse8(x):
    """Value of 8 ASCII digits (first digit in the lowest byte)."""
    x = x - _ZEROS
    x = x * U64(10) + (x >> U64(8))
    x = (((x & U64(0x000000FF000000FF)) * U64(0x000F424000000064)) + (((x >> U64(16)) & U64(0x000000FF000000FF)) * U64(0x0000271000000001))) >> U64(32)
    return x & U64(0xFFFFFFFF)


@njit(**INLINE_JIT)
def parse_swar(buf, i, end):
    """Fast path for ``[-]digits[.digits]`` tokens of at most 16 bytes (8 + 8 digits).

    Branch-free on the common path. Needs ``buf`` C-contiguous. Returns ``ok=False`` (try
    ``parse_decimal``) whenever it is not certain: fewer than 17 readable bytes, another
    syntax, too many digits, a byte after the token that is not whitespace. Otherwise the
    same ``(value, j, True)`` as ``parse_decimal``.
    """
    if i < 0 or i + 17 > end or end > buf.shape[0]:
        return 0.0, i, False
    neg = np.int64(buf[i] == 45)
    j = i + neg
    w0 = load_u64(buf, j)
    w1 = load_u64(buf, j + 8)
    n = _first_byte(space_mask(w0), space_mask(w1))  # token length, 16 = none found
    # The GloVe shape first: one integer digit, a dot, 1..8 fraction digits ('-0.044457').
    d0 = np.int64(w0 & U64(0xFF)) - 48
    if (w0 >> U64(8)) & U64(0xFF) == U64(46) and 0 <= d0 <= 9 and 3 <= n <= 10:
        k2 = n - 2
        frac = (w0 >> U64(16)) | (w1 << U64(48))
        want = _WANT[k2]
        # the byte after the token is <= 0x20 (it ended the token): is it whitespace?
        if (_digit_mask(frac) & want) == want and (WHITESPACE_BITS >> U64(buf[j + n])) & U64(1):
            fpart = _parse8((frac << U64(8 * (8 - k2))) | _ZFILL[k2])
            v = np.float64(U64(d0) * _POW10_U64[k2] + fpart) / _POW10[k2]
            if neg:
                v = -v
            return v, j + n, True
    n0 = min(n, 8)
    n1 = max(n - 8, 0)
    in0 = HIGH_BITS & (_shl(U64(1), 8 * n0) - U64(1))
    in1 = HIGH_BITS & (_shl(U64(1), 8 * n1) - U64(1))
    d = np.int64(popcount(_digit_mask(w0) & in0)) + np.int64(popcount(_digit_mask(w1) & in1))
    p0 = eq_mask(w0, _DOTS) & in0
    p1 = eq_mask(w1, _DOTS) & in1
    ndots = np.int64(popcount(p0)) + np.int64(popcount(p1))
    p = _first_byte(p0, p1)
    p = p if ndots else n  # no dot: every digit is in the integer part
    k2 = n - p - 1 if ndots else 0
    good = (n < 16) & (d + ndots == n) & (ndots <= 1) & (d >= 1) & (p <= 8) & (k2 <= 8)
    if not good:
        return 0.0, i, False
    if not is_whitespace(buf[j + n]):
        return 0.0, i, False
    ipart = _parse8(_shl(w0, 8 * (8 - p)) | _shr(_ZEROS, 8 * p))
    q = min(p + 1, 15)  # the fraction starts at byte q of (w0, w1)
    sl = max(64 - 8 * q, 0)
    sr = max(8 * q - 64, 0)
    hi = _shl(w1, sl) if q <= 8 else _shr(w1, sr)
    frac = _shr(w0, 8 * q) | hi
    fpart = _parse8(_shl(frac, 8 * (8 - k2)) | _shr(_ZEROS, 8 * k2))
    mant = ipart * _POW10_U64[k2] + fpart
    if mant > _MAX_MANTISSA:
        return 0.0, i, False
    v = np.float64(mant) / _POW10[k2]
    v = v * (1.0 - 2.0 * neg)  # exact; -0.0 for "-0"
    return v, j + n, True
