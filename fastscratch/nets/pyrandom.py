"""``random.shuffle`` of an index array, compiled, with Python's global generator.

The post's ``SGD`` calls ``random.shuffle(training_data)`` every epoch; the drop-in shuffles an
array of row numbers instead, which gives the same permutation (``random.shuffle`` draws
depend only on the length) and leaves the ``random`` module's state where the post's call
leaves it. :mod:`fastscratch.kernels.mt19937` does it in ~1.5 ms for 50,000 items instead of
46 ms. A one-time check against ``random.shuffle`` guards against another Python's algorithm;
on a mismatch the shuffle falls back to ``random.shuffle`` itself.
"""

from __future__ import annotations

import functools
import random

import numpy as np

from fastscratch.kernels import mt19937


def _compiled_shuffle(order: np.ndarray) -> None:
    version, words, gauss = random.getstate()
    mt = np.array(words[:624], dtype=np.uint32)
    pos = np.array([words[624]], dtype=np.int64)
    mt19937.shuffle(order, mt, pos)
    random.setstate((version, tuple(int(w) for w in mt) + (int(pos[0]),), gauss))


@functools.lru_cache(maxsize=1)
def _compiled_matches() -> bool:
    """Whether the compiled shuffle reproduces ``random.shuffle`` (checked on a private generator
    state; the global state is restored)."""
    saved = random.getstate()
    try:
        probe = random.Random(20240601).getstate()
        for n in (2, 3, 17, 1000):
            random.setstate(probe)
            expected = list(range(n))
            random.shuffle(expected)
            after = random.getstate()
            random.setstate(probe)
            order = np.arange(n, dtype=np.int64)
            _compiled_shuffle(order)
            if order.tolist() != expected or random.getstate() != after:
                return False
        return True
    finally:
        random.setstate(saved)


def shuffle(order: np.ndarray) -> None:
    """Permute the int64 array ``order`` in place as ``random.shuffle`` would permute a list."""
    if order.shape[0] < 2:
        return
    if _compiled_matches():
        _compiled_shuffle(order)
    else:
        items = order.tolist()
        random.shuffle(items)
        order[:] = items
