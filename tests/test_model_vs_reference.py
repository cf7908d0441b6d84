"""The drop-in ScratchNet and its kernels against the NumPy reference.

Masks are injected by running both models on NumPy's global RNG from the same seed
(``rng='numpy'``): they draw the same uniforms in the same order, so both apply the same
masks, which the tests also compare directly.

Tolerances: float64 paths ``RTOL_F64`` (1e-10: only BLAS summation order differs); float32
paths ``RTOL_F32`` (2e-5, see tests/helpers.py) against the float64 reference.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastscratch
from fastscratch import reference as ref
from tests.helpers import RTOL_F32, RTOL_F64, assert_close


def make_data(n, d, seed=0, positive=0.25):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(np.float32)
    y = (rng.random(n) < positive).astype(np.int64)
    return X, y


def pair(d, hidden, dropout, dtype, seed=7):
    """A reference model and a drop-in with the same initial weights, on the numpy RNG."""
    np.random.seed(seed)
    r = ref.ScratchNet(d, hidden, dropout)
    np.random.seed(seed)
    f = fastscratch.ScratchNet(d, hidden, dropout, dtype=dtype, rng="numpy")
    return r, f


def one_step(r, f, X, y, rtol, seed=11, lr=0.01, l2=0.005, pos_weight=2.0):
    """forward, backward, update on both models from the same RNG state; compare everything."""
    np.random.seed(seed)
    zr = r.forward(X)
    np.random.seed(seed)
    zf = f.forward(X)
    assert zf.shape == zr.shape == (X.shape[0], 1)
    for i, (ar, af) in enumerate(zip(r.activations, f.activations)):
        assert_close(af, ar, rtol=rtol, what=f"activations[{i}]")
    for i, (mr, mf) in enumerate(zip(r.dropout_masks, f.dropout_masks)):
        if mr is None:
            assert mf is None
        else:
            assert_close(mf, mr, rtol=0, what=f"dropout_masks[{i}]")
    assert_close(zf, zr, rtol=rtol, what="logits")
    assert ref.stable_bce_loss(zf, y, pos_weight) == pytest.approx(ref.stable_bce_loss(zr, y, pos_weight), rel=rtol * 10)
    r.backward(zr, y, pos_weight)
    f.backward(zf, y, pos_weight)
    for i, (lr_, lf) in enumerate(zip(r.layers, f.layers)):
        assert lf["db"].shape == lr_["db"].shape
        assert_close(lf["dW"], lr_["dW"], rtol=rtol, what=f"layers[{i}]['dW']")
        assert_close(lf["db"], lr_["db"], rtol=rtol, what=f"layers[{i}]['db']")
    r.update_parameters(lr, l2)
    f.update_parameters(lr, l2)
    for i, (lr_, lf) in enumerate(zip(r.layers, f.layers)):
        assert lf["W"].shape == lr_["W"].shape and lf["b"].shape == lr_["b"].shape
        assert_close(lf["W"], lr_["W"], rtol=rtol, what=f"layers[{i}]['W'] after update")
        assert_close(lf["b"], lr_["b"], rtol=rtol, atol_scale=1e3, what=f"layers[{i}]['b'] after update")


SHAPES = [
    # (rows, input width, hidden sizes, dropout)
    (128, 300, [512, 256], 0.1),  # the original
    (1, 300, [512, 256], 0.1),  # batch 1
    (72, 30, [16, 8], 0.1),  # the original's partial last batch size
    (5, 1, [1], 0.3),  # width 1 everywhere
    (9, 4, [3, 1, 2], 0.5),  # a width-1 hidden layer in the middle
    (33, 12, [7], 0.0),  # dropout 0: no masks
    (17, 6, [], 0.1),  # no hidden layer (logistic regression)
]


@pytest.mark.parametrize("dtype,rtol", [(np.float64, RTOL_F64), (np.float32, RTOL_F32)])
@pytest.mark.parametrize("n,d,hidden,dropout", SHAPES)
def test_forward_backward_update_match_reference(n, d, hidden, dropout, dtype, rtol):
    X, y = make_data(n, d, seed=n + d)
    r, f = pair(d, hidden, dropout, dtype)
    one_step(r, f, X, y, rtol)
    one_step(r, f, X, y, rtol, seed=12)  # a second step from updated weights


def test_eval_mode_forward_has_no_masks():
    X, y = make_data(20, 10)
    r, f = pair(10, [8, 4], 0.2, np.float64)
    r.training = f.training = False
    one_step(r, f, X, y, RTOL_F64)
    assert f.dropout_masks == [None, None]


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 40),
    d=st.integers(1, 24),
    hidden=st.lists(st.integers(1, 24), min_size=0, max_size=3),
    dropout=st.sampled_from([0.0, 0.1, 0.5, 0.9]),
    seed=st.integers(0, 2**16),
)
def test_random_shapes_match_reference(n, d, hidden, dropout, seed):
    X, y = make_data(n, d, seed=seed)
    r, f = pair(d, hidden, dropout, np.float64, seed=seed)
    one_step(r, f, X, y, RTOL_F64, seed=seed + 1)


def test_predict_proba_matches_reference_beyond_one_chunk():
    # 5,000 rows: more than two scoring chunks of 2,048, the last one partial
    X, _ = make_data(5000, 30)
    for dtype, rtol in [(np.float64, RTOL_F64), (np.float32, RTOL_F32)]:
        r, f = pair(30, [20, 10], 0.1, dtype)
        pr = r.predict_proba(X)
        pf = f.predict_proba(X)
        assert pf.dtype == np.float64 and pf.shape == (5000,)
        assert_close(pf, pr, rtol=rtol, what=f"predict_proba {np.dtype(dtype)}")
        assert f.training is True
        assert_close(f.predict_proba(X[:1]), pr[:1], rtol=rtol, what="one row")
        assert_close(f.predict_proba(X[0]), pr[:1], rtol=rtol, what="a 1-D row")


def test_notebook_loop_reproduces_reference_weights_in_numpy_mode():
    """The notebook cell, unchanged, on both classes: np.random.seed(42), 3 epochs, 2,000 rows."""
    X, y = make_data(2000, 300, seed=3)
    np.random.seed(42)
    r = ref.ScratchNet(300, [512, 256], 0.1)
    hist_r = ref.train_notebook(r, X, y, epochs=3)
    np.random.seed(42)
    f = fastscratch.ScratchNet(300, [512, 256], 0.1, dtype=np.float64, rng="numpy")
    hist_f = ref.train_notebook(f, X, y, epochs=3)
    for (lr_, ar), (lf, af) in zip(hist_r, hist_f):
        assert lf == pytest.approx(lr_, rel=1e-9)
        assert af == ar
    for i, (a, b) in enumerate(zip(r.layers, f.layers)):
        assert_close(b["W"], a["W"], rtol=1e-9, what=f"W{i}")
        assert_close(b["b"], a["b"], rtol=1e-9, atol_scale=1e3, what=f"b{i}")

    # fit() runs the same loop fused (scaled weights, split products): same numbers
    np.random.seed(42)
    g = fastscratch.ScratchNet(300, [512, 256], 0.1, dtype=np.float64, rng="numpy")
    hist_g = g.fit(X, y, epochs=3, accuracy="notebook")
    assert hist_g.loss == pytest.approx([h[0] for h in hist_r], rel=1e-9)
    assert hist_g.accuracy == [h[1] for h in hist_r]
    for i, (a, b) in enumerate(zip(r.layers, g.layers)):
        assert_close(b["W"], a["W"], rtol=1e-9, what=f"fit W{i}")
        assert_close(b["b"], a["b"], rtol=1e-9, atol_scale=1e3, what=f"fit b{i}")


@pytest.mark.parametrize("n,batch_size", [(300, 128), (257, 16), (40, 1), (64, 1000)])
def test_fit_equals_the_per_call_methods_in_float32_counter_mode(n, batch_size):
    """fit's fused epoch kernel (float32, counter RNG) against the drop-in's own methods
    driven by the notebook loop from the same seed: same masks (same steps), float32 tolerance."""
    X, y = make_data(n, 20, seed=n)
    a = fastscratch.ScratchNet(20, [16, 8], 0.2, seed=5)
    b = fastscratch.ScratchNet(20, [16, 8], 0.2, seed=5)
    hist_a = ref.train_notebook(a, X, y, epochs=2, batch_size=batch_size, lr=0.01)
    hist_b = b.fit(X, y, epochs=2, batch_size=batch_size, lr=0.01, accuracy="notebook")
    assert hist_b.loss == pytest.approx([h[0] for h in hist_a], rel=1e-4)
    for i, (la, lb) in enumerate(zip(a.layers, b.layers)):
        assert lb["W"].dtype == np.float32
        assert_close(lb["W"], la["W"], rtol=1e-4, what=f"W{i}")


def test_float32_fit_tracks_float64_reference():
    """Two epochs of float32 counter-mode fit against the float64 reference with the same
    masks is not possible (different RNG), so compare float32 vs float64 numpy-mode fit."""
    X, y = make_data(1000, 50, seed=9)
    np.random.seed(1)
    a = fastscratch.ScratchNet(50, [32, 16], 0.1, dtype=np.float64, rng="numpy")
    np.random.seed(1)
    b = fastscratch.ScratchNet(50, [32, 16], 0.1, dtype=np.float32, rng="numpy")
    np.random.seed(2)
    ha = a.fit(X, y, epochs=2, batch_size=64)
    np.random.seed(2)
    hb = b.fit(X, y, epochs=2, batch_size=64)
    assert hb.loss == pytest.approx(ha.loss, rel=1e-4)
    for la, lb in zip(a.layers, b.layers):
        assert_close(lb["W"], la["W"], rtol=1e-4)
