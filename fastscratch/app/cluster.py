"""Scoring on a Dask cluster: the same answers as ``score``, on as many machines as Dask gives.

Dask schedules; fastscratch only says what one piece of work is. Two entry points:

* :func:`score_frame`: a Dask DataFrame in, the same frame with ``Predicted_Prob`` and
  ``Predicted_Label`` out (``map_partitions``; index and row order kept);
* :func:`score_files`: Parquet, CSV or JSON-lines files (a file, a folder or a glob) in, a
  folder of Parquet parts out, written into a temporary folder beside the target and renamed
  into place only when every part succeeded.

**What travels.** A task carries a piece description (file, row groups) and the key of the
model: the model file's bytes (its weights, well under a megabyte) are one node of the graph,
shared by every task. The word vectors never travel: each worker process opens them once,
memory-mapped, from a location every worker can read (``default``: the embedded GloVe 6B 50d,
or a store folder written by ``Vectors.save`` / ``fastscratch vectors convert``), or copies
them once from an fsspec URL (``file://``, ``s3://``, ``gs://``, ...) into its local cache,
checked against the model's vector fingerprint. :class:`VectorsPlugin` does it when a worker
starts (and again on a worker that replaces a lost one).

**Threads.** A task runs Numba and BLAS with the threads its worker has (``nthreads``), so N
workers on one machine do not oversubscribe its cores; the settings are restored afterwards.

**Same answers.** Every row's probability is computed by the same kernels as local scoring,
and featurization and prediction are row-independent, so the probabilities are bit-identical
to ``fastscratch score`` on the same input (tested).

Needs the ``dask`` extra: ``pip install 'fastscratch[dask]'``. Imported only when used.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fastscratch.app.stores import cache_dir, load_vectors
from fastscratch.atomic import atomic_directory
from fastscratch.data.reader import CHUNK_ROWS, Piece, plan_pieces, read_chunks
from fastscratch.data.schema import FORMATS, NULLS
from fastscratch.errors import ClusterError, DatasetError, ParameterError
from fastscratch.extras import require_extra

__all__ = ["score_frame", "score_files", "ClusterSummary", "ModelPayload", "VectorsPlugin", "open_client"]

PARTITION_ROWS = 50_000
"""Rows per Parquet piece (whole row groups). Smaller pieces even out the workers' last tasks:
on the 1M-document benchmark two workers took 9.1 s with 50,000 against 10.4 s with 100,000."""

CLUSTER_FORMATS = ("parquet", "csv", "jsonl")
"""Input formats a cluster reads (Excel and plain text have no pieces to share out)."""


def _require_dask():
    require_extra("dask.dataframe", "Scoring on a cluster", extra="dask")
    require_extra("distributed", "Scoring on a cluster", extra="dask")


def _format(path: str) -> str | None:
    fmt = FORMATS.get(Path(path).suffix.lower())
    return fmt if fmt in CLUSTER_FORMATS else None


# ----------------------------------------------------------------------------- the model on a worker


@dataclass(frozen=True)
class ModelPayload:
    """What a worker needs to rebuild a classifier: the model file's bytes and where the vectors
    are. ``key`` names it in each worker's cache."""

    model_bytes: bytes
    vectors: str
    fingerprint: dict
    key: str

    @classmethod
    def from_file(cls, model_path, vectors: str | None = None) -> "ModelPayload":
        """From a model file; ``vectors`` defaults to the location recorded in the file."""
        from fastscratch.app.modelfile import load_arrays

        _, meta = load_arrays(model_path)  # validates the file here, before any task runs
        data = Path(model_path).read_bytes()
        location = vectors or meta.get("vectors_source") or "default"
        return cls(data, _location(location), dict(meta.get("vectors") or {}), _key(data, location))

    @classmethod
    def from_classifier(cls, classifier, vectors: str) -> "ModelPayload":
        """From a classifier in memory, whose vectors every worker can open at ``vectors``."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.npz")
            classifier.save(path)
            data = Path(path).read_bytes()
        return cls(data, _location(vectors), _fingerprint(classifier.vectors), _key(data, vectors))


def _fingerprint(vectors) -> dict:
    fingerprint = getattr(vectors, "fingerprint", None)
    if isinstance(fingerprint, dict):
        return dict(fingerprint)
    from fastscratch.app.classifier import vectors_fingerprint

    return vectors_fingerprint(vectors)


def _key(model_bytes: bytes, vectors: str) -> str:
    return hashlib.sha256(model_bytes + b"\0" + vectors.encode()).hexdigest()[:24]


def _location(spec: str) -> str:
    """``default``, an fsspec URL as given, or an absolute local path."""
    spec = os.fspath(spec)
    if spec == "default" or "://" in spec:
        return spec
    return os.path.abspath(spec)


_VECTORS: dict[str, object] = {}  # per worker process: location + fingerprint -> Vectors
_MODELS: dict[str, object] = {}  # per worker process: payload key -> PIIClassifier
_LOCK = threading.Lock()


def worker_vectors(location: str, fingerprint: dict):
    """The vectors at ``location`` in this process, opened once (memory-mapped) and checked
    against ``fingerprint``; an fsspec URL is first copied into the local cache."""
    from fastscratch.app.modelfile import ModelFileError

    cache_key = f"{location}|{fingerprint.get('sha256')}"
    with _LOCK:
        vectors = _VECTORS.get(cache_key)
        if vectors is None:
            vectors = _open_vectors(location, fingerprint)
            actual = _fingerprint(vectors)
            if fingerprint and actual != fingerprint:
                raise ModelFileError(
                    f"{location}: these vectors ({len(vectors)} x {vectors.dim}, sha256 "
                    f"{actual['sha256'][:12]}...) are not the ones the model was trained with "
                    f"(sha256 {str(fingerprint.get('sha256'))[:12]}...)")
            _VECTORS[cache_key] = vectors
    return vectors


def _open_vectors(location: str, fingerprint: dict):
    if "://" in location:
        return load_vectors(_fetch_store(location, fingerprint))
    return load_vectors(location)


def _fetch_store(url: str, fingerprint: dict) -> str:
    """Copy the store folder at ``url`` into the local cache once (atomically) and return its path."""
    import fsspec

    root = cache_dir() / "stores"
    name = hashlib.sha256(f"{url}|{fingerprint.get('sha256')}".encode()).hexdigest()[:32]
    target = root / name
    if target.is_dir():
        return str(target)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        fs, path = fsspec.core.url_to_fs(url)
        for remote in fs.ls(path, detail=False):
            fs.get(remote, str(tmp / Path(remote).name))
        try:
            os.replace(tmp, target)
        except OSError:  # another worker process of this machine was first
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return str(target)


def worker_classifier(payload: ModelPayload):
    """The payload's classifier in this process, built once."""
    from fastscratch.app.classifier import PIIClassifier

    with _LOCK:
        clf = _MODELS.get(payload.key)
    if clf is not None:
        return clf
    vectors = worker_vectors(payload.vectors, payload.fingerprint)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.npz")
        Path(path).write_bytes(payload.model_bytes)
        clf = PIIClassifier.load(path, vectors)
    with _LOCK:
        _MODELS[payload.key] = clf
    return clf


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - without the dask extra; _require_dask() reports it
    _WorkerPlugin = object


class VectorsPlugin(_WorkerPlugin):
    """A Dask worker plugin: opens the vectors (and builds the classifier) when a worker starts,
    so the first task does not pay for it and a replacement worker is ready the same way."""

    name = "fastscratch-vectors"

    def __init__(self, payload: ModelPayload):
        self.payload = payload
        self.name = f"fastscratch-{payload.key}"

    def setup(self, worker=None):
        """Build the classifier (and open its vectors) in this worker process, and load its
        kernels from Numba's cache by scoring two documents of each Arrow string type."""
        import pyarrow as pa

        clf = worker_classifier(self.payload)
        with _worker_threads():
            for kind in (pa.string(), pa.large_string()):
                clf.predict_proba(pa.array(["a warm-up document", "SSN 575-74-7674"], kind))
            # one chunk of the size tasks score: the process's heap grows to its working size
            # here (first-touch page faults cost ~1 s per worker on this VM) instead of in a task
            document = "the client's SSN is 575-74-7674 and the card 4929 1234 5678 9012. " * 10
            clf.predict_proba(pa.array([document] * CHUNK_ROWS, pa.large_string()))

    def teardown(self, worker=None):
        """Nothing to release: the process's caches go with it."""
        pass


@contextlib.contextmanager
def _worker_threads():
    """Numba and BLAS threads = this Dask worker's ``nthreads`` (1 outside a worker), restored after."""
    import numba
    from threadpoolctl import threadpool_limits

    try:
        from distributed import get_worker

        n = int(get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        n = 1
    n = max(1, min(n, numba.config.NUMBA_NUM_THREADS))
    before = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        with threadpool_limits(limits=n):
            yield n
    finally:
        numba.set_num_threads(before)


# ----------------------------------------------------------------------------- frames


def _score_partition(frame, payload: ModelPayload, text_column: str, threshold, nulls: str):
    clf = worker_classifier(payload)
    t = clf.threshold if threshold is None else float(threshold)
    if len(frame) == 0:
        probs = np.empty(0, np.float64)
    else:
        with _worker_threads():
            probs = clf.predict_proba(frame[text_column], nulls=nulls)
    return frame.assign(Predicted_Prob=probs, Predicted_Label=(probs > t).astype(np.int64))


def score_frame(ddf, classifier, *, vectors: str | None = None, text_column: str = "Masked_Text",
                threshold: float | None = None, nulls: str = "error"):
    """Add ``Predicted_Prob`` (float64) and ``Predicted_Label`` (int64) to every partition.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Documents in ``text_column``; any other columns are kept.
    classifier : PIIClassifier or str
        A classifier, or the path of a model file every worker can read.
    vectors : str, optional
        Where every worker finds the classifier's vectors (``default``, a store folder, or an
        fsspec URL of one). Default: the location the vectors were loaded from, or the one
        recorded in the model file.
    threshold, nulls
        As for ``PIIClassifier.predict`` and ``Vectors.embed``.

    Returns
    -------
    dask.dataframe.DataFrame, lazily: same index and row order, two more columns.
    """
    _require_dask()
    import dask

    payload = _payload(classifier, vectors)
    if text_column not in ddf.columns:
        raise DatasetError(f"no column {text_column!r}; columns are {list(ddf.columns)}")
    meta = ddf._meta.assign(Predicted_Prob=np.empty(0, np.float64), Predicted_Label=np.empty(0, np.int64))
    shared = dask.delayed(payload, pure=True, name=f"fastscratch-model-{payload.key}")
    return ddf.map_partitions(_score_partition, shared, text_column, threshold, nulls, meta=meta)


def _payload(classifier, vectors: str | None) -> ModelPayload:
    if isinstance(classifier, ModelPayload):
        return classifier
    if isinstance(classifier, (str, os.PathLike)):
        return ModelPayload.from_file(classifier, vectors)
    location = vectors or getattr(classifier.vectors, "location", None)
    if location is None:
        raise ParameterError("the workers cannot open these vectors: pass vectors= (a store folder every worker can "
                         "read, written by Vectors.save, 'default', or an fsspec URL of a store)")
    return ModelPayload.from_classifier(classifier, location)


# ----------------------------------------------------------------------------- files


@dataclass
class ClusterSummary:
    """What :func:`score_files` did."""

    documents: int
    positives: int
    parts: int
    files: int
    seconds: float
    workers: int
    output: str
    setup_seconds: float = 0.0
    """Before ``seconds``: every worker opening the vectors and the model (once per worker
    process: a later job on the same cluster finds them open), as local scoring loads them
    before it starts."""

    def as_dict(self) -> dict:
        """JSON-ready, with ``documents_per_second``."""
        return {"documents": self.documents, "positives": self.positives, "parts": self.parts, "files": self.files,
                "seconds": round(self.seconds, 3), "setup_seconds": round(self.setup_seconds, 3),
                "documents_per_second": round(self.documents / self.seconds, 1) if self.seconds else None,
                "workers": self.workers, "output": self.output}


def input_files(spec) -> list[str]:
    """The input files of ``spec``: a file, a folder (its .parquet/.csv/.jsonl files) or a glob;
    sorted, so the parts keep a stable order."""
    spec = os.fspath(spec)
    if os.path.isdir(spec):
        files = [os.path.join(spec, f) for f in os.listdir(spec) if _format(f)]
    elif any(ch in spec for ch in "*?["):
        files = [f for f in glob.glob(spec) if os.path.isfile(f)]
    else:
        if not os.path.isfile(spec):
            raise DatasetError(f"{spec}: no such file or folder")
        files = [spec]
    if not files:
        raise DatasetError(f"{spec}: no .parquet, .csv or .jsonl files there")
    for f in files:
        if not _format(f):
            raise DatasetError(f"{f}: cannot tell the format from the suffix (.parquet, .csv, .jsonl)", path=f)
    return sorted(files)


def score_piece(index: int, piece: Piece, payload: ModelPayload, folder: str, text_column: str, threshold,
                nulls: str, chunk_rows: int = CHUNK_ROWS) -> tuple[int, int]:
    """Score one piece of a file (``data.reader.plan_pieces``) into ``folder/part-{index:05d}.parquet``
    (written under a temporary name, then renamed: a recomputed piece replaces its part whole).
    Returns ``(rows, positives)``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fastscratch.app.scoring import prefetch

    clf = worker_classifier(payload)
    t = clf.threshold if threshold is None else float(threshold)
    final = os.path.join(folder, f"part-{index:05d}.parquet")
    tmp = f"{final}.{os.getpid()}.{threading.get_ident()}.tmp"
    rows = positives = 0
    writer = None
    try:
        with _worker_threads():
            for chunk in prefetch(read_chunks(piece, text_column, chunk_rows=chunk_rows, nulls=nulls, columns=False)):
                probs = clf.predict_proba(chunk.texts, nulls=nulls)
                labels = (probs > t).astype(np.int64)
                first = chunk.first_row
                table = pa.table({
                    "file": pa.repeat(pa.scalar(piece.path, pa.string()), len(probs)),
                    "row": pa.array(np.arange(first, first + len(probs), dtype=np.int64)),
                    "Predicted_Prob": pa.array(probs),
                    "Predicted_Label": pa.array(labels),
                })
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table)
                rows += len(probs)
                positives += int(labels.sum())
        if writer is None:
            writer = pq.ParquetWriter(tmp, _OUTPUT_SCHEMA())
        writer.close()
        writer = None
        os.replace(tmp, final)
    except DatasetError:
        raise
    except Exception as exc:
        raise DatasetError(f"{piece.path}: {exc}", path=piece.path) from None
    finally:
        if writer is not None:
            writer.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
    return rows, positives


def _OUTPUT_SCHEMA():
    import pyarrow as pa

    return pa.schema([("file", pa.string()), ("row", pa.int64()), ("Predicted_Prob", pa.float64()),
                      ("Predicted_Label", pa.int64())])


def score_files(client, model, input, output, *, vectors: str | None = None, text_column: str = "Masked_Text",
                threshold: float | None = None, nulls: str = "error", partition_rows: int = PARTITION_ROWS,
                progress: bool = False) -> ClusterSummary:
    """Score Parquet, CSV or JSON-lines files on ``client``'s cluster into a folder of Parquet parts.

    Parameters
    ----------
    client : distributed.Client
    model : str or PIIClassifier
        A model file (read here; its bytes travel once to each worker) or a classifier.
    input : str
        A file, a folder of files, or a glob, readable from every worker at the same path.
    output : str
        The folder to write: ``part-NNNNN.parquet`` files with columns ``file``, ``row``
        (0-based, within the file), ``Predicted_Prob`` and ``Predicted_Label``, in input order.
        Written beside it in a temporary folder and renamed into place when every part
        succeeded; an existing folder is replaced. On any failure nothing is left behind.
    vectors : str, optional
        Where every worker opens the vectors (see :func:`score_frame`).
    progress : bool
        Dask's progress bar, on standard error.
    """
    _require_dask()
    from distributed import wait

    if nulls not in NULLS:
        raise ParameterError(f"nulls must be one of {', '.join(NULLS)}, not {nulls!r}")
    t_setup = time.perf_counter()
    payload = _payload(model, vectors)
    files = input_files(input)
    client.register_plugin(VectorsPlugin(payload))  # each worker opens the vectors and the model
    shared = client.scatter(payload, broadcast=True, hash=False)
    t0 = time.perf_counter()
    pieces = [piece for path in files for piece in plan_pieces(path, text_column, partition_rows=partition_rows)]
    counts: list = []

    def fill(folder: str) -> None:
        futures = client.map(score_piece, range(len(pieces)), pieces, payload=shared, folder=folder,
                             text_column=text_column, threshold=threshold, nulls=nulls,
                             chunk_rows=min(partition_rows, CHUNK_ROWS),
                             key=[f"fastscratch-score-{payload.key}-{_run_id(folder)}-{i:05d}" for i in range(len(pieces))],
                             pure=False)
        if progress:
            from distributed.diagnostics.progressbar import progress as dask_progress

            with contextlib.redirect_stdout(sys.stderr):
                dask_progress(futures)
                print(file=sys.stderr)
        wait(futures)
        failed = [f for f in futures if f.status == "error"]
        if failed:
            raise failed[0].exception()
        counts.extend(client.gather(futures))

    output = str(atomic_directory(output, fill))
    workers = len(client.scheduler_info().get("workers", {}))
    return ClusterSummary(sum(c[0] for c in counts), sum(c[1] for c in counts), len(pieces), len(files),
                          time.perf_counter() - t0, workers, output, t0 - t_setup)


def _run_id(folder: str) -> str:
    return hashlib.sha256(folder.encode()).hexdigest()[:8]


# ----------------------------------------------------------------------------- clusters


def open_client(cluster: str | None = None, scheduler: str | None = None, *, timeout: float = 5.0,
                quiet: bool = False):
    """A ``distributed.Client``: ``cluster='local'`` or ``'local:N'`` starts a LocalCluster of N
    worker processes with one thread each (default: one per core); ``scheduler`` connects to an
    existing cluster's scheduler address. Raises ConnectionError (with the address) when the
    scheduler cannot be reached within ``timeout`` seconds (a ClusterError, a ConnectionError).
    ``quiet``: the LocalCluster's processes log nothing below CRITICAL on stderr (a failed task's
    worker traceback among them: the caller reports the error itself); otherwise Dask's
    default, warnings and errors."""
    _require_dask()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({exc})") from None
    workers = _local_workers(cluster or "local")
    local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                         silence_logs=logging.CRITICAL if quiet else logging.WARN)
    return Client(local)


def _local_workers(spec: str) -> int:
    if spec == "local":
        return os.cpu_count() or 1
    prefix, _, n = spec.partition(":")
    if prefix != "local" or not n.isdigit() or int(n) < 1:
        raise ParameterError(f"--cluster takes 'local' or 'local:N' (N >= 1 worker processes), not {spec!r}")
    return int(n)


def close_client(client) -> None:
    """Close the client and, for a LocalCluster it started, the cluster and its processes."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
