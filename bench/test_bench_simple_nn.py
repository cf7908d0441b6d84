"""The sigmoid-network post: one training epoch, the post's code against the drop-in and PyTorch.

50,000 MNIST-shaped images x 784 (generated offline from scikit-learn's real digits with MNIST's
geometry and its 19.1 % non-zero pixels: fastscratch.benchmarks.seed_workloads.mnist_like),
[784, 30, 10], mini-batches of 10, eta 3.0, the post's SGD (shuffle, batches, quadratic cost).
The drop-in trains on the list of pairs fastscratch.data.mnist builds (a PairList: its arrays
are read in place; the first call also builds the sparse rows, timed apart in extra_info).
fastscratch_exact is Network(exact=True), the post's arithmetic bit for bit. A second group
uses dense inputs (every pixel non-zero): the sparse first layer's worst case.
Speed-ups against the reference and PyTorch of the same run are printed after the tables.
"""

import time

import numpy as np
import pytest

from fastscratch.benchmarks import seed_workloads as w

F64 = "sigmoid net epoch, 50,000 MNIST-like x 784, [784, 30, 10], batch 10, float64"
F32 = "sigmoid net epoch, 50,000 MNIST-like x 784, [784, 30, 10], batch 10, float32"
DENSE = "sigmoid net epoch, 50,000 dense x 784 (no zero pixels), [784, 30, 10], batch 10, float64"


@pytest.fixture(scope="module")
def digits():
    X, y = w.mnist_like()
    return X, y, w.nn_pairs(X, y)


@pytest.fixture(scope="module")
def dense():
    X, y = w.mnist_like(dense=True)
    return X, y, w.nn_pairs(X, y)


def _fast(benchmark, X, y, dtype):
    fresh = w.nn_pairs(X, y)
    run = w.nn_fast_epoch(fresh, dtype=dtype)
    t0 = time.perf_counter()
    run()  # compiles (or loads) the kernels and builds the list's sparse rows
    first = time.perf_counter() - t0
    again = w.nn_fast_epoch(w.nn_pairs(X, y), dtype=dtype)
    t0 = time.perf_counter()
    again()
    benchmark.extra_info["first_call_on_a_new_list_s"] = round(time.perf_counter() - t0, 4)
    benchmark.extra_info["first_call_compiling_s"] = round(first, 2)
    return run


def _run(benchmark, impl, X, y, pairs, dtype=np.float64):
    if impl == "reference":
        return w.nn_reference_epoch(pairs), 3, 0
    if impl == "fastscratch":
        return _fast(benchmark, X, y, dtype), 7, 1
    if impl == "fastscratch_exact":
        return w.nn_fast_epoch(pairs, exact=True), 5, 1
    epoch = w.nn_torch_epoch(X, y, dtype=dtype)
    if epoch is None:
        pytest.skip("torch is not installed: `pip install 'fastscratch[bench]'` for the PyTorch peer")
    return epoch, 5, 1


@pytest.mark.parametrize("impl", ["reference", "fastscratch", "fastscratch_exact", "torch"])
def test_epoch_float64(benchmark, digits, impl):
    X, y, pairs = digits
    run, rounds, warm = _run(benchmark, impl, X, y, pairs)
    benchmark.group = F64
    benchmark.pedantic(run, rounds=rounds, iterations=1, warmup_rounds=warm)


@pytest.mark.parametrize("impl", ["fastscratch", "torch"])
def test_epoch_float32(benchmark, digits, impl):
    X, y, pairs = digits
    run, rounds, warm = _run(benchmark, impl, X, y, pairs, dtype=np.float32)
    benchmark.group = F32
    benchmark.pedantic(run, rounds=rounds, iterations=1, warmup_rounds=warm)


@pytest.mark.parametrize("impl", ["reference", "fastscratch", "torch"])
def test_epoch_dense_inputs(benchmark, dense, impl):
    X, y, pairs = dense
    run, rounds, warm = _run(benchmark, impl, X, y, pairs)
    benchmark.group = DENSE
    benchmark.pedantic(run, rounds=rounds, iterations=1, warmup_rounds=warm)
