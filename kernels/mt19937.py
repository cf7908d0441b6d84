"""Python's ``random.shuffle``, compiled: the same permutation from the same generator state.

``random.shuffle(x)`` walks ``i = len(x) - 1 .. 1`` and swaps ``x[i]`` with ``x[j]``,
``j = _randbelow(i + 1)``; ``_randbelow(n)`` draws ``k = n.bit_length()`` bits,
``getrandbits(k) = genrand_uint32() >> (32 - k)`` (``k <= 32``), and redraws while the result is
``>= n``. ``genrand_uint32`` is MT19937 as CPython's ``_randommodule.c`` has it (624 words, the
twist when the index reaches 624, then the tempering). The caller passes the 624 words and the
index of ``random.getstate()`` and puts the advanced state back with ``random.setstate``, so
the generator ends where ``random.shuffle`` would have left it. Measured on 50,000 items:
1.6 ms against 46 ms for ``random.shuffle``, for a training epoch of ~100 ms.
"""

import numpy as np
from numba import njit

from ._config import JIT

N = 624
M = 397
_MATRIX_A = np.uint32(0x9908B0DF)
_UPPER = np.uint32(0x80000000)
_LOWER = np.uint32(0x7FFFFFFF)


@njit(**JIT)
def _twist(mt):
    """Regenerate the 624 words in place (CPython's loop, folded into one index formula)."""
    for kk in range(N):
        y = (mt[kk] & _UPPER) | (mt[(kk + 1) % N] & _LOWER)
        v = mt[(kk + M) % N] ^ (y >> np.uint32(1))
        if y & np.uint32(1):
            v ^= _MATRIX_A
        mt[kk] = v


@njit(**JIT)
def genrand_uint32(mt, pos):
    """The next 32-bit output; ``pos`` is a 1-element int64 array holding the state's index."""
    if pos[0] >= N:
        _twist(mt)
        pos[0] = 0
    y = mt[pos[0]]
    pos[0] += 1
    y ^= y >> np.uint32(11)
    y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
    y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
    y ^= y >> np.uint32(18)
    return y


@njit(**JIT)
def _bit_length(n):
    k = 0
    while n > 0:
        n >>= 1
        k += 1
    return k


@njit(**JIT)
def randbelow(mt, pos, n):
    """``random._randbelow(n)`` for ``2 <= n <= 2**32``."""
    shift = np.uint32(32 - _bit_length(n))
    r = np.int64(genrand_uint32(mt, pos) >> shift)
    while r >= n:
        r = np.int64(genrand_uint32(mt, pos) >> shift)
    return r


@njit(**JIT)
def shuffle(x, mt, pos):
    """Shuffle the 1-D array ``x`` in place exactly as ``random.shuffle`` shuffles a list.

    ``mt``: uint32[624], the generator's words (advanced in place); ``pos``: int64[1], its index.
    Lengths up to 2**32 items.
    """
    for i in range(x.shape[0] - 1, 0, -1):
        j = randbelow(mt, pos, i + 1)
        t = x[i]
        x[i] = x[j]
        x[j] = t
