"""Whole-epoch training and scoring kernels, each layer's work split over two threads.

Every hidden layer's products and the elementwise work around them run in one two-part
parallel region: forward by column halves of the layer's output (GEMM, then bias + ReLU +
dropout on that half while it is in cache); backward by halves of the layer's *input* units,
which own disjoint rows of ``W``, so one thread computes the delta for its units
(``D @ W[rows].T``, masked, with the column sums that make the next bias gradient) and then
updates those rows of ``W`` in the same region. The split is fixed (two parts whatever the
thread count), so results do not depend on the number of threads. Call these kernels with
the BLAS single-threaded.

Weight decay is carried by a scalar per hidden layer: during an epoch the true weights are
``s[l] * Ws[l]``. ``W <- (1 - lr*l2) W - lr/nb A^T D`` becomes ``s <- s (1 - lr*l2)`` and
``Ws[l] += -lr / (nb * s) A^T D``: a GEMM accumulating with ``beta = 1`` and no extra pass
over the weights. The scale is folded into ``alpha`` wherever ``W`` is read and multiplied
back into ``Ws`` at the end of the call.
"""

import numpy as np
from numba import njit, prange

from ._config import JIT, PARALLEL_JIT
from .blas import gemm
from .layers import NO_DROPOUT, bias_relu_dropout, output_backward, output_logits, relu_dropout_grad, sgd_step
from .loss import correct_count, loss_delta_correct, sigmoid_clipped
from .network import as_matrix
from .rng import stream_key


@njit(**JIT)
def _halves(n):
    """(number of parts, size of the first part) for splitting ``n`` columns or rows."""
    return (2, (n + 1) // 2) if n >= 2 else (1, n)


@njit(**PARALLEL_JIT)
def hidden_forward(A, W, s, b, Z, mode, p, scale, key, uniforms, u_off):
    """``Z = max(0, s * A @ W + b) * mask``; A (nb, d), W (d, h), Z (nb, h)."""
    h = Z.shape[1]
    parts, half = _halves(h)
    for part in prange(parts):
        j0 = part * half
        j1 = h if part == parts - 1 else half
        gemm(A, W[:, j0:j1], Z[:, j0:j1], s, 0.0, False, False)
        bias_relu_dropout(Z, b, j0, j1, mode, p, scale, key, uniforms, u_off)


@njit(**PARALLEL_JIT)
def hidden_backward(D, W, s, alpha_update, A_in, G, colsum, scale):
    """For a hidden layer ``l >= 1``: ``G = (s * D @ W.T) * (A_in > 0) * scale``, the column
    sums of ``G`` into ``colsum``, then ``W += alpha_update * A_in.T @ D``.

    D (nb, h) the layer's delta; W (d, h); A_in (nb, d) its input activation; G (nb, d).
    """
    d = W.shape[0]
    parts, half = _halves(d)
    for part in prange(parts):
        i0 = part * half
        i1 = d if part == parts - 1 else half
        gemm(D, W[i0:i1, :], G[:, i0:i1], s, 0.0, False, True)
        relu_dropout_grad(G, A_in, i0, i1, scale, colsum)
        gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**PARALLEL_JIT)
def weight_update(A_in, D, W, alpha_update):
    """``W += alpha_update * A_in.T @ D`` by halves of W's rows (the first layer's update)."""
    d = W.shape[0]
    parts, half = _halves(d)
    for part in prange(parts):
        i0 = part * half
        i1 = d if part == parts - 1 else half
        gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**JIT)
def _forward(Xb, Ws, ss, bs, acts, z, mode, p, scale, seed, step, uniforms, u_off):
    """Forward pass of one batch with scaled weights; returns the next ``uniforms`` offset."""
    nb = Xb.shape[0]
    L = len(Ws)
    A = Xb
    for l in range(L - 1):
        h = Ws[l].shape[1]
        Z = as_matrix(acts[l], nb, h)
        hidden_forward(A, Ws[l], ss[l], bs[l], Z, mode, p, scale, stream_key(seed, step, l), uniforms, u_off)
        if mode != NO_DROPOUT:
            u_off += nb * h
        A = Z
    output_logits(A, Ws[L - 1], bs[L - 1][0], z)
    return u_off


@njit(**JIT)
def _backward_update(Xb, Ws, ss, bs, gW_out, colsums, acts, deltas, delta_out, scale, lr, l2):
    """Backward pass and SGD step of one batch (see the module docstring)."""
    nb = Xb.shape[0]
    L = len(Ws)
    A_in = Xb
    G = as_matrix(deltas[0], 0, 1)
    if L > 1:
        A_in = as_matrix(acts[L - 2], nb, Ws[L - 1].shape[0])
        G = as_matrix(deltas[L - 2], nb, Ws[L - 1].shape[0])
    db_out = output_backward(A_in, Ws[L - 1], delta_out, gW_out, G)
    if L > 1:
        relu_dropout_grad(G, A_in, 0, G.shape[1], scale, colsums[L - 2])
    sgd_step(Ws[L - 1], gW_out, lr, l2)
    bs[L - 1][0] -= lr * db_out
    decay = 1.0 - lr * l2
    for l in range(L - 2, -1, -1):
        d_in, h = Ws[l].shape
        D = as_matrix(deltas[l], nb, h)
        s_new = ss[l] * decay
        alpha_update = -lr / (nb * s_new)
        if l > 0:
            A_in = as_matrix(acts[l - 1], nb, d_in)
            G = as_matrix(deltas[l - 1], nb, d_in)
            hidden_backward(D, Ws[l], ss[l], alpha_update, A_in, G, colsums[l - 1], scale)
        else:
            weight_update(Xb, D, Ws[0], alpha_update)
        ss[l] = s_new
        b = bs[l]
        cs = colsums[l]
        for j in range(h):
            b[j] -= lr * (cs[j] / nb)


@njit(**JIT)
def train_epoch(
    X, y, Ws, bs, acts, deltas, colsums, gW_out, z, delta_out,
    batch_size, lr, l2, pos_weight, mode, p, scale, seed, step0, uniforms, notebook_accuracy,
    losses, corrects,
):
    """Mini-batch SGD over the rows of ``X`` (n, d) in order, batches of ``batch_size``.

    Per batch ``b``: forward with dropout, ``losses[b]`` (mean weighted BCE, float64), backward
    and SGD step; ``corrects[b]`` counts rows classified right, by the training forward pass,
    or with ``notebook_accuracy`` by the notebook's extra no-dropout pass after the update.
    Scratch: ``acts``/``deltas`` (flat, ``batch_size * h`` per hidden layer), ``colsums``
    (float64, ``h`` per hidden layer), ``gW_out`` like the output weights, ``z``/``delta_out``
    (``batch_size``). The RNG step of batch ``b`` is ``step0 + b``; in ``UNIFORMS`` mode the
    batches read ``uniforms`` consecutively.

    Returns the number of batches done: fewer than all when a batch's loss was not finite, in
    which case that batch was not applied.
    """
    n = X.shape[0]
    L = len(Ws)
    n_batches = (n + batch_size - 1) // batch_size
    grad_scale = 1.0 if mode == NO_DROPOUT else scale
    ss = np.ones(L)
    u_off = 0
    done = n_batches
    for bi in range(n_batches):
        start = bi * batch_size
        stop = min(n, start + batch_size)
        nb = stop - start
        Xb = X[start:stop]
        yb = y[start:stop]
        zb = z[:nb]
        db = delta_out[:nb]
        u_off = _forward(Xb, Ws, ss, bs, acts, zb, mode, p, scale, seed, step0 + bi, uniforms, u_off)
        total, correct = loss_delta_correct(zb, yb, pos_weight, db)
        losses[bi] = total / nb
        if not np.isfinite(losses[bi]):
            done = bi
            break
        _backward_update(Xb, Ws, ss, bs, gW_out, colsums, acts, deltas, db, grad_scale, lr, l2)
        if notebook_accuracy:
            _forward(Xb, Ws, ss, bs, acts, zb, NO_DROPOUT, 0.0, 1.0, seed, 0, uniforms, 0)
            correct = correct_count(zb, yb)
        corrects[bi] = correct
    for l in range(L - 1):
        W = Ws[l].reshape(Ws[l].size)
        s = W.dtype.type(ss[l])
        for k in range(W.size):
            W[k] *= s
    return done


@njit(**PARALLEL_JIT)
def predict_proba(X, Ws, bs, chunk, out):
    """``out[i] = sigmoid(clip(logit_i))`` (float64) for every row of ``X``, without dropout.

    Fixed chunks of ``chunk`` rows go through the whole network on one thread each (the
    activations stay in that core's cache); chunk boundaries do not depend on the threads.
    """
    n = X.shape[0]
    n_chunks = (n + chunk - 1) // chunk
    L = len(Ws)
    empty = np.empty(0, np.float64)
    for c in prange(n_chunks):
        start = c * chunk
        stop = min(n, start + chunk)
        nb = stop - start
        A = X[start:stop]
        for l in range(L - 1):
            h = Ws[l].shape[1]
            Z = np.empty((nb, h), X.dtype)
            gemm(A, Ws[l], Z, 1.0, 0.0, False, False)
            bias_relu_dropout(Z, bs[l], 0, h, NO_DROPOUT, 0.0, 1.0, np.uint64(0), empty, 0)
            A = Z
        zb = np.empty(nb, X.dtype)
        output_logits(A, Ws[L - 1], bs[L - 1][0], zb)
        for i in range(nb):
            out[start + i] = sigmoid_clipped(np.float64(zb[i]))
