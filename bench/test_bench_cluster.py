"""Scoring on a Dask LocalCluster against scoring on one process, on this 2-core machine.

1,000,000 generated documents in 8 Parquet files (row groups of 50,000), the detector model.
Each measurement is a fresh process, alternating between the three commands:

* ``local``: ``score_file`` over the 8 files in one process (2 Numba threads, the reader in a
  background thread): what ``fastscratch score`` does, file after file;
* ``cluster-2``: ``fastscratch score --input DIR --cluster local:2`` (2 worker processes of one
  thread each);
* ``cluster-1``: the same with ``local:1``: one worker's throughput, the unit a real cluster
  multiplies.

Times are the scoring job's own (``seconds`` in each command's JSON summary): like the local
process, which loads the model and the vectors before its clock starts, the cluster's start-up
(a second or two) and its workers opening the model and the vectors (``setup_seconds``) are
reported apart. The corpus is generated once into
``bench/.data/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / ".data"
FILES, ROWS_PER_FILE = 8, 125_000
RESULTS: dict[str, list] = {}

LOCAL = textwrap.dedent(
    """
    import glob, json, os, sys, time
    from fastscratch.app.stores import load_vectors
    from fastscratch.app.classifier import PIIClassifier
    from fastscratch.app.scoring import score_file
    folder, model, out = sys.argv[1:4]
    clf = PIIClassifier.load(model, load_vectors("default"))
    os.makedirs(out, exist_ok=True)
    t0 = time.perf_counter()
    rows = 0
    for f in sorted(glob.glob(os.path.join(folder, "*.parquet"))):
        rows += score_file(clf, f, os.path.join(out, os.path.basename(f))).rows
    print(json.dumps({"documents": rows, "seconds": time.perf_counter() - t0}))
    """
)


def corpus_folder() -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fastscratch import data

    folder = DATA / f"cluster_corpus_{FILES}x{ROWS_PER_FILE}"
    if folder.is_dir():
        return folder
    tmp = folder.with_suffix(".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for i in range(FILES):
        with pq.ParquetWriter(tmp / f"part-{i}.parquet", pa.schema([("Masked_Text", pa.large_string())])) as w:
            for j, start in enumerate(range(0, ROWS_PER_FILE, 50_000)):
                part = data.synthesize(min(50_000, ROWS_PER_FILE - start), 5000 + 10 * i + j)
                w.write_table(pa.table({"Masked_Text": pa.array(part["Masked_Text"], pa.large_string())}))
    os.replace(tmp, folder)
    return folder


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    from fastscratch import PIIClassifier, Vectors, data
    from fastscratch.app.outputs import record_vectors_source

    folder = corpus_folder()
    train = data.synthesize(5_000, 7)
    clf = PIIClassifier(Vectors.glove_6b_50d(), seed=0)
    clf.fit(train["Masked_Text"], train["Binary_Label"], epochs=3)
    work = tmp_path_factory.mktemp("cluster-bench")
    model = work / "model.npz"
    clf.save(model)
    record_vectors_source(model, "default")
    return folder, model, work


def _command(kind: str, folder: Path, model: Path, out: Path) -> list[str]:
    if kind == "local":
        return [sys.executable, "-c", LOCAL, str(folder), str(model), str(out)]
    workers = kind.split("-")[1]
    return [sys.executable, "-m", "fastscratch", "score", "--model", str(model), "--input", str(folder),
            "--output", str(out), "--cluster", f"local:{workers}", "--json", "--quiet"]


def _run(kind, folder, model, out) -> dict:
    t0 = time.perf_counter()
    r = subprocess.run(_command(kind, folder, model, out), capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    return {"seconds": summary["seconds"], "documents": summary["documents"], "wall": wall,
            "setup": summary.get("setup_seconds", 0.0)}


def test_cluster_against_local(benchmark, setup):
    folder, model, work = setup
    kinds = ("local", "cluster-2", "cluster-1")
    _run("local", folder, model, work / "warm-local")  # compile caches, page cache
    _run("cluster-2", folder, model, work / "warm-cluster")

    def rounds():
        for r in range(3):
            for kind in kinds:
                RESULTS.setdefault(kind, []).append(_run(kind, folder, model, work / f"{kind}-{r}"))

    benchmark.group = "cluster-scoring-1M"
    benchmark.pedantic(rounds, rounds=1, iterations=1)
    docs = FILES * ROWS_PER_FILE
    med = {k: float(np.median([x["seconds"] for x in RESULTS[k]])) for k in kinds}
    for k in kinds:
        assert all(x["documents"] == docs for x in RESULTS[k])
    overhead = med["cluster-2"] / med["local"] - 1
    lines = ["", "Cluster scoring, 1,000,000 documents in 8 Parquet files (medians of 3 alternating rounds):"]
    for k in kinds:
        per = [round(docs / x["seconds"]) for x in RESULTS[k]]
        walls = [round(x["wall"], 1) for x in RESULTS[k]]
        setups = [round(x["setup"], 2) for x in RESULTS[k]]
        lines.append(f"  {k:<10} {med[k]:7.2f} s  {docs / med[k]:>9,.0f} docs/s   rounds docs/s {per}   process wall s {walls}"
                     + (f"   workers' setup s {setups}" if k != "local" else ""))
    lines.append(f"  cluster-2 overhead against local: {overhead:+.1%} (bar: under 15 %)")
    lines.append(f"  one worker: {docs / med['cluster-1']:,.0f} docs/s; two workers scale "
                 f"{med['cluster-1'] / med['cluster-2']:.2f}x on 2 cores")
    benchmark.extra_info.update({k: med[k] for k in kinds} | {"overhead": overhead})
    print("\n".join(lines))
