"""Gradients, determinism, dropout statistics, bad input and divergence of fastscratch.ScratchNet."""


import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastscratch
from fastscratch import reference as ref
from fastscratch.kernels import blas, rng
from fastscratch.metrics import classification_report, roc_auc
from fastscratch.nets.scratchnet import _SCORE_CHUNK as CHUNK
from tests.helpers import (
    RTOL_F32,
    RTOL_F64,
    assert_close,
    assert_identical,
    numba_threads,
    require_numba_threads,
)


def make_data(n, d, seed=0):
    g = np.random.default_rng(seed)
    return g.standard_normal((n, d)).astype(np.float32), (g.random(n) < 0.3).astype(np.int64)


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize("dropout", [0.0, 0.4])
def test_gradients_match_central_finite_differences(dropout):
    """dW, db from backward() against central differences of the mean weighted BCE, with
    the dropout masks of the forward pass held fixed (numpy RNG reseeded per evaluation)."""
    X, y = make_data(7, 4, seed=1)
    net = fastscratch.ScratchNet(4, [5, 3], dropout, dtype=np.float64, rng="numpy", seed=3)
    # Biases start at zero, so a row whose previous layer is all dropped sits exactly on the
    # ReLU kink (Z = b = 0), where central differences see half a slope: move off the kinks.
    g = np.random.default_rng(8)
    for layer in net.layers:
        layer["b"][...] = g.normal(0, 0.3, layer["b"].shape)

    def loss():
        np.random.seed(99)
        return ref.stable_bce_loss(net.forward(X), y, 2.0)

    np.random.seed(99)
    net.backward(net.forward(X), y, 2.0)
    grads = [(layer["dW"].copy(), layer["db"].copy()) for layer in net.layers]
    eps = 1e-6
    for li, layer in enumerate(net.layers):
        for key, analytic in zip(("W", "b"), grads[li], strict=True):
            param = layer[key]
            numeric = np.zeros_like(param)
            for idx in np.ndindex(param.shape):
                old = param[idx]
                param[idx] = old + eps
                up = loss()
                param[idx] = old - eps
                down = loss()
                param[idx] = old
                numeric[idx] = (up - down) / (2 * eps)
            assert_close(analytic, numeric, rtol=1e-6, atol_scale=1e-1, what=f"layer {li} d{key}")


def test_fit_applies_the_gradient_of_the_loss_with_l2_central_differences():
    """The fused epoch kernel's backward and update, checked like backward() above: one batch of
    the default shape (128 x 300 -> [512, 256]: every product split in two halves), float64,
    dropout 0. fit takes one SGD step, so ``(W_before - W_after) / lr`` must be the gradient of
    ``mean weighted BCE + l2 / 2 * sum ||W||^2`` (no decay on biases), taken here by central
    differences of the reference's loss on a sample of every layer's W and b."""
    from fastscratch.kernels import train

    assert 128 * 512 * 256 >= train.MIN_SPLIT_WORK
    X, y = make_data(128, 300, seed=6)
    lr, l2, pw = 1e-3, 0.005, 2.0
    net = fastscratch.ScratchNet(300, [512, 256], 0.0, dtype=np.float64, seed=7)
    g = np.random.default_rng(9)
    for layer in net.layers:  # off zero, so the bias gradients matter and rows leave the kinks
        layer["b"][...] = g.normal(0, 0.1, layer["b"].shape)
    before = [(layer["W"].copy(), layer["b"].copy()) for layer in net.layers]
    net.fit(X, y, epochs=1, batch_size=128, lr=lr, l2_lambda=l2, pos_weight=pw)
    applied = [((W0 - layer["W"]) / lr, (b0 - layer["b"]) / lr) for layer, (W0, b0) in zip(net.layers, before, strict=True)]

    model = ref.ScratchNet(300, [512, 256], 0.0)
    model.training = False
    model.layers = [{"W": W.copy(), "b": b.copy()} for W, b in before]

    def objective():
        return ref.stable_bce_loss(model.forward(X), y, pw) + 0.5 * l2 * sum(np.sum(l["W"] ** 2) for l in model.layers)

    eps = 1e-6
    for li, layer in enumerate(model.layers):
        for key, analytic in zip(("W", "b"), applied[li], strict=True):
            param = layer[key]
            picks = [np.unravel_index(k, param.shape) for k in g.choice(param.size, min(param.size, 12), replace=False)]
            numeric = np.empty(len(picks))
            for j, idx in enumerate(picks):
                old = param[idx]
                param[idx] = old + eps
                up = objective()
                param[idx] = old - eps
                down = objective()
                param[idx] = old
                numeric[j] = (up - down) / (2 * eps)
            got = np.array([analytic[idx] for idx in picks])
            assert_close(got, numeric, rtol=1e-5, atol_scale=1e-1, what=f"layer {li} d{key} applied by fit")


# ---------------------------------------------------------------- determinism


def _fit_weights(threads, seed=123, **kw):
    # every layer's product (64 x 300 x 512, 64 x 512 x 256; 60 rows in the last batch) is
    # above MIN_SPLIT_WORK, so fit runs its two-part parallel regions
    X, y = make_data(700, 300, seed=4)
    net = fastscratch.ScratchNet(300, [512, 256], 0.1, seed=seed, **kw)
    before = numba.get_num_threads()
    hist = net.fit(X, y, epochs=2, batch_size=64, shuffle=True, seed=1, threads=threads)
    assert numba.get_num_threads() == before  # restored
    return [layer["W"].copy() for layer in net.layers], hist.loss, net


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_same_seed_same_model_whatever_the_thread_count(dtype):
    from fastscratch.kernels import train

    require_numba_threads(2)
    assert 60 * 300 * 512 >= train.MIN_SPLIT_WORK and 60 * 512 * 256 >= train.MIN_SPLIT_WORK
    W1, loss1, net1 = _fit_weights(1, dtype=dtype)
    W2, loss2, net2 = _fit_weights(2, dtype=dtype)
    for a, b in zip(W1, W2, strict=True):
        assert_identical(b, a, what="weights, 1 vs 2 threads")
    assert loss1 == loss2
    # scoring above one chunk (2,048 rows) runs the parallel scorer: the same bits on 1 and 2
    # threads, and the same as the serial scorer run chunk by chunk
    X, _ = make_data(2 * CHUNK + 904, 300, seed=5)
    with numba_threads(1):
        p1 = net1.predict_proba(X)
    with numba_threads(2):
        p2 = net1.predict_proba(X)
    assert_identical(p2, p1, what="probabilities, 1 vs 2 threads")
    serial = np.concatenate([net1.predict_proba(X[i : i + CHUNK]) for i in range(0, len(X), CHUNK)])
    assert_identical(p1, serial, what="parallel vs serial scorer")
    assert_identical(net2.predict_proba(X), p1, what="models trained on 1 and 2 threads")


def test_different_seeds_differ_and_same_seed_repeats():
    Wa, la, _ = _fit_weights(None, seed=1)
    Wb, lb, _ = _fit_weights(None, seed=1)
    Wc, lc, _ = _fit_weights(None, seed=2)
    assert la == lb and all(np.array_equal(a, b) for a, b in zip(Wa, Wb, strict=True))
    assert la != lc


def test_seeded_initial_weights_are_the_originals():
    """seed=s gives the weights the original draws after np.random.seed(s)."""
    np.random.seed(5)
    r = ref.ScratchNet(30, [20, 10], 0.1)
    f = fastscratch.ScratchNet(30, [20, 10], 0.1, dtype=np.float64, seed=5)
    for a, b in zip(r.layers, f.layers, strict=True):
        assert_identical(b["W"], a["W"])
        assert_identical(b["b"], a["b"])


# ---------------------------------------------------------------- dropout randomness


@pytest.mark.parametrize("p", [0.1, 0.5])
def test_dropout_keep_rate_within_four_standard_deviations(p):
    net = fastscratch.ScratchNet(8, [1000, 500], p, seed=0)
    X = np.ones((200, 8), np.float32)
    net.forward(X)
    masks = net.dropout_masks
    assert [m.shape for m in masks] == [(200, 1000), (200, 500)]
    for m in masks:
        assert set(np.unique(m)) <= {0.0, 1 / (1 - p)}
        kept = (m > 0).mean()
        sd = np.sqrt(p * (1 - p) / m.size)
        assert abs(kept - (1 - p)) < 4 * sd, (kept, 1 - p, sd)


def test_counter_uniforms_are_uniform_and_independent_across_layers_and_steps():
    n = 200_000
    a, b, c = np.empty(n), np.empty(n), np.empty(n)
    rng.fill_uniforms(7, 0, 0, a)
    rng.fill_uniforms(7, 0, 1, b)
    rng.fill_uniforms(7, 1, 0, c)
    sd_mean = np.sqrt(1 / 12 / n)
    for u in (a, b, c):
        assert u.min() >= 0 and u.max() < 1
        assert abs(u.mean() - 0.5) < 4 * sd_mean
        counts = np.histogram(u, bins=10, range=(0, 1))[0]
        assert np.all(np.abs(counts - n / 10) < 4 * np.sqrt(n / 10 * 0.9))
    for u, v in ((a, b), (a, c), (b, c)):
        assert abs(np.corrcoef(u, v)[0, 1]) < 4 / np.sqrt(n)
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < 4 / np.sqrt(n)


def test_masks_follow_steps_and_are_reproducible():
    X = np.ones((10, 4), np.float32)
    a = fastscratch.ScratchNet(4, [50], 0.5, seed=3)
    b = fastscratch.ScratchNet(4, [50], 0.5, seed=3)
    a.forward(X)
    m1 = a.dropout_masks[0]
    a.forward(X)
    m2 = a.dropout_masks[0]
    b.forward(X)
    assert not np.array_equal(m1, m2)
    assert np.array_equal(b.dropout_masks[0], m1)


# ---------------------------------------------------------------- bad input


@pytest.fixture
def net():
    return fastscratch.ScratchNet(5, [4], 0.1, seed=0)


@pytest.mark.parametrize(
    "X,message",
    [
        (np.zeros((3, 4)), "X has 4 columns, the model expects 5"),
        (np.zeros((0, 5)), "X has no rows"),
        (np.array([[0, 1, np.nan, 0, 0]] * 2), "non-finite value nan at row 0, column 2"),
        (np.array([[0, 0, 0, 0, 0], [0, 0, 0, np.inf, 0]]), "non-finite value inf at row 1, column 3"),
        (np.zeros((2, 5, 1)), "must be 2-D"),
        ([["a"] * 5], "X must be numeric"),
    ],
)
def test_bad_features_are_rejected_with_position(net, X, message):
    for call in (lambda: net.fit(X, np.zeros(len(X))), lambda: net.forward(X), lambda: net.predict_proba(X)):
        with pytest.raises(ValueError, match=message.replace("(", r"\(")):
            call()


@pytest.mark.parametrize(
    "y,message",
    [
        (np.array([0, 1, 2]), "0/1 labels, got 2 at index 2"),
        (np.array([0.0, 0.5, 1.0]), "0/1 labels, got 0.5 at index 1"),
        (np.array([0, 1]), "y has 2 labels but X has 3 rows"),
        (np.zeros((3, 2)), "y must be 1-D"),
    ],
)
def test_bad_labels_are_rejected(net, y, message):
    with pytest.raises(ValueError, match=message):
        net.fit(np.zeros((3, 5)), y)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(lr=0), "lr must be a positive number, got 0"),
        (dict(lr=-1e-3), "lr must be a positive number"),
        (dict(batch_size=0), "batch_size must be a positive integer, got 0"),
        (dict(batch_size=2.5), "batch_size must be a positive integer"),
        (dict(epochs=0), "epochs must be a positive integer"),
        (dict(l2_lambda=-1), "l2_lambda must be a number >= 0"),
        (dict(pos_weight=0), "pos_weight must be a positive number"),
        (dict(accuracy="eval"), "accuracy must be 'train' or 'notebook'"),
        (dict(threads=0), r"threads must be an integer in \[1, "),
    ],
)
def test_bad_hyperparameters_are_rejected(net, kwargs, message):
    with pytest.raises(ValueError, match=message):
        net.fit(np.zeros((3, 5)), np.zeros(3), **kwargs)


@pytest.mark.parametrize("dropout", [-0.1, 1.0, 1.5])
def test_dropout_outside_unit_interval_is_rejected(dropout):
    with pytest.raises(ValueError, match=f"dropout must be in \\[0, 1\\), got {dropout}"):
        fastscratch.ScratchNet(5, [4], dropout)


def test_constructor_arguments_are_checked():
    with pytest.raises(ValueError, match="hidden_sizes\\[1\\] must be a positive integer"):
        fastscratch.ScratchNet(5, [4, 0])
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        fastscratch.ScratchNet(5, [4], dtype=np.int32)
    with pytest.raises(ValueError, match="rng must be 'counter' or 'numpy'"):
        fastscratch.ScratchNet(5, [4], rng="mt")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float64_input_is_cast_to_float32_as_the_original_does(dtype):
    """float64 features (values float32 cannot hold) give exactly what their float32 cast gives,
    in forward, fit and predict_proba, for a float32 and a float64 model."""
    g = np.random.default_rng(12)
    X64 = g.standard_normal((300, 20))
    X32 = X64.astype(np.float32)
    assert not np.array_equal(X32.astype(np.float64), X64)
    y = (g.random(300) < 0.4).astype(np.int64)
    a = fastscratch.ScratchNet(20, [16, 8], 0.1, dtype=dtype, seed=2)
    b = fastscratch.ScratchNet(20, [16, 8], 0.1, dtype=dtype, seed=2)
    assert_identical(a.forward(X64), b.forward(X32), what="logits")
    for i, (ka, kb) in enumerate(zip(a.activations, b.activations, strict=True)):
        assert_identical(ka, kb, what=f"activations[{i}]")
    assert_identical(a.predict_proba(X64), b.predict_proba(X32), what="predict_proba")
    ha = a.fit(X64, y, epochs=2, batch_size=32, lr=0.05, validation=(X64[:50], y[:50]))
    hb = b.fit(X32, y, epochs=2, batch_size=32, lr=0.05, validation=(X32[:50], y[:50]))
    assert ha.loss == hb.loss and ha.val_loss == hb.val_loss
    for la, lb in zip(a.layers, b.layers, strict=True):
        assert_identical(la["W"], lb["W"], what="weights after fit")
    assert_identical(a.predict_proba(X64), b.predict_proba(X32), what="predict_proba after fit")


def test_labels_as_a_column_or_a_series_train_like_a_vector_and_nan_is_refused():
    import pandas as pd

    X, y = make_data(90, 5, seed=3)
    weights = []
    for labels in (y, y.reshape(-1, 1), pd.Series(y), pd.Series(y.astype(float)), y.astype(bool)):
        net = fastscratch.ScratchNet(5, [4], 0.1, seed=1)
        net.fit(X, labels, epochs=2, batch_size=16)
        weights.append([layer["W"] for layer in net.layers])
    for other in weights[1:]:
        for a, b in zip(weights[0], other, strict=True):
            assert_identical(b, a, what="labels in another container")
    net = fastscratch.ScratchNet(5, [4], 0.1, seed=1)
    nan_labels = y.astype(float)
    nan_labels[7] = np.nan
    for call in (lambda: net.fit(X, nan_labels), lambda: net.evaluate(X, nan_labels),
                 lambda: net.fit(X, pd.Series(nan_labels)), lambda: net.backward(net.forward(X), nan_labels)):
        with pytest.raises(ValueError, match="y must hold 0/1 labels, got nan at index 7"):
            call()


def test_predict_proba_of_an_empty_list_is_refused_like_the_original():
    """The original casts [] to a (1, 0) array and fails in its first product; the drop-in says why."""
    net = fastscratch.ScratchNet(5, [4], 0.1, seed=0)
    with pytest.raises(ValueError):
        ref.ScratchNet(5, [4], 0.1).predict_proba([])
    with pytest.raises(ValueError, match=r"X has 0 columns, the model expects 5"):
        net.predict_proba([])
    with pytest.raises(ValueError, match="X has no rows"):
        net.predict_proba(np.zeros((0, 5)))


def test_backward_and_update_need_their_predecessors(net):
    with pytest.raises(ValueError, match="needs a forward"):
        net.backward(np.zeros((2, 1)), [0, 1])
    with pytest.raises(ValueError, match="needs a backward"):
        net.update_parameters()


def test_divergence_stops_with_epoch_and_batch_and_keeps_finite_weights():
    X, y = make_data(500, 10, seed=2)
    X *= 50
    net = fastscratch.ScratchNet(10, [16, 8], 0.0, seed=0)
    with pytest.raises(fastscratch.TrainingDivergedError, match=r"at epoch \d+, batch \d+") as info:
        net.fit(X, y, epochs=5, batch_size=50, lr=1e6)
    err = info.value
    assert 1 <= err.epoch <= 5 and 1 <= err.batch <= 10
    assert len(err.history) == err.epoch - 1
    for layer in net.layers:
        assert np.isfinite(layer["W"]).all() and np.isfinite(layer["b"]).all()


# ---------------------------------------------------------------- training works, and the report


def test_fit_learns_a_separable_problem_and_evaluates():
    g = np.random.default_rng(0)
    X = g.standard_normal((2000, 20)).astype(np.float32)
    y = (X[:, :3].sum(axis=1) > 0.8).astype(int)
    net = fastscratch.ScratchNet(20, [32, 16], 0.1, seed=1)
    lines = []
    hist = net.fit(X, y, epochs=15, batch_size=32, lr=0.05, callback=lambda *a: lines.append(a))
    assert len(hist) == len(lines) == 15
    assert hist.loss[-1] < 0.6 * hist.loss[0]
    report = net.evaluate(X, y)
    assert report.accuracy > 0.9
    assert report.roc_auc > 0.95
    assert report.confusion.sum() == 2000
    assert np.array_equal(net.predict(X), (net.predict_proba(X) > 0.5).astype(int))


def test_verbose_prints_the_notebook_epoch_line(capsys):
    X, y = make_data(100, 5)
    fastscratch.ScratchNet(5, [4], seed=0).fit(X, y, epochs=2, verbose=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    import re

    assert re.fullmatch(r"Epoch  1 \| Loss: \d\.\d{4} \| Acc: \d\.\d{4} \| Time: \d+\.\ds", lines[0])


def test_report_reproduces_the_notebooks_numbers():
    # the notebook's confusion matrix [[21, 1], [1, 7]] and its printed report
    y = np.array([0] * 22 + [1] * 8)
    p = np.array([0] * 21 + [1] + [0] + [1] * 7)
    r = classification_report(y, p)
    assert r.confusion.tolist() == [[21, 1], [1, 7]]
    assert r.accuracy == pytest.approx(0.9333, abs=5e-5)
    assert r.per_class[0]["precision"] == pytest.approx(0.9545, abs=5e-5)
    assert r.per_class[1]["f1"] == pytest.approx(0.8750, abs=5e-5)
    assert r.macro_avg["f1"] == pytest.approx(0.9148, abs=5e-5)
    assert r.weighted_avg["recall"] == pytest.approx(0.9333, abs=5e-5)
    assert "0.9545" in str(r)


def test_roc_auc_counts_ties_half_and_needs_both_classes():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    assert roc_auc([1, 1], [0.2, 0.3]) is None


# ---------------------------------------------------------------- the BLAS wrapper


@settings(max_examples=40, deadline=None)
@given(
    m=st.integers(1, 9), k=st.integers(0, 9), n=st.integers(1, 9),
    ta=st.booleans(), tb=st.booleans(), beta=st.sampled_from([0.0, 1.0, -0.5]),
    dtype=st.sampled_from([np.float32, np.float64]), sub=st.booleans(),
)
def test_gemm_matches_numpy_including_transposes_and_column_blocks(m, k, n, ta, tb, beta, dtype, sub):
    g = np.random.default_rng(m * 100 + k * 10 + n)
    A = g.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    B = g.standard_normal((n, k) if tb else (k, n)).astype(dtype)
    # operands as column blocks of wider arrays: strided rows, unit inner stride
    if sub:
        A = np.ascontiguousarray(np.pad(A, ((0, 0), (1, 2))))[:, 1:-2]
        B = np.ascontiguousarray(np.pad(B, ((0, 0), (2, 1))))[:, 2:-1]
    C = g.standard_normal((m, n)).astype(dtype)
    expected = 0.75 * (A.T if ta else A).astype(np.float64) @ (B.T if tb else B).astype(np.float64) + beta * C
    blas.gemm(A, B, C, 0.75, beta, ta, tb)
    assert_close(C, expected, rtol=RTOL_F64 if dtype == np.float64 else 1e-5, atol_scale=10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "m, k, n, ta, tb",
    [
        (16, 300, 512, False, False),  # a batch-16 forward product
        (16, 512, 257, False, True),  # a batch-16 delta product, odd width
        (150, 16, 512, True, False),  # half of a batch-16 weight update (k = the batch)
        (256, 32, 517, True, False),  # k at SHORT_ROWS, a width that is no multiple of 16
        (1, 4000, 300, False, False),  # one row
    ],
)
def test_gemm_in_column_pieces_matches_numpy(m, k, n, ta, tb, dtype):
    """Short products go to BLAS in column pieces; the pieces must cover C exactly once,
    also when C and B are column blocks of wider arrays."""
    assert m * n * k > blas.SMALL_MNK and (k if ta else m) <= blas.SHORT_ROWS  # the split path
    g = np.random.default_rng(m + k + n)
    A = g.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    B_wide = g.standard_normal(((n + 3, k) if tb else (k, n + 3))).astype(dtype)
    B = B_wide[1 : n + 1] if tb else B_wide[:, 1 : n + 1]
    C_wide = g.standard_normal((m, n + 5)).astype(dtype)
    C = C_wide[:, 2 : n + 2]
    outside = C_wide[:, [0, 1, n + 2, n + 3, n + 4]].copy()
    expected = -0.5 * (A.T if ta else A).astype(np.float64) @ (B.T if tb else B).astype(np.float64) + C
    blas.gemm(A, np.ascontiguousarray(B) if tb else B, C, -0.5, 1.0, ta, tb)
    assert_close(C, expected, rtol=RTOL_F64 if dtype == np.float64 else 1e-5, atol_scale=10)
    assert_identical(np.ascontiguousarray(C_wide[:, [0, 1, n + 2, n + 3, n + 4]]), np.ascontiguousarray(outside),
                     what="columns outside C")


def test_weights_and_scratch_are_cache_line_aligned():
    from fastscratch.nets.aligned import ALIGNMENT, empty_aligned, is_aligned, zeros_aligned

    for shape, dtype in [((0,), np.float32), ((1,), np.float64), ((3, 5), np.float32), ((300, 512), np.float32)]:
        a, z = empty_aligned(shape, dtype), zeros_aligned(shape, dtype)
        assert a.shape == z.shape == shape and a.dtype == z.dtype == dtype
        assert not z.any()
        if a.size:  # an empty array has no first element to align
            assert a.ctypes.data % ALIGNMENT == 0 and z.ctypes.data % ALIGNMENT == 0
    net = fastscratch.ScratchNet(30, [20, 7], 0.1, seed=3)
    assert all(is_aligned(layer[k]) for layer in net.layers for k in ("W", "b"))
    assert all(is_aligned(a) for group in net._epoch_scratch(16)[:2] for a in group)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("hidden", [[20, 7], [5], []])
def test_epoch_scratch_shapes_dtypes_and_alignment(dtype, hidden):
    from fastscratch.kernels.train import EpochScratch
    from fastscratch.nets.aligned import is_aligned
    from fastscratch.nets.scratchnet import epoch_scratch

    s = epoch_scratch(30, hidden, 16, dtype)
    assert isinstance(s, EpochScratch)
    widths = hidden or [0]  # one empty buffer stands for no hidden layer
    for group in (s.acts, s.deltas):
        assert [a.shape for a in group] == [(16 * h,) for h in widths]
        assert all(a.dtype == dtype and a.flags.c_contiguous and a.flags.writeable and not a.any() for a in group)
        assert all(is_aligned(a) for a in group if a.size)
    assert [c.shape for c in s.colsums] == [(h,) for h in widths]
    assert all(c.dtype == np.float64 and not c.any() for c in s.colsums)
    assert s.gW_out.shape == ((hidden[-1] if hidden else 30), 1) and s.gW_out.dtype == dtype and not s.gW_out.any()
    for v in (s.z, s.delta_out):
        assert v.shape == (16,) and v.dtype == dtype and is_aligned(v) and not v.any()
    assert len({id(a) for a in (*s.acts, *s.deltas)}) == 2 * len(widths)  # no buffer shared
    net = fastscratch.ScratchNet(30, hidden, 0.1, seed=3, dtype=dtype)
    shapes = lambda sc: [tuple(a.shape for a in f) if isinstance(f, tuple) else f.shape for f in sc]  # noqa: E731
    assert shapes(net._epoch_scratch(16)) == shapes(s)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_misaligned_user_weights_are_realigned_and_train_the_same(dtype):
    """Weights a user assigns (16 bytes past a cache line here) are replaced in the layer dict
    by aligned copies of the same values; training then matches a model built aligned."""
    from fastscratch.nets.aligned import is_aligned

    X, y = make_data(100, 12, seed=8)
    a = fastscratch.ScratchNet(12, [9, 5], 0.1, seed=4, dtype=dtype)
    b = fastscratch.ScratchNet(12, [9, 5], 0.1, seed=4, dtype=dtype)
    for layer in b.layers:
        W = layer["W"]
        raw = np.empty(W.nbytes + 64, np.uint8)
        start = -raw.ctypes.data % 64 + 16
        shifted = raw[start : start + W.nbytes].view(W.dtype).reshape(W.shape)
        shifted[...] = W
        layer["W"] = shifted
        assert not is_aligned(layer["W"])
    ha = a.fit(X, y, epochs=2, batch_size=16)
    hb = b.fit(X, y, epochs=2, batch_size=16)
    assert ha.loss == hb.loss
    for la, lb in zip(a.layers, b.layers, strict=True):
        assert is_aligned(lb["W"])
        assert_identical(lb["W"], la["W"], what="weights trained from misaligned arrays")


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_reported_masks_are_the_masks_the_kernel_applied(p):
    """Counter mode: the kernel tests keep/drop as integers, the dropout_masks property rebuilds
    the masks from float uniforms. Both must be the counter generator's draws for (seed, step 0,
    layer), element (i, j) at stream index i * h + j, kept when the uniform is > p: the masks
    are checked against those draws, and the activations the kernel produced against
    ``max(0, A @ W + b) * mask`` computed here in float64 from the kernel's own inputs (every
    pre-activation positive, so a unit is nonzero exactly where it was kept, and scaled by
    exactly 1 / (1 - p))."""
    hidden = [300, 200]
    net = fastscratch.ScratchNet(6, hidden, p, seed=11)
    for layer in net.layers:
        layer["W"][...] = np.abs(layer["W"]) + 0.01
    n = 40
    X = np.abs(np.random.default_rng(0).standard_normal((n, 6))).astype(np.float32) + 0.1
    net.forward(X)
    assert len(net.dropout_masks) == len(hidden) and len(net.activations) == len(hidden) + 2
    A_prev = net.activations[0]
    for layer, (h, A, mask) in enumerate(zip(hidden, net.activations[1:-1], net.dropout_masks, strict=True)):
        u = np.empty(n * h)
        rng.fill_uniforms(11, 0, layer, u)
        expected_mask = (u.reshape(n, h) > p) / (1 - p)
        assert 0 < (expected_mask > 0).mean() < 1
        assert_identical(mask, expected_mask, what=f"dropout_masks[{layer}]")
        Z = A_prev.astype(np.float64) @ net.layers[layer]["W"].astype(np.float64) + net.layers[layer]["b"]
        assert (Z > 0).all()
        assert np.array_equal(A > 0, expected_mask > 0), f"layer {layer}: units kept where the draws say drop"
        assert_close(A, Z * expected_mask, rtol=RTOL_F32, what=f"activations[{layer + 1}]")
        A_prev = A
