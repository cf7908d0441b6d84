"""The detector against Presidio, and what the recognizers cost the featurizer.

* ``detector-vs-presidio-2000-docs``: the same 2,000 documents of the published mix (seed 1),
  scored in this process with the model loaded and warm: ``PIIClassifier.predict_proba``
  (featurize and predict) against ``AnalyzerEngine.analyze`` per document (the Presidio peer
  of ``fastscratch.benchmarks.presidio``: blank spaCy, the five types). The issue's bar: at
  least 500x, median of three runs.
* ``detector-vs-presidio-cli-2000-docs``: the same documents in a Parquet file, each scorer a
  whole process (start, imports, model or engine, scoring, output): ``fastscratch score``
  against ``python -m fastscratch.benchmarks.presidio``.
* ``featurize-recognizers-ratio``: 15 rounds alternating the detector's features before this
  issue (GloVe mean and token shapes) and with the recognizer columns, on 20,000 documents of
  the published mix and of the training mix, str and Arrow input, with the embedded 50-d
  vectors (the default's: the recognizers' share of the time is largest there). The issue's
  bar: at least 0.8x.

Run them alone with ``make bench BENCH_ARGS="-k detector or presidio or recognizers -s"``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / ".data"
RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def vectors():
    from fastscratch.app.stores import load_vectors

    return load_vectors("default")


@pytest.fixture(scope="module")
def documents() -> list[str]:
    from fastscratch import data

    return data.synthesize(2000, 1)["Masked_Text"].tolist()


@pytest.fixture(scope="module")
def model(vectors, tmp_path_factory):
    """A detector of the default configuration (its weights do not change its speed: one epoch
    on 2,000 documents of the training mix), saved as a model file."""
    from fastscratch import PIIClassifier, data

    train = data.synthesize(2000, 0, mix="detector")
    clf = PIIClassifier(vectors, seed=0)
    clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), epochs=1, patience=None, seed=0)
    path = tmp_path_factory.mktemp("detector") / "model.npz"
    clf.save(path)
    from fastscratch.app.outputs import record_vectors_source

    record_vectors_source(path, "default")
    return clf, path


@pytest.mark.parametrize("impl", ["fastscratch", "presidio"])
def test_score_2000_documents(benchmark, impl, documents, model):
    benchmark.group = "detector-vs-presidio-2000-docs"
    from fastscratch.benchmarks.presidio import PresidioDetector, offline

    if impl == "fastscratch":
        fn = model[0].predict_proba
        rounds = 20
    else:
        fn = PresidioDetector().predict_proba
        rounds = 3
    with offline():  # nothing of either side touches the network, its lazy set-up included
        fn(documents[:20])  # warm-up: compiled kernels, Presidio's lazy initialisation
        probs = benchmark.pedantic(fn, args=(documents,), rounds=rounds, iterations=1)
    assert probs.shape == (len(documents),)
    t = benchmark.stats.stats.median
    RESULTS[f"score/{impl}"] = {"seconds": t, "docs/s": len(documents) / t}
    benchmark.extra_info.update(RESULTS[f"score/{impl}"])


@pytest.fixture(scope="module")
def documents_file(documents) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "presidio-2000.parquet"
    pq.write_table(pa.table({"Masked_Text": documents}), path)
    return path


@pytest.mark.parametrize("impl", ["fastscratch", "presidio"])
def test_score_2000_documents_as_a_command(benchmark, impl, documents_file, model, tmp_path):
    benchmark.group = "detector-vs-presidio-cli-2000-docs"
    if impl == "fastscratch":
        command = [sys.executable, "-m", "fastscratch", "score", "--model", str(model[1]), "-i", str(documents_file),
                   "-o", str(tmp_path / "scored.parquet"), "--quiet"]
    else:
        command = [sys.executable, "-m", "fastscratch.benchmarks.presidio", str(documents_file)]
    run = lambda: subprocess.run(command, check=True, capture_output=True)  # noqa: E731
    benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    RESULTS[f"cli/{impl}"] = {"seconds": benchmark.stats.stats.median}
    benchmark.extra_info.update(RESULTS[f"cli/{impl}"])


@pytest.fixture(scope="module")
def corpora() -> dict[str, list[str]]:
    """20,000 documents of the published mix (those of the featurizer's shape benchmark,
    ``bench/test_bench_vectors.py``) and of the detector's training mix (denser in digits and
    mask tokens, where the recognizers have the most to look at)."""
    from fastscratch import data

    return {"published": data.synthesize(20_000, 7)["Masked_Text"].tolist(),
            "training-mix": data.synthesize(20_000, 7, mix="detector")["Masked_Text"].tolist()}


@pytest.mark.parametrize("kind", ["str", "arrow"])
@pytest.mark.parametrize("corpus_name", ["published", "training-mix"])
def test_featurize_recognizers_ratio_alternating(benchmark, corpus_name, kind, corpora, vectors):
    """15 rounds alternating the features without and with the recognizer columns on the same
    input, so the host's load drifts over both alike; the ratio of the medians."""
    import pyarrow as pa

    benchmark.group = "featurize-recognizers-ratio"
    documents = corpora[corpus_name]
    arg = pa.array(documents, type=pa.string()) if kind == "arrow" else documents
    vectors.embed(arg[:50], shapes=64, pii=True)
    times = {False: [], True: []}

    def alternate():
        for _ in range(15):
            for pii in (False, True):
                t0 = time.perf_counter()
                vectors.embed(arg, shapes=64, pii=pii)
                times[pii].append(time.perf_counter() - t0)

    benchmark.pedantic(alternate, rounds=1, iterations=1)
    before, after = float(np.median(times[False])), float(np.median(times[True]))
    RESULTS[f"featurize/{corpus_name}/{kind}"] = {"shapes_s": before, "shapes_pii_s": after, "ratio": before / after}
    benchmark.extra_info.update(RESULTS[f"featurize/{corpus_name}/{kind}"])


def test_zz_print_the_ratios(benchmark, capsys):
    """The issue's figures of this run (runs last in this file)."""
    benchmark.group = "zz-summary"
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    lines = ["", "The detector against Presidio (issue 16): one run, this machine", ""]
    fs, pr = RESULTS.get("score/fastscratch"), RESULTS.get("score/presidio")
    if fs and pr:
        lines.append(f"  2,000 documents in one process: fastscratch {fs['seconds']:.4f} s ({fs['docs/s']:,.0f}/s), "
                     f"Presidio {pr['seconds']:.2f} s ({pr['docs/s']:,.0f}/s): {pr['seconds'] / fs['seconds']:,.0f}x "
                     "(bar 500x)")
    fc, pc = RESULTS.get("cli/fastscratch"), RESULTS.get("cli/presidio")
    if fc and pc:
        lines.append(f"  as whole commands: fastscratch score {fc['seconds']:.2f} s, Presidio {pc['seconds']:.2f} s: "
                     f"{pc['seconds'] / fc['seconds']:.1f}x")
    for corpus_name in ("published", "training-mix"):
        for kind in ("str", "arrow"):
            r = RESULTS.get(f"featurize/{corpus_name}/{kind}")
            if r:
                lines.append(f"  featurizing 20,000 {corpus_name} documents ({kind}): shapes {r['shapes_s']:.4f} s, "
                             f"with the recognizers {r['shapes_pii_s']:.4f} s: {r['ratio']:.3f}x (bar 0.8x)")
    with capsys.disabled():
        print("\n".join(lines))
