"""The weighted, numerically stable binary cross-entropy on logits, its gradient, and accuracy.

``loss = (1-y) max(z,0) + (1-y) log1p(exp(-|z|)) + y w (max(-z,0) + log1p(exp(-|z|)))``
whose derivative in ``z`` is ``delta = s (1 + (w-1) y) - w y`` with ``s = sigmoid(clip(z))``.
"""

import numpy as np
from numba import njit

from ._config import INLINE_JIT, JIT

CLIP = 500.0


@njit(**INLINE_JIT)
def sigmoid_clipped(z):
    """``1 / (1 + exp(-clip(z, -500, 500)))`` in float64 (NaN stays NaN)."""
    if z < -CLIP:
        z = -CLIP
    elif z > CLIP:
        z = CLIP
    return 1.0 / (1.0 + np.exp(-z))


@njit(**INLINE_JIT)
def bce_term(z, y, pos_weight):
    """One row's weighted BCE on logit ``z`` and label ``y`` (float64)."""
    log_term = np.log1p(np.exp(-abs(z)))
    return (1.0 - y) * max(z, 0.0) + (1.0 - y) * log_term + y * pos_weight * (max(-z, 0.0) + log_term)


@njit(**JIT)
def loss_delta_correct(z, y, pos_weight, delta):
    """Loss sum, output delta and correct count of one batch.

    ``z`` (nb,) logits, ``y`` (nb,) 0/1 labels; writes ``delta`` (nb,) and returns
    ``(sum of bce_term, number of rows with (sigmoid(z) > 0.5) == y)``.
    """
    total = 0.0
    correct = 0
    for i in range(z.shape[0]):
        zi = np.float64(z[i])
        yi = np.float64(y[i])
        s = sigmoid_clipped(zi)
        delta[i] = s * (1.0 + (pos_weight - 1.0) * yi) - pos_weight * yi
        total += bce_term(zi, yi, pos_weight)
        if (s > 0.5) == (yi > 0.5):
            correct += 1
    return total, correct


@njit(**JIT)
def correct_count(z, y):
    """Rows whose ``sigmoid(z) > 0.5`` agrees with ``y > 0.5``."""
    correct = 0
    for i in range(z.shape[0]):
        if (sigmoid_clipped(np.float64(z[i])) > 0.5) == (np.float64(y[i]) > 0.5):
            correct += 1
    return correct
