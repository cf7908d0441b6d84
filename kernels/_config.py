"""Compilation options shared by every kernel: set once here, never per kernel.

``fastmath`` stays off: the loss, the sigmoid clip and the parsers rely on IEEE NaN/inf
semantics and on the exact order of float additions (bit-identical results). Only the
flags that cannot change a result are listed.
"""

JIT = dict(cache=True, nogil=True, error_model="numpy")
"""Options for serial kernels (``@njit(**JIT)``)."""

PARALLEL_JIT = dict(JIT, parallel=True)
"""Options for kernels that use ``prange``; their results must not depend on the thread count."""

INLINE_JIT = dict(JIT, inline="always")
"""For tiny helpers called per element: inlined at Numba IR level into each caller (LLVM does
not inline across separately cached kernels, which costs a call per element)."""
