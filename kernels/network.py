"""One batch through the whole network, for the drop-in class's per-call methods.

Layer ``l`` has ``Ws[l]`` (d_l, h_l) and ``bs[l]`` (h_l,); the last layer has one unit.
``acts[l]`` and ``deltas[l]`` are flat scratch buffers of at least ``nb * h_l`` elements for
each hidden layer (one dummy buffer when there is none); ``gWs``/``gbs`` are shaped like
``Ws``/``bs``. Every array is C-contiguous and of the network's float dtype; ``Xb`` too.
These kernels let the BLAS thread its products itself; :mod:`.train` has the epoch kernel.
"""

import numpy as np
from numba import njit

from ._config import JIT
from .layers import NO_DROPOUT, bias_relu_dropout, output_backward, output_logits, relu_dropout_grad, sgd_step
from .rng import stream_key


@njit(**JIT)
def as_matrix(buf, nb, h):
    """The first ``nb * h`` elements of a flat buffer as a C-contiguous (nb, h) matrix."""
    return buf[: nb * h].reshape((nb, h))


@njit(**JIT)
def forward_batch(Xb, Ws, bs, acts, z, mode, p, scale, seed, step, uniforms, u_off):
    """Forward pass: hidden activations (post-dropout) into ``acts``, logits into ``z`` (nb,).

    Returns the offset into ``uniforms`` after the values this call consumed.
    """
    nb = Xb.shape[0]
    L = len(Ws)
    A = Xb
    for l in range(L - 1):
        h = Ws[l].shape[1]
        Z = as_matrix(acts[l], nb, h)
        np.dot(A, Ws[l], Z)
        bias_relu_dropout(Z, bs[l], 0, h, mode, p, scale, stream_key(seed, step, l), uniforms, u_off)
        if mode != NO_DROPOUT:
            u_off += nb * h
        A = Z
    output_logits(A, Ws[L - 1], bs[L - 1][0], z)
    return u_off


@njit(**JIT)
def backward_batch(Xb, Ws, gWs, gbs, acts, deltas, delta_out, scale):
    """Gradients ``dW``/``db`` into ``gWs``/``gbs``, as the reference computes and stores them.

    Runs after :func:`forward_batch` on the same batch, from the output delta (nb,);
    ``scale`` is the kept units' dropout factor (1 without dropout).
    """
    nb = Xb.shape[0]
    L = len(Ws)
    A_in = Xb
    G = as_matrix(deltas[0], 0, 1)
    if L > 1:
        A_in = as_matrix(acts[L - 2], nb, Ws[L - 1].shape[0])
        G = as_matrix(deltas[L - 2], nb, Ws[L - 1].shape[0])
    gbs[L - 1][0] = output_backward(A_in, Ws[L - 1], delta_out, gWs[L - 1], G)
    if L > 1:
        relu_dropout_grad(G, A_in, 0, G.shape[1], scale, gbs[L - 2])
    for l in range(L - 2, -1, -1):
        d_in, h = Ws[l].shape
        D = as_matrix(deltas[l], nb, h)
        for j in range(h):
            gbs[l][j] = gbs[l][j] / nb
        A_in = Xb
        if l > 0:
            A_in = as_matrix(acts[l - 1], nb, d_in)
        np.dot(A_in.T, D, gWs[l])
        gW = gWs[l].reshape(gWs[l].size)
        for k in range(gW.size):
            gW[k] = gW[k] / nb
        if l > 0:
            G = as_matrix(deltas[l - 1], nb, d_in)
            np.dot(D, Ws[l].T, G)
            relu_dropout_grad(G, A_in, 0, d_in, scale, gbs[l - 1])


@njit(**JIT)
def update(Ws, bs, dWs, dbs, lr, l2):
    """``W -= lr * (dW + l2 * W)`` and ``b -= lr * db`` for every layer."""
    for l in range(len(Ws)):
        sgd_step(Ws[l], dWs[l], lr, l2)
        sgd_step(bs[l], dbs[l], lr, 0.0)
