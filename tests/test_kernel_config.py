"""The compile options of ``kernels/_config.py``, and that the bounds-checked pass really checks."""

import numpy as np
import pytest
from numba import njit, prange

from fastscratch.kernels import _config


def _read_each(a, idx, out):
    for i in prange(idx.shape[0]):
        out[i] = a[idx[i]]


@pytest.mark.boundscheck
def test_the_bounds_checked_pass_checks_parallel_kernels():
    """In ``make test``'s ``NUMBA_BOUNDSCHECK=1`` pass a kernel built with ``PARALLEL_JIT`` raises
    on an index past the end; in the normal pass the same options ask for a parallel kernel."""
    kernel = njit(**dict(_config.PARALLEL_JIT, cache=False))(_read_each)
    a = np.arange(4.0)
    out = np.zeros(3)
    kernel(a, np.array([0, 3, 1]), out)
    assert out.tolist() == [0.0, 3.0, 1.0]
    if _config.BOUNDS_CHECKED:
        assert _config.PARALLEL_JIT["parallel"] is False
        with pytest.raises(IndexError):
            kernel(a, np.array([0, 4, 1]), out)
    else:
        assert _config.PARALLEL_JIT["parallel"] is True


def test_every_option_set_is_cached_nogil_and_ieee():
    for options in (_config.JIT, _config.PARALLEL_JIT, _config.INLINE_JIT):
        assert options["cache"] is True and options["nogil"] is True
        assert "fastmath" not in options and options["error_model"] == "numpy"
