"""Call a NumPy ufunc's own inner loop from a kernel, so a kernel's ``exp`` is NumPy's, bit for bit.

NumPy's float64 ``exp`` is not libm's: on x86-64 with AVX-512 it is Intel SVML's (4.5 % of
arguments differ from libm's by an ulp), elsewhere another vector routine. The post's RNN
update rule turns one-ulp differences into a 1e-3 difference of the weights within a few
epochs (measured with an ``exp`` within an ulp of NumPy's and another summation order in
``W @ h``: bit-identical weights for five epochs, 4e-3 apart after 25), so a reproduction has
to use NumPy's function itself. The caller looks the loop up (a
``PyUFuncGenericFunction``: ``loop(char **args, npy_intp *dimensions, npy_intp *steps, void
*data)``) and passes its address as an integer; the kernel calls it on contiguous float64 data
exactly as NumPy does for a contiguous array.
"""

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from ._config import JIT
from .vexp import sigmoid


@intrinsic
def call_unary_loop(typingctx, loop, data, src, dst, n):
    """``dst[:n] = f(src[:n])`` through the ufunc loop at address ``loop`` (int64) with its
    ``data`` pointer (int64, often 0); ``src``, ``dst`` contiguous float64 arrays (may be the
    same array). Nothing is checked: ``n`` must not exceed either length."""
    if not (isinstance(src, types.Array) and isinstance(dst, types.Array)
            and src.dtype == types.float64 and dst.dtype == types.float64):
        return None
    sig = types.void(types.int64, types.int64, src, dst, types.intp)

    def codegen(context, builder, sig, args):
        loop_addr, data_addr, s, d, count = args
        i8p = ir.IntType(8).as_pointer()
        i64 = ir.IntType(64)
        sary = context.make_array(sig.args[2])(context, builder, s)
        dary = context.make_array(sig.args[3])(context, builder, d)
        argv = cgutils.alloca_once(builder, i8p, size=2)
        builder.store(builder.bitcast(sary.data, i8p), builder.gep(argv, [ir.Constant(i64, 0)]))
        builder.store(builder.bitcast(dary.data, i8p), builder.gep(argv, [ir.Constant(i64, 1)]))
        dims = cgutils.alloca_once(builder, i64, size=1)
        builder.store(context.cast(builder, count, types.intp, types.int64), dims)
        steps = cgutils.alloca_once(builder, i64, size=2)
        builder.store(ir.Constant(i64, 8), builder.gep(steps, [ir.Constant(i64, 0)]))
        builder.store(ir.Constant(i64, 8), builder.gep(steps, [ir.Constant(i64, 1)]))
        fnty = ir.FunctionType(ir.VoidType(), [i8p.as_pointer(), i64.as_pointer(), i64.as_pointer(), i8p])
        fn = builder.inttoptr(loop_addr, fnty.as_pointer())
        builder.call(fn, [argv, dims, steps, builder.inttoptr(data_addr, i8p)])
        return context.get_dummy_value()

    return sig, codegen


@njit(**JIT)
def sigmoid_inplace(s, exp_loop, exp_data):
    """``s[:] = 1/(1+np.exp(-s))`` elementwise (float64[n]), with NumPy's ``exp`` when
    ``exp_loop`` is its loop's address (0: :func:`.vexp.sigmoid`): the posts' sigmoid, bit for bit."""
    n = s.shape[0]
    if exp_loop != 0:
        for i in range(n):
            s[i] = -s[i]
        call_unary_loop(exp_loop, exp_data, s, s, n)
        for i in range(n):
            s[i] = 1.0 / (1.0 + s[i])
    else:
        for i in range(n):
            s[i] = sigmoid(s[i])
