"""Score document files in bounded memory: read a chunk, featurize, predict, append, repeat.

Inputs: ``.parquet`` (read batch by batch; the text column goes to the featurizer as an
Arrow array, zero-copy), ``.csv``, ``.jsonl``, ``.xlsx`` (read whole: Excel has no streaming
reader here) and plain text (``.txt`` or ``-`` for standard input: one document per line).
Outputs: ``.parquet``, ``.csv``, ``.jsonl`` or ``-`` (CSV on standard output). A file output
is written under a temporary name and renamed at the end: a failure leaves no partial file.
"""

from __future__ import annotations

import io
import queue
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from fastscratch.app.modelfile import atomic_write
from fastscratch.errors import DatasetError

INPUT_FORMATS = ("parquet", "csv", "jsonl", "xlsx", "text")
OUTPUT_FORMATS = ("parquet", "csv", "jsonl")
_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
             ".xlsx": "xlsx", ".xlsm": "xlsx", ".txt": "text", ".text": "text"}


@dataclass
class ScoreSummary:
    rows: int
    positives: int
    chunks: int
    output: str

    def as_dict(self) -> dict:
        return {"rows": self.rows, "positives": self.positives, "chunks": self.chunks, "output": self.output}


def detect_format(path: str, given: str | None, allowed: tuple, what: str) -> str:
    """The file format from ``given`` or the suffix; ``-`` is text in and CSV out."""
    if given:
        if given not in allowed:
            raise ValueError(f"{what} format {given!r} is not one of {', '.join(allowed)}")
        return given
    if path == "-":
        return "text" if what == "input" else "csv"
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None or fmt not in allowed:
        raise ValueError(f"{path}: cannot tell the {what} format from the suffix; use one of "
                         f"{', '.join(allowed)} (--{what}-format)")
    return fmt


def read_chunks(path: str, fmt: str, text_column: str, chunk_rows: int) -> Iterator[tuple[object, object]]:
    """Yield ``(batch, texts)`` per chunk: the chunk's columns (an Arrow record batch for
    Parquet, else a pandas DataFrame) and its documents (an Arrow string array or str values)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        if text_column not in pf.schema_arrow.names:
            raise DatasetError(f"{path}: no column {text_column!r}; columns are {pf.schema_arrow.names}")
        for batch in pf.iter_batches(batch_size=chunk_rows):
            yield batch, batch.column(text_column)
        return
    import pandas as pd  # the other formats go through pandas

    if fmt == "csv":
        reader = pd.read_csv(path, chunksize=chunk_rows, dtype={text_column: object}, keep_default_na=False,
                             na_values=[], encoding="utf-8")
        for frame in reader:
            _require_column(path, frame, text_column)
            yield frame, frame[text_column]
    elif fmt == "jsonl":
        for frame in pd.read_json(path, lines=True, chunksize=chunk_rows, dtype=False):
            _require_column(path, frame, text_column)
            yield frame, frame[text_column]
    elif fmt == "xlsx":
        frame = pd.read_excel(path, dtype={text_column: object})
        _require_column(path, frame, text_column)
        for start in range(0, len(frame), chunk_rows):
            part = frame.iloc[start : start + chunk_rows]
            yield part, part[text_column]
    else:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8", newline="")
        try:
            lines = []
            for line in stream:
                lines.append(line.rstrip("\r\n"))
                if len(lines) == chunk_rows:
                    yield pd.DataFrame({text_column: lines}), lines
                    lines = []
            if lines:
                yield pd.DataFrame({text_column: lines}), lines
        finally:
            if stream is not sys.stdin:
                stream.close()


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


def _require_column(path, frame, column: str) -> None:
    if column not in frame.columns:
        raise DatasetError(f"{path}: no column {column!r}; columns are {list(frame.columns)}")


def score_file(
    classifier,
    input_path: str,
    output_path: str,
    *,
    text_column: str = "Masked_Text",
    input_format: str | None = None,
    output_format: str | None = None,
    keep_columns: bool = False,
    chunk_rows: int = 50_000,
    nulls: str = "error",
    threshold: float | None = None,
    progress=None,
) -> ScoreSummary:
    """Score every document of ``input_path`` into ``output_path``, ``chunk_rows`` at a time.

    Output columns: ``row`` (0-based input row; omitted with ``keep_columns``, which copies the
    input's columns instead), ``Predicted_Prob`` (float64) and ``Predicted_Label`` (0/1).
    ``progress(rows_done)`` is called after every chunk.
    """
    in_fmt = detect_format(input_path, input_format, INPUT_FORMATS, "input")
    out_fmt = detect_format(output_path, output_format, OUTPUT_FORMATS, "output")
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be >= 1, got {chunk_rows}")
    t = classifier.threshold if threshold is None else float(threshold)
    state = {"rows": 0, "positives": 0, "chunks": 0}

    def scored_chunks():
        for batch, texts in prefetch(read_chunks(input_path, in_fmt, text_column, chunk_rows)):
            n = len(texts)
            if n == 0:
                continue
            try:
                probs = classifier.predict_proba(texts, nulls=nulls)
            except ValueError as exc:
                first = state["rows"]
                raise DatasetError(f"{input_path}: column {text_column!r}, rows {first}-{first + n - 1} "
                                   f"(0-based; the message counts from the first): {exc}") from None
            chunk = _Scored(state["rows"], probs, (probs > t).astype(np.int64), batch if keep_columns else None)
            state["rows"] += n
            state["positives"] += int(chunk.labels.sum())
            state["chunks"] += 1
            if progress is not None:
                progress(state["rows"])
            yield chunk
            if in_fmt == "parquet":  # hand the chunk's freed Arrow memory back: flat peak RSS
                import pyarrow as pa

                pa.default_memory_pool().release_unused()

    if output_path == "-":
        _write_text(sys.stdout, out_fmt, scored_chunks())
    else:
        atomic_write(output_path, lambda tmp: _write_file(tmp, out_fmt, scored_chunks()))
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


def _write_text(stream: io.TextIOBase, fmt: str, chunks) -> None:
    """CSV (header once) or JSON lines, chunk by chunk."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"cannot write {fmt} to standard output; use csv or jsonl")
    first = True
    for chunk in chunks:
        frame = chunk.to_pandas()
        if fmt == "csv":
            frame.to_csv(stream, header=first, index=False)
        else:
            text = frame.to_json(orient="records", lines=True, force_ascii=False)
            stream.write(text if text.endswith("\n") or not text else text + "\n")
        first = False
    stream.flush()
