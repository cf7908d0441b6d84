"""The seed networks' figures as PNG files (matplotlib, headless): the digit network's training
curve and confusion matrix, the RNN post's two prediction-vs-actual plots."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fastscratch.atomic import atomic_file


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ImportError("plots need matplotlib: pip install 'fastscratch[data]'") from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, plt, path) -> Path:
    try:
        return atomic_file(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    finally:
        plt.close(fig)


def digits_training(accuracy: list[float], cost: list[float], path) -> Path:
    """Test accuracy (right axis, %) and training cost (left axis) per epoch."""
    plt = _pyplot()
    epochs = np.arange(len(accuracy))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(epochs, cost, color="tab:red", marker="o", markersize=3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training cost (quadratic, mean per digit)", color="tab:red")
    ax2 = ax.twinx()
    ax2.plot(epochs, 100 * np.asarray(accuracy), color="tab:blue", marker="s", markersize=3)
    ax2.set_ylabel("test accuracy (%)", color="tab:blue")
    ax.set_title("Sigmoid network [64, 30, 10] on scikit-learn's digits")
    fig.tight_layout()
    return _save(fig, plt, path)


def digit_confusion(cm: np.ndarray, path, title: str = "Confusion matrix (test digits)") -> Path:
    """A 10 x 10 confusion matrix, rows true digits, columns predicted, counts in the cells."""
    plt = _pyplot()
    k = cm.shape[0]
    fig, ax = plt.subplots(figsize=(6, 5.4))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(k), labels=[str(i) for i in range(k)])
    ax.set_yticks(range(k), labels=[str(i) for i in range(k)])
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    for (i, j), v in np.ndenumerate(cm):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", color="white" if v > cm.max() / 2 else "black", fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, plt, path)


def sine_predictions(actual: np.ndarray, predictions: dict, title: str, path) -> Path:
    """The post's plot: the actual next values in red, each model's predictions beside them."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    colors = ["g", "tab:purple", "tab:orange", "tab:blue"]
    for (label, values), color in zip(predictions.items(), colors):
        ax.plot(values, color=color, label=label)
    ax.plot(actual, "r", label="actual")
    ax.set_title(title)
    ax.set_xlabel("window")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return _save(fig, plt, path)
