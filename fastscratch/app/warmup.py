"""Compile the kernels a first run needs, once, at installation: ``python -m fastscratch.app.warmup``.

Numba compiles a kernel on its first call and caches the machine code beside the source
(``cache=True``). Without this step the first ``make demo`` or ``fastscratch`` command after an
install pays that compilation as if it were work. ``make venv`` runs this module right after
``pip install``; it drives every kernel of the main job through the argument types the job
uses (``str`` and Arrow documents, with and without token shapes; training with the counter
and the NumPy generator; scoring; a small GloVe file), on tiny inputs, and prints how long
that took.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np


def warm_up(log=print) -> float:
    """Run every main-job kernel once on tiny inputs; returns the seconds it took."""
    t0 = time.perf_counter()
    from fastscratch.app.classifier import PIIClassifier
    from fastscratch.nets.scratchnet import ScratchNet
    from fastscratch.text.vectors import Vectors

    with tempfile.TemporaryDirectory() as tmp:
        glove = os.path.join(tmp, "tiny.txt")
        with open(glove, "w", encoding="utf-8") as f:
            f.write("the 0.1 -0.2 0.3\nof 0.4 0.5 -0.6\nssn 1 2 3\n")
        vectors = Vectors.from_glove(glove)
        texts = ["The SSN of the client is 575-74-7674.", "the [SSN] of", "naïve Straße", ""] * 16
        labels = np.array([1, 0, 0, 0] * 16)
        _featurize(vectors, texts)
        store = os.path.join(tmp, "store")
        vectors.save(store)
        _featurize(Vectors.load(store), texts)  # memory-mapped, read-only: what commands open
        for features in ("glove+shapes", "glove"):
            clf = PIIClassifier(vectors, features=features, hidden_sizes=(8, 4), seed=0)
            clf.fit(texts, labels, epochs=1, batch_size=16, seed=0)
            clf.predict_proba(texts)
        X = vectors.embed(texts)
        for rng in ("counter", "numpy"):
            ScratchNet(vectors.dim, (8, 4), seed=0, rng=rng).fit(X, labels, epochs=1, batch_size=16)
        net = ScratchNet(vectors.dim, (8, 4), seed=0)
        net.backward(net.forward(X), labels)
        net.update_parameters()
        net.predict_proba(X.astype(np.float64))
    seconds = time.perf_counter() - t0
    log(f"fastscratch: kernels compiled and cached in {seconds:.1f} s")
    return seconds


def _featurize(vectors, texts) -> None:
    """``embed`` through the input types scoring and training use."""
    for shapes in (0, 64):
        vectors.embed(texts, shapes=shapes)
        try:
            import pyarrow as pa
        except ImportError:  # pragma: no cover - without the vectors extra
            continue
        for kind in (pa.string(), pa.large_string()):
            vectors.embed(pa.array(texts, kind), shapes=shapes)


if __name__ == "__main__":  # pragma: no cover
    warm_up(log=lambda m: print(m, file=sys.stderr))
