"""Bit-level helpers for SWAR kernels: unaligned 8-byte loads, trailing zeros, population count,
and a cache prefetch hint.

These are thin LLVM intrinsics. ``load_u64`` does *no* bounds check: callers must guarantee
``0 <= i`` and ``i + 8 <= len(buf)`` themselves.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.cpython.unsafe.numbers import trailing_zeros
from numba.extending import intrinsic

__all__ = ["load_u64", "trailing_zeros", "popcount", "prefetch", "borrowed"]


@intrinsic
def load_u64(typingctx, arr, idx):
    """Little-endian uint64 from ``arr[idx:idx + 8]`` (a C-contiguous uint8 array), unaligned."""
    if not (isinstance(arr, types.Array) and arr.dtype == types.uint8 and isinstance(idx, types.Integer)):
        return None
    sig = types.uint64(arr, idx)

    def codegen(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, args[0])
        i = context.cast(builder, args[1], sig.args[1], types.intp)
        ptr = builder.gep(ary.data, [i])
        p64 = builder.bitcast(ptr, ir.IntType(64).as_pointer())
        return builder.load(p64, align=1)

    return sig, codegen


@intrinsic
def popcount(typingctx, x):
    """Number of set bits of a uint64."""
    if x != types.uint64:
        return None
    sig = types.uint64(types.uint64)

    def codegen(context, builder, sig, args):
        return builder.ctpop(args[0])

    return sig, codegen


@intrinsic
def prefetch(typingctx, arr, idx):
    """Ask the CPU to start loading the cache line of ``arr.flat[idx]`` (C-contiguous ``arr``).

    A hint only: it changes no value, and an x86 prefetch never faults, so it is safe on any
    index; callers still pass in-range ones.
    """
    if not (isinstance(arr, types.Array) and isinstance(idx, types.Integer)):
        return None
    sig = types.void(arr, idx)

    def codegen(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, args[0])
        i = context.cast(builder, args[1], sig.args[1], types.intp)
        ptr = builder.bitcast(builder.gep(ary.data, [i]), ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        builder.call(fn, [ptr, i32(0), i32(3), i32(1)])  # read, keep in all cache levels, data
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def borrowed(typingctx, arr):
    """A view of ``arr`` (same data, shape and strides) that Numba does not reference-count: its
    meminfo is null, so passing it to a helper costs no atomic update (a kernel that calls helpers
    per token otherwise spends most of its time on them, and two threads contend for the shared
    tables' counts). Only for a kernel's arguments, which its caller keeps alive for the whole
    call: never for an array the kernel allocates, which Numba frees after the variable's last
    use, however long a view of it lives."""
    if not isinstance(arr, types.Array):
        return None
    sig = arr(arr)

    def codegen(context, builder, sig, args):
        src = context.make_array(sig.args[0])(context, builder, args[0])
        view = context.make_array(sig.return_type)(context, builder)
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        view.parent = cgutils.get_null_value(view.parent.type)
        view.nitems = src.nitems
        view.itemsize = src.itemsize
        view.data = src.data
        view.shape = src.shape
        view.strides = src.strides
        return view._getvalue()

    return sig, codegen
