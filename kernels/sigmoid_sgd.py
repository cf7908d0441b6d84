"""The sigmoid network's mini-batch SGD (a whole epoch per call) and its forward pass.

A network of ``L`` layers has ``sizes`` int64[L + 1] (``n_0 .. n_L``), transposed padded
weights ``WT[l]`` (n_l, hp_l) and biases ``B[l]`` (hp_l,) (see :mod:`.sigmoid_layers`), all of
one float dtype. Training reads the inputs as CSR rows (``indptr`` int64[n + 1], ``indices``
int32[nnz], ``values``; :mod:`.csr`) and the targets ``T`` (n, n_L) in the network's dtype.
Scratch per mini-batch of up to ``m`` examples: ``A[l]``, ``D[l]`` (m, hp_l) activations and
deltas of layer ``l``'s outputs (zero-filled once, so their padding stays finite).

One mini-batch is the post's ``update_mini_batch``: every example's forward pass and
deltas with the weights as they were at the start of the batch, then each layer's gradient
applied with ``eta / len(mini_batch)``. Training is serial: each mini-batch needs the previous
one's weights, and at ~20 us a batch a second thread's fork and join would cost about what it
saves, and far more whenever the other core is busy.
"""

import numpy as np
from numba import njit, prange

from ._bits import prefetch
from ._config import JIT, PARALLEL_JIT
from .sigmoid_layers import (
    affine_dense,
    affine_sparse,
    bias_sigmoid,
    bias_update,
    dense_update,
    hidden_delta,
    output_delta,
    sparse_update,
    zero_rows,
)


@njit(**JIT)
def prefetch_rows(rows, indptr, indices, values):
    """Start loading the CSR entries of ``rows``: the next mini-batch's, while this one computes
    (its rows are scattered over the data, and each would otherwise wait on memory)."""
    for b in range(rows.shape[0]):
        r = rows[b]
        for p in range(indptr[r], indptr[r + 1], 64 // values.itemsize):
            prefetch(values, p)
        for p in range(indptr[r], indptr[r + 1], 16):
            prefetch(indices, p)


@njit(**JIT)
def forward_batch(rows, indptr, indices, values, T, WT, B, sizes, A, D):
    """Activations ``A`` and deltas ``D`` of the examples ``rows``; every layer's delta comes from
    the weights as they are (the post's ``backprop``), before any is updated."""
    nb = rows.shape[0]
    L = len(WT)
    zero_rows(A[0], nb)
    for b in range(nb):
        r = rows[b]
        affine_sparse(A[0], b * A[0].shape[1], WT[0], indices, values, indptr[r], indptr[r + 1])
        bias_sigmoid(A[0][b], B[0])
        for l in range(1, L):
            zero_rows(A[l][b:], 1)
            affine_dense(A[l], b * A[l].shape[1], WT[l], A[l - 1], b * A[l - 1].shape[1], sizes[l])
            bias_sigmoid(A[l][b], B[l])
        output_delta(A[L - 1][b], T[r], D[L - 1][b], sizes[L])
    for l in range(L - 1, 0, -1):
        for b in range(nb):
            hidden_delta(WT[l], D[l][b], sizes[l + 1], A[l - 1][b], D[l - 1][b], sizes[l])


@njit(**JIT)
def sgd_batch(rows, indptr, indices, values, T, eta, WT, B, sizes, A, D):
    """One mini-batch, the examples ``rows`` int64[nb] (1 <= nb <= m) of the CSR and ``T``:
    forward pass and deltas with the weights as they are, then every layer's update."""
    nb = rows.shape[0]
    L = len(WT)
    c = WT[0].dtype.type(eta / nb)
    forward_batch(rows, indptr, indices, values, T, WT, B, sizes, A, D)
    for l in range(L - 1, 0, -1):
        dense_update(WT[l], A[l - 1], D[l], nb, sizes[l], c)
        bias_update(B[l], D[l], nb, sizes[l + 1], c)
    sparse_update(WT[0], rows, indptr, indices, values, D[0], nb, c)
    bias_update(B[0], D[0], nb, sizes[1], c)


@njit(**JIT)
def batch_gradients(rows, indptr, indices, values, T, WT, B, sizes, A, D, GT, GB):
    """The post's summed gradients of the examples ``rows``, without updating: ``GT[l]`` like
    ``WT[l]`` (``GT[l][k, i]`` is ``nabla_w[l][i, k]``) and ``GB[l]`` (hp_l,) (``nabla_b[l]``);
    per-example products added in example order, as ``update_mini_batch`` adds them."""
    nb = rows.shape[0]
    L = len(WT)
    forward_batch(rows, indptr, indices, values, T, WT, B, sizes, A, D)
    for l in range(L):
        G = GT[l]
        g = GB[l]
        G[:] = 0
        g[:] = 0
        hp = G.shape[1]
        for b in range(nb):
            d = D[l][b]
            for i in range(hp):
                g[i] += d[i]
            if l == 0:
                r = rows[b]
                for p in range(indptr[r], indptr[r + 1]):
                    x = G.dtype.type(values[p])
                    row = G[indices[p]]
                    for i in range(hp):
                        row[i] += x * d[i]
            else:
                a = A[l - 1][b]
                for k in range(sizes[l]):
                    row = G[k]
                    x = a[k]
                    for i in range(hp):
                        row[i] += x * d[i]


@njit(**JIT)
def sgd_epoch(order, m, indptr, indices, values, T, eta, WT, B, sizes, A, D):
    """Mini-batches ``order[k:k+m]`` for ``k = 0, m, 2m, ...``: the post's epoch after its shuffle.

    ``order`` int64[n]: row indices in the shuffled order (position ``k`` holds the row the
    post's shuffled ``training_data[k]`` is).
    """
    n = order.shape[0]
    for s in range(0, n, m):
        e = min(n, s + m)
        prefetch_rows(order[e : min(n, e + m)], indptr, indices, values)
        sgd_batch(order[s:e], indptr, indices, values, T, eta, WT, B, sizes, A, D)


@njit(**JIT)
def forward_rows(X, r0, r1, WT, B, sizes, idx, vals, acts, out):
    """Output activations of rows ``[r0, r1)`` of ``X`` (n, n_0) into ``out`` (n, n_L).

    Each row's non-zero inputs are gathered first (``idx`` int32[n_0], ``vals`` [n_0]) and go
    through the sparse first-layer product. ``acts`` (L, max hp_l): one row of scratch per layer.
    """
    L = len(WT)
    zero = X.dtype.type(0)
    for r in range(r0, r1):
        x = X[r]
        cnt = 0
        for k in range(x.shape[0]):  # branch-free: cnt <= k, so idx[cnt] is in bounds
            v = x[k]
            idx[cnt] = k
            vals[cnt] = v
            cnt += v != zero
        z = acts[0, : WT[0].shape[1]]
        z[:] = 0
        affine_sparse(z, 0, WT[0], idx, vals, 0, cnt)
        bias_sigmoid(z, B[0])
        for l in range(1, L):
            z = acts[l, : WT[l].shape[1]]
            z[:] = 0
            affine_dense(z, 0, WT[l], acts[l - 1], 0, sizes[l])
            bias_sigmoid(z, B[l])
        o = out[r]
        a = acts[L - 1]
        for j in range(sizes[L]):
            o[j] = a[j]


CHUNK = 1024
"""Rows per parallel chunk of :func:`feedforward`."""


@njit(**PARALLEL_JIT)
def feedforward(X, WT, B, sizes, out):
    """``out[r] = network(X[r])`` (n, n_L) for every row, in fixed chunks of ``CHUNK`` rows on
    the available threads (each row's arithmetic is the same on any thread count)."""
    n = X.shape[0]
    L = len(WT)
    width = 0
    for l in range(L):
        width = max(width, WT[l].shape[1])
    chunks = (n + CHUNK - 1) // CHUNK
    for c in prange(chunks):
        idx = np.empty(X.shape[1], np.int32)
        vals = np.empty(X.shape[1], X.dtype)
        acts = np.zeros((L, width), WT[0].dtype)
        forward_rows(X, c * CHUNK, min(n, (c + 1) * CHUNK), WT, B, sizes, idx, vals, acts, out)
