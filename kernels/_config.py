"""Compilation options shared by every kernel: set once here, never per kernel.

``fastmath`` stays off: the loss, the sigmoid clip and the parsers rely on IEEE NaN/inf
semantics and on the exact order of float additions (bit-identical results). Only the
flags that cannot change a result are listed.
"""

JIT = dict(cache=True, nogil=True, error_model="numpy")
"""Options for serial kernels (``@njit(**JIT)``)."""

from numba.core import config as _numba_config

BOUNDS_CHECKED = bool(_numba_config.BOUNDSCHECK)
"""True in a process started with ``NUMBA_BOUNDSCHECK=1`` (``make test``'s safety pass)."""

PARALLEL_JIT = dict(JIT, parallel=not BOUNDS_CHECKED)
"""Options for kernels that use ``prange``; their results must not depend on the thread count.

With bounds checking on they compile serially (``prange`` runs as ``range``): the indices a
kernel computes are the same source and the same values either way, so the check covers the
parallel kernel's indexing, and the serial compile is cheap. Measured with an empty cache: the
featurizer compiles with bounds checks in 22 s serially against 138 s as a parallel region
(the parfor passes' copy propagation grows with the inlined body)."""

INLINE_JIT = dict(JIT, inline="always")
"""For tiny helpers called per element: inlined at Numba IR level into each caller (LLVM does
not inline across separately cached kernels, which costs a call per element)."""
