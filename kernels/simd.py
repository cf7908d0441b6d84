"""Explicit 64-byte vector steps (8 float64 or 16 float32 lanes) for rows that are short and many.

The sigmoid network adds a few hundred weight rows of 32 values into an activation row per
example. Written as a Numba loop over the row, each short loop pays LLVM's runtime alias
checks and loop set-up (measured on the 50,000-digit epoch, the first layer's forward: 80 ms
as such loops, 61 ms as these steps). Each step here is straight-line vector IR: loads,
separate multiplies and adds (no fused multiply-add, so the rounding is that of the scalar
code ``z + x * w``), one store.

Arrays are C-contiguous and addressed flat: ``a.flat[o : o + LANES]``. Callers keep every
offset in range; nothing is checked. Unaligned offsets are allowed.
"""

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

VECTOR_BYTES = 64


def _lanes(dtype) -> int:
    return VECTOR_BYTES // (8 if dtype == types.float64 else 4)


def _vector_ptr(context, builder, arrty, arr, offset, vecty):
    ary = context.make_array(arrty)(context, builder, arr)
    i = context.cast(builder, offset, types.intp, types.intp)
    return builder.bitcast(builder.gep(ary.data, [i]), vecty.as_pointer())


def _splat(builder, value, vecty):
    lanes = vecty.count
    undef = ir.Constant(vecty, ir.Undefined)
    v = builder.insert_element(undef, value, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(v, undef, ir.Constant(ir.VectorType(ir.IntType(32), lanes), [0] * lanes))


def _float_arrays(*arrs):
    first = arrs[0]
    return (isinstance(first, types.Array) and first.dtype in (types.float32, types.float64)
            and all(isinstance(a, types.Array) and a.dtype == first.dtype for a in arrs))


@intrinsic
def lanes_of(typingctx, arr):
    """The number of lanes of a 64-byte vector of ``arr``'s dtype (a compile-time constant)."""
    if not _float_arrays(arr):
        return None
    n = _lanes(arr.dtype)
    sig = types.intp(arr)

    def codegen(context, builder, sig, args):
        return context.get_constant(types.intp, n)

    return sig, codegen


@intrinsic
def axpy4(typingctx, z, zo, W, o0, o1, o2, o3, x0, x1, x2, x3):
    """``z[zo:] += (x0 * W[o0:] + x1 * W[o1:]) + (x2 * W[o2:] + x3 * W[o3:])``, one vector."""
    if not _float_arrays(z, W):
        return None
    dt = z.dtype
    sig = types.void(z, types.intp, W, types.intp, types.intp, types.intp, types.intp, dt, dt, dt, dt)

    def codegen(context, builder, sig, args):
        zz, zoff, ww, a0, a1, a2, a3, v0, v1, v2, v3 = args
        elt = context.get_value_type(dt)
        vecty = ir.VectorType(elt, _lanes(dt))
        align = 4 if dt == types.float32 else 8
        zp = _vector_ptr(context, builder, sig.args[0], zz, zoff, vecty)
        terms = []
        for off, x in ((a0, v0), (a1, v1), (a2, v2), (a3, v3)):
            wp = _vector_ptr(context, builder, sig.args[2], ww, off, vecty)
            terms.append(builder.fmul(_splat(builder, x, vecty), builder.load(wp, align=align)))
        s = builder.fadd(builder.fadd(terms[0], terms[1]), builder.fadd(terms[2], terms[3]))
        builder.store(builder.fadd(builder.load(zp, align=align), s), zp, align=align)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def axpy1(typingctx, z, zo, W, o0, x0):
    """``z[zo:] += x0 * W[o0:]``, one vector."""
    if not _float_arrays(z, W):
        return None
    dt = z.dtype
    sig = types.void(z, types.intp, W, types.intp, dt)

    def codegen(context, builder, sig, args):
        zz, zoff, ww, a0, v0 = args
        vecty = ir.VectorType(context.get_value_type(dt), _lanes(dt))
        align = 4 if dt == types.float32 else 8
        zp = _vector_ptr(context, builder, sig.args[0], zz, zoff, vecty)
        wp = _vector_ptr(context, builder, sig.args[2], ww, a0, vecty)
        t = builder.fmul(_splat(builder, v0, vecty), builder.load(wp, align=align))
        builder.store(builder.fadd(builder.load(zp, align=align), t), zp, align=align)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def set_scaled(typingctx, g, go, d, do, x):
    """``g[go:] = x * d[do:]``, one vector."""
    if not _float_arrays(g, d):
        return None
    dt = g.dtype
    sig = types.void(g, types.intp, d, types.intp, dt)

    def codegen(context, builder, sig, args):
        gg, goff, dd, doff, v = args
        vecty = ir.VectorType(context.get_value_type(dt), _lanes(dt))
        align = 4 if dt == types.float32 else 8
        gp = _vector_ptr(context, builder, sig.args[0], gg, goff, vecty)
        dp = _vector_ptr(context, builder, sig.args[2], dd, doff, vecty)
        builder.store(builder.fmul(_splat(builder, v, vecty), builder.load(dp, align=align)), gp, align=align)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def sub_scaled(typingctx, w, wo, g, go, c):
    """``w[wo:] = w[wo:] - c * g[go:]``, one vector (the post's ``w-(eta/len(mini_batch))*nw``)."""
    if not _float_arrays(w, g):
        return None
    dt = w.dtype
    sig = types.void(w, types.intp, g, types.intp, dt)

    def codegen(context, builder, sig, args):
        ww, woff, gg, goff, v = args
        vecty = ir.VectorType(context.get_value_type(dt), _lanes(dt))
        align = 4 if dt == types.float32 else 8
        wp = _vector_ptr(context, builder, sig.args[0], ww, woff, vecty)
        gp = _vector_ptr(context, builder, sig.args[2], gg, goff, vecty)
        t = builder.fmul(_splat(builder, v, vecty), builder.load(gp, align=align))
        builder.store(builder.fsub(builder.load(wp, align=align), t), wp, align=align)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def sub_scaled4(typingctx, W, o0, o1, o2, o3, s0, s1, s2, s3, d, do):
    """``W[oj:] = W[oj:] - sj * d[do:]`` for the four rows ``j``, one vector each (four
    distinct rows: they are read before any is written)."""
    if not _float_arrays(W, d):
        return None
    dt = W.dtype
    sig = types.void(W, types.intp, types.intp, types.intp, types.intp, dt, dt, dt, dt, d, types.intp)

    def codegen(context, builder, sig, args):
        ww, a0, a1, a2, a3, v0, v1, v2, v3, dd, doff = args
        vecty = ir.VectorType(context.get_value_type(dt), _lanes(dt))
        align = 4 if dt == types.float32 else 8
        dv = builder.load(_vector_ptr(context, builder, sig.args[9], dd, doff, vecty), align=align)
        ptrs = [_vector_ptr(context, builder, sig.args[0], ww, a, vecty) for a in (a0, a1, a2, a3)]
        olds = [builder.load(p, align=align) for p in ptrs]
        for p, old, v in zip(ptrs, olds, (v0, v1, v2, v3)):
            builder.store(builder.fsub(old, builder.fmul(_splat(builder, v, vecty), dv)), p, align=align)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def dot_vectors(typingctx, a, ao, b, bo, nvec):
    """``sum(a[ao : ao + n] * b[bo : bo + n])`` for ``n = nvec * LANES``: the products summed lane by
    lane over the vectors, then the lanes in a fixed pairwise tree (a deterministic order, not
    the sequential one)."""
    if not _float_arrays(a, b):
        return None
    dt = a.dtype
    sig = dt(a, types.intp, b, types.intp, types.intp)

    def codegen(context, builder, sig, args):
        aa, aoff, bb, boff, count = args
        lanes = _lanes(dt)
        vecty = ir.VectorType(context.get_value_type(dt), lanes)
        align = 4 if dt == types.float32 else 8
        acc = cgutils.alloca_once_value(builder, ir.Constant(vecty, None))
        step = context.get_constant(types.intp, lanes)
        with cgutils.for_range(builder, count) as loop:
            off = builder.mul(loop.index, step)
            va = builder.load(_vector_ptr(context, builder, sig.args[0], aa, builder.add(aoff, off), vecty), align=align)
            vb = builder.load(_vector_ptr(context, builder, sig.args[2], bb, builder.add(boff, off), vecty), align=align)
            builder.store(builder.fadd(builder.load(acc), builder.fmul(va, vb)), acc)
        v = builder.load(acc)
        width = lanes
        while width > 1:
            width //= 2
            i32 = ir.IntType(32)
            lo = builder.shuffle_vector(v, v, ir.Constant(ir.VectorType(i32, width), list(range(width))))
            hi = builder.shuffle_vector(v, v, ir.Constant(ir.VectorType(i32, width), list(range(width, 2 * width))))
            v = builder.fadd(lo, hi)
        return builder.extract_element(v, ir.Constant(ir.IntType(32), 0))

    return sig, codegen


@intrinsic
def fill_zero(typingctx, z, zo):
    """``z[zo:] = 0``, one vector."""
    if not _float_arrays(z):
        return None
    dt = z.dtype
    sig = types.void(z, types.intp)

    def codegen(context, builder, sig, args):
        zz, zoff = args
        vecty = ir.VectorType(context.get_value_type(dt), _lanes(dt))
        align = 4 if dt == types.float32 else 8
        zp = _vector_ptr(context, builder, sig.args[0], zz, zoff, vecty)
        builder.store(ir.Constant(vecty, None), zp, align=align)
        return context.get_dummy_value()

    return sig, codegen
