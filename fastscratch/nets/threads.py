"""Keep the BLAS single-threaded while fastscratch's own two-part parallel kernels run.

The fit and scoring kernels give each of the machine's threads its own BLAS call; a BLAS
that also spawned threads would oversubscribe the cores. The controllers are looked up once
(threadpoolctl's scan is slow) and every change is undone on exit.
"""

from __future__ import annotations

import contextlib
import functools


@functools.lru_cache(maxsize=1)
def _blas_controllers():
    from threadpoolctl import ThreadpoolController

    from fastscratch.kernels import blas  # noqa: F401  (loads the BLAS the kernels call, so it is found)

    return tuple(ThreadpoolController().select(user_api="blas").lib_controllers)


@contextlib.contextmanager
def single_threaded_blas():
    """Within the block every loaded BLAS runs on one thread; the previous counts come back after."""
    saved = []
    try:
        for lib in _blas_controllers():
            n = lib.num_threads
            if n != 1:
                lib.set_num_threads(1)
                saved.append((lib, n))
        yield
    finally:
        for lib, n in saved:
            lib.set_num_threads(n)
