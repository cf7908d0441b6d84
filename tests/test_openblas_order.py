"""kernels/openblas_order.gemv: the summation order it documents, NumPy's bits where that order is
NumPy's BLAS's, and its refusals.

The order is checked against a plain-Python model of it with exact arithmetic (``fractions``:
a fused multiply-add is the exact ``a * b + c`` rounded once, and ``float(Fraction)`` rounds
correctly), so that check does not depend on the machine's BLAS. Whether NumPy's BLAS uses the
same order is a property of the machine, which :func:`gemv_matches_numpy` probes: on OpenBLAS,
the BLAS of this project's machines, it must find the order for every shape below, and every
product must equal ``np.dot``'s bits; on another BLAS those tests are skipped, saying so.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastscratch.kernels import openblas_order
from fastscratch.nets.numpy_loops import gemv_matches_numpy
from tests.helpers import skip_unless_openblas


def fma(a: float, b: float, c: float) -> float:
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def model_gemv(W: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The documented order, one rounding per operation: four lanes of fused multiply-adds in
    index order, ``(l0 + l2) + (l1 + l3)``, plus ``0.0``. Finite inputs only."""
    H, K = W.shape
    y = np.empty(H)
    for j in range(H):
        lanes = [0.0, 0.0, 0.0, 0.0]
        for k in range(K):
            lanes[k % 4] = fma(float(W[j, k]), float(x[k]), lanes[k % 4])
        y[j] = ((lanes[0] + lanes[2]) + (lanes[1] + lanes[3])) + 0.0
    return y


def _random(rows: int, cols: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((rows, cols)) * np.exp2(rng.integers(-20, 20, (rows, cols)))
    return W, rng.standard_normal(cols)


def _gemv(W, x, reverse=False):
    y = np.full(W.shape[0], np.nan)
    openblas_order.gemv(W, x, y, reverse)
    return y


# 4x4 is one short block, 12 and 100 end on a 4-row tail after 8-row blocks, 2048 is the
# longest row OpenBLAS sums in one piece.
SHAPES = [(4, 4), (8, 4), (12, 8), (16, 12), (100, 100), (4, 2048)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reverse", [False, True])
def test_gemv_computes_the_documented_order(shape, reverse):
    W, x = _random(*shape, seed=shape[0] * 7 + shape[1])
    got = _gemv(W, x, reverse)
    assert np.array_equal(got.view(np.int64), model_gemv(W, x).view(np.int64))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_gemv_order_on_random_shapes(rows4, cols4, seed):
    W, x = _random(4 * rows4, 4 * cols4, seed)
    assert np.array_equal(_gemv(W, x, seed % 2 == 1), model_gemv(W, x))


def test_the_order_is_not_a_plain_dot_product():
    """The model is not a tautology: a sequential sum of the same products differs from it."""
    W, x = _random(100, 100, seed=1)
    sequential = np.array([float(sum((Fraction(float(a)) * Fraction(float(b)) for a, b in zip(row, x)), Fraction(0)))
                           for row in W])
    assert not np.array_equal(_gemv(W, x), sequential)


@pytest.mark.parametrize("shape", SHAPES)
def test_gemv_gives_numpys_bits_on_openblas(shape):
    """On OpenBLAS the probe finds its order for every shape here, and the kernel gives np.dot's
    bits, infinities, NaNs and signed zeros included. (The probe makes the very comparison this
    test is about: skipping where it says no would turn a kernel regression into a skip.)"""
    skip_unless_openblas()
    assert gemv_matches_numpy(*shape), f"the probe does not find OpenBLAS's order for {shape}"
    W, x = _random(*shape, seed=5)
    W[0, :3] = [np.inf, -0.0, np.nan]
    x[1] = -0.0
    with np.errstate(all="ignore"):
        expected = np.dot(W, x)
    for reverse in (False, True):
        assert np.array_equal(_gemv(W, x, reverse).view(np.int64), expected.view(np.int64))
    # every product rounds to -0.0, and so does each lane: BLAS's last step (0 + 1.0 * sum) makes it +0.0
    tiny_W, tiny_x = np.full(shape, -1e-200), np.full(shape[1], 1e-200)
    assert not np.signbit(np.dot(tiny_W, tiny_x)).any()
    assert np.array_equal(_gemv(tiny_W, tiny_x).view(np.int64), np.dot(tiny_W, tiny_x).view(np.int64))


def test_the_probe_refuses_shapes_the_kernel_does_not_take():
    """Whatever the BLAS: widths that are not multiples of 4, and rows longer than 2048."""
    assert not gemv_matches_numpy(6, 6)
    assert not gemv_matches_numpy(100, 4096)


@pytest.mark.parametrize("shape, xlen, ylen, message", [
    ((6, 8), 8, 6, "positive multiples of 4"), ((8, 6), 6, 8, "positive multiples of 4"),
    ((4, 4096), 4096, 4, "K <= 2048"), ((0, 4), 4, 0, "positive multiples of 4"),
    ((8, 8), 7, 8, "x must have W's K columns"), ((8, 8), 8, 4, "y its H rows"),
])
def test_gemv_refuses_shapes_it_does_not_take(shape, xlen, ylen, message):
    with pytest.raises(ValueError, match=message):
        openblas_order.gemv(np.ones(shape), np.ones(xlen), np.empty(ylen), False)
    assert not openblas_order.fits(*shape) or xlen != shape[1] or ylen != shape[0]


@pytest.mark.parametrize("make, message", [
    (lambda W, x, y: (np.asfortranarray(W), x, y), "W must be a C-contiguous float64"),
    (lambda W, x, y: (W, x[::1].astype(np.float32), y), "x must be a C-contiguous float64"),
    (lambda W, x, y: (W, x, np.frombuffer(y.tobytes())), "y is read-only"),
])
def test_gemv_refuses_layouts_it_does_not_take(make, message):
    from numba.core.errors import TypingError

    W, x, y = make(np.ones((8, 8)), np.ones(8), np.zeros(8))
    with pytest.raises(TypingError, match=message):
        openblas_order.gemv(W, x, y, False)
