"""Compile the kernels a first run needs, once, at installation: ``python -m fastscratch.app.warmup``.

Numba compiles a kernel on its first call and caches the machine code beside the source
(``cache=True``). Without this step the first ``make demo`` or ``fastscratch`` command after an
install pays that compilation as if it were work. ``make venv`` runs this module right after
``pip install``. It drives every kernel of the main job through the argument types the job
uses (``str`` and Arrow documents, with and without token shapes; training with the counter
and the NumPy generator; scoring; a small GloVe file), and the two seed networks' demos, on
tiny inputs, the Text API's kernels, and prints how long that took.

Compiling is single-threaded, so the independent parts (the featurizer, the detector's network
in float32 and in float64, the seed networks in their options, the Text API) compile in separate processes,
one per core; each writes its kernels to Numba's cache. The whole main-job path then runs once more in this process,
from the cache, which also compiles anything the parts missed.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

PARTS = ("featurizer", "seed_networks", "network", "textapi", "spans", "network_float64")
"""Longest first (about 90, 50, 45, 30, 25 and 20 s of compiling): two cores then finish together."""

_TEXTS = ["The SSN of the client is 575-74-7674.", "the [SSN] of", "naïve Straße", ""] * 16
_LABELS = np.array([1, 0, 0, 0] * 16)


def warm_up(log=print, processes: int | None = None) -> float:
    """Compile every main-job and seed-network kernel; returns the seconds it took.

    ``processes``: how many parts compile at once (default: the usable cores, at most 3);
    1 runs them one after the other in this process.
    """
    t0 = time.perf_counter()
    if processes is None:
        processes = min(len(PARTS), len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if processes > 1:
        _parts_in_processes(processes)
    else:
        for part in PARTS:
            _run_part(part)
    _main_job()
    seconds = time.perf_counter() - t0
    log(f"fastscratch: kernels compiled and cached in {seconds:.1f} s")
    return seconds


def _parts_in_processes(processes: int) -> None:
    """Each part in a child process, at most ``processes`` at a time; raises if one fails."""
    pending = list(PARTS)
    running: dict[str, subprocess.Popen] = {}
    failed = []
    while pending or running:
        while pending and len(running) < processes:
            part = pending.pop(0)
            running[part] = subprocess.Popen([sys.executable, "-m", "fastscratch.app.warmup", "--part", part])
        time.sleep(0.05)
        for part, proc in list(running.items()):
            code = proc.poll()
            if code is not None:
                del running[part]
                if code != 0:
                    failed.append(part)
    if failed:
        raise RuntimeError(f"fastscratch warm-up: the part(s) {', '.join(failed)} failed (see above)")


def _run_part(part: str) -> None:
    {"featurizer": _featurizer, "network": _network, "network_float64": _network_float64,
     "seed_networks": _seed_networks, "textapi": _textapi, "spans": _spans}[part]()


def _tiny_vectors(tmp: str):
    """Word vectors read from a three-word GloVe file (the parser's kernels)."""
    from fastscratch.text.vectors import Vectors

    glove = os.path.join(tmp, "tiny.txt")
    with open(glove, "w", encoding="utf-8") as f:
        f.write("the 0.1 -0.2 0.3\nof 0.4 0.5 -0.6\nssn 1 2 3\n")
    return Vectors.from_glove(glove)


def _featurizer() -> None:
    """``embed`` through the input types scoring and training use, on a built and a loaded store."""
    from fastscratch.text.vectors import Vectors

    with tempfile.TemporaryDirectory() as tmp:
        vectors = _tiny_vectors(tmp)
        _featurize(vectors, _TEXTS)
        store = os.path.join(tmp, "store")
        vectors.save(store)
        _featurize(Vectors.load(store), _TEXTS)  # memory-mapped, read-only: what commands open


def _featurize(vectors, texts) -> None:
    for shapes, pii in ((0, False), (64, False), (64, True)):
        vectors.embed(texts, shapes=shapes, pii=pii)
        try:
            import pyarrow as pa
        except ImportError:  # pragma: no cover - without the vectors extra
            continue
        for kind in (pa.string(), pa.large_string()):
            vectors.embed(pa.array(texts, kind), shapes=shapes, pii=pii)


def _spans() -> None:
    """The recognizers' spans (``find``, ``redact``, ``score --spans``) on str and Arrow input."""
    from fastscratch.text import pii

    pii.redact(_TEXTS)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - without the vectors extra
        return
    for kind in (pa.string(), pa.large_string()):
        pii.find(pa.array(_TEXTS, kind))


def _network() -> None:
    """The detector's training and scoring kernels, on features that need no featurizer."""
    from fastscratch.app.classifier import PIIClassifier

    class _GivenFeatures(PIIClassifier):
        def features(self, texts, *, nulls="error"):
            rng = np.random.default_rng(len(texts))
            return rng.standard_normal((len(texts), self.input_size)).astype(np.float32)

    with tempfile.TemporaryDirectory() as tmp:
        _detector(_GivenFeatures, _tiny_vectors(tmp))
    _scratchnet(np.float32, score_dtype=np.float64)  # float64 rows into a float32 network


def _network_float64() -> None:
    """``ScratchNet(dtype=np.float64)``."""
    _scratchnet(np.float64, score_dtype=np.float64)


def _detector(classifier_type, vectors) -> None:
    """Train and score a small ``classifier_type`` (``PIIClassifier`` or a subclass) both ways."""
    for features in ("glove+shapes", "glove"):
        clf = classifier_type(vectors, features=features, hidden_sizes=(8, 4), seed=0)
        clf.fit(_TEXTS, _LABELS, epochs=1, batch_size=16, seed=0)
        clf.predict_proba(_TEXTS)


def _scratchnet(dtype, score_dtype) -> None:
    """``ScratchNet`` in ``dtype``: training with both generators, the per-call methods, scoring."""
    from fastscratch.nets.scratchnet import ScratchNet

    X = np.random.default_rng(0).standard_normal((len(_LABELS), 3)).astype(dtype)
    for rng in ("counter", "numpy"):
        net = ScratchNet(3, (8, 4), seed=0, rng=rng, dtype=dtype)
        net.fit(X, _LABELS, epochs=1, batch_size=16)
    net.backward(net.forward(X), _LABELS)
    net.update_parameters()
    net.predict_proba(X.astype(score_dtype))


def _seed_networks() -> None:
    """What ``fastscratch demo digits`` and ``demo sine`` run, on a few examples; the sigmoid
    network also in float32 and in its exact mode."""
    from fastscratch.data.sine import sine_wave_data
    from fastscratch.nets import simple_nn
    from fastscratch.nets.simple_rnn import SimpleRNN

    rng = np.random.default_rng(0)
    X = rng.random((20, 64))
    labels = rng.integers(0, 10, 20)
    training = [(x.reshape(-1, 1), np.eye(10)[k].reshape(-1, 1)) for x, k in zip(X, labels)]
    test = [(x.reshape(-1, 1), int(k)) for x, k in zip(X[:5], labels[:5])]
    with contextlib.redirect_stdout(io.StringIO()):
        for options in ({}, {"dtype": np.float32}, {"exact": True}):
            net = simple_nn.Network([64, 30, 10], **options)
            net.SGD(training, 1, 10, 3.0, test_data=test)
            net.feedforward(np.zeros((64, 3)))
    S, T, Sv, Tv = sine_wave_data()
    for mode in ("post", "bptt"):
        SimpleRNN(mode=mode, hidden_dim=4, seq_len=50).fit(S[:3], T[:3], epochs=1, validation=(Sv[:2], Tv[:2]))
    SimpleRNN().predict(Sv[:2])


def _textapi() -> None:
    """The Text API's kernels: polarity, sentences and keywords, phrases and summaries, on one text
    (the serial entry points) and on a corpus of several blocks (the parallel kernels)."""
    from fastscratch.textapi import most_common_phrases, sentences_with_keywords, summarize, text_polarity

    texts = ["Covid cases RISE, but vaccines bring hope! 😀 Dr. Smith agrees.", "naïve café :) no good"] * 80
    for corpus in (texts[0], texts):
        text_polarity(corpus)
        sentences_with_keywords(corpus, ["covid"])
        most_common_phrases(corpus, 3)
        summarize(corpus, 0.5)


def _main_job() -> None:
    """The detector's whole path, featurizer included (from the cache once the parts ran)."""
    from fastscratch.app.classifier import PIIClassifier

    with tempfile.TemporaryDirectory() as tmp:
        _detector(PIIClassifier, _tiny_vectors(tmp))


def main(argv: list[str]) -> None:
    """``--part NAME`` compiles one part (the child processes); no arguments: everything."""
    if argv[:1] == ["--part"]:
        _run_part(argv[1])
        return
    warm_up(log=lambda m: print(m, file=sys.stderr))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
