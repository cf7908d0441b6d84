"""Truncated backpropagation through time for the sine-wave RNN (``mode="bptt"``); layout as in
:mod:`.rnn_forward`.

The loss is the post's, ``(V @ h_{T-1} - y)^2 / 2`` at the last step only. By the chain rule,
with ``e = V @ h_{T-1} - y`` and ``g_{T-1} = e * V`` (dL/dh_{T-1}):

    dV = e * h_{T-1}
    for t = T-1 down to T-1-K (K = bptt_truncate, not below 0):
        d_t = g_t * h_t * (1 - h_t)          # dL/ds_t, through the sigmoid
        dU[:, t] = d_t * x_t                  # s_t depends on U[:, t] only through x_t
        dW += outer(d_t, h_{t-1})             # and on W through W @ h_{t-1} (h_{-1} = 0)
        g_{t-1} = W.T @ d_t                   # dL/dh_{t-1}

Truncation stops the recursion after ``K`` steps back, treating ``h_{T-2-K}`` as a constant,
which is what detaching the hidden state does in an autograd framework. With
``K >= T - 1`` it is the exact gradient (the tests hold it to central finite differences).
Every gradient is then clipped elementwise to the post's ``[min_clip_val, max_clip_val]``, as
the post intends.
"""

from numba import njit

from ._config import JIT
from .rnn_forward import forward_sequence


@njit(**JIT)
def bptt_gradients(x, y, UT, W, v, bptt, hs, bs, gUT, gW, gv, g, d, zero, own_gemv, exp_loop, exp_data):
    """The loss of sequence ``x`` (T,) with target ``y`` and its truncated gradients, unclipped.

    Writes ``gUT`` (T, H) (``gUT[t] = dL/dU[:, t]``; rows before the truncation are zero),
    ``gW`` (H, H) (``dL/dW``), ``gv`` (H,) (``dL/dV[0]``). Scratch: ``hs``, ``bs`` (T, H),
    ``g``, ``d`` (H,); ``zero`` (H,) zeros. Returns ``(loss, output)``.
    """
    T = x.shape[0]
    H = W.shape[0]
    out = forward_sequence(x, UT, W, v, hs, bs, zero, own_gemv, exp_loop, exp_data)
    e = out - y
    gUT[:] = 0.0
    gW[:] = 0.0
    last = hs[T - 1]
    for i in range(H):
        gv[i] = e * last[i]
        g[i] = e * v[i]
    stop = max(0, T - 1 - bptt)
    for t in range(T - 1, stop - 1, -1):
        h = hs[t]
        for i in range(H):
            d[i] = g[i] * (h[i] * (1.0 - h[i]))
        gu = gUT[t]
        for i in range(H):
            gu[i] = d[i] * x[t]
        if t == 0:
            break
        hprev = hs[t - 1]
        for i in range(H):  # dW += outer(d, h_{t-1})
            row = gW[i]
            di = d[i]
            for j in range(H):
                row[j] += di * hprev[j]
        if t > stop:  # g_{t-1} = W.T @ d
            g[:] = 0.0
            for i in range(H):
                w = W[i]
                di = d[i]
                for j in range(H):
                    g[j] += w[j] * di
    return e * e / 2, out


@njit(**JIT)
def clip_apply(M, G, lr, lo, hi):
    """``M -= lr * clip(G, lo, hi)`` elementwise for 2-D ``M`` and ``G`` of one shape (infinite
    bounds: no clipping; NaN stays NaN)."""
    for r in range(M.shape[0]):
        m = M[r]
        gr = G[r]
        for i in range(m.shape[0]):
            gi = gr[i]
            if gi > hi:
                gi = hi
            elif gi < lo:
                gi = lo
            m[i] = m[i] - lr * gi


@njit(**JIT)
def bptt_epoch(X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, own_gemv, exp_loop, exp_data):
    """One epoch of per-sequence SGD with truncated BPTT over the rows of ``X`` (n, T), ``Y`` (n,),
    in order: gradients, clipped to ``[lo, hi]``, then ``param -= lr * grad``. Scratch: ``hs``,
    ``bs``, ``gUT`` (T, H), ``gW`` (H, H), ``vecs`` (4, H); ``own_gemv`` as for
    :func:`.rnn_forward.forward_sequence`."""
    T = X.shape[1]
    stop = max(0, T - 1 - bptt)
    zero = vecs[3]
    zero[:] = 0.0
    for s in range(X.shape[0]):
        bptt_gradients(X[s], Y[s], UT, W, v, bptt, hs, bs, gUT, gW, vecs[0], vecs[1], vecs[2], zero,
                       own_gemv, exp_loop, exp_data)
        clip_apply(UT[stop:], gUT[stop:], lr, lo, hi)
        clip_apply(W, gW, lr, lo, hi)
        clip_apply(v.reshape((1, v.shape[0])), vecs[0:1], lr, lo, hi)
