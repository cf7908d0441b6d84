"""The post's RNN update rule, reproduced exactly (``mode="post"``); layout as in :mod:`.rnn_forward`.

What the post's ``backprop`` computes, written out (its ``dprev_activation`` is never used
and is left out): with ``a_t = U[:, t] * x_t`` and ``b_t = W @ h_{t-1}`` (the forward's own
``mulu`` and ``mulw``) and ``k_t = min(t, bptt_truncate)`` (the length of its inner loop),

    cu += a_t  (k_t times),  cw += b_t  (k_t times)     # dU_t, dW_t: never reset
    du = clip(du + cu),  dv = clip(dv + dmulv * h_t),  dw = clip(dw + cw)

for ``t = 0 .. T-1``, ``clip`` to ``[lo, hi]``. Its ``dU`` and ``dW`` matrices have every
column equal to ``du`` and ``dw`` (the (H, 1) terms are broadcast over all columns), so the
update ``U -= lr * dU`` subtracts ``lr * du`` from every column: vectors of ``H`` hold all of
it. The additions are made one by one in the post's order and the forward pass is the post's
value for value (:mod:`.rnn_forward`), so a run reproduces the post's weights bit for bit.
That matters: the rule amplifies differences. With an ``exp`` within an ulp of NumPy's and
another summation order in ``W @ h`` the weights were identical for five epochs, while the
gradients sat on the clip bounds, and 4e-3 apart after 25.
"""

from numba import njit

from ._config import JIT
from .rnn_forward import forward_sequence


@njit(**JIT)
def _clip(value, lo, hi):
    """The post's two ``if d.max() > hi`` / ``if d.min() < lo`` assignments, per element (NaN stays)."""
    if value > hi:
        return hi
    if value < lo:
        return lo
    return value


@njit(**JIT)
def post_gradients(x, UT, bptt, dmulv, hs, bs, cu, cw, du, dv, dw, lo, hi):
    """The post's ``backprop`` for one sequence: ``du``, ``dv``, ``dw`` (H,) as described above.

    ``hs``, ``bs``: the sequence's activations and ``W @ h_{t-1}`` from :func:`forward_sequence`;
    ``cu``, ``cw``: scratch (H,).
    """
    T = x.shape[0]
    H = UT.shape[1]
    for i in range(H):
        cu[i] = 0.0
        cw[i] = 0.0
        du[i] = 0.0
        dv[i] = 0.0
        dw[i] = 0.0
    for t in range(T):
        k = max(0, min(t, bptt))
        u = UT[t]
        b = bs[t]
        h = hs[t]
        xt = x[t]
        for _ in range(k):  # per element the same additions in the same order, over whole rows
            for i in range(H):
                cu[i] += u[i] * xt
                cw[i] += b[i]
        for i in range(H):
            du[i] = _clip(du[i] + cu[i], lo, hi)
            dv[i] = _clip(dv[i] + dmulv * h[i], lo, hi)
            dw[i] = _clip(dw[i] + cw[i], lo, hi)


@njit(**JIT)
def post_apply(UT, W, v, lr, du, dv, dw):
    """``U -= lr * dU``, ``V -= lr * dV``, ``W -= lr * dW`` with the broadcast columns of the post:
    ``U[i, t] -= lr * du[i]`` and ``W[i, j] -= lr * dw[i]`` for every column."""
    T, H = UT.shape
    for t in range(T):
        u = UT[t]
        for i in range(H):
            u[i] = u[i] - lr * du[i]
    for i in range(H):
        w = W[i]
        step = lr * dw[i]
        for j in range(H):
            w[j] = w[j] - step
    for i in range(H):
        v[i] = v[i] - lr * dv[i]


@njit(**JIT)
def post_epoch(X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, vecs, own_gemv, exp_loop, exp_data):
    """The post's training loop over the rows of ``X`` (n, T) and ``Y`` (n,), in order: per
    sequence its forward pass, ``dmulv = output - y``, the gradients, the update.

    Scratch: ``hs``, ``bs`` (T, H); ``vecs`` (6, H). ``own_gemv`` as for :func:`forward_sequence`.
    """
    zero = vecs[5]
    zero[:] = 0.0
    for s in range(X.shape[0]):
        x = X[s]
        out = forward_sequence(x, UT, W, v, hs, bs, zero, own_gemv, exp_loop, exp_data)
        post_gradients(x, UT, bptt, out - Y[s], hs, bs, vecs[0], vecs[1], vecs[2], vecs[3], vecs[4], lo, hi)
        post_apply(UT, W, v, lr, vecs[2], vecs[3], vecs[4])
