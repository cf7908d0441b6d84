"""NumPy's own arithmetic for kernels that must round exactly as NumPy: the address of its float64
``exp`` loop, and whether the kernels' matrix-vector product gives ``np.dot``'s bits.

A ufunc keeps its inner loops in the public ``PyUFuncObject`` struct (``numpy/ufuncobject.h``):
after ``PyObject_HEAD`` come ``int nin, nout, nargs, identity``, then ``functions`` (the loops),
``data``, ``int ntypes``, ``int reserved1``, ``name`` and ``types`` (``ntypes * nargs`` type
numbers). The loop found there is checked twice before it is used: its struct must describe
``np.exp`` (name, counts and types as the Python object reports them), and the loop called on
test values must give ``np.exp``'s bits. Otherwise the kernels get 0 and use their own ``exp``
(within an ulp of NumPy's: enough for everything but the post's RNN update rule).

:func:`gemv_matches_numpy` checks :func:`fastscratch.kernels.openblas_order.gemv` against
``np.dot`` on random matrices of the shape in use, once per shape.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Iterator

import numpy as np

from fastscratch.kernels import openblas_order
from fastscratch.nets.threads import single_threaded_blas

_LOOP = ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_ssize_t),
                         ctypes.POINTER(ctypes.c_ssize_t), ctypes.c_void_p)
_HEAD = 2 * ctypes.sizeof(ctypes.c_void_p)  # PyObject_HEAD: refcount and type


def _struct_loop(ufunc: np.ufunc, dtype) -> tuple[int, int]:
    """(loop, data) addresses of ``ufunc``'s ``dtype -> dtype`` loop from its C struct."""
    base = id(ufunc)
    nin, nout, nargs, _identity = (ctypes.c_int * 4).from_address(base + _HEAD)
    ptr = ctypes.sizeof(ctypes.c_void_p)
    functions = ctypes.c_void_p.from_address(base + _HEAD + 16).value
    data = ctypes.c_void_p.from_address(base + _HEAD + 16 + ptr).value
    ntypes = ctypes.c_int.from_address(base + _HEAD + 16 + 2 * ptr).value
    name = ctypes.c_char_p.from_address(base + _HEAD + 16 + 2 * ptr + 8).value
    types = ctypes.c_void_p.from_address(base + _HEAD + 16 + 3 * ptr + 8).value
    if (nin, nout, nargs, ntypes, name) != (ufunc.nin, ufunc.nout, ufunc.nargs, ufunc.ntypes, ufunc.__name__.encode()):
        raise LookupError("the ufunc struct does not have the expected layout")
    nums = list((ctypes.c_byte * (ntypes * nargs)).from_address(types))
    reported = [[np.dtype(c).num for c in sig.replace("->", "")] for sig in ufunc.types]
    if [nums[k * nargs : (k + 1) * nargs] for k in range(ntypes)] != reported:
        raise LookupError("the ufunc struct's types differ from ufunc.types")
    want = [np.dtype(dtype).num] * nargs
    k = reported.index(want)  # the first match: the loop NumPy's type resolution picks
    loop = (ctypes.c_void_p * ntypes).from_address(functions)[k]
    loop_data = (ctypes.c_void_p * ntypes).from_address(data)[k] if data else None
    return int(loop or 0), int(loop_data or 0)


def _agrees(loop: int, data: int, ufunc: np.ufunc) -> bool:
    """Whether the loop gives ``ufunc``'s bits on a spread of float64 values."""
    x = np.concatenate([np.linspace(-745.5, 710.0, 4001), np.random.default_rng(0).standard_normal(4000) * 30,
                        [0.0, -0.0, np.inf, -np.inf, np.nan]])
    out = np.empty_like(x)
    args = (ctypes.c_void_p * 2)(x.ctypes.data, out.ctypes.data)
    dims = (ctypes.c_ssize_t * 1)(x.size)
    steps = (ctypes.c_ssize_t * 2)(8, 8)
    with np.errstate(all="ignore"):
        _LOOP(loop)(args, dims, steps, data or None)
        expected = ufunc(x)
    return bool(np.array_equal(out.view(np.int64), expected.view(np.int64)))


@functools.lru_cache(maxsize=1)
def exp_float64() -> tuple[int, int]:
    """``(loop, data)``: the addresses of ``np.exp``'s float64 loop, or ``(0, 0)`` when it cannot
    be found or does not reproduce ``np.exp``."""
    try:
        loop, data = _struct_loop(np.exp, np.float64)
    except (LookupError, ValueError, OSError):
        return 0, 0
    if loop == 0 or not _agrees(loop, data, np.exp):
        return 0, 0
    return loop, data


@functools.lru_cache(maxsize=16)
def gemv_matches_numpy(rows: int, cols: int) -> bool:
    """Whether :func:`~fastscratch.kernels.openblas_order.gemv` gives ``np.dot(W, x)``'s bits for
    ``W`` float64[rows, cols] here, with the BLAS on one thread as the kernels run it (a large
    product's bits can change with OpenBLAS's thread count: it splits the columns). The shape
    must fit the kernel, and on :func:`_gemv_cases` all outputs must agree. The kernel's order
    either is the BLAS's, and then every input agrees, or is not, and then random sums differ
    in most outputs."""
    if not openblas_order.fits(rows, cols):
        return False
    with single_threaded_blas(), np.errstate(all="ignore"):
        for W, x, reverse in _gemv_cases(rows, cols):
            y = np.full(rows, np.nan)
            openblas_order.gemv(W, x, y, reverse)
            if not np.array_equal(y.view(np.int64), np.dot(W, x).view(np.int64)):
                return False
    return True


def _gemv_cases(rows: int, cols: int) -> Iterator[tuple[np.ndarray, np.ndarray, bool]]:
    """``(W, x, reverse)``, one at a time: three random products with every sign and a spread of
    magnitudes (the second with the rows taken backwards, the third with an infinity, a NaN and
    signed zeros), then one whose products all round to ``-0.0`` (the sum's sign of zero)."""
    rng = np.random.default_rng(20261202)
    for case, reverse in enumerate((False, True, False)):
        W = rng.standard_normal((rows, cols)) * np.exp2(rng.integers(-30, 30, (rows, cols)))
        x = rng.standard_normal(cols)
        if case == 2:
            W[0, 0], W[-1, -1], x[-1] = np.inf, np.nan, -0.0
            W[rows // 2] = -0.0
        yield W, x, reverse
    yield np.full((rows, cols), -1e-200), np.full(cols, 1e-200), False
