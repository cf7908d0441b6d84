"""Scoring on a Dask cluster (2-worker LocalCluster of processes): the same probabilities as
local scoring, row order and ids kept, small tasks, atomic output, a killed worker survived."""

from __future__ import annotations

import glob
import os
import signal
import threading
import time

import dask.dataframe as dd
import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed.diagnostics.plugin import WorkerPlugin

from fastscratch import PIIClassifier, Vectors, data
from fastscratch.app import cluster
from fastscratch.data.reader import plan_pieces
from fastscratch.errors import DatasetError

UNICODE = ["Straße naïve café İstanbul KELVİN \u212a", "companyâ€™s SSN 575-74-7674 😀", "", "   ", "ǅ σ ς \u3000 ok"]


@pytest.fixture(scope="module")
def vectors():
    return Vectors.glove_6b_50d()


@pytest.fixture(scope="module")
def model(vectors, tmp_path_factory):
    """A small detector saved with the default vectors (every worker opens them itself)."""
    from fastscratch.app.outputs import record_vectors_source

    train = data.synthesize(600, 41)
    clf = PIIClassifier(vectors, hidden_sizes=(16,), seed=0)
    clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), epochs=3, seed=0)
    path = tmp_path_factory.mktemp("model") / "model.npz"
    clf.save(path)
    record_vectors_source(path, "default")
    return str(path), clf


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Three Parquet files of uneven sizes (row groups of 150) and an empty one, with Unicode."""
    folder = tmp_path_factory.mktemp("corpus")
    docs = list(data.synthesize(900, 42)["Masked_Text"]) + UNICODE * 4
    sizes = {"a.parquet": 520, "b.parquet": 0, "c.parquet": 37, "d.parquet": len(docs) - 557}
    texts, start = {}, 0
    for name, n in sizes.items():
        part = docs[start : start + n]
        start += n
        table = pa.table({"id": pa.array([f"{name}-{i}" for i in range(n)], pa.string()),
                          "Masked_Text": pa.array(part, pa.string())})
        pq.write_table(table, folder / name, row_group_size=150)
        texts[str(folder / name)] = part
    return folder, texts


def _workers_left() -> list:
    """Child processes other than multiprocessing's resource tracker (a helper that lives as long
    as this process, started with the first spawned process)."""
    return [p for p in psutil.Process().children(recursive=True)
            if not any("resource_tracker" in part for part in p.cmdline())]


@pytest.fixture(scope="module")
def shared_client():
    """One 2-worker cluster for the module (each start costs seconds); closed at the end, with
    every worker process gone."""
    c = cluster.open_client("local:2")
    try:
        yield c
    finally:
        cluster.close_client(c)
        deadline = time.time() + 10
        while time.time() < deadline and _workers_left():
            time.sleep(0.1)
        assert not _workers_left(), "the cluster left processes behind"


@pytest.fixture
def client(shared_client):
    """The module's cluster with both workers up (a test may have killed one: Dask replaces it)."""
    shared_client.wait_for_workers(2, timeout=60)
    return shared_client


def _read_parts(folder) -> pd.DataFrame:
    parts = sorted(glob.glob(os.path.join(folder, "part-*.parquet")))
    return pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)


def _expected(clf, texts: dict) -> pd.DataFrame:
    rows = []
    for path in sorted(texts):
        probs = clf.predict_proba(texts[path]) if texts[path] else np.empty(0)
        rows.append(pd.DataFrame({"file": path, "row": np.arange(len(probs), dtype=np.int64),
                                  "Predicted_Prob": probs, "Predicted_Label": (probs > clf.threshold).astype(np.int64)}))
    return pd.concat(rows, ignore_index=True)


def test_score_files_equals_local_scoring(client, model, corpus, tmp_path):
    path, clf = model
    folder, texts = corpus
    summary = cluster.score_files(client, path, str(folder), tmp_path / "out", partition_rows=200)
    got = _read_parts(tmp_path / "out")
    want = _expected(clf, texts)
    assert summary.documents == len(want) and summary.workers == 2 and summary.files == 4
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    # and equal to the single-machine scorer, file by file
    from fastscratch.app.scoring import score_file

    for name in ("a.parquet", "d.parquet"):
        score_file(clf, str(folder / name), str(tmp_path / f"{name}.local.parquet"))
        local = pq.read_table(tmp_path / f"{name}.local.parquet").to_pandas()
        mine = got[got["file"] == str(folder / name)].reset_index(drop=True)
        np.testing.assert_array_equal(mine["Predicted_Prob"].to_numpy(), local["Predicted_Prob"].to_numpy())
        np.testing.assert_array_equal(mine["row"].to_numpy(), local["row"].to_numpy())
    assert not glob.glob(str(tmp_path / ".out.tmp-*"))


def test_score_frame_keeps_index_and_order(client, model, corpus):
    path, clf = model
    folder, texts = corpus
    frame = pd.concat([pd.read_parquet(p) for p in sorted(texts)], ignore_index=True)
    frame.index = frame.index * 3 + 7  # a non-default index survives
    ddf = dd.from_pandas(frame, npartitions=5)
    # an empty partition and uneven ones
    ddf = dd.concat([ddf, dd.from_pandas(frame.iloc[:0], npartitions=1), ddf.partitions[0]])
    scored = cluster.score_frame(ddf, path).compute()
    expected_frame = pd.concat([frame, frame.iloc[:0], ddf.partitions[0].compute()])
    assert list(scored.index) == list(expected_frame.index)
    assert list(scored["id"]) == list(expected_frame["id"])
    np.testing.assert_array_equal(scored["Predicted_Prob"].to_numpy(), clf.predict_proba(expected_frame["Masked_Text"]))
    assert scored["Predicted_Label"].dtype == np.int64


def test_score_frame_with_a_classifier_in_memory(model, corpus, tmp_path, vectors):
    """No distributed client: Dask's local scheduler runs the same partition function."""
    _, clf = model
    folder, texts = corpus
    ddf = dd.read_parquet(str(folder / "a.parquet"))
    with pytest.raises(ValueError, match="pass vectors="):
        cluster.score_frame(ddf, PIIClassifier(Vectors(vectors.matrix[:5].copy(), *_five_words()), hidden_sizes=(4,)))
    scored = cluster.score_frame(ddf, clf, vectors="default").compute()
    np.testing.assert_array_equal(scored["Predicted_Prob"].to_numpy(), clf.predict_proba(texts[str(folder / "a.parquet")]))
    with pytest.raises(DatasetError, match="no column 'Text'"):
        cluster.score_frame(ddf, clf, vectors="default", text_column="Text")


def _five_words():
    words = [b"a", b"b", b"c", b"d", b"e"]
    return np.frombuffer(b"".join(words), np.uint8).copy(), np.arange(6, dtype=np.int64)


def test_tasks_carry_the_model_once_and_never_the_vectors(model, corpus):
    import cloudpickle

    path, _ = model
    folder, _ = corpus
    ddf = dd.read_parquet(str(folder / "d.parquet"), split_row_groups=True)
    scored = cluster.score_frame(ddf, path)
    graph = dict(scored.__dask_graph__())
    sizes = {key: len(cloudpickle.dumps(task)) for key, task in graph.items()}
    model_bytes = os.path.getsize(path)
    holding_model = [key for key, size in sizes.items() if size >= model_bytes]
    assert len(holding_model) == 1 and "fastscratch-model" in str(holding_model[0])  # the model, once
    assert sizes[holding_model[0]] < model_bytes + 4096
    others = [size for key, size in sizes.items() if key != holding_model[0]]
    assert len(others) >= ddf.npartitions and max(others) < 4096, max(others)  # kilobytes; the store is 80 MB
    piece = plan_pieces(str(folder / "d.parquet"), partition_rows=200)[0]
    assert len(cloudpickle.dumps(piece)) < 1024


def test_cli_cluster_gives_the_local_answers(model, corpus, tmp_path, capsys):
    from fastscratch.app.cli import main

    path, clf = model
    folder, texts = corpus
    before = {p.pid for p in _workers_left()}  # the module's shared cluster, if a test started it
    rc = main(["score", "--model", path, "--input", str(folder / "*.parquet"), "--output", str(tmp_path / "out"),
               "--cluster", "local:2", "--partition-rows", "200", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    import json

    summary = json.loads(out)
    assert summary["documents"] == sum(map(len, texts.values())) and summary["workers"] == 2
    assert summary["documents_per_second"] > 0
    assert "dashboard" in err
    pd.testing.assert_frame_equal(_read_parts(tmp_path / "out"), _expected(clf, texts), check_exact=True)
    assert {p.pid for p in _workers_left()} <= before, "the command's cluster left processes behind"


def test_cli_cluster_error_is_one_line_when_quiet(model, tmp_path, capfd):
    """A file that fails inside a task: with --quiet, stderr (the workers' too) holds our one
    located line, not Dask's worker traceback; nothing is written."""
    from fastscratch.app.cli import main

    path, _ = model
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "f.jsonl").write_text('{"Masked_Text": "ok"}\nnot json at all\n', encoding="utf-8")
    rc = main(["score", "--model", path, "--input", str(tmp_path / "in" / "*.jsonl"), "--output",
               str(tmp_path / "out"), "--cluster", "local:1", "--quiet"])
    out, err = capfd.readouterr()
    assert rc == 2 and out == ""
    assert err.splitlines() == [f"fastscratch: error: {tmp_path / 'in' / 'f.jsonl'}: line 2, column 1: cannot read "
                                "as JSON lines: Expecting value: 'not json at all'"], err
    assert not (tmp_path / "out").exists()


def test_a_bad_file_fails_whole_and_names_the_file(client, model, corpus, tmp_path):
    path, _ = model
    folder, texts = corpus
    bad = tmp_path / "in"
    bad.mkdir()
    for p in texts:
        os.link(p, bad / os.path.basename(p))
    (bad / "e.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(DatasetError, match="e.parquet"):
        cluster.score_files(client, path, str(bad), tmp_path / "out")
    (bad / "e.parquet").unlink()
    pq.write_table(pa.table({"Text": ["a"]}), bad / "e.parquet")
    with pytest.raises(DatasetError, match=r"e.parquet: no column 'Masked_Text'"):
        cluster.score_files(client, path, str(bad), tmp_path / "out")
    (bad / "e.parquet").unlink()
    # a file that fails inside a task, after other parts were written
    (bad / "f.jsonl").write_text('{"Masked_Text": "ok"}\n{"Masked_Text": "fine"}\nnot json at all\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"f.jsonl: line 3, column 1: .*not json at all"):
        cluster.score_files(client, path, str(bad), tmp_path / "out", partition_rows=100)
    assert not (tmp_path / "out").exists()
    assert not glob.glob(str(tmp_path / ".out.*"))


class _Gate(WorkerPlugin):
    """Holds every piece of a job at a gate the test opens. In each worker process, and in a
    replacement worker as it starts, ``cluster.score_piece`` first notes its start (a file
    ``started/{part}-{pid}``), then waits until the file ``gate`` exists (at most two minutes:
    then the piece fails, and the job with it)."""

    name = "fastscratch-test-gate"

    def __init__(self, folder):
        self.folder = str(folder)

    def setup(self, worker=None):
        original = cluster.score_piece
        folder = self.folder

        def gated(index, *args, **kwargs):
            open(os.path.join(folder, "started", f"{index}-{os.getpid()}"), "w").close()
            deadline = time.monotonic() + 120
            while not os.path.exists(os.path.join(folder, "gate")):
                if time.monotonic() > deadline:
                    raise TimeoutError("the test never opened the gate")
                time.sleep(0.01)
            return original(index, *args, **kwargs)

        gated.original = original
        cluster.score_piece = gated

    def teardown(self, worker=None):
        cluster.score_piece = getattr(cluster.score_piece, "original", cluster.score_piece)


def _started(folder) -> list[tuple[int, int]]:
    """``(part, pid)`` of every piece a worker process started behind the gate."""
    return [tuple(map(int, name.split("-"))) for name in os.listdir(os.path.join(folder, "started"))]


def _worker_pids(client) -> set[int]:
    """The process ids of the workers that answer (a worker just killed may not be forgotten yet)."""
    return {pid for pid in client.run(os.getpid, on_error="return").values() if isinstance(pid, int)}


def _wait(condition, what: str, seconds: float = 120):
    """Poll ``condition`` until it holds; fail, saying what did not happen, at the deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"within {seconds} s: {what}"
        time.sleep(0.05)


def test_a_killed_worker_is_replaced_and_its_pieces_are_computed_again(client, model, corpus, tmp_path):
    """SIGKILL to a worker process holding a piece in the middle of a job (every piece waits at a
    gate until the kill is done): the process is gone from the cluster, Dask starts another, the
    killed worker's piece is computed again elsewhere, and the output is local scoring's."""
    path, clf = model
    folder, texts = corpus
    want = _expected(clf, texts)
    gate = tmp_path / "gate"
    (gate / "started").mkdir(parents=True)
    client.register_plugin(_Gate(gate))
    result: dict = {}

    def run():
        try:
            result["summary"] = cluster.score_files(client, path, str(folder), tmp_path / "out", partition_rows=150)
        except BaseException as exc:  # reported below
            result["error"] = exc

    job = threading.Thread(target=run)
    try:
        pids = client.run(os.getpid)
        assert len(pids) == 2
        job.start()
        _wait(lambda: {pid for _, pid in _started(gate)} == set(pids.values()) or "error" in result,
              "both workers start a piece")
        assert "error" not in result, result.get("error")
        # the job is running: both workers hold a piece, nothing is written
        assert job.is_alive() and not result
        assert not (tmp_path / "out").exists() and not glob.glob(str(tmp_path / ".out.tmp-*/part-*.parquet"))
        victim = next(iter(pids.values()))
        held = {part for part, pid in _started(gate) if pid == victim}
        assert len(held) == 1, _started(gate)
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: len(answering := _worker_pids(client)) == 2 and victim not in answering,
              "the killed worker leaves the cluster and another takes its place")
        assert victim not in client.run(os.getpid).values()
        (gate / "gate").touch()
        job.join(timeout=300)
        assert not job.is_alive(), "the job did not finish after the gate opened"
    finally:
        (gate / "gate").touch()  # never leave a piece waiting
        job.join(timeout=300)
        client.unregister_worker_plugin(_Gate.name)
    assert "error" not in result, result.get("error")
    again = {part for part, pid in _started(gate) if pid != victim}
    assert held <= again, f"the killed worker's piece {held} was not computed again: {_started(gate)}"
    pd.testing.assert_frame_equal(_read_parts(tmp_path / "out"), want, check_exact=True)
    assert result["summary"].documents == len(want) and result["summary"].parts == 9


def test_a_bad_scheduler_address_fails_quickly():
    t0 = time.perf_counter()
    with pytest.raises(ConnectionError, match="127.0.0.1:9"):
        cluster.open_client(scheduler="tcp://127.0.0.1:9", timeout=2)
    assert time.perf_counter() - t0 < 15


@pytest.mark.parametrize("spec", ["local:0", "local:x", "remote:2"])
def test_bad_cluster_spec(spec):
    with pytest.raises(ValueError, match="local:N"):
        cluster.open_client(spec)


def test_vectors_from_an_fsspec_url_are_copied_once_and_checked(vectors, model, tmp_path, monkeypatch):
    path, clf = model
    store = tmp_path / "store"
    vectors.save(store)
    monkeypatch.setenv("FASTSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    payload = cluster.ModelPayload.from_file(path, vectors=f"file://{store}")
    cluster._VECTORS.clear()
    cluster._MODELS.clear()
    got = cluster.worker_classifier(payload)
    copies = glob.glob(str(tmp_path / "cache" / "stores" / "*"))
    assert len(copies) == 1 and got.vectors.matrix.shape == vectors.matrix.shape
    np.testing.assert_array_equal(got.predict_proba(["a text", "SSN 575-74-7674"]),
                                  clf.predict_proba(["a text", "SSN 575-74-7674"]))
    assert cluster.worker_classifier(payload) is got  # built once per process
    # a store with other vectors is refused by the fingerprint
    other = tmp_path / "other"
    Vectors(vectors.matrix[:5].copy() + 1, *_five_words()).save(other)
    bad = cluster.ModelPayload.from_file(path, vectors=f"file://{other}")
    from fastscratch.app.modelfile import ModelFileError

    with pytest.raises(ModelFileError, match="not the ones the model was trained with"):
        cluster.worker_classifier(bad)


def test_the_cli_default_piece_size_is_the_librarys():
    """One home for the default: ``--partition-rows`` left out means ``cluster.PARTITION_ROWS``."""
    import inspect

    from fastscratch.app.cli import build_parser

    args = build_parser().parse_args(["score", "--model", "m.npz", "--input", "x", "--output", "y", "--cluster", "local"])
    assert args.partition_rows is None
    assert inspect.signature(cluster.score_files).parameters["partition_rows"].default == cluster.PARTITION_ROWS
