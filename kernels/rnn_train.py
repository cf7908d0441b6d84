"""One epoch of the sine-wave RNN's training with the post's loss lines, the two on two cores.

The post computes, at the start of every epoch, the training and validation losses with the
weights as they are, prints them, then trains over the sequences one by one. The losses need
only those starting weights, so they run on a copy of them (``UT0``, ``W0``, ``v0``) while the
training pass updates the weights themselves: two tasks of one ``prange(2)``, each the same
arithmetic whatever the thread count (on one thread they simply run one after the other).
The epoch costs about the longer of the two instead of their sum.
"""

import numpy as np
from numba import njit, prange

from ._config import JIT, PARALLEL_JIT
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
def _losses(X, Y, Xv, Yv, UT0, W0, v0, out, outv, losses, exp_loop, exp_data):
    outputs_serial(X, UT0, W0, v0, out, exp_loop, exp_data)
    losses[0] = half_squared_errors(out, Y)
    if Xv.shape[0] > 0:
        outputs_serial(Xv, UT0, W0, v0, outv, exp_loop, exp_data)
        losses[1] = half_squared_errors(outv, Yv)


@njit(**JIT)
def _train(mode, X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, exp_loop, exp_data):
    if mode == POST:
        post_epoch(X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, vecs, exp_loop, exp_data)
    else:
        bptt_epoch(X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, exp_loop, exp_data)


@njit(**PARALLEL_JIT)
def epoch_with_losses(mode, X, Y, Xv, Yv, UT, W, v, UT0, W0, v0, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs,
                      out, outv, losses, exp_loop, exp_data):
    """Train one epoch (``mode`` ``POST`` or ``BPTT``) over ``X`` (n, T), ``Y`` (n,) in order,
    updating ``UT`` (T, H), ``W`` (H, H), ``v`` (H,); meanwhile ``losses[0]``, ``losses[1]`` =
    the post's training and validation losses (``Xv`` (m, T), ``Yv``; ``m`` may be 0) of the
    starting weights ``UT0``, ``W0``, ``v0``. Gradients are clipped to ``[lo, hi]``. Scratch as for :func:`.rnn_post.post_epoch` /
    :func:`.rnn_bptt.bptt_epoch`; ``out`` (n,), ``outv`` (m,). Call with the BLAS single-threaded.
    """
    for task in prange(2):
        if task == 0:
            _train(mode, X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, exp_loop, exp_data)
        else:
            _losses(X, Y, Xv, Yv, UT0, W0, v0, out, outv, losses, exp_loop, exp_data)
