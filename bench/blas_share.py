"""The BLAS share of a fit epoch: the epoch kernel's matrix products alone, timed against ``fit``.

:func:`products_epoch` walks the batches and layers as ``kernels.train.train_epoch`` does and
makes the same GEMM calls (same shapes, same two-part split, same ``alpha``/``beta``) with none
of the elementwise work, the loss or the output layer. Benchmark-only: the values it leaves in
the weights mean nothing.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numba import njit, prange

from fastscratch.benchmarks.workloads import L2, LR
from fastscratch.kernels._config import JIT, PARALLEL_JIT
from fastscratch.kernels.blas import gemm
from fastscratch.kernels.network import as_matrix
from fastscratch.kernels.train import part_bounds, split_parts, update_part
from fastscratch.nets.scratchnet import ScratchNet, epoch_scratch
from fastscratch.nets.threads import single_threaded_blas


@njit(**JIT)
def _forward_products(A, W, s, Z, part, parts):
    """``forward_part``'s product: columns ``[j0, j1)`` of ``Z = s * A @ W``."""
    j0, j1 = part_bounds(Z.shape[1], part, parts)
    gemm(A, W[:, j0:j1], Z[:, j0:j1], s, 0.0, False, False)


@njit(**JIT)
def _backward_products(D, W, s, alpha_update, A_in, G, part, parts):
    """``backward_part``'s products: rows ``[i0, i1)`` of ``G = s * D @ W.T``, then the same
    rows of ``W += alpha_update * A_in.T @ D``."""
    i0, i1 = part_bounds(W.shape[0], part, parts)
    gemm(D, W[i0:i1, :], G[:, i0:i1], s, 0.0, False, True)
    gemm(A_in[:, i0:i1], D, W[i0:i1, :], alpha_update, 1.0, True, False)


@njit(**PARALLEL_JIT)
def products_epoch(X, Ws, scratch, batch_size, lr, l2):
    """The GEMMs of one ``train_epoch`` over ``X`` (n, d) with weights ``Ws`` and its
    ``EpochScratch`` (for ``batch_size`` rows), in the same order and split."""
    n = X.shape[0]
    L = len(Ws)
    ss = np.ones(L)
    decay = 1.0 - lr * l2
    for start in range(0, n, batch_size):
        nb = min(n, start + batch_size) - start
        Xb = X[start : start + nb]
        A = Xb
        for l in range(L - 1):
            h = Ws[l].shape[1]
            Z = as_matrix(scratch.acts[l], nb, h)
            parts = split_parts(h, nb * Ws[l].shape[0] * h)
            if parts == 1:
                _forward_products(A, Ws[l], ss[l], Z, 0, 1)
            else:
                for part in prange(parts):
                    _forward_products(A, Ws[l], ss[l], Z, part, parts)
            A = Z
        for l in range(L - 2, -1, -1):
            d_in, h = Ws[l].shape
            D = as_matrix(scratch.deltas[l], nb, h)
            s_new = ss[l] * decay
            alpha_update = -lr / (nb * s_new)
            parts = split_parts(d_in, nb * d_in * h)
            if l > 0:
                A_in = as_matrix(scratch.acts[l - 1], nb, d_in)
                G = as_matrix(scratch.deltas[l - 1], nb, d_in)
                if parts == 1:
                    _backward_products(D, Ws[l], ss[l], alpha_update, A_in, G, 0, 1)
                else:
                    for part in prange(parts):
                        _backward_products(D, Ws[l], ss[l], alpha_update, A_in, G, part, parts)
            elif parts == 1:
                update_part(Xb, D, Ws[0], alpha_update, 0, 1)
            else:
                for part in prange(parts):
                    update_part(Xb, D, Ws[0], alpha_update, part, parts)
            ss[l] = s_new


def blas_only_epoch(model: ScratchNet, X: np.ndarray, batch_size: int) -> Callable[[], None]:
    """A callable running :func:`products_epoch` on ``model``'s weights (its public ``layers``,
    cache-line aligned as ``fit`` has them) and a scratch from ``fastscratch.nets.scratchnet.epoch_scratch``.

    ``X`` is ``float[n, input_size]``, cast to the model's dtype once, here.
    """
    Xc = np.ascontiguousarray(X, dtype=model.dtype)
    Ws = tuple(layer["W"] for layer in model.layers)
    scratch = epoch_scratch(model.input_size, model.hidden_sizes, min(batch_size, len(Xc)), model.dtype)

    def run() -> None:
        with single_threaded_blas():
            products_epoch(Xc, Ws, scratch, batch_size, LR, L2)

    return run
