"""Rows of a dense matrix as compressed sparse rows (CSR), built in fixed row chunks.

The sigmoid network's first layer reads its inputs through these: an MNIST digit has ~19 %
non-zero pixels, and a zero input adds nothing to a product (``0 * w`` is exactly zero for a
finite ``w``), so skipping the zeros leaves every sum's value as it was and does a fifth of
the work. Chunks are fixed (``CHUNK`` rows), so the result is the same on any thread count.
"""

from numba import njit, prange

from ._config import JIT, PARALLEL_JIT

CHUNK = 4096
"""Rows per parallel chunk of the two passes."""


@njit(**JIT)
def _count_rows(X, r0, r1, counts):
    """``counts[r] = number of non-zero entries of X[r]`` for ``r0 <= r < r1``; returns the first
    row of the range holding a NaN or an infinity, or -1 (checked in the same pass: ``x - x`` is
    0 for a finite ``x`` and NaN otherwise)."""
    zero = X.dtype.type(0)
    bad = -1
    for r in range(r0, r1):
        x = X[r]
        c = 0
        s = zero
        for k in range(x.shape[0]):
            v = x[k]
            c += v != zero
            s += v - v
        counts[r] = c
        if bad < 0 and s != zero:
            bad = r
    return bad


@njit(**JIT)
def _fill_rows(X, r0, r1, indptr, indices, values):
    """Column indices and values of the non-zero entries of rows ``[r0, r1)``, in column order."""
    zero = X.dtype.type(0)
    for r in range(r0, r1):
        x = X[r]
        p = indptr[r]
        for k in range(x.shape[0]):
            v = x[k]
            # branch-free: write every entry, advance only past the non-zero ones
            if p < indptr[r + 1]:
                indices[p] = k
                values[p] = v
            p += v != zero


@njit(**PARALLEL_JIT)
def count_nonzero_rows(X, counts, first_bad):
    """``counts`` int64[n]: the non-zero entries per row of ``X`` (n, d); ``first_bad`` int64[chunks]
    (``ceil(n / CHUNK)``): per chunk, its first row holding a non-finite value, or -1."""
    n = X.shape[0]
    chunks = (n + CHUNK - 1) // CHUNK
    for c in prange(chunks):
        first_bad[c] = _count_rows(X, c * CHUNK, min(n, (c + 1) * CHUNK), counts)


@njit(**PARALLEL_JIT)
def fill_rows(X, indptr, indices, values):
    """Fill ``indices`` int32[nnz] and ``values`` (X's dtype)[nnz] from ``indptr`` int64[n + 1]."""
    n = X.shape[0]
    chunks = (n + CHUNK - 1) // CHUNK
    for c in prange(chunks):
        _fill_rows(X, c * CHUNK, min(n, (c + 1) * CHUNK), indptr, indices, values)
