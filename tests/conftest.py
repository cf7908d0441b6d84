import os
import sys

# tests import their shared helpers as `tests.helpers`
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

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
