"""``W @ x`` computed here in OpenBLAS's summation order, so it gives NumPy's bits without a BLAS call.

The post's RNN update rule amplifies rounding differences (see :mod:`.rnn_post`), so its
forward pass must compute ``W @ h`` exactly as NumPy's ``np.dot`` does. For a C-contiguous
``W`` (H, K) NumPy calls ``cblas_dgemv`` row-major without transpose, which OpenBLAS runs as
its column-major transposed kernel ``dgemv_t`` (``kernel/x86_64/dgemv_t_4.c`` and its
``dgemv_t_microk_haswell-4.c`` micro-kernel; this machine, a Zen 4 that OpenBLAS runs as
SkylakeX, gives the same bits). When
``K % 4 == 0`` and ``K <= 2048`` (one block of its outer loop) every output is

    acc[l] = fma(W[j, 4i + l], x[4i + l], acc[l])   for i = 0 .. K/4 - 1, from acc = 0 (4 lanes)
    y[j]   = ((acc[0] + acc[2]) + (acc[1] + acc[3])) + 0.0

The lanes are one ``ymm`` register. The micro-kernel's loop takes two of them per iteration,
into the same accumulator one after the other, so each lane's sum still runs in index order.
The reduction is its ``vextractf128``, ``vaddpd``, ``vhaddpd``. The last term is ``add_y``
adding ``1.0 * temp`` to ``y``, which ``beta = 0`` has zeroed: it turns ``-0.0`` into
``+0.0``. ``H % 4 == 0`` keeps to its 4x4 kernel; the 2- and 1-column kernels round
differently. Every output is computed on its own, so the rows can be taken in any order and
any number at a time with the same bits.

This kernel takes 8 rows at a time (eight independent accumulators: OpenBLAS's four leave the
FMA units waiting on their latency). It can walk the rows backwards (``reverse``). A 100x100
``W`` is 80 KB, more than the 32 KB L1 cache, so every product streams ``W`` from L2. The
forward pass alternates the direction from step to step, and the rows it ended on are still in
L1 when the next product starts. Measured for H = 100 on this machine (Zen 4, one thread, 10^5
calls): 851 ns through ``np.dot`` (BLAS), 820 ns here in one direction, 697 ns alternating. For
comparison, 230 ns for H = 64, where ``W`` fits in L1: the products are bound by the L2 reads.

Whether the order matches is a property of the BLAS that NumPy loads (and of its thread
count: a large product split across threads is summed in pieces), not of this code. The caller
checks it once per shape with the BLAS on one thread, as the kernels run it
(:func:`fastscratch.nets.numpy_loops.gemv_matches_numpy`), and otherwise calls ``np.dot``. When
the order is the same, the arithmetic is the same IEEE operations in the same sequence, so
random matrices that agree show that all inputs will.
"""

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic

from ._config import JIT

BLOCK_ROWS = 8
"""Rows per block: eight accumulators cover the FMA latency (4 cycles, 2 units)."""

MAX_K = 2048
"""OpenBLAS ``dgemv_t``'s block (``NBMAX``): longer rows are summed in pieces."""


def _rows_intrinsic(rows: int):
    """An intrinsic ``dot_rows(W, x, y, j0)``: ``y[j0 + r] = W[j0 + r] @ x`` for ``r < rows``, in
    the order above. ``W`` (H, K), ``x`` (K,), ``y`` (H,): C-contiguous float64, ``K % 4 == 0``,
    ``j0 + rows <= H``. Nothing is checked here (see :func:`gemv`)."""

    @intrinsic
    def dot_rows(typingctx, W, x, y, j0):
        for name, arr, ndim in (("W", W, 2), ("x", x, 1), ("y", y, 1)):
            if not (isinstance(arr, types.Array) and arr.dtype == types.float64 and arr.layout == "C"
                    and arr.ndim == ndim):
                raise TypingError(f"gemv: {name} must be a C-contiguous float64 array of {ndim} dimension(s), "
                                  f"got {arr}")
        if not y.mutable:
            raise TypingError("gemv: y is read-only")
        if not isinstance(j0, types.Integer):
            raise TypingError(f"gemv: the first row must be an integer, got {j0}")
        sig = types.void(W, x, y, types.intp)

        def codegen(context, builder, sig, args):
            f64 = ir.DoubleType()
            v4 = ir.VectorType(f64, 4)
            i64 = ir.IntType(64)
            i32 = ir.IntType(32)
            w_arr = context.make_array(sig.args[0])(context, builder, args[0])
            x_arr = context.make_array(sig.args[1])(context, builder, args[1])
            y_arr = context.make_array(sig.args[2])(context, builder, args[2])
            _, K = cgutils.unpack_tuple(builder, w_arr.shape, 2)
            first = args[3]
            fma = cgutils.get_or_insert_function(builder.module, ir.FunctionType(v4, [v4, v4, v4]), "llvm.fma.v4f64")
            accs = [cgutils.alloca_once_value(builder, ir.Constant(v4, None)) for _ in range(rows)]
            row_starts = [builder.mul(builder.add(first, ir.Constant(i64, r)), K) for r in range(rows)]

            def load4(base, offset):
                return builder.load(builder.bitcast(builder.gep(base, [offset]), v4.as_pointer()), align=8)

            with cgutils.for_range(builder, builder.udiv(K, ir.Constant(i64, 4))) as loop:
                k = builder.mul(loop.index, ir.Constant(i64, 4))
                xv = load4(x_arr.data, k)
                for r in range(rows):
                    wv = load4(w_arr.data, builder.add(row_starts[r], k))
                    builder.store(builder.call(fma, [wv, xv, builder.load(accs[r])]), accs[r])
            low, high = (ir.Constant(ir.VectorType(i32, 2), pair) for pair in ([0, 1], [2, 3]))
            for r in range(rows):
                acc = builder.load(accs[r])
                pair = builder.fadd(builder.shuffle_vector(acc, acc, low), builder.shuffle_vector(acc, acc, high))
                total = builder.fadd(builder.extract_element(pair, ir.Constant(i32, 0)),
                                     builder.extract_element(pair, ir.Constant(i32, 1)))
                total = builder.fadd(total, ir.Constant(f64, 0.0))
                builder.store(total, builder.gep(y_arr.data, [builder.add(first, ir.Constant(i64, r))]))
            return context.get_dummy_value()

        return sig, codegen

    return dot_rows


_dot_rows_block = _rows_intrinsic(BLOCK_ROWS)
_dot_rows_4 = _rows_intrinsic(4)


@njit(**JIT)
def fits(H, K):
    """Whether :func:`gemv` takes a (H, K) matrix: both positive multiples of 4, ``K <= MAX_K``."""
    return H > 0 and H % 4 == 0 and K % 4 == 0 and 0 < K <= MAX_K


@njit(**JIT)
def gemv(W, x, y, reverse):
    """``y[:] = W @ x`` with NumPy's (OpenBLAS's) bits: ``W`` float64[H, K], ``x`` float64[K],
    ``y`` float64[H], C-contiguous (other layouts and dtypes are a typing error), ``y`` writable
    and not overlapping ``W`` or ``x``; rows in blocks from the last when ``reverse``. Raises
    ``ValueError`` unless ``fits(H, K)`` and the lengths agree."""
    H, K = W.shape
    if not fits(H, K):
        raise ValueError("gemv: W must be (H, K) with H and K positive multiples of 4 and K <= 2048")
    if x.shape[0] != K or y.shape[0] != H:
        raise ValueError("gemv: x must have W's K columns and y its H rows")
    blocks = H // BLOCK_ROWS
    tail = blocks * BLOCK_ROWS
    if not reverse:
        for b in range(blocks):
            _dot_rows_block(W, x, y, b * BLOCK_ROWS)
        for j0 in range(tail, H, 4):
            _dot_rows_4(W, x, y, j0)
    else:
        for j0 in range(H - 4, tail - 4, -4):
            _dot_rows_4(W, x, y, j0)
        for b in range(blocks - 1, -1, -1):
            _dot_rows_block(W, x, y, b * BLOCK_ROWS)
