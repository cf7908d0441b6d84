"""Benchmark workloads for the two seed networks: generated MNIST-shaped digits, the posts' runs
(reference and drop-in), and the PyTorch peers. Factories return a callable doing one timed unit
of work; peers return None when torch is missing.

MNIST-shaped data, generated offline: MNIST's digits are 20x20 boxes centred in 28x28 images,
19.1 % of their pixels non-zero, stored in ``mnist.pkl.gz`` as float32 ``k / 256``.
:func:`mnist_like` builds 50,000 such images from scikit-learn's 1,797 real 8x8 digits:
upscaled 2.5x (bilinear) to 20x20, placed at a random offset of up to two pixels around the
centre, brightness jittered by +-20 %, the faintest pixels cut so that 19 % are non-zero as in
MNIST, quantised to ``k / 256``; labels are the digits'. ``dense=True`` gives uniform random
pixels instead (every input non-zero: the sparse first layer's worst case).
"""

from __future__ import annotations

import contextlib
import io
import math
import random
from typing import Callable

import numpy as np

MNIST_DENSITY = 0.191
"""Share of non-zero pixels in MNIST's training images."""
NN_SIZES = [784, 30, 10]
NN_BATCH, NN_ETA = 10, 3.0


def mnist_like(n: int = 50_000, seed: int = 0, dense: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(X float32[n, 784], y int64[n])``: digit images as described in the module docstring."""
    g = np.random.default_rng(seed)
    if dense:
        X = (np.floor(g.random((n, 784)) * 255 + 1) / 256).astype(np.float32)
        return X, g.integers(0, 10, n)
    from scipy import ndimage
    from sklearn.datasets import load_digits

    digits = load_digits()
    boxes = np.stack([ndimage.zoom(im / 16.0, 2.5, order=1) for im in digits.images]).clip(0, 1)
    pick = g.integers(0, len(boxes), n)
    dy, dx = g.integers(2, 7, n), g.integers(2, 7, n)
    gain = g.uniform(0.8, 1.2, n).astype(np.float32)
    images = np.zeros((n, 28, 28), np.float32)
    for oy in range(2, 7):
        for ox in range(2, 7):
            rows = np.flatnonzero((dy == oy) & (dx == ox))
            images[rows, oy : oy + 20, ox : ox + 20] = boxes[pick[rows]] * gain[rows, None, None]
    flat = images.reshape(n, 784)
    cut = np.quantile(flat[flat > 0], 1 - MNIST_DENSITY * flat.size / np.count_nonzero(flat))
    flat[flat <= cut] = 0
    flat *= 256  # in place: each temporary of this size costs its first-touch page faults on this VM
    np.round(flat, out=flat)
    np.minimum(flat, 255, out=flat)
    flat /= 256
    return flat, digits.target[pick].astype(np.int64)


def nn_pairs(X, y):
    """The post's training list over ``X``, ``y`` (one-hot (10, 1) targets)."""
    from fastscratch.data.mnist import as_pairs

    return as_pairs(X, y)


def _quiet(fn: Callable) -> Callable:
    def run():
        with contextlib.redirect_stdout(io.StringIO()):
            return fn()

    return run


def nn_reference_epoch(pairs, seed: int = 0) -> Callable:
    """One epoch of the post's ``SGD`` on ``pairs`` ([784, 30, 10], mini-batch 10, eta 3.0)."""
    from fastscratch.reference.simple_nn import Network

    random.seed(seed)
    np.random.seed(seed)
    net = Network(NN_SIZES)
    return _quiet(lambda: net.SGD(pairs, 1, NN_BATCH, NN_ETA))


def nn_fast_epoch(pairs, seed: int = 0, dtype=np.float64, exact: bool = False) -> Callable:
    """One epoch of the drop-in's ``SGD`` on the same list (its arrays read in place)."""
    from fastscratch.nets.simple_nn import Network

    random.seed(seed)
    np.random.seed(seed)
    net = Network(NN_SIZES, dtype=dtype, exact=exact)
    return _quiet(lambda: net.SGD(pairs, 1, NN_BATCH, NN_ETA))


def nn_torch_epoch(X, y, dtype=np.float64, seed: int = 0) -> Callable | None:
    """One epoch of the same network in PyTorch (CPU, two threads): Linear/Sigmoid layers,
    the post's quadratic cost ``sum((a - y)**2) / (2 m)`` per mini-batch of ``m`` (its
    gradient is the post's ``nabla / m``), ``torch.optim.SGD(lr=eta)``, a new random order
    every epoch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    tdtype = torch.float64 if np.dtype(dtype) == np.float64 else torch.float32
    net = torch.nn.Sequential(torch.nn.Linear(784, 30), torch.nn.Sigmoid(), torch.nn.Linear(30, 10),
                              torch.nn.Sigmoid()).to(tdtype)
    opt = torch.optim.SGD(net.parameters(), lr=NN_ETA)
    Xt = torch.from_numpy(np.array(X, dtype=dtype))  # a writable copy (the PairList's arrays are read-only)
    Yt = torch.nn.functional.one_hot(torch.from_numpy(y), 10).to(tdtype)
    n = Xt.shape[0]

    def epoch():
        order = torch.randperm(n)
        for k in range(0, n, NN_BATCH):
            idx = order[k : k + NN_BATCH]
            opt.zero_grad(set_to_none=True)
            loss = ((net(Xt[idx]) - Yt[idx]) ** 2).sum() / (2 * idx.shape[0])
            loss.backward()
            opt.step()

    return epoch


# ----------------------------------------------------------------------------- the sine-wave RNN

RNN_EPOCHS = 25


def rnn_reference_run(epochs: int = RNN_EPOCHS) -> Callable:
    """The post's ``train``: 25 epochs from its seeded weights on its sine data (prints dropped)."""
    from fastscratch.reference import simple_rnn as ref

    return _post_train_run(ref, ref.sine_wave_data(), epochs)


def rnn_fast_post_run(epochs: int = RNN_EPOCHS) -> Callable:
    """The drop-in module's ``train`` (the post's rule, exact), same run."""
    from fastscratch.data.sine import sine_wave_data
    from fastscratch.nets import simple_rnn as fast

    return _post_train_run(fast, sine_wave_data(), epochs)


def _post_train_run(module, data, epochs: int) -> Callable:
    """``module.train`` (the post's or the drop-in's) for ``epochs`` from the post's seeded
    weights, its prints dropped and ``module.max_epochs`` restored after."""
    from fastscratch.reference.simple_rnn import initial_weights

    X, Y, Xv, Yv = data

    def run():
        U, V, W = initial_weights()
        saved = module.max_epochs
        module.max_epochs = epochs
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                return module.train(U, V, W, X, Y, Xv, Yv)
        finally:
            module.max_epochs = saved

    return run


def rnn_fast_bptt_run(epochs: int = RNN_EPOCHS, lr: float = 1e-4) -> Callable:
    """``SimpleRNN(mode="bptt")`` with the post's settings: 25 epochs with its two losses per epoch."""
    from fastscratch.data.sine import sine_wave_data
    from fastscratch.nets.simple_rnn import SimpleRNN

    X, Y, Xv, Yv = sine_wave_data()

    def run():
        model = SimpleRNN(mode="bptt", lr=lr)
        model.fit(X, Y, epochs=epochs, validation=(Xv, Yv))
        return model

    return run


def rnn_torch_bptt_run(epochs: int = RNN_EPOCHS, lr: float = 1e-4, truncate: int = 5, clip: float = 10.0,
                       seed: int = 12161) -> Callable | None:
    """The same truncated BPTT in PyTorch (CPU, two threads, float64), no ``torch.nn.RNN``: per
    sequence the steps before the truncation window run without gradients, the hidden state is
    detached, the last ``truncate + 1`` steps run with autograd; the squared error's gradients
    are clamped to [-clip, clip] and ``torch.optim.SGD`` steps. Each epoch starts with the post's
    two losses (all sequences at once, no gradients), as the post's ``train`` does."""
    try:
        import torch
    except ImportError:
        return None
    from fastscratch.data.sine import sine_wave_data

    torch.set_num_threads(2)
    X, Y, Xv, Yv = (torch.from_numpy(np.ascontiguousarray(a.reshape(a.shape[0], -1))) for a in sine_wave_data())
    g = np.random.RandomState(seed)
    init = [g.uniform(0, 1, (100, 50)), g.uniform(0, 1, (1, 100)), g.uniform(0, 1, (100, 100))]
    T = X.shape[1]
    start = max(0, T - 1 - truncate)

    def batch_loss(U, V, W, Xs, Ys):
        h = torch.zeros(Xs.shape[0], U.shape[0], dtype=torch.float64)
        for t in range(T):
            h = torch.sigmoid(Xs[:, t : t + 1] * U[:, t] + h @ W.T)
        return float((((h @ V.T)[:, 0] - Ys[:, 0]) ** 2 / 2).sum())

    def run():
        U, V, W = (torch.tensor(a, requires_grad=True) for a in init)
        opt = torch.optim.SGD([U, V, W], lr=lr)
        losses = []
        for _ in range(epochs):
            with torch.no_grad():
                losses.append((batch_loss(U, V, W, X, Y), batch_loss(U, V, W, Xv, Yv)))
            for i in range(X.shape[0]):
                x = X[i]
                h = torch.zeros(U.shape[0], dtype=torch.float64)
                with torch.no_grad():
                    for t in range(start):
                        h = torch.sigmoid(U[:, t] * x[t] + W @ h)
                h = h.detach()
                for t in range(start, T):
                    h = torch.sigmoid(U[:, t] * x[t] + W @ h)
                loss = ((V @ h)[0] - Y[i, 0]) ** 2 / 2
                opt.zero_grad(set_to_none=True)
                loss.backward()
                for p in (U, V, W):
                    p.grad.clamp_(-clip, clip)
                opt.step()
        return [p.detach().numpy() for p in (U, V, W)], losses

    return run


def rmse(a, b) -> float:
    """Root-mean-square difference of two arrays."""
    return math.sqrt(float(np.mean((np.asarray(a) - np.asarray(b)) ** 2)))
