"""The comparison helpers fail when they should: a helper that cannot fail hides every bug."""

import numpy as np
import pytest

from tests.helpers import assert_close, assert_identical


@pytest.mark.parametrize(
    "actual,expected",
    [
        ([1.0, np.nan, 3.0], [1.0, 2.0, np.nan]),  # NaNs elsewhere, both arrays non-finite somewhere
        ([np.inf, 1.0], [-np.inf, 1.0]),  # infinities of the other sign
        ([np.nan, 1.0], [np.inf, 1.0]),  # NaN for inf
        ([np.inf, np.nan, 5.0], [np.inf, np.nan, 6.0]),  # same non-finite entries, a finite one off
        ([1.0, 2.0], [1.0, 2.1]),
    ],
)
def test_assert_close_catches_mismatches(actual, expected):
    with pytest.raises(AssertionError):
        assert_close(np.array(actual), np.array(expected), rtol=1e-6)


def test_assert_close_accepts_matching_non_finite_entries():
    assert_close(np.array([np.nan, -np.inf, np.inf, 1.0]), np.array([np.nan, -np.inf, np.inf, 1.0 + 1e-9]), rtol=1e-6)
    assert_close(np.float32([np.nan]), np.float64([np.nan]), rtol=0)  # dtypes may differ
    assert_close(np.zeros((0, 3)), np.zeros((0, 3)), rtol=0)


def test_assert_identical_on_non_contiguous_arrays():
    a = np.arange(24, dtype=np.float32).reshape(4, 6)
    assert_identical(a[:, ::2], a.copy()[:, ::2])
    assert_identical(a.T, np.ascontiguousarray(a.T))
    b = a.copy()
    b[2, 4] = -b[2, 4]
    with pytest.raises(AssertionError, match=r"first difference at \(4, 2\)"):
        assert_identical(b.T, a.T)


def test_assert_identical_sees_signed_zeros_and_nan_payloads():
    with pytest.raises(AssertionError):
        assert_identical(np.float32([-0.0]), np.float32([0.0]))
    quiet = np.float32([np.nan])
    other = quiet.view(np.uint32) | np.uint32(1)
    with pytest.raises(AssertionError):
        assert_identical(other.view(np.float32), quiet)
    with pytest.raises(AssertionError, match="dtype"):
        assert_identical(np.float32([1]), np.float64([1]))
    assert_identical(np.float64([np.nan, -0.0]), np.float64([np.nan, -0.0]))
