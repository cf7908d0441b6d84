"""Benchmark workloads shared by ``make bench`` (pytest-benchmark) and ``fastscratch bench``.

Each ``*_epoch`` / ``*_score`` function does one timed unit of work; the factories build the
models so that setup stays out of the timings. The peers are imported lazily and a factory
returns None when its package is missing.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import reference as ref
from .model import NOTEBOOK, ScratchNet

# The original run: 45,000 documents x 300-d GloVe means, [512, 256], dropout 0.1.
N_ROWS, WIDTH, HIDDEN, DROPOUT = 45_000, 300, (512, 256), 0.1
LR, L2, POS_WEIGHT = NOTEBOOK["lr"], NOTEBOOK["l2_lambda"], NOTEBOOK["pos_weight"]


def training_data(n: int = N_ROWS, d: int = WIDTH, seed: int = 0, positive: float = 0.248):
    """(X float32 (n, d), y int64 (n,)): GloVe-mean-like features (|x| ~ 0.1-0.5) and labels
    that depend on them, so ReLU sparsity and loss behave as in a real run."""
    g = np.random.default_rng(seed)
    X = (g.standard_normal((n, d)) * 0.3).astype(np.float32)
    score = X[:, : d // 4].sum(axis=1) + 0.5 * g.standard_normal(n)
    y = (score > np.quantile(score, 1 - positive)).astype(np.int64)
    return X, y


def reference_model(d: int = WIDTH, seed: int = 42) -> ref.ScratchNet:
    np.random.seed(seed)
    return ref.ScratchNet(d, list(HIDDEN), DROPOUT)


def fast_model(d: int = WIDTH, seed: int = 42, **kw) -> ScratchNet:
    return ScratchNet(d, list(HIDDEN), DROPOUT, seed=seed, **kw)


def notebook_epoch(model, X, y, batch_size: int, accuracy_pass: bool = True) -> float:
    """One epoch of the notebook's loop on any model with the original's methods; its loss."""
    hist = ref.train_notebook(model, X, y, epochs=1, batch_size=batch_size, lr=LR, l2_lambda=L2,
                              pos_weight=POS_WEIGHT, accuracy_pass=accuracy_pass)
    return hist[0][0]


def fit_epoch(model: ScratchNet, X, y, batch_size: int, accuracy: str = "train") -> float:
    """One epoch of ``ScratchNet.fit``; its loss."""
    return model.fit(X, y, epochs=1, batch_size=batch_size, lr=LR, l2_lambda=L2,
                     pos_weight=POS_WEIGHT, accuracy=accuracy).loss[0]


def torch_trainer(d: int = WIDTH, seed: int = 0) -> Callable | None:
    """``epoch(X, y, batch_size) -> loss`` for the same network in PyTorch (CPU, float32):
    Linear/ReLU/Dropout layers, BCEWithLogits with pos_weight (the same loss), SGD with the
    L2 decay on weights only (the same update). None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(seed)
    layers, prev = [], d
    for h in HIDDEN:
        layers += [torch.nn.Linear(prev, h), torch.nn.ReLU(), torch.nn.Dropout(DROPOUT)]
        prev = h
    net = torch.nn.Sequential(*layers, torch.nn.Linear(prev, 1))
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": L2}, {"params": biases, "weight_decay": 0.0}], lr=LR)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([POS_WEIGHT]))
    cache = {}

    def epoch(X, y, batch_size):
        key = (id(X), id(y))
        if key not in cache:
            cache.clear()
            cache[key] = (torch.from_numpy(X), torch.from_numpy(y.astype(np.float32)).reshape(-1, 1))
        Xt, yt = cache[key]
        net.train()
        total, count = 0.0, 0
        for s in range(0, len(Xt), batch_size):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(Xt[s : s + batch_size]), yt[s : s + batch_size])
            loss.backward()
            opt.step()
            total += loss.item()
            count += 1
        return total / count

    def score(X):
        net.eval()
        with torch.no_grad():
            return torch.sigmoid(net(torch.from_numpy(X))).numpy().reshape(-1)

    epoch.score = score
    return epoch


def blas_only_epoch(model: ScratchNet, X, batch_size: int) -> Callable[[], None]:
    """A callable running ``model``'s fit epoch kernel with only its BLAS products (same
    split, same shapes; ``blas_only=True``): timed against ``fit``, the epoch's BLAS share."""
    from ._threads import single_threaded_blas
    from .kernels import train

    Xc = np.ascontiguousarray(X, dtype=model.dtype)
    y = np.zeros(len(Xc), model.dtype)
    Ws, bs = model._params()
    scratch = model._epoch_scratch(min(batch_size, len(Xc)))
    n_batches = -(-len(Xc) // batch_size)
    losses, corrects = np.zeros(n_batches), np.zeros(n_batches, np.int64)

    def run():
        with single_threaded_blas():
            train.train_epoch(Xc, y, Ws, bs, *scratch, batch_size, LR, L2, POS_WEIGHT, 0, 0.0, 1.0,
                              0, 0, np.empty(0), False, losses, corrects, True)

    return run
