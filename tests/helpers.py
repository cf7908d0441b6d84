"""One comparison helper for every test, so tolerances are stated the same way everywhere."""

from __future__ import annotations

import numpy as np

# float64 kernels against the float64 reference: only summation order differs.
RTOL_F64 = 1e-10
# float32 kernels against the float64 reference: float32 carries ~6e-8 relative error per
# rounding; a K=512 dot product accumulates O(sqrt(K) * eps32) ~ 1.4e-6 typical relative error,
# and cancellation in sums of mixed-sign terms needs an absolute floor scaled to the magnitude.
RTOL_F32 = 2e-5


def assert_close(actual, expected, *, rtol: float, atol_scale: float | None = None, what: str = ""):
    """Assert ``|actual - expected| <= rtol * |expected| + atol`` elementwise.

    ``atol`` is ``rtol * atol_scale * max|expected|`` (default ``atol_scale = 1``): an absolute
    floor proportional to the array's own magnitude, so entries that cancel to ~0 are judged
    against the size of their inputs, not against zero.
    """
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert np.all(np.isfinite(actual)) == np.all(np.isfinite(expected)), f"{what}: finiteness differs"
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    atol = rtol * (1.0 if atol_scale is None else atol_scale) * scale
    err = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    bound = rtol * np.abs(expected.astype(np.float64)) + atol
    bad = err > bound
    if np.any(bad):
        idx = np.unravel_index(np.argmax(err - bound), err.shape)
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
    a = actual.view(np.uint8) if actual.size else actual
    e = expected.view(np.uint8) if expected.size else expected
    if not np.array_equal(a, e):
        diff = np.argwhere(actual != expected)
        first = tuple(diff[0]) if len(diff) else "(NaN payload)"
        raise AssertionError(f"{what}: not bit-identical; first difference at {first}")


def readonly(a) -> np.ndarray:
    """A read-only view of ``a``: how ``Vectors`` hands every array it only reads to the
    featurizer kernel, so a test calling the kernel directly reuses that compiled specialization."""
    view = np.asarray(a).view()
    view.flags.writeable = False
    return view
