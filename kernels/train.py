"""Whole-epoch training and scoring kernels, each layer's work split over two threads.

Every hidden layer's products and the elementwise work around them run in one two-part
parallel region (a ``prange`` written in the top-level kernel itself: Numba segfaults when a
cached serial function calls a ``parallel=True`` one, numba#8578): forward by column halves of the layer's output (GEMM, then bias + ReLU +
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
def _part(n, part, parts):
    """Bounds ``[lo, hi)`` of part ``part`` of ``parts`` (1 or 2) fixed halves of ``range(n)``."""
    half = (n + 1) // 2 if parts == 2 else n
    return part * half, (n if part == parts - 1 else half)


MIN_SPLIT_WORK = 1 << 20
"""Multiply-adds below which a layer's product stays on one thread: splitting a smaller one
costs more in the parallel region's fork and join than the second core gives back."""


@njit(**JIT)
def _parts(n, work):
    """Split ``n`` columns/rows in two when there are two and ``work`` (multiply-adds) pays."""
    return 2 if n >= 2 and work >= MIN_SPLIT_WORK else 1


@njit(**JIT)
def forward_part(A, W, s, b, Z, part, parts, mode, p, scale, key, uniforms, u_off, elementwise):
    """Columns ``[j0, j1)`` of ``Z = max(0, s * A @ W + b) * mask``; A (nb, d), W (d, h), Z (nb, h)."""
    j0, j1 = _part(Z.shape[1], part, parts)
    gemm(A, W[:, j0:j1], Z[:, j0:j1], s, 0.0, False, False)
    if elementwise:
        bias_relu_dropout(Z, b, j0, j1, mode, p, scale, key, uniforms, u_off)


@njit(**JIT)
def backward_part(D, W, s, alpha_update, A_in, G, colsum, scale, part, parts, elementwise):
    """Input units ``[i0, i1)`` of a hidden layer ``l >= 1``: ``G = (s * D @ W.T) * (A_in > 0) *
    scale`` and its column sums into ``colsum``, then ``W += alpha_update * A_in.T @ D``.

    D (nb, h) the layer's delta; W (d, h); A_in (nb, d) its input activation; G (nb, d).
    """
    i0, i1 = _part(W.shape[0], part, parts)
    gemm(D, W[i0:i1, :], G[:, i0:i1], s, 0.0, False, True)
    if elementwise:
        relu_dropout_grad(G, A_in, i0, i1, scale, colsum)
    gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**JIT)
def update_part(A_in, D, W, alpha_update, part, parts):
    """Rows ``[i0, i1)`` of ``W += alpha_update * A_in.T @ D`` (the first layer's update)."""
    i0, i1 = _part(W.shape[0], part, parts)
    gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**PARALLEL_JIT)
def train_epoch(
    X, y, Ws, bs, acts, deltas, colsums, gW_out, z, delta_out,
    batch_size, lr, l2, pos_weight, mode, p, scale, seed, step0, uniforms, notebook_accuracy,
    losses, corrects, blas_only=False,
):
    """Mini-batch SGD over the rows of ``X`` (n, d) in order, batches of ``batch_size``.

    Per batch ``b``: forward with dropout, ``losses[b]`` (mean weighted BCE, float64), backward
    and SGD step; ``corrects[b]`` counts rows classified right, by the training forward pass,
    or with ``notebook_accuracy`` by the notebook's extra no-dropout pass after the update.
    Scratch: ``acts``/``deltas`` (flat, ``batch_size * h`` per hidden layer), ``colsums``
    (float64, ``h`` per hidden layer), ``gW_out`` like the output weights, ``z``/``delta_out``
    (``batch_size``). The RNG step of batch ``b`` is ``step0 + b``; in ``UNIFORMS`` mode the
    batches read ``uniforms`` consecutively. ``blas_only`` runs the products alone (no
    elementwise work, loss or output layer) to measure the epoch's BLAS share.

    Returns the number of batches done: fewer than all when a batch's loss was not finite, in
    which case that batch was not applied.
    """
    n = X.shape[0]
    L = len(Ws)
    n_batches = (n + batch_size - 1) // batch_size
    grad_scale = 1.0 if mode == NO_DROPOUT else scale
    decay = 1.0 - lr * l2
    elementwise = not blas_only
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
        # phase 0: training pass, loss, backward and update; phase 1 (notebook accuracy):
        # a pass without dropout on the updated weights
        for phase in range(2 if notebook_accuracy else 1):
            fmode = mode if phase == 0 else NO_DROPOUT
            A = Xb
            for l in range(L - 1):
                h = Ws[l].shape[1]
                Z = as_matrix(acts[l], nb, h)
                key = stream_key(seed, step0 + bi, l)
                parts = _parts(h, nb * Ws[l].shape[0] * h)
                if parts == 1:
                    forward_part(A, Ws[l], ss[l], bs[l], Z, 0, 1, fmode, p, scale, key, uniforms, u_off,
                                 elementwise)
                else:
                    for part in prange(parts):
                        forward_part(A, Ws[l], ss[l], bs[l], Z, part, parts, fmode, p, scale, key,
                                     uniforms, u_off, elementwise)
                if fmode != NO_DROPOUT:
                    u_off += nb * h
                A = Z
            if phase == 1:
                if elementwise:
                    output_logits(A, Ws[L - 1], bs[L - 1][0], zb)
                    corrects[bi] = correct_count(zb, yb)
                continue
            G = as_matrix(deltas[0], 0, 1)
            if L > 1:
                G = as_matrix(deltas[L - 2], nb, Ws[L - 1].shape[0])
            if elementwise:
                output_logits(A, Ws[L - 1], bs[L - 1][0], zb)
                total, correct = loss_delta_correct(zb, yb, pos_weight, db)
                losses[bi] = total / nb
                corrects[bi] = correct
                if not np.isfinite(losses[bi]):
                    done = bi
                    break
                # the one-unit output layer: exact update, no scale
                db_out = output_backward(A, Ws[L - 1], db, gW_out, G)
                if L > 1:
                    relu_dropout_grad(G, A, 0, G.shape[1], grad_scale, colsums[L - 2])
                sgd_step(Ws[L - 1], gW_out, lr, l2)
                bs[L - 1][0] -= lr * db_out
            for l in range(L - 2, -1, -1):
                d_in, h = Ws[l].shape
                D = as_matrix(deltas[l], nb, h)
                s_new = ss[l] * decay
                alpha_update = -lr / (nb * s_new)
                parts = _parts(d_in, nb * d_in * h)
                if l > 0:
                    A_in = as_matrix(acts[l - 1], nb, d_in)
                    G = as_matrix(deltas[l - 1], nb, d_in)
                    if parts == 1:
                        backward_part(D, Ws[l], ss[l], alpha_update, A_in, G, colsums[l - 1], grad_scale,
                                      0, 1, elementwise)
                    else:
                        for part in prange(parts):
                            backward_part(D, Ws[l], ss[l], alpha_update, A_in, G, colsums[l - 1],
                                          grad_scale, part, parts, elementwise)
                elif parts == 1:
                    update_part(Xb, D, Ws[0], alpha_update, 0, 1)
                else:
                    for part in prange(parts):
                        update_part(Xb, D, Ws[0], alpha_update, part, parts)
                ss[l] = s_new
                if elementwise:
                    b = bs[l]
                    cs = colsums[l]
                    for j in range(h):
                        b[j] -= lr * (cs[j] / nb)
        if done < n_batches:
            break
    for l in range(L - 1):
        W = Ws[l].reshape(Ws[l].size)
        s = W.dtype.type(ss[l])
        for k in range(W.size):
            W[k] *= s
    return done


@njit(**JIT)
def score_rows(X, Ws, bs, start, stop, out):
    """Probabilities of rows ``[start, stop)`` through the whole network, on this thread
    (serial: for inputs of one chunk, which should not start a parallel region)."""
    nb = stop - start
    L = len(Ws)
    empty = np.empty(0, np.float64)
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


@njit(**PARALLEL_JIT)
def predict_proba(X, Ws, bs, chunk, out):
    """``out[i] = sigmoid(clip(logit_i))`` (float64) for every row of ``X``, without dropout.

    Fixed chunks of ``chunk`` rows go through the whole network on one thread each (the
    activations stay in that core's cache); chunk boundaries do not depend on the threads.
    Call it under ``numba.parallel_chunksize(1)`` so chunks are handed out one at a time and
    a thread slowed by other work on its core does not hold up the rest.
    """
    n = X.shape[0]
    n_chunks = (n + chunk - 1) // chunk
    for c in prange(n_chunks):
        score_rows(X, Ws, bs, c * chunk, min(n, (c + 1) * chunk), out)
