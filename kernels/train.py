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

from collections import namedtuple

import numpy as np
from numba import njit, prange

from ._config import JIT, PARALLEL_JIT
from .blas import gemm
from .layers import NO_DROPOUT, bias_relu_dropout, output_backward, output_logits, relu_dropout_grad, sgd_step
from .loss import correct_count, loss_delta_correct, sigmoid_clipped
from .network import as_matrix
from .rng import stream_key

EpochScratch = namedtuple("EpochScratch", ["acts", "deltas", "colsums", "gW_out", "z", "delta_out"])
"""The epoch kernel's buffers for batches of up to ``rows`` rows (``fastscratch.model.epoch_scratch``
builds them), all of the network's float dtype except ``colsums``:

acts, deltas : tuple of dtype[rows * h], one per hidden layer of width ``h`` (one empty array when
    there is none); a batch of ``nb`` rows uses the first ``nb * h`` as an ``(nb, h)`` matrix.
colsums : tuple of float64[h], one per hidden layer: column sums of its delta (its bias gradient).
gW_out : dtype[d_last, 1], the output layer's weight gradient (``d_last`` its input width).
z, delta_out : dtype[rows], a batch's logits and output delta.
"""

SGD = namedtuple("SGD", ["batch_size", "lr", "l2", "pos_weight"])
"""Mini-batch SGD settings: ``batch_size`` (int), ``lr``, ``l2`` (weight decay, not on biases)
and ``pos_weight`` (the loss's positive-class weight), floats."""

Dropout = namedtuple("Dropout", ["mode", "p", "scale", "seed", "step0", "uniforms"])
"""Where a training pass's dropout masks come from (:mod:`.layers`): ``mode`` (int), rate ``p`` and
``scale = 1 / (1 - p)`` (floats), ``seed`` and ``step0`` (ints: batch ``b`` of the epoch draws the
counter stream of step ``step0 + b``), ``uniforms`` (float64[:], read consecutively in
``UNIFORMS`` mode; may be empty otherwise)."""


@njit(**JIT)
def part_bounds(n, part, parts):
    """Bounds ``[lo, hi)`` of part ``part`` of ``parts`` (1 or 2) fixed halves of ``range(n)``."""
    half = (n + 1) // 2 if parts == 2 else n
    return part * half, (n if part == parts - 1 else half)


MIN_SPLIT_WORK = 1 << 20
"""Multiply-adds below which a layer's product stays on one thread: splitting a smaller one
costs more in the parallel region's fork and join than the second core gives back."""


@njit(**JIT)
def split_parts(n, work):
    """Split ``n`` columns/rows in two when there are two and ``work`` (multiply-adds) pays."""
    return 2 if n >= 2 and work >= MIN_SPLIT_WORK else 1


@njit(**JIT)
def forward_part(A, W, s, b, Z, part, parts, mode, p, scale, key, uniforms, u_off):
    """Columns ``[j0, j1)`` of ``Z = max(0, s * A @ W + b) * mask``; A (nb, d), W (d, h), Z (nb, h)."""
    j0, j1 = part_bounds(Z.shape[1], part, parts)
    gemm(A, W[:, j0:j1], Z[:, j0:j1], s, 0.0, False, False)
    bias_relu_dropout(Z, b, j0, j1, mode, p, scale, key, uniforms, u_off)


@njit(**JIT)
def backward_part(D, W, s, alpha_update, A_in, G, colsum, scale, part, parts):
    """Input units ``[i0, i1)`` of a hidden layer ``l >= 1``: ``G = (s * D @ W.T) * (A_in > 0) *
    scale`` and its column sums into ``colsum``, then ``W += alpha_update * A_in.T @ D``.

    D (nb, h) the layer's delta; W (d, h); A_in (nb, d) its input activation; G (nb, d).
    """
    i0, i1 = part_bounds(W.shape[0], part, parts)
    gemm(D, W[i0:i1, :], G[:, i0:i1], s, 0.0, False, True)
    relu_dropout_grad(G, A_in, i0, i1, scale, colsum)
    gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**JIT)
def update_part(A_in, D, W, alpha_update, part, parts):
    """Rows ``[i0, i1)`` of ``W += alpha_update * A_in.T @ D`` (the first layer's update)."""
    i0, i1 = part_bounds(W.shape[0], part, parts)
    gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**JIT)
def _output_step(A, yb, W_out, b_out, G, colsum, scratch, sgd, grad_scale):
    """The one-unit output layer of a training pass: logits, loss and its delta, then (when the
    loss is finite) its gradient into ``G``, masked (``colsum`` gets G's column sums when there is
    a hidden layer), and its exact SGD update (no weight scale).

    A (nb, d_last) the last activation; yb (nb,); W_out (d_last, 1); b_out (1,); G (nb, d_last),
    or no rows without hidden layers. Returns ``(mean loss, correct rows)``; a non-finite loss
    leaves everything but the logits and the delta untouched.
    """
    nb = A.shape[0]
    zb = scratch.z[:nb]
    db = scratch.delta_out[:nb]
    output_logits(A, W_out, b_out[0], zb)
    total, correct = loss_delta_correct(zb, yb, sgd.pos_weight, db)
    loss = total / nb
    if np.isfinite(loss):
        db_out = output_backward(A, W_out, db, scratch.gW_out, G)
        if G.shape[0] > 0:
            relu_dropout_grad(G, A, 0, G.shape[1], grad_scale, colsum)
        sgd_step(W_out, scratch.gW_out, sgd.lr, sgd.l2)
        b_out[0] -= sgd.lr * db_out
    return loss, correct


@njit(**JIT)
def _bias_step(b, colsum, lr, nb):
    """``b -= lr * colsum / nb``: a hidden layer's bias update from its delta's column sums."""
    for j in range(b.shape[0]):
        b[j] -= lr * (colsum[j] / nb)


@njit(**JIT)
def _count_correct(A, W_out, b_out, zb, yb):
    """Rows of the batch the output layer classifies right from the last activation ``A``."""
    output_logits(A, W_out, b_out[0], zb)
    return correct_count(zb, yb)


@njit(**JIT)
def _fold_scales(Ws, ss):
    """``Ws[l] *= ss[l]`` for every hidden layer: the true weights back from their scaled form."""
    for l in range(len(Ws) - 1):
        W = Ws[l].reshape(Ws[l].size)
        s = W.dtype.type(ss[l])
        for k in range(W.size):
            W[k] *= s


@njit(**PARALLEL_JIT)
def train_epoch(X, y, Ws, bs, scratch, sgd, dropout, notebook_accuracy, losses, corrects):
    """Mini-batch SGD over the rows of ``X`` (n, d) in order, batches of ``sgd.batch_size``.

    Per batch ``b``: forward with dropout, ``losses[b]`` (mean weighted BCE, float64), backward
    and SGD step; ``corrects[b]`` counts rows classified right, by the training forward pass,
    or with ``notebook_accuracy`` by the notebook's extra no-dropout pass after the update.

    Parameters
    ----------
    X : dtype[n, d]
    y : dtype[n]
        0/1 labels.
    Ws, bs : tuples of dtype[d_l, h_l] and dtype[h_l]
        The layers' weights and biases, updated in place.
    scratch : EpochScratch
        For batches of ``sgd.batch_size`` rows.
    sgd : SGD
    dropout : Dropout
    notebook_accuracy : bool
    losses : float64[n_batches]
    corrects : int64[n_batches]
        Outputs.

    Returns
    -------
    int
        The number of batches done: fewer than all when a batch's loss was not finite, in
        which case that batch was not applied.
    """
    # a prange body reads plain locals only: Numba passes its free variables to the parallel
    # region as arguments, and a tuple or named tuple there does not compile
    p, scale, uniforms = dropout.p, dropout.scale, dropout.uniforms
    n = X.shape[0]
    L = len(Ws)
    n_batches = (n + sgd.batch_size - 1) // sgd.batch_size
    grad_scale = 1.0 if dropout.mode == NO_DROPOUT else scale
    decay = 1.0 - sgd.lr * sgd.l2
    ss = np.ones(L)  # the hidden layers' weight scales (module doc)
    u_off = 0
    done = n_batches
    for bi in range(n_batches):
        start = bi * sgd.batch_size
        stop = min(n, start + sgd.batch_size)
        nb = stop - start
        Xb = X[start:stop]
        yb = y[start:stop]
        # phase 0: the training pass, loss, backward and update; phase 1 (notebook accuracy):
        # a pass without dropout on the updated weights
        for phase in range(2 if notebook_accuracy else 1):
            mode = dropout.mode if phase == 0 else NO_DROPOUT
            A = Xb
            for l in range(L - 1):
                W, b, s = Ws[l], bs[l], ss[l]
                h = W.shape[1]
                Z = as_matrix(scratch.acts[l], nb, h)
                key = stream_key(dropout.seed, dropout.step0 + bi, l)
                parts = split_parts(h, nb * W.shape[0] * h)
                if parts == 1:
                    forward_part(A, W, s, b, Z, 0, 1, mode, p, scale, key, uniforms, u_off)
                else:
                    for part in prange(parts):
                        forward_part(A, W, s, b, Z, part, parts, mode, p, scale, key, uniforms, u_off)
                if mode != NO_DROPOUT:
                    u_off += nb * h
                A = Z
            if phase == 1:
                corrects[bi] = _count_correct(A, Ws[L - 1], bs[L - 1], scratch.z[:nb], yb)
                continue
            G = as_matrix(scratch.deltas[L - 2], nb, Ws[L - 1].shape[0]) if L > 1 else as_matrix(scratch.deltas[0], 0, 1)
            losses[bi], corrects[bi] = _output_step(A, yb, Ws[L - 1], bs[L - 1], G, scratch.colsums[max(L - 2, 0)],
                                                    scratch, sgd, grad_scale)
            if not np.isfinite(losses[bi]):
                done = bi
                break
            for l in range(L - 2, -1, -1):
                W, s = Ws[l], ss[l]
                d_in, h = W.shape
                D = as_matrix(scratch.deltas[l], nb, h)
                s_new = s * decay
                alpha_update = -sgd.lr / (nb * s_new)
                parts = split_parts(d_in, nb * d_in * h)
                if l > 0:
                    A_in = as_matrix(scratch.acts[l - 1], nb, d_in)
                    G = as_matrix(scratch.deltas[l - 1], nb, d_in)
                    colsum = scratch.colsums[l - 1]
                    if parts == 1:
                        backward_part(D, W, s, alpha_update, A_in, G, colsum, grad_scale, 0, 1)
                    else:
                        for part in prange(parts):
                            backward_part(D, W, s, alpha_update, A_in, G, colsum, grad_scale, part, parts)
                elif parts == 1:
                    update_part(Xb, D, W, alpha_update, 0, 1)
                else:
                    for part in prange(parts):
                        update_part(Xb, D, W, alpha_update, part, parts)
                ss[l] = s_new
                _bias_step(bs[l], scratch.colsums[l], sgd.lr, nb)
        if done < n_batches:
            break
    _fold_scales(Ws, ss)
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
