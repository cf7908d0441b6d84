"""The two seed networks' demos, offline: ``fastscratch demo digits`` and ``fastscratch demo sine``.

``digits``: the sigmoid network ``[64, 30, 10]`` trained as the post trains its MNIST network
(mini-batches of 10, eta 3.0, the post's epoch lines) on scikit-learn's real 8x8 digits; writes
the training curve, the test confusion matrix, the history and a summary. ``sine``: the RNN
post's set-up trained with the post's update rule and with truncated BPTT (the post's
settings, then a non-saturating initialisation), printing the post's loss lines; writes the
post's two prediction-vs-actual plots and the RMSEs. Kernel compilation (or loading from
Numba's cache) is timed apart from the work.
"""

from __future__ import annotations

import contextlib
import io
import random
import time
from pathlib import Path

import numpy as np


def _say(quiet: bool):
    return (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))


def _write_json(path: Path, obj) -> None:
    from fastscratch.app.outputs import write_json

    write_json(path, obj)


# ----------------------------------------------------------------------------- digits

DIGITS_PLAN = dict(sizes=[64, 30, 10], mini_batch_size=10, eta=3.0)


def run_digits_demo(out="fastscratch-out", epochs: int = 30, seed: int = 0, quiet: bool = False) -> dict:
    """Train the post's sigmoid network on the embedded digits; returns the summary (also written
    as ``digits-summary.json``)."""
    from fastscratch.app import seed_plots
    from fastscratch.data import mnist
    from fastscratch.nets import simple_nn

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    say = _say(quiet)
    t_all = time.perf_counter()
    say(f"fastscratch demo digits -> {out}")
    training, validation, test = mnist.digits_together()
    say(f"data: scikit-learn's handwritten digits (8x8, real, embedded): {len(training)} training, "
        f"{len(validation)} validation, {len(test)} test")

    t0 = time.perf_counter()
    _warm_up_digits(training, test)
    say(f"kernels: compiled or loaded from Numba's cache in {time.perf_counter() - t0:.1f} s")

    random.seed(seed)
    np.random.seed(seed)
    net = simple_nn.Network(DIGITS_PLAN["sizes"])
    X_train, T_train = training.arrays()
    X_test, labels_test = test.arrays()[0], np.argmax(test.arrays()[1], axis=1)
    accuracy, cost = [], []

    def record(epoch, correct):
        accuracy.append(correct / len(test))
        outputs = net.feedforward(X_train.T).T
        cost.append(float(0.5 * np.sum((outputs - T_train) ** 2) / len(training)))

    say(f"training Network({DIGITS_PLAN['sizes']}), the post's SGD: mini-batches of {DIGITS_PLAN['mini_batch_size']}, "
        f"eta {DIGITS_PLAN['eta']}, {epochs} epochs, quadratic cost (random.seed({seed}), np.random.seed({seed}))")
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext():
        net.SGD(training, epochs, DIGITS_PLAN["mini_batch_size"], DIGITS_PLAN["eta"], test_data=test, callback=record)
    train_seconds = time.perf_counter() - t0

    predicted = np.argmax(net.feedforward(X_test.T), axis=0)
    cm = np.zeros((10, 10), np.int64)
    np.add.at(cm, (labels_test, predicted), 1)
    say("")
    say(f"test accuracy: {accuracy[-1]:.1%} ({int(np.trace(cm))} / {len(test)}), "
        f"training {train_seconds:.2f} s for {epochs} epochs (cost computed after each, for the plot)")
    say("confusion matrix (rows: true digit, columns: predicted)")
    say("\n".join("  " + " ".join(f"{v:3d}" for v in row) for row in cm))

    seed_plots.digits_training(accuracy, cost, out / "digits-training.png")
    seed_plots.digit_confusion(cm, out / "digits-confusion.png")
    from fastscratch.app.outputs import write_text

    lines = ["epoch,test_correct,test_accuracy,training_cost"]
    lines += [f"{e},{round(a * len(test))},{a:.6f},{c:.6f}" for e, (a, c) in enumerate(zip(accuracy, cost))]
    write_text(out / "digits-history.csv", "\n".join(lines) + "\n")
    summary = {
        "output": str(out), "network": DIGITS_PLAN["sizes"], "epochs": epochs, "seed": seed,
        "mini_batch_size": DIGITS_PLAN["mini_batch_size"], "eta": DIGITS_PLAN["eta"],
        "training": len(training), "test": len(test), "test_accuracy": accuracy[-1],
        "confusion": cm.tolist(), "train_seconds": round(train_seconds, 3),
        "total_seconds": round(time.perf_counter() - t_all, 1),
    }
    _write_json(out / "digits-summary.json", summary)
    say(f"wrote digits-confusion.png, digits-history.csv, digits-summary.json, digits-training.png in {out}")
    return summary


def _warm_up_digits(training, test) -> None:
    """Run every kernel of the demo once on a throw-away network, leaving both generators as they were."""
    from fastscratch.nets import simple_nn

    state, np_state = random.getstate(), np.random.get_state()
    try:
        net = simple_nn.Network(DIGITS_PLAN["sizes"])
        with contextlib.redirect_stdout(io.StringIO()):
            net.SGD(list(training[:20]), 1, DIGITS_PLAN["mini_batch_size"], DIGITS_PLAN["eta"], test_data=list(test[:5]))
        net.feedforward(np.zeros((DIGITS_PLAN["sizes"][0], 3)))
    finally:
        random.setstate(state)
        np.random.set_state(np_state)


# ----------------------------------------------------------------------------- sine


def sine_models():
    """The demo's three runs: (name, file-safe key, SimpleRNN)."""
    from fastscratch.nets.simple_rnn import SimpleRNN

    return [
        ("the post's update rule (mode='post', the post's settings)", "post", SimpleRNN(mode="post")),
        ("truncated BPTT, the post's settings (lr 0.0001, uniform [0, 1) weights)", "bptt", SimpleRNN(mode="bptt")),
        ("truncated BPTT, init='scaled', lr 0.01", "bptt_scaled", SimpleRNN(mode="bptt", init="scaled", lr=0.01)),
    ]


def run_sine_demo(out="fastscratch-out", epochs: int = 25, quiet: bool = False) -> dict:
    """Train the RNN post's network both ways on its sine wave; returns the summary (also written
    as ``sine-summary.json``)."""
    from fastscratch.app import seed_plots
    from fastscratch.data.sine import sine_wave_data
    from fastscratch.nets.simple_rnn import SimpleRNN

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    say = _say(quiet)
    t_all = time.perf_counter()
    say(f"fastscratch demo sine -> {out}")
    X, Y, Xv, Yv = sine_wave_data()
    say(f"data: sin(x) for x = 0..199, windows of 50: {len(X)} training and {len(Xv)} validation sequences")
    t0 = time.perf_counter()
    for mode in ("post", "bptt"):
        SimpleRNN(mode=mode, hidden_dim=4, seq_len=50).fit(X[:3], Y[:3], epochs=1, validation=(Xv[:2], Yv[:2]))
    SimpleRNN().predict(Xv[:2])
    say(f"kernels: compiled or loaded from Numba's cache in {time.perf_counter() - t0:.1f} s")

    runs = {}
    predictions_train, predictions_val = {}, {}
    for name, key, model in sine_models():
        say("")
        say(f"{name}, {epochs} epochs (losses at the start of each epoch, as the post prints them):")
        t0 = time.perf_counter()
        history = model.fit(X, Y, epochs=epochs, validation=(Xv, Yv), verbose=not quiet)
        seconds = time.perf_counter() - t0
        rmse_train, rmse_val = model.rmse(X, Y), model.rmse(Xv, Yv)
        runs[key] = {"name": name, "mode": model.mode, "init": model.init, "lr": model.lr,
                     "seconds": round(seconds, 3), "final_loss": model.loss(X, Y), "final_val_loss": model.loss(Xv, Yv),
                     "rmse_train": rmse_train, "rmse_validation": rmse_val,
                     "loss": history.loss, "val_loss": history.val_loss}
        say(f"after {epochs} epochs: loss {runs[key]['final_loss']:.4f}, validation loss "
            f"{runs[key]['final_val_loss']:.4f}; RMSE {rmse_train:.4f} (training), {rmse_val:.4f} (validation); "
            f"{seconds:.2f} s")
        predictions_train[key] = model.predict(X)
        predictions_val[key] = model.predict(Xv)

    labels = {"post": "post's rule", "bptt": "BPTT, post's settings", "bptt_scaled": "BPTT, scaled init, lr 0.01"}
    seed_plots.sine_predictions(Y[:, 0], {labels[k]: v for k, v in predictions_train.items()},
                                "Training Data Predictions, Actual in Red", out / "sine-training.png")
    seed_plots.sine_predictions(Yv[:, 0], {labels[k]: v for k, v in predictions_val.items()},
                                "Validation Data Predictions, Actual in Red", out / "sine-validation.png")
    say("")
    say("validation RMSE: " + ", ".join(f"{labels[k]} {r['rmse_validation']:.4f}" for k, r in runs.items()))
    summary = {"output": str(out), "epochs": epochs, "runs": runs, "total_seconds": round(time.perf_counter() - t_all, 1)}
    _write_json(out / "sine-summary.json", summary)
    say(f"wrote sine-summary.json, sine-training.png, sine-validation.png in {out}")
    return summary
