"""The original notebook's network and training settings: the defaults everywhere in fastscratch.

The constructor of ``ScratchNet``, ``PIIClassifier``, the command line, the demo and the
benchmarks all take their defaults from here.
"""

from __future__ import annotations

__all__ = ["HIDDEN_SIZES", "DROPOUT", "THRESHOLD", "NOTEBOOK"]

HIDDEN_SIZES: tuple[int, ...] = (512, 256)
"""The widths of the two ReLU hidden layers."""

DROPOUT: float = 0.1
"""The inverted-dropout rate of every hidden layer while training."""

THRESHOLD: float = 0.5
"""The decision threshold on the predicted probability."""

NOTEBOOK: dict = dict(epochs=60, batch_size=128, lr=0.00375, l2_lambda=0.005, pos_weight=2.0)
"""The notebook's training hyperparameters (``ScratchNet.fit``'s defaults)."""
