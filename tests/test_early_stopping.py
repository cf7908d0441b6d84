"""ScratchNet.fit's validation split, validation curve and early stopping."""

import json
import re

import numpy as np
import pytest

import fastscratch
from fastscratch import reference as ref
from fastscratch.nets.aligned import is_aligned
from fastscratch.nets.scratchnet import History, epoch_line, validation_split
from tests.helpers import RTOL_F32, RTOL_F64, assert_close, assert_identical, require_numba_threads


def noisy_data(n, d, noise, seed):
    """A linear rule on two features with a share ``noise`` of labels flipped: a small MLP
    with a high learning rate fits the flips, so the validation loss falls, then rises."""
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    return X, np.where(g.random(n) < noise, 1 - y, y)


U_SHAPED = dict(epochs=20, batch_size=8, lr=0.03, l2_lambda=0.0, validation=0.3, seed=5)
"""On ``noisy_data(300, 10, 0.2, 1)`` with ScratchNet(10, [64, 64], 0.0, seed=0): the lowest
validation loss is after epoch 4 (0-based), then it rises."""


def u_shaped_fit(dtype=np.float32, **kw):
    X, y = noisy_data(300, 10, 0.2, 1)
    net = fastscratch.ScratchNet(10, [64, 64], 0.0, dtype=dtype, seed=0)
    snapshots = []
    history = net.fit(X, y, **dict(U_SHAPED, **kw),
                      callback=lambda *_: snapshots.append([layer["W"].copy() for layer in net.layers]))
    return net, history, snapshots


def weights(net):
    return [(layer["W"].copy(), layer["b"].copy()) for layer in net.layers]


def assert_same_weights(a, b, what):
    for (Wa, ba), (Wb, bb) in zip(a, b, strict=True):
        assert_identical(Wa, Wb, what=f"{what}: W")
        assert_identical(ba, bb, what=f"{what}: b")


def fit_on_training_rows(epochs, dtype=np.float32):
    """The U-shaped run without validation, on the rows the split trains on."""
    X, y = noisy_data(300, 10, 0.2, 1)
    train, _ = validation_split(y, U_SHAPED["validation"], U_SHAPED["seed"])
    net = fastscratch.ScratchNet(10, [64, 64], 0.0, dtype=dtype, seed=0)
    kw = {k: v for k, v in U_SHAPED.items() if k != "validation"}
    net.fit(X[train], y[train], **dict(kw, epochs=epochs))
    return net


def expected_stop(curve, patience, min_delta):
    """The stopping rule, written out: the epoch at which ``patience`` epochs have passed
    without a loss below (loss at the last improvement) - min_delta."""
    last, wait = np.inf, 0
    for epoch, loss in enumerate(curve):
        if loss < last - min_delta:
            last, wait = loss, 0
        else:
            wait += 1
        if wait >= patience:
            return epoch
    return None


# ---------------------------------------------------------------- the split


def test_split_is_stratified_disjoint_sorted_and_deterministic_and_leaves_the_global_rng():
    y = np.random.default_rng(0).permutation(np.r_[np.zeros(70, int), np.ones(30, int)])
    state = np.random.get_state()
    train, val = validation_split(y, 0.2, seed=3)
    again_train, again_val = validation_split(y, 0.2, seed=3)
    other_train, other_val = validation_split(y, 0.2, seed=4)
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2:] == state[2:]
    assert (y[val] == 0).sum() == 14 and (y[val] == 1).sum() == 6
    assert np.intersect1d(train, val).size == 0
    assert np.array_equal(np.sort(np.r_[train, val]), np.arange(100))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(val) > 0)
    assert train.dtype == val.dtype == np.int64
    assert np.array_equal(val, again_val) and np.array_equal(train, again_train)
    assert not np.array_equal(val, other_val)


@pytest.mark.parametrize("rng", ["counter", "numpy"])
def test_fit_with_a_fraction_is_a_fit_on_the_training_rows_alone(rng):
    """Held-out rows are not trained on, and neither the split nor the validation passes
    draw from NumPy's global RNG: numpy-mode dropout and shuffling see the same stream."""
    X, y = noisy_data(120, 6, 0.1, 2)
    train, _ = validation_split(y, 0.25, seed=9)

    def run(with_validation):
        net = fastscratch.ScratchNet(6, [16, 8], 0.3, rng=rng, seed=1)
        np.random.seed(7)
        kw = dict(epochs=3, batch_size=16, lr=0.05, shuffle=True, seed=9)
        if with_validation:
            history = net.fit(X, y, validation=0.25, **kw)
        else:
            history = net.fit(X[train], y[train], **kw)
        return net, history, np.random.get_state()[1].copy()

    a, ha, state_a = run(True)
    b, hb, state_b = run(False)
    assert ha.loss == hb.loss and ha.accuracy == hb.accuracy
    assert_same_weights(weights(a), weights(b), "with validation=0.25 vs on the training rows")
    assert np.array_equal(state_a, state_b)
    assert len(ha.val_loss) == 3 and hb.val_loss == []


def test_validation_none_is_bit_identical_to_a_fit_without_the_new_arguments():
    X, y = noisy_data(150, 8, 0.1, 3)
    a = fastscratch.ScratchNet(8, [12, 6], 0.2, seed=2)
    b = fastscratch.ScratchNet(8, [12, 6], 0.2, seed=2)
    ha = a.fit(X, y, epochs=3, batch_size=16, lr=0.02, shuffle=True, seed=4)
    hb = b.fit(X, y, epochs=3, batch_size=16, lr=0.02, shuffle=True, seed=4,
               validation=None, patience=None, min_delta=0.0, restore_best=True)
    assert ha.loss == hb.loss and ha.accuracy == hb.accuracy
    assert_same_weights(weights(a), weights(b), "validation=None")
    assert (hb.val_loss, hb.val_accuracy, hb.best_epoch, hb.stopped_epoch) == ([], [], None, None)


# ---------------------------------------------------------------- the validation figures


def reference_logits(Ws, bs, X):
    """Logits of the pure-NumPy original with the given weights (float64), dropout off."""
    net = ref.ScratchNet(X.shape[1], [W.shape[1] for W in Ws[:-1]], 0.5)
    for layer, W, b in zip(net.layers, Ws, bs, strict=True):
        layer["W"], layer["b"] = W.astype(np.float64), b.astype(np.float64).reshape(1, -1)
    net.training = False
    return net.forward(X)


def test_every_epochs_validation_figures_are_the_references_loss_and_accuracy_without_dropout():
    """float64 model, dropout 0.4, pos_weight 3, an explicit pair of 2,500 rows (two scoring
    chunks): each epoch's val loss is ref.stable_bce_loss of the original's logits."""
    X, y = noisy_data(200, 6, 0.1, 4)
    Xv, yv = noisy_data(2500, 6, 0.1, 5)
    net = fastscratch.ScratchNet(6, [10, 7], 0.4, dtype=np.float64, seed=3)
    snapshots = []
    history = net.fit(X, y, epochs=3, batch_size=32, lr=0.05, pos_weight=3.0, validation=(Xv, yv),
                      callback=lambda *_: snapshots.append(weights(net)))
    assert len(history.val_loss) == len(history.val_accuracy) == 3
    for epoch, params in enumerate(snapshots):
        logits = reference_logits([W for W, _ in params], [b for _, b in params], Xv)
        expected = ref.stable_bce_loss(logits, yv, 3.0)
        assert_close(history.val_loss[epoch], expected, rtol=RTOL_F64, what=f"val loss, epoch {epoch}")
        acc = float(((ref.sigmoid(logits).reshape(-1) > 0.5) == yv).mean())
        assert history.val_accuracy[epoch] == acc
    assert net.training is True and net.activations == []


def test_float32_validation_loss_matches_a_no_dropout_forward_on_the_held_out_rows():
    X, y = noisy_data(300, 10, 0.2, 1)
    net = fastscratch.ScratchNet(10, [64, 64], 0.3, seed=0)
    history = net.fit(X, y, epochs=2, batch_size=16, lr=0.03, validation=0.3, seed=5)
    _, val = validation_split(y, 0.3, seed=5)
    net.training = False
    logits = net.forward(X[val])
    net.training = True
    # float32 logits: ~1e-6 relative error per product chain, well inside RTOL_F32
    assert_close(history.val_loss[-1], ref.stable_bce_loss(logits, y[val], 2.0), rtol=RTOL_F32,
                 what="float32 val loss")
    assert history.val_accuracy[-1] == float((net.predict(X[val]) == y[val]).mean())


# ---------------------------------------------------------------- early stopping


def test_validation_without_patience_records_the_whole_curve():
    net, history, _ = u_shaped_fit()
    assert len(history) == len(history.val_loss) == U_SHAPED["epochs"]
    assert history.stopped_epoch is None
    assert history.best_epoch == int(np.argmin(history.val_loss)) == 4
    assert_same_weights(weights(net), weights(fit_on_training_rows(U_SHAPED["epochs"])), "no patience: last epoch")


def test_early_stopping_stops_patience_epochs_after_the_best_and_restores_it():
    _, full, _ = u_shaped_fit()
    net, history, snapshots = u_shaped_fit(patience=3)
    assert history.best_epoch == 4 and history.stopped_epoch == 4 + 3 == expected_stop(full.val_loss, 3, 0.0)
    assert len(history) == len(snapshots) == 8
    assert history.val_loss == full.val_loss[:8]
    assert_same_weights(weights(net), weights(fit_on_training_rows(5)), "restored best (best_epoch + 1 epochs)")
    for layer, W in zip(net.layers, snapshots[4], strict=True):
        assert_identical(layer["W"], W, what="restored W vs the callback's snapshot after the best epoch")
        assert is_aligned(layer["W"]) and is_aligned(layer["b"])
        assert layer["W"].dtype == layer["b"].dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_restore_best_false_keeps_the_last_epochs_weights(dtype):
    net, history, _ = u_shaped_fit(dtype=dtype, patience=3, restore_best=False)
    assert history.stopped_epoch == 7
    assert_same_weights(weights(net), weights(fit_on_training_rows(8, dtype)), "restore_best=False")


def test_min_delta_counts_small_decreases_as_no_improvement():
    """Epoch 4 lowers the loss by less than 0.01: the patience count goes on, yet epoch 4 is
    still the best (lowest) epoch and the one restored."""
    _, full, _ = u_shaped_fit()
    assert 0 < full.val_loss[3] - full.val_loss[4] < 0.01 < full.val_loss[2] - full.val_loss[3]
    net, history, _ = u_shaped_fit(patience=2, min_delta=0.01)
    assert history.stopped_epoch == expected_stop(full.val_loss, 2, 0.01) == 5
    assert history.best_epoch == 4
    assert_same_weights(weights(net), weights(fit_on_training_rows(5)), "min_delta: restored best")


def test_patience_running_out_on_the_last_epoch_is_no_early_stop():
    _, history, _ = u_shaped_fit(patience=3, epochs=8)
    assert len(history) == 8 and history.stopped_epoch is None and history.best_epoch == 4


def test_validation_and_early_stopping_are_the_same_whatever_the_thread_count():
    """The layer sizes of test_training's thread test: the epoch kernel's two-part regions run."""
    require_numba_threads(2)
    g = np.random.default_rng(4)
    X, y = g.standard_normal((700, 300)).astype(np.float32), (g.random(700) < 0.3).astype(np.int64)
    runs = []
    for threads in (1, 2):
        net = fastscratch.ScratchNet(300, [512, 256], 0.1, seed=123)
        history = net.fit(X, y, epochs=4, batch_size=64, lr=0.02, shuffle=True, seed=1, threads=threads,
                          validation=0.2, patience=1)
        runs.append((weights(net), history))
    (w1, h1), (w2, h2) = runs
    assert h1.stopped_epoch is not None
    assert_same_weights(w2, w1, "1 vs 2 threads")
    assert (h1.loss, h1.val_loss, h1.val_accuracy, h1.best_epoch, h1.stopped_epoch) == \
        (h2.loss, h2.val_loss, h2.val_accuracy, h2.best_epoch, h2.stopped_epoch)


def test_divergence_with_validation_still_raises_with_the_history_so_far():
    X, y = noisy_data(500, 10, 0.1, 2)
    X *= 50
    net = fastscratch.ScratchNet(10, [16, 8], 0.0, seed=0)
    with pytest.raises(fastscratch.TrainingDivergedError, match=r"at epoch \d+, batch \d+") as info:
        net.fit(X, y, epochs=5, batch_size=50, lr=1e6, validation=0.2, patience=2)
    err = info.value
    assert len(err.history) == len(err.history.val_loss) == err.epoch - 1
    for layer in net.layers:
        assert np.isfinite(layer["W"]).all() and np.isfinite(layer["b"]).all()


# ---------------------------------------------------------------- bad arguments


@pytest.fixture
def small():
    X, y = noisy_data(40, 5, 0.0, 6)
    return fastscratch.ScratchNet(5, [4], 0.1, seed=0), X, y


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(validation=0), r"validation must be a fraction in \(0, 1\) or an \(X_val, y_val\) pair, got 0"),
        (dict(validation=1.0), r"validation must be a fraction in \(0, 1\)"),
        (dict(validation=-0.2), r"validation must be a fraction in \(0, 1\)"),
        (dict(validation=float("nan")), r"validation must be a fraction in \(0, 1\)"),
        (dict(validation=True), r"validation must be a fraction in \(0, 1\)"),
        (dict(validation="0.2"), r"validation must be a fraction in \(0, 1\)"),
        (dict(validation=(1, 2, 3)), r"an \(X_val, y_val\) pair, got a tuple of length 3"),
        (dict(patience=2), "patience needs validation"),
        (dict(validation=0.2, patience=0), "patience must be a positive integer, got 0"),
        (dict(validation=0.2, patience=1.5), "patience must be a positive integer"),
        (dict(validation=0.2, patience=2, min_delta=-0.1), "min_delta must be a number >= 0"),
        (dict(validation=0.2, restore_best="yes"), "restore_best must be True or False"),
    ],
)
def test_bad_validation_arguments_are_rejected(small, kwargs, message):
    net, X, y = small
    with pytest.raises(ValueError, match=message):
        net.fit(X, y, epochs=1, **kwargs)


@pytest.mark.parametrize(
    "pair,message",
    [
        ((np.zeros((6, 4)), np.zeros(6)), r"X_val has 4 columns, the model expects 5 \(input_size\)"),
        ((np.zeros((6, 5)), np.zeros(5)), "y_val has 5 labels but X_val has 6 rows"),
        ((np.zeros((3, 5)), np.array([0, 1, 2])), "y_val must hold 0/1 labels, got 2 at index 2"),
        ((np.full((2, 5), np.nan), np.zeros(2)), "X_val has a non-finite value nan at row 0, column 0"),
    ],
)
def test_bad_validation_pairs_are_rejected(small, pair, message):
    net, X, y = small
    with pytest.raises(ValueError, match=message):
        net.fit(X, y, epochs=1, validation=pair)


def test_too_few_rows_of_a_class_to_hold_one_out_is_rejected():
    X = np.zeros((20, 5), np.float32)
    y = np.r_[np.zeros(18, int), np.ones(2, int)]
    net = fastscratch.ScratchNet(5, [4], 0.1, seed=0)
    with pytest.raises(ValueError, match="holds out 0 of the 2 rows labelled 1"):
        net.fit(X, y, validation=0.1)
    with pytest.raises(ValueError, match="holds out 0 of the 0 rows labelled 1"):
        validation_split(np.zeros(10), 0.5)
    with pytest.raises(ValueError, match="holds out 1 of the 1 rows labelled 1"):
        validation_split(np.r_[np.zeros(9), 1], 0.5)


# ---------------------------------------------------------------- History and the epoch line


def test_history_as_dict_round_trips_through_json():
    _, history, _ = u_shaped_fit(patience=3)
    d = json.loads(json.dumps(history.as_dict()))
    assert d == history.as_dict()
    assert d["best_epoch"] == 4 and d["stopped_epoch"] == 7 and len(d["val_loss"]) == 8
    assert History(**d) == history
    old = History([0.5], [0.9], [1.0])  # how a saved model's three-list record is rebuilt
    assert old.as_dict() == {"loss": [0.5], "accuracy": [0.9], "seconds": [1.0], "val_loss": [],
                             "val_accuracy": [], "best_epoch": None, "stopped_epoch": None}


def test_epoch_line_with_and_without_validation():
    assert epoch_line(1, 0.83361, 0.74612, 6.31) == "Epoch  1 | Loss: 0.8336 | Acc: 0.7461 | Time: 6.3s"
    assert (epoch_line(1, 0.83361, 0.74612, 6.31, val_loss=0.51234, val_accuracy=0.80123)
            == "Epoch  1 | Loss: 0.8336 | Acc: 0.7461 | Val loss: 0.5123 | Val acc: 0.8012 | Time: 6.3s")


def test_verbose_prints_validation_figures_and_the_callback_can_read_them(capsys):
    X, y = noisy_data(100, 5, 0.1, 7)
    net = fastscratch.ScratchNet(5, [4], seed=0)
    seen = []
    history = net.fit(X, y, epochs=2, verbose=True, validation=0.2,
                      callback=lambda epoch, *_: seen.append(net.history.val_loss[epoch]))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"Epoch  1 \| Loss: \d\.\d{4} \| Acc: \d\.\d{4} \| Val loss: \d\.\d{4} \| "
                        r"Val acc: \d\.\d{4} \| Time: \d+\.\ds", lines[0])
    assert f"Val loss: {history.val_loss[1]:.4f}" in lines[1]
    assert seen == history.val_loss and net.history is history
