"""Counter-based dropout randomness: a uniform in [0, 1) for every (seed, step, layer, element).

Each value is a pure function of its coordinates (splitmix64's output mix applied to a
counter), so a seeded run draws the same masks however the work is split across threads,
and no generator state has to be carried between calls.
"""

import numpy as np
from numba import njit

from ._config import INLINE_JIT, JIT

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 2.0**-53


@njit(**INLINE_JIT)
def mix64(z):
    """splitmix64's finaliser: a bijective scramble of a uint64."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(**JIT)
def stream_key(seed, step, layer):
    """The key of one (seed, training step, layer) stream of uniforms."""
    k = mix64(np.uint64(seed) * GOLDEN + np.uint64(0x632BE59BD9B4E019))
    k = mix64(k + np.uint64(step + 1) * GOLDEN)
    return mix64(k + np.uint64(layer + 1) * GOLDEN)


@njit(**INLINE_JIT)
def uniform(key, index):
    """Element ``index`` of the stream ``key``: a float64 uniform in [0, 1) with 53 random bits."""
    bits = mix64(key + np.uint64(index + 1) * GOLDEN)
    return np.float64(bits >> np.uint64(11)) * _TO_UNIT


@njit(**INLINE_JIT)
def keeps(key, index, threshold):
    """``uniform(key, index) > p`` as an integer compare, given ``threshold = floor(p * 2**53)``:
    ``k * 2**-53 > p`` holds exactly when ``k > floor(p * 2**53)``."""
    return (mix64(key + np.uint64(index + 1) * GOLDEN) >> np.uint64(11)) > threshold


@njit(**JIT)
def fill_uniforms(seed, step, layer, out):
    """Write the first ``out.size`` uniforms of one stream into ``out`` (float64, 1-D)."""
    key = stream_key(seed, step, layer)
    for i in range(out.size):
        out[i] = uniform(key, i)
