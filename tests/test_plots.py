"""The training plot shows what early stopping decided on: the validation curves and the kept epoch."""

from __future__ import annotations

import pytest

from fastscratch.app import plots
from fastscratch.nets.scratchnet import History


@pytest.fixture
def drawn(monkeypatch):
    """The figure each plot would save, instead of a file."""
    figures = []
    monkeypatch.setattr(plots, "save_figure", lambda fig, plt, path: figures.append(fig))
    return figures


def _lines(fig):
    return {line.get_label(): line for ax in fig.axes for line in ax.get_lines()}


def test_the_plot_shows_the_validation_curves_and_the_kept_epoch(drawn):
    history = History(loss=[0.5, 0.3, 0.2, 0.25], accuracy=[0.8, 0.9, 0.95, 0.96], seconds=[1.0] * 4,
                      val_loss=[0.6, 0.35, 0.3, 0.32], val_accuracy=[0.7, 0.88, 0.9, 0.89], best_epoch=2,
                      stopped_epoch=3)
    plots.training_curves(history, "unused.png")
    lines = _lines(drawn[0])
    assert list(lines["validation loss"].get_ydata()) == history.val_loss
    assert list(lines["validation accuracy"].get_ydata()) == history.val_accuracy
    kept = lines["kept: epoch 3"]
    assert list(kept.get_xdata()) == [3] and list(kept.get_ydata()) == [0.3]
    assert "validation" in drawn[0].axes[0].get_title()


def test_without_validation_the_plot_is_the_notebooks(drawn):
    history = History(loss=[0.5, 0.3], accuracy=[0.8, 0.9], seconds=[1.0, 1.0])
    plots.training_curves(history, "unused.png")
    assert set(_lines(drawn[0])) == {"training loss", "training accuracy"}
