"""Training epochs and scoring: fastscratch against the NumPy reference and PyTorch (CPU).

45,000 x 300 float32, [512, 256], dropout 0.1, the notebook's hyperparameters. Every
implementation is warmed up (compiled, BLAS threads up) on a slice before it is timed.
Speed-ups against the reference and PyTorch of the same run are printed after the tables.
"""

import numpy as np
import pytest
from blas_share import blas_only_epoch

from fastscratch.benchmarks import workloads as w

BATCH_SIZES = [16, 128, 1024]
IMPLEMENTATIONS = [
    "reference_notebook",  # the notebook loop: forward, loss, backward, update, predict_proba
    "reference_no_predict",  # the same without the extra predict_proba pass
    "fastscratch_fit",  # ScratchNet.fit (float32, counter RNG), accuracy from the training pass
    "fastscratch_fit_notebook_acc",  # fit with the notebook's extra no-dropout pass
    "fastscratch_dropin_notebook",  # fastscratch.ScratchNet driven by the notebook loop
    "torch",  # PyTorch CPU float32, same layers, loss and SGD
    "blas_only",  # only the GEMMs of a fit epoch: the BLAS share of fastscratch_fit
]


@pytest.fixture(scope="module")
def data():
    return w.training_data()


def _epoch_runner(impl, X, y, batch_size):
    warm = slice(0, 4 * batch_size)
    if impl.startswith("reference"):
        model = w.reference_model()
        acc = impl == "reference_notebook"
        run = lambda: w.notebook_epoch(model, X, y, batch_size, accuracy_pass=acc)  # noqa: E731
        w.notebook_epoch(model, X[warm], y[warm], batch_size, accuracy_pass=acc)
    elif impl.startswith("fastscratch_fit"):
        model = w.fast_model()
        acc = "notebook" if impl.endswith("notebook_acc") else "train"
        run = lambda: w.fit_epoch(model, X, y, batch_size, accuracy=acc)  # noqa: E731
        w.fit_epoch(model, X[warm], y[warm], batch_size, accuracy=acc)
    elif impl == "fastscratch_dropin_notebook":
        model = w.fast_model()
        run = lambda: w.notebook_epoch(model, X, y, batch_size)  # noqa: E731
        w.notebook_epoch(model, X[warm], y[warm], batch_size)
    elif impl == "torch":
        epoch = w.torch_trainer()
        if epoch is None:
            pytest.skip("torch is not installed: `pip install 'fastscratch[bench]'` for the PyTorch peer")
        run = lambda: epoch(X, y, batch_size)  # noqa: E731
        epoch(X[warm], y[warm], batch_size)
    else:
        run = blas_only_epoch(w.fast_model(), X, batch_size)
    return run


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("batch_size", BATCH_SIZES, ids=lambda b: f"b{b}")
def test_epoch(benchmark, data, impl, batch_size):
    X, y = data
    run = _epoch_runner(impl, X, y, batch_size)
    benchmark.group = f"epoch batch {batch_size:>4} (45,000 x 300)"
    slow = impl.startswith("reference") or impl.endswith("notebook")
    # five rounds of the fast ones (a second or less each): their medians decide the ratios
    result = benchmark.pedantic(run, rounds=2 if slow else 5, iterations=1, warmup_rounds=0 if slow else 1)
    if impl != "blas_only":
        assert np.isfinite(result)


@pytest.mark.parametrize("impl", ["reference", "fastscratch", "torch"])
def test_score(benchmark, data, impl):
    X, _ = data
    if impl == "reference":
        model = w.reference_model()
        run = lambda: model.predict_proba(X)  # noqa: E731
    elif impl == "fastscratch":
        model = w.fast_model()
        run = lambda: model.predict_proba(X)  # noqa: E731
    else:
        epoch = w.torch_trainer()
        if epoch is None:
            pytest.skip("torch is not installed: `pip install 'fastscratch[bench]'` for the PyTorch peer")
        run = lambda: epoch.score(X)  # noqa: E731
    benchmark.group = "score 45,000 rows (forward, no dropout)"
    probs = benchmark.pedantic(run, rounds=7, iterations=1, warmup_rounds=2)
    assert probs.shape == (X.shape[0],)
