import os
import sys

# tests import their shared helpers as `tests.helpers`
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The thread-count tests compare runs on 1 and 2 Numba threads, and Numba's pool has as many
# threads as NUMBA_NUM_THREADS says when it loads (default: the cores this process may use). On a
# one-core runner the pool gets two anyway (they share the core), so those tests run there too;
# a NUMBA_NUM_THREADS=1 set by hand makes them fail with a message (tests/helpers.py).
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
if "NUMBA_NUM_THREADS" not in os.environ and _cores < 2:
    os.environ["NUMBA_NUM_THREADS"] = "2"

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """Keep the converted default vectors (and anything else fastscratch caches) out of the
    user's home: the CLI subprocesses inherit this variable."""
    os.environ["FASTSCRATCH_CACHE_DIR"] = str(tmp_path_factory.mktemp("fastscratch-cache"))
    yield


@pytest.fixture(scope="session")
def vectors():
    """The embedded GloVe 6B 50d vectors, loaded once for the whole session (about a second
    each time). Shared: tests must not modify it."""
    from fastscratch.text.vectors import Vectors

    return Vectors.glove_6b_50d()
