"""The pieces of the sigmoid network's batched forward and backward pass (quadratic cost).

Layout. Layer ``l`` maps ``n_l`` inputs to ``n_{l+1}`` outputs. Its weights are held
transposed, ``WT[l]`` of shape ``(n_l, hp)``, where ``hp >= n_{l+1}`` is the output width
rounded up to whole 64-byte vectors (8 float64 or 16 float32; the extra columns stay zero):
row ``k`` holds input ``k``'s weights to every output unit, so an input's contribution is a
few aligned vector steps ``z += x_k * WT[k]`` (:mod:`.simd`). The post's ``weights[l]`` is
``WT[l][:, :n_{l+1}].T``. Activations and deltas are ``(m, hp)`` rows, one per example of
the mini-batch; only their first ``n_{l+1}`` entries mean anything (the rest stay finite and
are never read).

No BLAS: the products are small (a mini-batch of 10 through a 784 x 30 layer, then 30 x 10)
and the first layer's inputs are mostly zero. Measured per mini-batch of 10 MNIST-like
digits (19 % non-zero) in float64, forward and update of the first layer: OpenBLAS ``dgemm``
on the dense batch 29 us, these steps over the non-zero inputs ~12 us.

Rounding. The sums run in another order than the reference's: its forward products are
BLAS ``np.dot`` calls, and its update sums the mini-batch's per-example gradients before
subtracting ``eta / m`` times the sum, where these kernels subtract ``(eta / m) * x * delta``
example by example (each weight row is then read and written once per example, with no
gradient buffer). Values agree to ~1e-16 relative per operation, not bit for bit; the drop-in's
weights stay within ~1e-14 of the reference's over an epoch. Exact zeros of the input are
skipped: ``z + 0 * w`` is ``z`` for a finite ``w``, so skipping them changes no value.
"""

import numpy as np
from numba import njit

from ._config import INLINE_JIT, JIT
from .simd import axpy1, axpy4, dot_vectors, fill_zero, lanes_of, sub_scaled, sub_scaled4
from .vexp import sigmoid


@njit(**INLINE_JIT)
def zero_rows(Z, nb):
    """``Z[:nb] = 0`` (Z (m, hp), C-contiguous)."""
    hp = Z.shape[1]
    L = lanes_of(Z)
    for b in range(nb):
        for c in range(0, hp, L):
            fill_zero(Z, b * hp + c)


@njit(**JIT)
def affine_sparse(Z, zo, WT, indices, values, p0, p1):
    """``Z.flat[zo : zo + hp] += sum_p values[p] * WT[indices[p]]`` over ``p0 <= p < p1``.

    Four input rows per vector step: one load and store of the output per four rows.
    """
    hp = WT.shape[1]
    L = lanes_of(WT)
    t = WT.dtype.type
    p = np.uint64(p0)  # unsigned: no negative-index wraparound code per access (4 % of the epoch)
    p1 = np.uint64(p1)
    while p + np.uint64(4) <= p1:
        x0, x1, x2, x3 = t(values[p]), t(values[p + 1]), t(values[p + 2]), t(values[p + 3])
        o0, o1, o2, o3 = indices[p] * hp, indices[p + 1] * hp, indices[p + 2] * hp, indices[p + 3] * hp
        for c in range(0, hp, L):
            axpy4(Z, zo + c, WT, o0 + c, o1 + c, o2 + c, o3 + c, x0, x1, x2, x3)
        p += np.uint64(4)
    while p < p1:
        x0 = t(values[p])
        o0 = indices[p] * hp
        for c in range(0, hp, L):
            axpy1(Z, zo + c, WT, o0 + c, x0)
        p += np.uint64(1)


@njit(**JIT)
def affine_dense(Z, zo, WT, A, ao, n_in):
    """``Z.flat[zo : zo + hp] += sum_{k < n_in} A.flat[ao + k] * WT[k]`` (a dense layer input)."""
    hp = WT.shape[1]
    L = lanes_of(WT)
    Af = A.reshape(A.size)
    k = 0
    while k + 4 <= n_in:
        x0, x1, x2, x3 = Af[ao + k], Af[ao + k + 1], Af[ao + k + 2], Af[ao + k + 3]
        o = k * hp
        for c in range(0, hp, L):
            axpy4(Z, zo + c, WT, o + c, o + hp + c, o + 2 * hp + c, o + 3 * hp + c, x0, x1, x2, x3)
        k += 4
    while k < n_in:
        x0 = Af[ao + k]
        for c in range(0, hp, L):
            axpy1(Z, zo + c, WT, k * hp + c, x0)
        k += 1


@njit(**INLINE_JIT)
def bias_sigmoid(z, b):
    """In place: ``z[i] = sigmoid(z[i] + b[i])`` (the post's ``sigmoid(np.dot(w, a) + b)``) over
    the whole padded row: the padding becomes ``sigmoid(0) = 0.5``, read by nothing, and a loop
    over whole vectors runs as vector code (over the 30 real units LLVM left it scalar: 7.8 ms an
    epoch against 4.4)."""
    t = z.dtype.type
    for i in range(z.shape[0]):
        z[i] = t(sigmoid(z[i] + b[i]))


@njit(**INLINE_JIT)
def output_delta(a, y, d, h):
    """``d = (a - y) * (a * (1 - a))``: the quadratic cost's derivative times the sigmoid's,
    ``sigmoid_prime(z) = sigmoid(z) * (1 - sigmoid(z))`` with ``a = sigmoid(z)``."""
    one = a.dtype.type(1)
    for j in range(h):
        v = a[j]
        d[j] = (v - y[j]) * (v * (one - v))


@njit(**INLINE_JIT)
def hidden_delta(WT, d_next, n_next, a, d, n):
    """``d[i] = (sum_j WT[i, j] * d_next[j]) * (a[i] * (1 - a[i]))`` for ``i < n``: the post's
    ``np.dot(w.T, delta) * sigmoid_prime(z)`` through the layer whose transposed weights are
    ``WT`` (read before that layer is updated). Each sum is one vector dot product over the
    padded row (7 % of the float64 epoch against a scalar loop)."""
    one = a.dtype.type(1)
    hp = WT.shape[1]
    nvec = hp // lanes_of(WT)
    for i in range(n):
        acc = dot_vectors(WT, i * hp, d_next, 0, nvec)  # padded lanes are 0 * 0
        v = a[i]
        d[i] = acc * (v * (one - v))


@njit(**JIT)
def sparse_update(WT, rows, indptr, indices, values, D, nb, c):
    """The first layer's update from sparse inputs: ``WT[k] -= (c * x_b[k]) * D[b]`` for every
    non-zero input ``k`` of every example ``rows[b]``, in example order.

    Applied example by example rather than summed first: the same update up to rounding (the
    sum is reassociated), with each touched weight row read and written once per example and
    no gradient buffer.
    """
    hp = WT.shape[1]
    L = lanes_of(WT)
    t = WT.dtype.type
    for b in range(nb):
        r = rows[b]
        do = b * hp
        p = np.uint64(indptr[r])
        p1 = np.uint64(indptr[r + 1])
        while p + np.uint64(4) <= p1:
            s0, s1, s2, s3 = c * t(values[p]), c * t(values[p + 1]), c * t(values[p + 2]), c * t(values[p + 3])
            o0, o1, o2, o3 = indices[p] * hp, indices[p + 1] * hp, indices[p + 2] * hp, indices[p + 3] * hp
            for ch in range(0, hp, L):
                sub_scaled4(WT, o0 + ch, o1 + ch, o2 + ch, o3 + ch, s0, s1, s2, s3, D, do + ch)
            p += np.uint64(4)
        while p < p1:
            s0 = c * t(values[p])
            o0 = indices[p] * hp
            for ch in range(0, hp, L):
                sub_scaled(WT, o0 + ch, D, do + ch, s0)
            p += np.uint64(1)


@njit(**JIT)
def dense_update(WT, A, D, nb, n_in, c):
    """``WT[k] -= (c * A[b, k]) * D[b]`` for every input ``k < n_in`` and example ``b < nb``."""
    hp = WT.shape[1]
    L = lanes_of(WT)
    for b in range(nb):
        a = A[b]
        do = b * hp
        k = 0
        while k + 4 <= n_in:
            s0, s1, s2, s3 = c * a[k], c * a[k + 1], c * a[k + 2], c * a[k + 3]
            o = k * hp
            for ch in range(0, hp, L):
                sub_scaled4(WT, o + ch, o + hp + ch, o + 2 * hp + ch, o + 3 * hp + ch, s0, s1, s2, s3, D, do + ch)
            k += 4
        while k < n_in:
            for ch in range(0, hp, L):
                sub_scaled(WT, k * hp + ch, D, do + ch, c * a[k])
            k += 1


@njit(**INLINE_JIT)
def bias_update(bias, D, nb, h, c):
    """``bias[i] = bias[i] - c * sum_{b < nb} D[b, i]`` (the sum in example order)."""
    for i in range(h):
        acc = D[0, i]
        for b in range(1, nb):
            acc += D[b, i]
        bias[i] = bias[i] - c * acc
