"""The original ScratchNet model and training loop, pure NumPy: the oracle for the network's kernels.

Written from ``shared/reference.md`` (the specification of the original notebook) and kept
deliberately naive: it reproduces the original's mixed precision (float32 inputs times
float64 weights), its float64 dropout masks drawn from NumPy's *global* RNG, its delta and
loss formulas and its training loop with the extra ``predict_proba`` pass per batch.

Do not optimise or "fix" anything here: fast code is tested against this module.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

__all__ = [
    "ScratchNet",
    "sigmoid",
    "stable_bce_loss",
    "train_notebook",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, as the notebook writes it."""
    return 1.0 / (1.0 + np.exp(-z))


def stable_bce_loss(logits: np.ndarray, y: np.ndarray, pos_weight: float = 2.0) -> float:
    """Weighted binary cross-entropy on logits, mean over the batch (float64).

    ``(1-y)*max(z,0) + (1-y)*log1p(exp(-|z|)) + y*w*(max(-z,0) + log1p(exp(-|z|)))``
    """
    z = np.asarray(logits, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    log_term = np.log1p(np.exp(-np.abs(z)))
    loss = (
        (1 - y) * np.maximum(z, 0)
        + (1 - y) * log_term
        + y * pos_weight * (np.maximum(-z, 0) + log_term)
    )
    return float(np.mean(loss))


class ScratchNet:
    """The original from-scratch MLP: ReLU hidden layers, inverted dropout, one logit out."""

    def __init__(self, input_size: int = 300, hidden_sizes=(512, 256), dropout: float = 0.1):
        self.layers: list[dict] = []
        self.dropout = dropout
        self.training = True
        self.activations: list[np.ndarray] = []
        self.dropout_masks: list = []
        prev = input_size
        for h in list(hidden_sizes) + [1]:
            W = np.random.randn(prev, h) * np.sqrt(2.0 / prev)
            b = np.zeros((1, h))
            self.layers.append({"W": W, "b": b})
            prev = h

    def forward(self, X) -> np.ndarray:
        """The notebook's forward pass (float32 input, float64 weights); keeps activations and masks."""
        X = np.asarray(X, dtype=np.float32)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        self.activations = [X]
        self.dropout_masks = []
        A = X
        for layer in self.layers[:-1]:
            Z = A @ layer["W"] + layer["b"]
            A = np.maximum(0, Z)
            if self.training and self.dropout > 0:
                mask = (np.random.rand(*A.shape) > self.dropout) / (1 - self.dropout)
                A = A * mask
                self.dropout_masks.append(mask)
            else:
                self.dropout_masks.append(None)
            self.activations.append(A)
        logits = A @ self.layers[-1]["W"] + self.layers[-1]["b"]
        self.activations.append(logits)
        return logits

    def backward(self, logits: np.ndarray, y, pos_weight: float = 2.0) -> None:
        """The notebook's backward pass: ``dW``, ``db`` per layer from the weighted-loss delta."""
        y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        n = y.shape[0]
        s = sigmoid(np.clip(logits, -500, 500))
        delta = s * (1 + (pos_weight - 1) * y) - pos_weight * y
        for i in reversed(range(len(self.layers))):
            A_prev = self.activations[i]
            self.layers[i]["dW"] = A_prev.T @ delta / n
            self.layers[i]["db"] = np.sum(delta, axis=0, keepdims=True) / n
            if i > 0:
                delta = delta @ self.layers[i]["W"].T
                delta *= A_prev > 0
                if self.dropout_masks[i - 1] is not None:
                    delta *= self.dropout_masks[i - 1]

    def update_parameters(self, lr: float = 0.001, l2_lambda: float = 0.001) -> None:
        """The notebook's SGD step with L2 on the weights (not the biases)."""
        for layer in self.layers:
            layer["W"] -= lr * (layer["dW"] + l2_lambda * layer["W"])
            layer["b"] -= lr * layer["db"]

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities without dropout (``training`` off for the call), flattened."""
        self.training = False
        logits = self.forward(X)
        probs = sigmoid(np.clip(logits, -500, 500)).flatten()
        self.training = True
        return probs


def train_notebook(
    model,
    X: np.ndarray,
    y: np.ndarray,
    *,
    lr: float = 0.00375,
    epochs: int = 60,
    batch_size: int = 128,
    l2_lambda: float = 0.005,
    pos_weight: float = 2.0,
    accuracy_pass: bool = True,
    on_epoch: Callable[[int, float, float, float], None] | None = None,
) -> list[tuple[float, float]]:
    """The notebook's training cell: batches in file order, no shuffling.

    Works on any object with the original's methods (``forward``, ``backward``,
    ``update_parameters``, ``predict_proba``), which is what makes the drop-in testable.
    Per epoch it returns ``(loss, accuracy)``: loss is the mean of the batch losses, accuracy
    the share of rows whose post-update ``predict_proba`` (the extra forward pass without
    dropout) is on the right side of 0.5. With ``accuracy_pass=False`` the extra pass is
    skipped and the accuracy is reported as NaN.
    """
    n = X.shape[0]
    history = []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        losses = []
        correct = 0
        for start in range(0, n, batch_size):
            Xb = X[start : start + batch_size]
            yb = y[start : start + batch_size]
            logits = model.forward(Xb)
            losses.append(stable_bce_loss(logits, yb, pos_weight))
            model.backward(logits, yb, pos_weight)
            model.update_parameters(lr, l2_lambda)
            if accuracy_pass:
                preds = (model.predict_proba(Xb) > 0.5).astype(int)
                correct += int((preds == np.asarray(yb).reshape(-1)).sum())
        loss = float(np.mean(losses))
        acc = correct / n if accuracy_pass else float("nan")
        history.append((loss, acc))
        if on_epoch is not None:
            on_epoch(epoch, loss, acc, time.perf_counter() - t0)
    return history
