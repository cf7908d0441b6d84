"""The notebook's figures as PNG files (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fastscratch.atomic import atomic_file
from fastscratch.extras import require_extra


def pyplot():
    """matplotlib's pyplot on the headless Agg backend (``MissingExtraError`` without matplotlib)."""
    matplotlib = require_extra("matplotlib", "Plots")
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def training_curves(history, path) -> Path:
    """Loss (left axis) and accuracy (right axis) per epoch, as the notebook draws them; with a
    validation split also the validation loss and accuracy (dashed), and the epoch early
    stopping kept, since it decides on the validation loss."""
    plt = pyplot()
    epochs = np.arange(1, len(history.loss) + 1)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(epochs, history.loss, color="tab:red", marker="o", markersize=3, label="training loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss", color="tab:red")
    ax2 = ax.twinx()
    ax2.plot(epochs, history.accuracy, color="tab:blue", marker="s", markersize=3, label="training accuracy")
    ax2.set_ylabel("accuracy", color="tab:blue")
    validated = bool(history.val_loss)
    if validated:
        ax.plot(epochs, history.val_loss, color="tab:red", linestyle="--", label="validation loss")
        ax2.plot(epochs, history.val_accuracy, color="tab:blue", linestyle="--", label="validation accuracy")
    if history.best_epoch is not None:
        kept = history.best_epoch + 1
        ax.axvline(kept, color="tab:green", linestyle=":", linewidth=1.5)
        ax.plot([kept], [history.val_loss[history.best_epoch]], marker="*", markersize=12, color="tab:green",
                linestyle="none", label=f"kept: epoch {kept}")
    handles = ax.get_legend_handles_labels()
    handles2 = ax2.get_legend_handles_labels()
    ax.legend(handles[0] + handles2[0], handles[1] + handles2[1], loc="center right", fontsize=8)
    ax.set_title("Training and validation loss and accuracy per epoch" if validated
                 else "Training loss and accuracy per epoch")
    fig.tight_layout()
    return save_figure(fig, plt, path)


def confusion_matrix(cm: np.ndarray, path, title: str = "Confusion matrix") -> Path:
    """The 2 x 2 confusion matrix with counts in the cells."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(cm, cmap="Blues")
    names = ["No PII", "Has PII"]
    ax.set_xticks([0, 1], labels=[f"Predicted {n}" for n in names])
    ax.set_yticks([0, 1], labels=[f"Actual {n}" for n in names])
    for (i, j), v in np.ndenumerate(cm):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > cm.max() / 2 else "black")
    ax.set_title(title)
    fig.tight_layout()
    return save_figure(fig, plt, path)


def save_figure(fig, plt, path) -> Path:
    """Write ``fig`` as a PNG at ``path`` (atomically) and close it."""
    try:
        return atomic_file(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    finally:
        plt.close(fig)
