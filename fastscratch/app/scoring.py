"""Score document files in bounded memory: read a chunk, featurize, predict, append, repeat.

Inputs are read by ``fastscratch.data.reader`` (one reader for every command): ``.parquet``
(batch by batch; the text column goes to the featurizer as an Arrow array, zero-copy),
``.csv``, ``.jsonl``, ``.xlsx`` (read whole: Excel has no streaming reader here) and plain text
(``.txt`` or ``-`` for standard input: one document per line). Outputs: ``.parquet``,
``.csv``, ``.jsonl`` or ``-`` (CSV on standard output). A file output is written atomically
(:func:`fastscratch.atomic.atomic_file`): a failure leaves no partial file.

The formats and the missing-document policy are ``fastscratch.data.schema``'s, the same as
training's: a missing document (an empty CSV field, a null, an empty Excel cell) is a
``DatasetError`` naming the file, data row and column, unless ``nulls="zero"`` scores it as
a zero vector.
"""

from __future__ import annotations

import io
import json
import queue
import sys
import threading
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from fastscratch.atomic import atomic_file
from fastscratch.data.reader import CHUNK_ROWS, read_chunks
from fastscratch.data.schema import format_of
from fastscratch.errors import ParameterError
from fastscratch.nets.checks import threshold as checked_threshold


@dataclass
class ScoreSummary:
    """What :func:`score_file` did: documents scored, how many flagged, chunks, the output."""

    rows: int
    positives: int
    chunks: int
    output: str

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {"rows": self.rows, "positives": self.positives, "chunks": self.chunks, "output": self.output}


def prefetch(chunks: Iterator, depth: int = 1) -> Iterator:
    """Iterate ``chunks`` with the next ``depth`` items read ahead in a background thread, so
    reading and decompressing overlap with scoring; memory holds at most ``depth + 1`` chunks.
    An exception in the reader is raised here, in order; closing early stops the reader."""
    items: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def reader():
        try:
            for item in chunks:
                while not stop.is_set():
                    try:
                        items.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put((done, None))
        except BaseException as exc:  # handed to the consumer
            items.put((done, exc))

    thread = threading.Thread(target=reader, name="fastscratch-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = items.get()
            if item is done:
                if exc is not None:
                    raise exc
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


def score_file(
    classifier,
    input_path: str,
    output_path: str,
    *,
    text_column: str = "Masked_Text",
    input_format: str | None = None,
    output_format: str | None = None,
    keep_columns: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    nulls: str = "error",
    threshold: float | None = None,
    progress=None,
) -> ScoreSummary:
    """Score every document of ``input_path`` into ``output_path``, ``chunk_rows`` at a time.

    Output columns: ``row`` (0-based input row; omitted with ``keep_columns``, which copies the
    input's columns instead), ``Predicted_Prob`` (float64) and ``Predicted_Label`` (0/1).
    ``progress(rows_done)`` is called after every chunk.

    ``nulls`` is what a missing document gets (``fastscratch.data.schema``): ``'error'``, a
    DatasetError naming the file, the 1-based data row and the column; ``'zero'``, a zero vector.

    Raises
    ------
    DatasetError
        A missing input, an unknown suffix, an unreadable file, no ``text_column``, a missing
        document (with ``nulls='error'``) or a value that is not a string.
    ParameterError
        A format that is not one of ``data.schema.INPUT_FORMATS``/``OUTPUT_FORMATS``, ``chunk_rows < 1``,
        ``nulls`` or ``threshold`` out of range.
    """
    in_fmt = format_of(input_path, "input", input_format)
    out_fmt = format_of(output_path, "output", output_format)
    chunks = read_chunks(input_path, text_column, fmt=in_fmt, chunk_rows=chunk_rows, nulls=nulls,
                         columns=keep_columns)  # checks the arguments and the input's existence now
    t = classifier.threshold if threshold is None else checked_threshold(threshold)
    state = {"rows": 0, "positives": 0, "chunks": 0}

    def scored_chunks():
        for chunk in prefetch(chunks):
            probs = classifier.predict_proba(chunk.texts, nulls=nulls)
            scored = _Scored(chunk.first_row, probs, (probs > t).astype(np.int64), chunk.columns)
            state["rows"] += len(chunk)
            state["positives"] += int(scored.labels.sum())
            state["chunks"] += 1
            if progress is not None:
                progress(state["rows"])
            yield scored
            if in_fmt == "parquet":  # hand the chunk's freed Arrow memory back: flat peak RSS
                import pyarrow as pa

                pa.default_memory_pool().release_unused()

    if output_path == "-":
        _write_text(sys.stdout, out_fmt, scored_chunks())
    else:
        atomic_file(output_path, lambda tmp: _write_file(tmp, out_fmt, scored_chunks()))
    return ScoreSummary(state["rows"], state["positives"], state["chunks"], output_path)


@dataclass
class _Scored:
    """One scored chunk: its first row's index, probabilities, labels, and the input's columns
    (an Arrow record batch or a pandas DataFrame) when they are to be kept."""

    first_row: int
    probs: np.ndarray
    labels: np.ndarray
    columns: object = None

    def to_arrow(self):
        import pyarrow as pa

        if self.columns is None:
            rows = np.arange(self.first_row, self.first_row + len(self.probs), dtype=np.int64)
            table = pa.Table.from_arrays([_arrow(rows, pa.int64())], names=["row"])
        elif isinstance(self.columns, pa.RecordBatch):
            table = pa.Table.from_batches([self.columns])
        else:
            table = pa.Table.from_pandas(self.columns, preserve_index=False)
        return table.append_column("Predicted_Prob", _arrow(self.probs, pa.float64())).append_column(
            "Predicted_Label", _arrow(self.labels, pa.int64()))

    def to_pandas(self):
        import pandas as pd

        if self.columns is None:
            rows = np.arange(self.first_row, self.first_row + len(self.probs), dtype=np.int64)
            frame = pd.DataFrame({"row": rows})
        elif isinstance(self.columns, pd.DataFrame):
            frame = self.columns.reset_index(drop=True).copy()
        else:
            frame = self.columns.to_pandas()
        frame["Predicted_Prob"] = self.probs
        frame["Predicted_Label"] = self.labels
        return frame


def _arrow(values: np.ndarray, arrow_type):
    """A numeric numpy vector as an Arrow array over the same memory. (``pa.array`` would work
    too, but it imports pandas, half a second of a command's start-up.)"""
    import pyarrow as pa

    return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(np.ascontiguousarray(values))])


def _write_file(tmp: str, fmt: str, chunks) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for chunk in chunks:
                table = chunk.to_arrow()
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table)
            if writer is None:  # no rows: still a valid, empty file with the output columns
                empty = np.empty(0, np.int64)
                pq.write_table(pa.Table.from_arrays(
                    [_arrow(empty, pa.int64()), _arrow(empty.astype(np.float64), pa.float64()), _arrow(empty, pa.int64())],
                    names=["row", "Predicted_Prob", "Predicted_Label"]), tmp)
        finally:
            if writer is not None:
                writer.close()
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            _write_text(f, fmt, chunks)


_EMPTY_COLUMNS = ("row", "Predicted_Prob", "Predicted_Label")


def _json_value(value):
    """JSON for what ``json`` does not know: NumPy scalars as Python numbers, the rest as text."""
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _write_text(stream: io.TextIOBase, fmt: str, chunks) -> None:
    """CSV (header once, also for no rows) or JSON lines, chunk by chunk. Floats are written
    with Python's shortest round-trip repr, so a probability reads back to the same float64."""
    if fmt not in ("csv", "jsonl"):
        raise ParameterError(f"cannot write {fmt} to standard output; use csv or jsonl")
    first = True
    for chunk in chunks:
        frame = chunk.to_pandas()
        if fmt == "csv":
            frame.to_csv(stream, header=first, index=False)
        else:
            for record in frame.to_dict(orient="records"):
                stream.write(json.dumps(record, ensure_ascii=False, default=_json_value) + "\n")
        first = False
    if first and fmt == "csv":
        stream.write(",".join(_EMPTY_COLUMNS) + "\n")
    stream.flush()
