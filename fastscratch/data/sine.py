"""The RNN post's data: a sine wave cut into windows and the value after each window.

``sin(x)`` for ``x = 0 .. 199``; window ``i`` is ``sin(i .. i + seq_len - 1)`` and its target
``sin(i + seq_len)``. The first 100 windows train, the next 50 validate (``test_simple_rnn.py``'s
loops, with its shapes: ``X`` (n, seq_len, 1), ``Y`` (n, 1)).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["sine_wave_data"]


def sine_wave_data(seq_len: int = 50, length: int = 200, training: int = 100):
    """``(X, Y, X_validation, Y_validation)``: float64 (training, seq_len, 1), (training, 1),
    and the following ``length - seq_len - training`` windows likewise, as the post builds them."""
    sin_wave = np.array([math.sin(x) for x in range(length)])
    starts = length - seq_len
    if not 0 < training < starts:
        raise ValueError(f"{length} values give {starts} windows of {seq_len}: cannot train on {training}")
    X = np.array([sin_wave[i : i + seq_len] for i in range(starts)])[:, :, None]
    Y = np.array([sin_wave[i + seq_len] for i in range(starts)])[:, None]
    return X[:training], Y[:training], X[training:], Y[training:]
