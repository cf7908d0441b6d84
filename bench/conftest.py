"""Shared benchmark fixtures: large inputs generated on demand into the git-ignored ``bench/.data/``.

The generators live in ``fastscratch.benchmarks.workloads`` (shared with ``fastscratch bench``): nothing
is downloaded, files are written to a temporary name and renamed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fastscratch.benchmarks.workloads import make_corpus, make_glove_file

DATA = Path(__file__).parent / ".data"


@pytest.fixture(scope="session")
def glove_300d_file() -> Path:
    """``bench/.data/glove.6B-vocab.300d.txt``: 400,000 x 300, ~1.1 GB (built once, ~1 minute)."""
    return make_glove_file(DATA / "glove.6B-vocab.300d.txt")


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    """20,000 documents of ~1 KB."""
    return make_corpus()
