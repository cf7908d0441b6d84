"""Truncated backpropagation through time for the post's RNN, in plain NumPy: the test oracle
for ``mode="bptt"``.

Written independently of the kernels, straight from the chain rule on the post's model
``h_t = sigmoid(U[:, t] x_t + W h_{t-1})``, ``h_{-1} = 0``, output ``o = V h_{T-1}``, loss
``(o - y)^2 / 2``. Truncation ``k``: the recursion stops after the steps ``T-1 .. T-1-k``,
with ``h`` before them treated as a constant (what detaching the hidden state does).
"""

from __future__ import annotations

import numpy as np


def forward(x, U, V, W):
    """Activations ``hs`` (T, H) and the output of one sequence ``x`` (T,)."""
    H, T = U.shape
    hs = np.zeros((T, H))
    h = np.zeros(H)
    for t in range(T):
        h = 1.0 / (1.0 + np.exp(-(U[:, t] * x[t] + W @ h)))
        hs[t] = h
    return hs, float(V[0] @ h)


def loss(x, y, U, V, W) -> float:
    return (forward(x, U, V, W)[1] - y) ** 2 / 2


def gradients(x, y, U, V, W, truncate: int):
    """``(dU, dV, dW)`` of the last step's squared error, backpropagated ``truncate`` steps."""
    H, T = U.shape
    hs, out = forward(x, U, V, W)
    e = out - y
    dU, dW = np.zeros_like(U), np.zeros_like(W)
    dV = (e * hs[T - 1]).reshape(1, H)
    g = e * V[0]  # dL/dh_{T-1}
    for t in range(T - 1, max(-1, T - 2 - truncate), -1):
        d = g * hs[t] * (1 - hs[t])  # dL/ds_t
        dU[:, t] = d * x[t]
        h_prev = hs[t - 1] if t > 0 else np.zeros(H)
        dW += np.outer(d, h_prev)
        g = W.T @ d
    return dU, dV, dW


def train_epoch(X, Y, U, V, W, truncate: int, lr: float, clip: float | None):
    """One epoch of per-sequence SGD, clipped gradients; updates ``U``, ``V``, ``W`` in place."""
    for x, y in zip(X, Y):
        grads = gradients(x, y, U, V, W, truncate)
        for param, grad in zip((U, V, W), grads):
            if clip is not None:
                grad = np.clip(grad, -clip, clip)
            param -= lr * grad
