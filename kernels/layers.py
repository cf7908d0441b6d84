"""Fused per-layer passes around the BLAS products of a dense ReLU network.

Shapes: a batch of ``nb`` rows; a hidden layer maps ``(nb, d_in)`` to ``(nb, h)`` with
``W`` of shape ``(d_in, h)`` and ``b`` of shape ``(h,)``; the output layer has one unit.
All arrays are C-contiguous and share one float dtype (float32 or float64).

Dropout ``mode``: ``NO_DROPOUT``; ``COUNTER`` draws uniforms from :mod:`.rng`;
``UNIFORMS`` reads them from a caller-supplied float64 array (NumPy's global RNG in the
reference's order). A unit is kept when its uniform is ``> p`` and then scaled by
``scale = 1 / (1 - p)``, exactly the reference's ``(rand > p) / (1 - p)`` mask.
"""

import numpy as np
from numba import njit

from ._config import JIT
from .rng import keeps

NO_DROPOUT = 0
COUNTER = 1
UNIFORMS = 2


@njit(**JIT)
def bias_relu_dropout(Z, b, j0, j1, mode, p, scale, key, uniforms, u_off):
    """In place on columns ``[j0, j1)``: ``Z = max(0, Z + b) * mask``, one pass.

    ``Z`` (nb, h) holds ``A_prev @ W`` on entry and the post-dropout activation on exit.
    The uniform of element ``(i, j)`` is ``uniform(key, i * h + j)`` (``COUNTER``, compared
    as integers: see :func:`.rng.keeps`) or ``uniforms[u_off + i * h + j]`` (``UNIFORMS``):
    row-major, as ``np.random.rand(nb, h)``.
    """
    # Inner loops run from 0 over 1-D row views: with a runtime start index Numba's
    # negative-index handling cannot be folded away and the loop does not vectorise.
    nb, h = Z.shape
    n = j1 - j0
    zero = Z.dtype.type(0)
    keep = Z.dtype.type(scale)
    threshold = np.uint64(p * 9007199254740992.0)  # floor(p * 2**53), exact: see rng.keeps
    bj = b[j0:j1]
    for i in range(nb):
        z = Z[i, j0:j1]
        if mode == COUNTER:
            first = i * h + j0
            for j in range(n):
                v = z[j] + bj[j]
                v = zero if v < zero else v  # np.maximum(0, v): NaN stays NaN
                z[j] = v * (keep if keeps(key, first + j, threshold) else zero)
        elif mode == UNIFORMS:
            u = uniforms[u_off + i * h + j0 : u_off + i * h + j1]
            for j in range(n):
                v = z[j] + bj[j]
                v = zero if v < zero else v
                z[j] = v * (keep if u[j] > p else zero)
        else:
            for j in range(n):
                v = z[j] + bj[j]
                z[j] = zero if v < zero else v


@njit(**JIT)
def output_logits(A, w, b0, z):
    """``z[i] = A[i] @ w[:, 0] + b0`` for the one-unit output layer (float64 accumulation)."""
    nb, h = A.shape
    wv = w[:, 0]
    for i in range(nb):
        a = A[i]
        acc = 0.0
        for k in range(h):
            acc += np.float64(a[k]) * np.float64(wv[k])
        z[i] = acc + b0


@njit(**JIT)
def relu_dropout_grad(G, A, j0, j1, scale, colsum):
    """In place on columns ``[j0, j1)``: ``G *= (A > 0) * scale``, and ``colsum[j] = sum_i G[i, j]``.

    The reference's ``delta *= (A > 0); delta *= mask``: ``A`` is the post-dropout
    activation, so ``A > 0`` is already zero for dropped units and only the kept units'
    ``1 / (1 - p)`` factor remains (``scale = 1`` without dropout). The column sums, in
    float64, are the bias gradient of the layer this delta belongs to (times the batch size).
    """
    nb = G.shape[0]
    n = j1 - j0
    zero = G.dtype.type(0)
    s = G.dtype.type(scale)
    acc = np.zeros(n, np.float64)
    for i in range(nb):
        g = G[i, j0:j1]
        a = A[i, j0:j1]
        for j in range(n):
            v = g[j] * s if a[j] > zero else zero
            g[j] = v
            acc[j] += v
    out = colsum[j0:j1]
    for j in range(n):
        out[j] = acc[j]


@njit(**JIT)
def output_backward(A, w, delta, dW, G):
    """Backward through the one-unit output layer; returns ``db = sum(delta) / nb``.

    Writes ``dW[k, 0] = sum_i A[i, k] * delta[i] / nb`` and, when ``G`` has rows, the raw
    ``G[i, k] = delta[i] * w[k, 0]`` (old ``w``: call before updating it) for
    :func:`relu_dropout_grad` to mask.
    """
    nb, h = A.shape
    acc = np.zeros(h, np.float64)
    dsum = 0.0
    for i in range(nb):
        di = np.float64(delta[i])
        dsum += di
        a = A[i]
        for k in range(h):
            acc[k] += np.float64(a[k]) * di
    dw = dW.reshape(dW.size)
    for k in range(h):
        dw[k] = acc[k] / nb
    if G.shape[0] > 0:
        wv = w.reshape(w.size)
        for i in range(nb):
            di = delta[i]
            g = G[i]
            for k in range(h):
                g[k] = di * wv[k]
    return dsum / nb


@njit(**JIT)
def sgd_step(W, dW, lr, l2):
    """In place: ``W -= lr * (dW + l2 * W)`` (pass ``l2 = 0`` for biases: no decay on biases)."""
    Wf = W.reshape(W.size)
    dWf = dW.reshape(dW.size)
    t = W.dtype.type
    t_lr, t_l2 = t(lr), t(l2)
    for i in range(Wf.size):
        Wf[i] -= t_lr * (dWf[i] + t_l2 * Wf[i])
