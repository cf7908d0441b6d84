"""Where the commands and the cluster's workers find word vectors: ``default`` (the embedded
GloVe 6B 50d, converted once into a store in the user cache) or a store folder written by
``fastscratch vectors convert``; and that cache.

The command line (``app.cli``), the model files' metadata (``app.outputs``) and the cluster's
workers (``app.cluster``) all take these from here; this module imports nothing of the
application, so none of them imports another to find the vectors.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastscratch.errors import UsageError, VectorStoreError

DEFAULT_VECTORS = "default"
"""The name of the embedded GloVe 6B 50d vectors on the command line and in model files."""


def cache_dir() -> Path:
    """fastscratch's cache: ``$FASTSCRATCH_CACHE_DIR``, or ``$XDG_CACHE_HOME/fastscratch``
    (``~/.cache/fastscratch``)."""
    return Path(os.environ.get("FASTSCRATCH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "fastscratch"))


def default_store_dir() -> Path:
    """Where the converted default vectors are kept, in :func:`cache_dir`."""
    return cache_dir() / "glove-6b-50d"


def load_vectors(spec: str | None):
    """``default`` (the embedded GloVe 6B 50d) or the path of a store written by ``vectors convert``.

    The default is converted from its package once and kept as a store in the user cache
    (written atomically, memory-mapped on later runs: milliseconds instead of most of a second
    per command). An unusable cache is rebuilt; an unwritable one is skipped.

    Raises
    ------
    UsageError
        ``spec`` is not ``default`` and not a folder.
    VectorStoreError
        The folder is not a readable store.
    """
    from fastscratch.text.vectors import Vectors

    if spec in (None, DEFAULT_VECTORS):
        store = default_store_dir()
        if store.is_dir():
            try:
                return Vectors.load(store)
            except (VectorStoreError, OSError):
                pass  # an older format or a damaged store: rebuild it below
        vectors = Vectors.glove_6b_50d()
        try:
            vectors.save(store)
        except OSError:
            pass
        return vectors
    if not os.path.isdir(spec):
        raise UsageError(f"{spec}: no vector store there (make one with `fastscratch vectors convert`)")
    return Vectors.load(spec)
