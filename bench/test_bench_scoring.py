"""End-to-end batch scoring of a Parquet corpus: ``fastscratch score`` against the reference
pipeline (pandas read, ``text_to_embedding`` per document, reference ``predict_proba``).

Each run is a fresh process, so its peak RSS (``wait4``) is its own; both start from the same
model weights and the embedded GloVe 6B 50d vocabulary (the reference builds its word dict
from it, as the notebook builds one from the text file). Two corpus sizes show whether peak
memory depends on the corpus size. Corpora are generated once into ``bench/.data/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DATA = Path(__file__).parent / ".data"
SIZES = [500_000, 1_000_000]  # both well past the ~6 chunks after which RSS levels off

REFERENCE_PIPELINE = textwrap.dedent(
    """
    import sys
    import numpy as np, pandas as pd
    from fastscratch import reference as ref
    from fastscratch.app.modelfile import load_arrays
    from fastscratch.text.vectors import Vectors
    corpus, model_path, out = sys.argv[1:4]
    layers, _ = load_arrays(model_path)
    v = Vectors.glove_6b_50d()
    emb = dict(zip(v.words, np.asarray(v.matrix)))
    texts = pd.read_parquet(corpus)["Masked_Text"]
    X = np.array([ref.text_to_embedding(t, emb, v.dim) for t in texts])
    net = ref.ScratchNet(v.dim, [512, 256], 0.1)
    net.layers = [{"W": l["W"].astype(np.float64), "b": l["b"].astype(np.float64)} for l in layers]
    probs = net.predict_proba(X)
    pd.DataFrame({"Predicted_Prob": probs, "Predicted_Label": (probs > 0.5).astype(int)}).to_parquet(out)
    """
)


def make_corpus_parquet(n: int) -> Path:
    """``n`` synthetic documents (column ``Masked_Text``), written in 50,000-row pieces."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fastscratch import data

    path = DATA / f"corpus_{n}.parquet"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, pa.schema([("Masked_Text", pa.large_string())])) as writer:
        for i, start in enumerate(range(0, n, 50_000)):
            part = data.synthesize(min(50_000, n - start), 1000 + i)
            writer.write_table(pa.table({"Masked_Text": pa.array(part["Masked_Text"], pa.large_string())}))
    os.replace(tmp, path)
    return path


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    from fastscratch import PIIClassifier, Vectors, data

    train = data.synthesize(5_000, 7)
    # the notebook's configuration: the reference pipeline above is the notebook's
    clf = PIIClassifier.notebook(Vectors.glove_6b_50d(), seed=0)
    clf.fit(train["Masked_Text"], train["Binary_Label"], epochs=3)
    folder = tmp_path_factory.mktemp("scoring")
    path = folder / "model.npz"
    clf.save(path)
    # warm-up: a first `score` run fills the kernel cache, so the timed runs do not compile
    train[["Masked_Text"]].head(200).to_parquet(folder / "warm.parquet")
    _run([sys.executable, "-m", "fastscratch", "score", "--model", str(path), "-i", str(folder / "warm.parquet"),
          "-o", str(folder / "warm-out.parquet"), "--quiet"])
    return path


def _run(args: list[str]) -> tuple[int, float]:
    """Run a command; return (exit status, peak RSS in MB) of that process alone."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode:
        raise RuntimeError(f"{args[:4]} failed: {err}")
    return proc.returncode, usage.ru_maxrss / 1024


@pytest.mark.parametrize("impl", ["reference", "fastscratch"])
@pytest.mark.parametrize("n", SIZES, ids=lambda n: f"{n // 1000}k")
def test_score_corpus(benchmark, model_path, tmp_path, impl, n):
    corpus = make_corpus_parquet(n)
    out = tmp_path / "scored.parquet"
    if impl == "reference":
        args = [sys.executable, "-c", REFERENCE_PIPELINE, str(corpus), str(model_path), str(out)]
    else:
        args = [sys.executable, "-m", "fastscratch", "score", "--model", str(model_path), "-i", str(corpus),
                "-o", str(out), "--quiet"]
    peaks = []
    benchmark.group = f"score a {n // 1000}k-document Parquet corpus (end to end, own process)"
    # three rounds of fastscratch (seconds each) for a stable median; one of the slow reference
    rounds = 1 if impl == "reference" else 3
    benchmark.pedantic(lambda: peaks.append(_run(args)[1]), rounds=rounds, iterations=1, warmup_rounds=0)
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(corpus).metadata
    text_mb = sum(meta.row_group(i).column(0).total_uncompressed_size for i in range(meta.num_row_groups)) / 1e6
    seconds = benchmark.stats.stats.median
    benchmark.extra_info.update(docs=n, docs_per_s=round(n / seconds), text_mb_per_s=round(text_mb / seconds, 1),
                                peak_rss_mb=round(max(peaks), 1), text_mb=round(text_mb, 1))
    assert pq.ParquetFile(out).metadata.num_rows == n
    # Peak RSS is recorded here, not judged: the bound (flat in the corpus size) is a test that
    # runs in `make test`, tests/test_product.py::test_score_peak_memory_does_not_grow_with_the_corpus.
    assert len(peaks) == rounds and min(peaks) > 0
