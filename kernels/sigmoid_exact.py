"""The sigmoid network's SGD with the post's arithmetic, value for value (``exact=True``).

Why it exists: mini-batch SGD with eta 3.0 amplifies rounding differences. The fast kernels
(:mod:`.sigmoid_sgd`), which reassociate the post's sums, stay within ~1e-14 of the post's
weights for an epoch of 10,000 images, 1e-12 for 20,000, but 1e-4 to 1e-3 for MNIST's 50,000
(measured). Reproducing the post's weights over its full runs needs its roundings:

- ``np.dot(w, a)`` is BLAS ``dgemv``, called here as NumPy calls it (the same OpenBLAS kernels
  give the same bits; the float32 pixels are widened to float64 first, as NumPy does);
- the sigmoid is ``1.0/(1.0+np.exp(-z))`` with NumPy's own ``exp`` loop (:mod:`.ufunc_call`);
- ``sigmoid_prime(z)`` is ``a * (1 - a)`` with the same ``a``, the output delta
  ``(a - y) * sigmoid_prime``, the hidden ones ``np.dot(w.T, delta) * sigmoid_prime``;
- every gradient is the per-example product ``delta_j * a_i`` (one rounding), added in
  mini-batch order to a sum that starts at zero, and the update is ``w - (eta / m) * sum``.

Zero pixels are skipped in the first layer's gradient sums: they add ``+-0``, which changes
no sum. Arrays: ``Ws[l]`` (n_{l+1}, n_l) and ``Bs[l]`` (n_{l+1},) in the post's layout,
float64, C-contiguous; inputs as CSR rows (:mod:`.csr`), targets ``T`` (n, n_L) float64.
Measured on 50,000 MNIST-like images: 0.40 s an epoch, against 0.12 s for the fast kernels and
2.6-3.1 s for the post's code.
"""

import numpy as np
from numba import njit

from ._config import JIT
from .ufunc_call import sigmoid_inplace


@njit(**JIT)
def forward_example(x, Ws, Bs, acts, exp_loop, exp_data):
    """The post's ``feedforward`` of one input ``x`` (n_0,) float64 into ``acts[l]`` (n_{l+1},)."""
    a = x
    for l in range(len(Ws)):
        z = acts[l]
        np.dot(Ws[l], a, z)
        b = Bs[l]
        for j in range(z.shape[0]):
            z[j] = z[j] + b[j]
        sigmoid_inplace(z, exp_loop, exp_data)
        a = z


@njit(**JIT)
def dense_row(indptr, indices, values, r, x):
    """``x`` = row ``r`` of the CSR as a dense float64 vector."""
    x[:] = 0.0
    for p in range(indptr[r], indptr[r + 1]):
        x[indices[p]] = np.float64(values[p])


@njit(**JIT)
def sgd_batch(rows, indptr, indices, values, T, eta, Ws, Bs, x, acts, deltas, G, GT0, gb, touched, mark,
              exp_loop, exp_data):
    """The post's ``update_mini_batch`` on the examples ``rows`` of the CSR and ``T``.

    Scratch: ``x`` (n_0,); ``acts``, ``deltas``, ``gb``: tuples of (n_{l+1},); ``G``: tuple like
    ``Ws`` (layer 0's entry unused); ``GT0`` (n_0, n_1): layer 0's sums, transposed; ``touched``
    int64[n_0 + 1]; ``mark`` uint8[n_0], zero on entry and exit.
    """
    L = len(Ws)
    n1 = Ws[0].shape[0]
    for l in range(L):
        gb[l][:] = 0.0
        if l > 0:
            G[l][:] = 0.0
    nt = 0
    for b in range(rows.shape[0]):
        r = rows[b]
        dense_row(indptr, indices, values, r, x)
        forward_example(x, Ws, Bs, acts, exp_loop, exp_data)
        a = acts[L - 1]
        y = T[r]
        d = deltas[L - 1]
        for j in range(a.shape[0]):
            d[j] = (a[j] - y[j]) * (a[j] * (1 - a[j]))
        for l in range(L - 1, 0, -1):
            prev = deltas[l - 1]
            np.dot(Ws[l].T, deltas[l], prev)
            ap = acts[l - 1]
            for i in range(prev.shape[0]):
                prev[i] = prev[i] * (ap[i] * (1 - ap[i]))
        for l in range(L):
            g = gb[l]
            d = deltas[l]
            for j in range(g.shape[0]):
                g[j] = g[j] + d[j]
        for l in range(1, L):
            Gl = G[l]
            d = deltas[l]
            ap = acts[l - 1]
            for j in range(Gl.shape[0]):
                for i in range(Gl.shape[1]):
                    Gl[j, i] = Gl[j, i] + d[j] * ap[i]
        d = deltas[0]
        for p in range(indptr[r], indptr[r + 1]):
            k = indices[p]
            row = GT0[k]
            if mark[k] == 0:
                mark[k] = 1
                touched[nt] = k
                nt += 1
                for j in range(n1):
                    row[j] = 0.0
            xk = np.float64(values[p])
            for j in range(n1):
                row[j] = row[j] + d[j] * xk
    c = eta / rows.shape[0]
    for l in range(L):
        b = Bs[l]
        g = gb[l]
        for j in range(b.shape[0]):
            b[j] = b[j] - c * g[j]
        if l > 0:
            W = Ws[l]
            Gl = G[l]
            for j in range(W.shape[0]):
                for i in range(W.shape[1]):
                    W[j, i] = W[j, i] - c * Gl[j, i]
    W0 = Ws[0]
    for q in range(nt):
        k = touched[q]
        mark[k] = 0
        row = GT0[k]
        for j in range(n1):
            W0[j, k] = W0[j, k] - c * row[j]


@njit(**JIT)
def sgd_epoch(order, m, indptr, indices, values, T, eta, Ws, Bs, x, acts, deltas, G, GT0, gb, touched, mark,
              exp_loop, exp_data):
    """Mini-batches ``order[k:k+m]`` in turn, each :func:`sgd_batch`."""
    n = order.shape[0]
    for s in range(0, n, m):
        sgd_batch(order[s : min(n, s + m)], indptr, indices, values, T, eta, Ws, Bs, x, acts, deltas, G, GT0,
                  gb, touched, mark, exp_loop, exp_data)


@njit(**JIT)
def outputs(indptr, indices, values, Ws, Bs, x, acts, out, exp_loop, exp_data):
    """``out[r]`` = the post's ``feedforward`` of every CSR row ``r`` (out (n, n_L))."""
    L = len(Ws)
    for r in range(out.shape[0]):
        dense_row(indptr, indices, values, r, x)
        forward_example(x, Ws, Bs, acts, exp_loop, exp_data)
        a = acts[L - 1]
        for j in range(a.shape[0]):
            out[r, j] = a[j]
