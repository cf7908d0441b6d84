"""What the tests share: one comparison helper, so tolerances are stated the same way everywhere,
the Numba thread count a test needs, and whether NumPy's BLAS is OpenBLAS."""

from __future__ import annotations

import contextlib

import numba
import numpy as np
import pytest

# float64 kernels against the float64 reference: only summation order differs.
RTOL_F64 = 1e-10
# float32 kernels against the float64 reference: float32 carries ~6e-8 relative error per
# rounding; a K=512 dot product accumulates O(sqrt(K) * eps32) ~ 1.4e-6 typical relative error,
# and cancellation in sums of mixed-sign terms needs an absolute floor scaled to the magnitude.
RTOL_F32 = 2e-5


def assert_close(actual, expected, *, rtol: float, atol_scale: float | None = None, what: str = ""):
    """Assert ``|actual - expected| <= rtol * |expected| + atol`` elementwise.

    ``atol`` is ``rtol * atol_scale * max|expected|`` (default ``atol_scale = 1``, the maximum
    taken over the finite entries): an absolute floor proportional to the array's own magnitude,
    so entries that cancel to ~0 are judged against the size of their inputs, not against zero.

    Non-finite entries must match position by position and kind by kind (NaN, +inf, -inf);
    the finite entries are then compared with the tolerance.
    """
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    a64 = actual.astype(np.float64)
    e64 = expected.astype(np.float64)
    finite_a, finite_e = np.isfinite(a64), np.isfinite(e64)
    kind_a = np.where(np.isnan(a64), 2.0, np.where(finite_a, 0.0, np.sign(a64)))
    kind_e = np.where(np.isnan(e64), 2.0, np.where(finite_e, 0.0, np.sign(e64)))
    if not np.array_equal(kind_a, kind_e):
        idx = tuple(int(i) for i in np.argwhere(kind_a != kind_e)[0])
        raise AssertionError(f"{what}: non-finite entries differ; first at {idx}: {actual[idx]!r} vs {expected[idx]!r}")
    both = finite_e  # == finite_a here
    scale = float(np.max(np.abs(e64[both]))) if both.any() else 0.0
    atol = rtol * (1.0 if atol_scale is None else atol_scale) * scale
    a64, e64 = np.where(both, a64, 0.0), np.where(both, e64, 0.0)
    err = np.abs(a64 - e64)
    bound = rtol * np.abs(e64) + atol
    bad = err > bound
    if np.any(bad):
        idx = np.unravel_index(np.argmax(np.where(bad, err - bound, -np.inf)), err.shape)
        raise AssertionError(
            f"{what}: {int(bad.sum())} of {err.size} entries differ beyond rtol={rtol:g}; "
            f"worst at {idx}: {actual[idx]!r} vs {expected[idx]!r}"
        )


def assert_identical(actual, expected, *, what: str = ""):
    """Assert same shape, dtype and bits (NaNs with the same payload count as equal)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    if actual.size == 0:
        return
    # .view needs a contiguous last axis: compare the bytes of contiguous copies
    a = np.ascontiguousarray(actual).reshape(-1).view(np.uint8).reshape(actual.size, -1)
    e = np.ascontiguousarray(expected).reshape(-1).view(np.uint8).reshape(expected.size, -1)
    if not np.array_equal(a, e):
        flat = int(np.flatnonzero((a != e).any(axis=1))[0])
        first = tuple(int(i) for i in np.unravel_index(flat, actual.shape))
        raise AssertionError(f"{what}: not bit-identical; first difference at {first}: "
                             f"{actual[first]!r} vs {expected[first]!r}")


def readonly(a) -> np.ndarray:
    """A read-only view of ``a``: how ``Vectors`` hands every array it only reads to the
    featurizer kernel, so a test calling the kernel directly reuses that compiled specialization."""
    view = np.asarray(a).view()
    view.flags.writeable = False
    return view


@contextlib.contextmanager
def numba_threads(n: int):
    """Run the block on ``n`` Numba threads, restoring the count after. Fails, naming the
    variable, where Numba's pool is smaller than ``n``: a test of thread-count independence
    must not pass without running on the threads it compares (tests/conftest.py gives the pool
    two threads on a one-core machine)."""
    require_numba_threads(n)
    old = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        yield
    finally:
        numba.set_num_threads(old)


def require_numba_threads(n: int) -> None:
    """Fail with a message unless Numba's pool has at least ``n`` threads."""
    if numba.config.NUMBA_NUM_THREADS < n:
        pytest.fail(f"this test compares runs on 1 and {n} Numba threads, and NUMBA_NUM_THREADS is "
                    f"{numba.config.NUMBA_NUM_THREADS}: unset it or set it to {n} or more", pytrace=False)


def skip_unless_openblas() -> None:
    """Skip, saying so, where NumPy's BLAS is not OpenBLAS. The kernels' own ``W @ h``
    (kernels/openblas_order) sums in OpenBLAS's order: on OpenBLAS, this project's machines,
    the tests that call this assert that the probe finds that order; on another BLAS the
    kernels call ``np.dot`` instead, whose order these tests do not know."""
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    name = str(blas.get("name", ""))
    if "openblas" not in name.lower():
        pytest.skip(f"NumPy's BLAS here is {name!r}, not OpenBLAS: the kernels' own W @ h copies OpenBLAS's "
                    "summation order, and the kernels call np.dot on this machine")
