"""The sine-wave RNN's forward pass: one sequence at a time (training) or many (loss, prediction).

Model (the post's): ``h_t = sigmoid(x_t * U[:, t] + W @ h_{t-1})`` for ``t < T``, ``h_{-1} = 0``,
output ``V @ h_{T-1}``. ``U`` has one input column per step because the post feeds step ``t``
the whole window with every value but ``x_t`` zeroed (``U @ new_input`` is ``U[:, t] * x_t``
exactly: the zeros add nothing).

Arrays (float64, C-contiguous): ``UT`` (T, H) with ``UT[t] = U[:, t]``; ``W`` (H, H) as the
post's; ``v`` (H,) the row of ``V``. A training forward pass is the post's arithmetic, value
for value: ``W @ h`` in OpenBLAS's order (:mod:`.openblas_order`) or through the BLAS
``gemv`` that NumPy's ``np.dot`` calls, ``V @ h`` through its ``dot`` (the same OpenBLAS
kernels give the same bits), and the sigmoid through
NumPy's own ``exp`` loop (:mod:`.ufunc_call`; ``exp_loop = 0`` falls back to :mod:`.vexp`,
within an ulp). The post's update rule needs that: it amplifies any difference (see
:mod:`.rnn_post`).
"""

import numpy as np
from numba import njit, prange

from ._config import JIT, PARALLEL_JIT
from .blas import gemm
from .openblas_order import gemv
from .ufunc_call import sigmoid_inplace


@njit(**JIT)
def forward_sequence(x, UT, W, v, hs, bs, h0, own_gemv, exp_loop, exp_data):
    """One sequence ``x`` (T,) through the network; returns the output ``V @ h_{T-1}``.

    Fills ``hs[t]`` with ``h_t`` and ``bs[t]`` with ``W @ h_{t-1}`` (the post's ``mulw``), both
    (T, H); ``h0`` (H,) is ``h_{-1}`` (zeros in training; the post's ``calc_layers`` takes it).
    ``own_gemv``: ``W @ h`` by :func:`.openblas_order.gemv`, rows in alternate directions from
    step to step (the caller has checked that it gives NumPy's bits), else by the BLAS.
    """
    T = x.shape[0]
    H = W.shape[0]
    for t in range(T):
        b = bs[t]
        prev = h0 if t == 0 else hs[t - 1]
        if own_gemv:
            gemv(W, prev, b, t % 2 == 1)
        else:
            np.dot(W, prev, b)
        h = hs[t]
        u = UT[t]
        xt = x[t]
        for i in range(H):
            h[i] = u[i] * xt + b[i]
        sigmoid_inplace(h, exp_loop, exp_data)
    return np.dot(v, hs[T - 1])


@njit(**JIT)
def forward_block(X, s0, s1, UT, W, v, Ha, Hb, out, exp_loop, exp_data):
    """Outputs of the sequences ``X[s0:s1]`` (rows of ``X`` (n, T)) into ``out[s0:s1]``, all of
    them a step at a time: a step is one product ``H_{t-1} @ W.T`` (BLAS ``gemm``), which reads
    ``W`` once for the block instead of once per sequence. Its sums run in ``gemm``'s order, so
    the outputs agree with :func:`forward_sequence`'s to rounding, not bit for bit.

    Scratch ``Ha``, ``Hb`` (>= s1 - s0, H); the last step's activations end in ``Hb`` when
    ``T`` is odd, in ``Ha`` when it is even.
    """
    nc = s1 - s0
    T = X.shape[1]
    H = W.shape[0]
    prev = Ha[:nc]
    cur = Hb[:nc]
    for t in range(T):
        if t == 0:
            for r in range(nc):
                for i in range(H):
                    cur[r, i] = 0.0
        else:
            gemm(prev, W, cur, 1.0, 0.0, False, True)
        u = UT[t]
        for r in range(nc):
            xt = X[s0 + r, t]
            row = cur[r]
            for i in range(H):
                row[i] = u[i] * xt + row[i]
        sigmoid_inplace(cur.reshape(nc * H), exp_loop, exp_data)
        prev, cur = cur, prev
    for r in range(nc):
        out[s0 + r] = np.dot(v, prev[r])


CHUNK = 32
"""Sequences per parallel block of :func:`sequence_outputs`."""


@njit(**PARALLEL_JIT)
def sequence_outputs(X, UT, W, v, out, last, exp_loop, exp_data):
    """``out[s]`` = the network's output for every row ``X[s]`` (n, T), in fixed blocks of
    ``CHUNK`` sequences on the available threads (a sequence's arithmetic does not depend on
    the thread count); ``last`` (H,) gets ``h_{T-1}`` of the last sequence. Call it with the
    BLAS single-threaded."""
    n = X.shape[0]
    H = W.shape[0]
    blocks = (n + CHUNK - 1) // CHUNK
    for c in prange(blocks):
        s0 = c * CHUNK
        s1 = min(n, s0 + CHUNK)
        Ha = np.empty((s1 - s0, H))
        Hb = np.empty((s1 - s0, H))
        forward_block(X, s0, s1, UT, W, v, Ha, Hb, out, exp_loop, exp_data)
        if s1 == n:
            final = Hb if X.shape[1] % 2 == 1 else Ha
            for i in range(H):
                last[i] = final[s1 - s0 - 1, i]


@njit(**JIT)
def half_squared_errors(out, Y):
    """The post's loss: ``sum_s (Y[s] - out[s])**2 / 2``, added in sequence order."""
    loss = 0.0
    for s in range(out.shape[0]):
        d = Y[s] - out[s]
        loss += d * d / 2
    return loss
