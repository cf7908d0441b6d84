"""The drop-in ScratchNet and its kernels against the NumPy reference.

Masks are injected by running both models on NumPy's global RNG from the same seed
(``rng='numpy'``): they draw the same uniforms in the same order, so both apply the same
masks, which the tests also compare directly.

Tolerances: float64 paths ``RTOL_F64`` (1e-10: only BLAS summation order differs); float32
paths ``RTOL_F32`` (2e-5, see tests/helpers.py) against the float64 reference.
"""

import contextlib
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastscratch
from fastscratch import reference as ref
from fastscratch.kernels import rng, train
from fastscratch.kernels.loss import loss_delta_correct
from fastscratch.nets.scratchnet import NOTEBOOK
from tests.helpers import RTOL_F32, RTOL_F64, assert_close, assert_identical


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


@contextlib.contextmanager
def reference_draws(uniforms):
    """Make ``np.random.rand`` hand the reference these arrays, in order, each of the shape it
    asks for: the reference then applies the masks of a counter-mode drop-in unchanged."""
    pending = list(uniforms)

    def rand(*shape):
        u = pending.pop(0)
        assert u.shape == shape, (u.shape, shape)
        return u

    with mock.patch.object(np.random, "rand", rand):
        yield
    assert not pending, "the reference drew fewer masks than there are hidden layers"


def counter_uniforms(seed, step, n, hidden_sizes):
    """The uniforms of the counter generator for one training step, layer by layer, in the
    reference's ``rand(n, h)`` layout (element ``(i, j)`` is stream element ``i * h + j``)."""
    out = []
    for layer, h in enumerate(hidden_sizes):
        u = np.empty(n * h)
        rng.fill_uniforms(seed, step, layer, u)
        out.append(u.reshape(n, h))
    return out


def reference_mean_abs_deltas(r, zr, y, pos_weight):
    """Per layer, the mean over rows of ``|delta|`` unit by unit, as the reference's backward pass
    forms its deltas (before ``r.backward`` updates nothing but the gradients)."""
    s = ref.sigmoid(np.clip(zr, -500, 500))
    yv = y.reshape(-1, 1).astype(np.float64)
    delta = s * (1 + (pos_weight - 1) * yv) - pos_weight * yv
    out = [None] * len(r.layers)
    for i in reversed(range(len(r.layers))):
        out[i] = np.abs(delta).mean(axis=0, keepdims=True)
        if i > 0:
            delta = (delta @ r.layers[i]["W"].T) * (r.activations[i] > 0)
            if r.dropout_masks[i - 1] is not None:
                delta = delta * r.dropout_masks[i - 1]
    return out


def one_step(r, f, X, y, rtol, seed=11, lr=0.01, l2=0.005, pos_weight=2.0, ref_uniforms=None):
    """forward, backward, update on both models from the same RNG state; compare everything.

    ``ref_uniforms``: the reference's uniforms for a counter-mode ``f`` (see counter_uniforms)
    instead of both models drawing from ``np.random.seed(seed)``."""
    if ref_uniforms is None:
        np.random.seed(seed)
        zr = r.forward(X)
        np.random.seed(seed)
    else:
        with reference_draws(ref_uniforms):
            zr = r.forward(X)
    zf = f.forward(X)
    assert zf.shape == zr.shape == (X.shape[0], 1)
    assert len(f.activations) == len(r.activations) == len(r.layers) + 1
    for i, (ar, af) in enumerate(zip(r.activations, f.activations, strict=True)):
        assert_close(af, ar, rtol=rtol, what=f"activations[{i}]")
    assert len(f.dropout_masks) == len(r.dropout_masks) == len(r.layers) - 1
    for i, (mr, mf) in enumerate(zip(r.dropout_masks, f.dropout_masks, strict=True)):
        if mr is None:
            assert mf is None
        else:
            assert_close(mf, mr, rtol=0, what=f"dropout_masks[{i}]")
    assert_close(zf, zr, rtol=rtol, what="logits")
    # the kernel's own loss (fit's batch loss) and output delta against the reference's formulas
    n = X.shape[0]
    delta = np.empty(n, f.dtype)
    total, correct = loss_delta_correct(np.ascontiguousarray(zf.reshape(-1)), y.astype(f.dtype), pos_weight, delta)
    assert total / n == pytest.approx(ref.stable_bce_loss(zr, y, pos_weight), rel=rtol * 10)
    s_ref = ref.sigmoid(np.clip(zr, -500, 500)).reshape(-1)
    assert_close(delta, s_ref * (1 + (pos_weight - 1) * y) - pos_weight * y, rtol=rtol, what="output delta")
    # rows on the right side of 0.5 (skip the test if a float32 logit sits within rounding of 0)
    if np.all(np.abs(zr) > 1e-3):
        assert correct == int(((s_ref > 0.5) == (y > 0.5)).sum())
    mean_abs_deltas = reference_mean_abs_deltas(r, zr, y, pos_weight)
    r.backward(zr, y, pos_weight)
    f.backward(zf, y, pos_weight)
    assert len(f.layers) == len(r.layers)
    for i, (lr_, lf) in enumerate(zip(r.layers, f.layers, strict=True)):
        assert lf["db"].shape == lr_["db"].shape
        assert_close(lf["dW"], lr_["dW"], rtol=rtol, what=f"layers[{i}]['dW']")
        # db is the mean of the layer's deltas: its error comes from the products that form each
        # delta (bounded by the array's own size, as assert_close's floor) and from the sum over the
        # rows, which can cancel (hypothesis found a one-unit db of 1e-11 from deltas of 1e-1): that
        # part is bounded by the size of what it sums, mean |delta|, unit by unit
        floor = rtol * np.maximum(mean_abs_deltas[i], np.max(np.abs(lr_["db"])))
        err = np.abs(lf["db"].astype(np.float64) - lr_["db"])
        assert np.all(err <= rtol * np.abs(lr_["db"]) + floor), (
            f"layers[{i}]['db']: {lf['db']!r} vs {lr_['db']!r}, floor {floor!r}")
    r.update_parameters(lr, l2)
    f.update_parameters(lr, l2)
    for i, (lr_, lf) in enumerate(zip(r.layers, f.layers, strict=True)):
        assert lf["W"].shape == lr_["W"].shape and lf["b"].shape == lr_["b"].shape
        assert_close(lf["W"], lr_["W"], rtol=rtol, what=f"layers[{i}]['W'] after update")
        # a bias moves by lr * db, the batch mean of deltas of both signs: an entry that cancels to
        # ~0 is judged against the layer's largest (assert_close's floor, rtol * max|b|; measured,
        # float32 errors stay within 3 % of that bound, float64 ones within 1e-15 of the largest
        # bias) or, for a layer of one unit, against lr times the db floor above
        floor = rtol * np.maximum(np.max(np.abs(lr_["b"])), lr * mean_abs_deltas[i])
        err = np.abs(lf["b"].astype(np.float64) - lr_["b"])
        assert np.all(err <= rtol * np.abs(lr_["b"]) + floor), (
            f"layers[{i}]['b'] after update: {lf['b']!r} vs {lr_['b']!r}, floor {floor!r}")


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
    """The notebook cell, unchanged, on both classes: np.random.seed(42), 2 epochs of 1,000 rows
    (7 batches of 128 and a partial one of 104)."""
    X, y = make_data(1000, 300, seed=3)
    np.random.seed(42)
    r = ref.ScratchNet(300, [512, 256], 0.1)
    hist_r = ref.train_notebook(r, X, y, epochs=2)
    np.random.seed(42)
    f = fastscratch.ScratchNet(300, [512, 256], 0.1, dtype=np.float64, rng="numpy")
    hist_f = ref.train_notebook(f, X, y, epochs=2)
    for (lr_, ar), (lf, af) in zip(hist_r, hist_f, strict=True):
        assert lf == pytest.approx(lr_, rel=1e-9)
        assert af == ar
    for i, (a, b) in enumerate(zip(r.layers, f.layers, strict=True)):
        assert_close(b["W"], a["W"], rtol=1e-9, what=f"W{i}")
        assert_close(b["b"], a["b"], rtol=1e-9, what=f"b{i}")

    # fit() runs the same loop fused (scaled weights, split products): same numbers
    np.random.seed(42)
    g = fastscratch.ScratchNet(300, [512, 256], 0.1, dtype=np.float64, rng="numpy")
    hist_g = g.fit(X, y, epochs=2, accuracy="notebook")
    assert hist_g.loss == pytest.approx([h[0] for h in hist_r], rel=1e-9)
    assert hist_g.accuracy == [h[1] for h in hist_r]
    for i, (a, b) in enumerate(zip(r.layers, g.layers, strict=True)):
        assert_close(b["W"], a["W"], rtol=1e-9, what=f"fit W{i}")
        assert_close(b["b"], a["b"], rtol=1e-9, what=f"fit b{i}")


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
    for i, (la, lb) in enumerate(zip(a.layers, b.layers, strict=True)):
        assert lb["W"].dtype == np.float32
        assert_close(lb["W"], la["W"], rtol=1e-4, what=f"W{i}")


def test_float32_fit_tracks_the_float64_reference():
    """Two epochs of float32 fit (numpy RNG: the reference's masks, drawn in its order) against
    the float64 reference's notebook loop, both from the same weights (the drop-in's float32
    draws, in float64 for the reference) and the same np.random state: 32 batches of 64.

    Tolerances. Losses: means of float64 terms of float32 logits, RTOL_F32. Accuracies: a row
    whose logit is within float32 rounding of 0 may fall on either side; at most two of 1,000.
    Weights: as in test_default_configuration_fit_matches_reference_step_by_step, the change
    ``W_k - W_0`` is compared (the weights' size would hide a wrong update): RTOL_F32 of the
    change, plus one float32 rounding of the stored weight per batch and two more, ``(k + 2) *
    eps32 * |W|``; the decay alone moves a weight by ``k * lr * l2 * |W|`` ~ 6e-4 |W|, 150 times
    that. Biases start at 0, so they are their change: RTOL_F32, with the default floor of
    RTOL_F32 times the layer's largest bias for entries that cancel to ~0 (measured: at most 3 %
    of the bound)."""
    X, y = make_data(1000, 50, seed=9)
    np.random.seed(1)
    f = fastscratch.ScratchNet(50, [32, 16], 0.1, dtype=np.float32, rng="numpy")
    r = ref.ScratchNet(50, [32, 16], 0.1)
    for lr_, lf in zip(r.layers, f.layers, strict=True):
        lr_["W"], lr_["b"] = lf["W"].astype(np.float64), lf["b"].astype(np.float64)
    initial = [lf["W"].astype(np.float64) for lf in f.layers]
    schedule = dict(lr=NOTEBOOK["lr"], l2_lambda=NOTEBOOK["l2_lambda"], pos_weight=NOTEBOOK["pos_weight"])
    np.random.seed(2)
    hist_r = ref.train_notebook(r, X, y, epochs=2, batch_size=64, **schedule)
    np.random.seed(2)
    hist_f = f.fit(X, y, epochs=2, batch_size=64, accuracy="notebook", **schedule)
    assert hist_f.loss == pytest.approx([h[0] for h in hist_r], rel=RTOL_F32)
    assert hist_f.accuracy == pytest.approx([h[1] for h in hist_r], abs=2 / len(y))
    batches, eps32 = 2 * -(-len(y) // 64), float(np.finfo(np.float32).eps)
    for i, (lf, lr_, W0) in enumerate(zip(f.layers, r.layers, initial, strict=True)):
        assert lf["W"].dtype == np.float32
        change_f, change_r = lf["W"].astype(np.float64) - W0, lr_["W"] - W0
        bound = RTOL_F32 * (np.abs(change_r) + np.abs(change_r).max()) + (batches + 2) * eps32 * np.abs(lr_["W"])
        assert (np.abs(change_f - change_r) <= bound).all(), (i, float(np.max(np.abs(change_f - change_r) / bound)))
        assert_close(lf["b"], lr_["b"], rtol=RTOL_F32, what=f"b{i}")


# ----------------------------------------------------------------------------- the default configuration

DEFAULT_HIDDEN = [512, 256]
DEFAULT_BATCHES = [128, 128, 128, 72]  # full batches and the notebook's partial last one (45,000 = 351 x 128 + 72)


def default_pair(seed=42):
    """The default drop-in (float32, counter RNG, 300 -> [512, 256], dropout 0.1) and a
    reference holding the same weights: the drop-in's float32 values, in float64. Both then
    start from identical numbers and differ only by the drop-in's float32 arithmetic."""
    f = fastscratch.ScratchNet(300, DEFAULT_HIDDEN, 0.1, seed=seed)
    assert f.dtype == np.float32 and f.rng == "counter"
    r = ref.ScratchNet(300, DEFAULT_HIDDEN, 0.1)
    for lr_, lf in zip(r.layers, f.layers, strict=True):
        lr_["W"] = lf["W"].astype(np.float64)
        lr_["b"] = lf["b"].astype(np.float64)
    return r, f


def test_default_configuration_per_call_methods_match_reference():
    """forward, backward and update_parameters of the default drop-in, batch after batch, against
    the reference applying the same counter-generator masks (step b for the b-th forward pass).

    Tolerance RTOL_F32 (tests/helpers.py): float32 products of K <= 512 terms against float64."""
    X, y = make_data(sum(DEFAULT_BATCHES), 300, seed=21)
    r, f = default_pair()
    start = 0
    for step, nb in enumerate(DEFAULT_BATCHES):
        Xb, yb = X[start : start + nb], y[start : start + nb]
        start += nb
        one_step(r, f, Xb, yb, RTOL_F32, lr=NOTEBOOK["lr"], l2=NOTEBOOK["l2_lambda"],
                 ref_uniforms=counter_uniforms(f.seed, step, nb, DEFAULT_HIDDEN))
        for mask, u in zip(f.dropout_masks, counter_uniforms(f.seed, step, nb, DEFAULT_HIDDEN), strict=True):
            assert_identical(mask, (u > 0.1) / (1 - 0.1), what=f"step {step} mask")


def _reference_steps(r, X, y, seed, lr, l2, pos_weight=2.0):
    """The notebook's loop on the reference with the counter masks; after every batch the
    weights, the batch loss, the rows the training pass got right and how many of those sit
    within float32 rounding of the 0.5 boundary."""
    out, start = [], 0
    for step, nb in enumerate(DEFAULT_BATCHES):
        Xb, yb = X[start : start + nb], y[start : start + nb]
        start += nb
        with reference_draws(counter_uniforms(seed, step, nb, DEFAULT_HIDDEN)):
            z = r.forward(Xb)
        loss = ref.stable_bce_loss(z, yb, pos_weight)
        correct = int(((z.reshape(-1) > 0) == (yb > 0.5)).sum())
        r.backward(z, yb, pos_weight)
        r.update_parameters(lr, l2)
        out.append(([(l["W"].copy(), l["b"].copy()) for l in r.layers], loss, correct,
                    int((np.abs(z) < 1e-3).sum())))
    return out


def test_default_configuration_fit_matches_reference_step_by_step():
    """fit's fused epoch kernel in the default configuration, after 1, 2, 3 and 4 batches, against
    the reference's forward/backward/update with the same counter masks.

    Every product here is above MIN_SPLIT_WORK, so each layer's forward runs in two column halves
    (the second from j0 = h/2 > 0) and its backward in two halves of its input units; the hidden
    weights carry the decay as a scale between batches (see kernels/train.py).

    Tolerances. The losses: means of float64 terms of float32 logits (relative error ~RTOL_F32), so
    10 * RTOL_F32. The weights: the reference and the drop-in start from the same float32 values,
    so the change ``W_k - W_0`` is compared, not ``W_k``, whose size would hide a wrong update: a
    float32 change carries the gradient's RTOL_F32 relative error, plus one float32 rounding of
    the stored weight per batch and two more for the scale (the rescaling at the end and the
    float32 cast of the initial values), i.e. ``(k + 2) * eps32 * |W|``. The decay alone moves
    a weight by ``k * lr * l2 * |W|`` ~ 1.9e-5 k |W|, about 300 times that rounding.
    """
    nb_min = min(DEFAULT_BATCHES)
    assert nb_min * 300 * 512 >= train.MIN_SPLIT_WORK and nb_min * 512 * 256 >= train.MIN_SPLIT_WORK
    lr, l2 = NOTEBOOK["lr"], NOTEBOOK["l2_lambda"]
    X, y = make_data(sum(DEFAULT_BATCHES), 300, seed=22)
    r, f0 = default_pair()
    initial = [(l["W"].copy(), l["b"].copy()) for l in f0.layers]
    steps = _reference_steps(r, X, y, f0.seed, lr, l2)
    eps32 = float(np.finfo(np.float32).eps)
    for k in range(1, len(DEFAULT_BATCHES) + 1):
        rows = sum(DEFAULT_BATCHES[:k])
        f = fastscratch.ScratchNet(300, DEFAULT_HIDDEN, 0.1, seed=f0.seed)
        hist = f.fit(X[:rows], y[:rows], epochs=1)  # the notebook's batch 128, lr, l2 and pos_weight
        assert len(f.layers) == len(initial)
        ref_weights, _, _, _ = steps[k - 1]
        assert hist.loss[0] == pytest.approx(np.mean([s[1] for s in steps[:k]]), rel=10 * RTOL_F32)
        correct = sum(s[2] for s in steps[:k])
        near = sum(s[3] for s in steps[:k])
        assert abs(round(hist.accuracy[0] * rows) - correct) <= near
        for i, (lf, (W0, b0), (Wr, br)) in enumerate(zip(f.layers, initial, ref_weights, strict=True)):
            assert lf["W"].dtype == np.float32
            dW_f = lf["W"].astype(np.float64) - W0
            dW_r = Wr - W0
            err = np.abs(dW_f - dW_r)
            bound = RTOL_F32 * (np.abs(dW_r) + np.abs(dW_r).max()) + (k + 2) * eps32 * np.abs(Wr)
            assert (err <= bound).all(), (k, i, float(np.max(err / bound)))
            assert_close(lf["b"], br, rtol=RTOL_F32, what=f"after {k} batches: b{i}")


def test_numpy_rng_fit_across_several_groups_of_64_batches():
    """numpy-RNG fit draws its uniforms per group of 64 batches; an epoch of 130 batches (8 rows,
    the last one of 5) spans three groups, the last partial: same masks in the same order as the
    reference's per-batch draws, so the same weights (float64: only summation order differs)."""
    X, y = make_data(129 * 8 + 5, 30, seed=23)
    np.random.seed(4)
    r = ref.ScratchNet(30, [16, 8], 0.2)
    hist_r = ref.train_notebook(r, X, y, epochs=2, batch_size=8, lr=0.01)
    next_r = np.random.rand()  # the global RNG's position after training
    np.random.seed(4)
    f = fastscratch.ScratchNet(30, [16, 8], 0.2, dtype=np.float64, rng="numpy")
    hist_f = f.fit(X, y, epochs=2, batch_size=8, lr=0.01, accuracy="notebook")
    assert np.random.rand() == next_r  # as many uniforms drawn as the reference drew
    assert hist_f.loss == pytest.approx([h[0] for h in hist_r], rel=RTOL_F64)
    assert hist_f.accuracy == [h[1] for h in hist_r]
    for i, (a, b) in enumerate(zip(r.layers, f.layers, strict=True)):
        assert_close(b["W"], a["W"], rtol=RTOL_F64, what=f"W{i}")
        assert_close(b["b"], a["b"], rtol=RTOL_F64, what=f"b{i}")
