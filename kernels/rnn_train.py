"""One epoch of the sine-wave RNN's training, and the post's two losses at its start.

The post computes, at the start of every epoch, the training and validation losses with the
weights as they are, prints them, then trains over the sequences one by one. The losses need
only those starting weights, so the caller can run :func:`epoch_losses` on a copy of them in
a second thread while :func:`train_epoch` updates the weights themselves (both kernels release
the GIL): the epoch then costs about the longer of the two instead of their sum, and each is
the same arithmetic whichever thread runs it.
"""

import numpy as np
from numba import njit

from ._config import JIT
from .rnn_bptt import bptt_epoch
from .rnn_forward import forward_block, half_squared_errors
from .rnn_post import post_epoch

POST = 0
BPTT = 1

LOSS_BLOCK = 160
"""Sequences per matrix product in the losses' forward pass: the post's 150 in one block
(4.3 ms for the 150 against 5.5 in blocks of 32)."""


@njit(**JIT)
def outputs_serial(X, UT, W, v, out, exp_loop, exp_data):
    """``out[s]`` = the output for every row of ``X`` (n, T), block after block on this thread."""
    n = X.shape[0]
    H = W.shape[0]
    Ha = np.empty((LOSS_BLOCK, H))
    Hb = np.empty((LOSS_BLOCK, H))
    for s0 in range(0, n, LOSS_BLOCK):
        forward_block(X, s0, min(n, s0 + LOSS_BLOCK), UT, W, v, Ha, Hb, out, exp_loop, exp_data)


@njit(**JIT)
def epoch_losses(X, Y, Xv, Yv, UT0, W0, v0, out, outv, losses, exp_loop, exp_data):
    """``losses[0]``, ``losses[1]``: the post's training and validation losses (``X`` (n, T),
    ``Y`` (n,); ``Xv`` (m, T), ``Yv``; ``m`` may be 0) of the weights ``UT0``, ``W0``, ``v0``;
    scratch ``out`` (n,), ``outv`` (m,). Call with the BLAS single-threaded."""
    outputs_serial(X, UT0, W0, v0, out, exp_loop, exp_data)
    losses[0] = half_squared_errors(out, Y)
    if Xv.shape[0] > 0:
        outputs_serial(Xv, UT0, W0, v0, outv, exp_loop, exp_data)
        losses[1] = half_squared_errors(outv, Yv)


@njit(**JIT)
def train_epoch(mode, X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, own_gemv, exp_loop, exp_data):
    """One epoch (``mode`` ``POST`` or ``BPTT``) over ``X`` (n, T), ``Y`` (n,) in order, updating
    ``UT`` (T, H), ``W`` (H, H), ``v`` (H,); gradients clipped to ``[lo, hi]``. Scratch as for
    :func:`.rnn_post.post_epoch` / :func:`.rnn_bptt.bptt_epoch`. Call with the BLAS single-threaded."""
    if mode == POST:
        post_epoch(X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, vecs, own_gemv, exp_loop, exp_data)
    else:
        bptt_epoch(X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, own_gemv, exp_loop, exp_data)
