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
import pandas as pd

from .data import DatasetError
from .modelfile import atomic_write

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


def read_chunks(path: str, fmt: str, text_column: str, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, object]]:
    """Yield ``(frame, texts)`` per chunk: the chunk's columns and its documents (list of str or
    an Arrow string array)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        if text_column not in pf.schema_arrow.names:
            raise DatasetError(f"{path}: no column {text_column!r}; columns are {pf.schema_arrow.names}")
        for batch in pf.iter_batches(batch_size=chunk_rows):
            yield batch, batch.column(text_column)
    elif fmt == "csv":
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


def _require_column(path, frame: pd.DataFrame, column: str) -> None:
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

    def scored_frames():
        for batch, texts in prefetch(read_chunks(input_path, in_fmt, text_column, chunk_rows)):
            n = len(texts)
            if n == 0:
                continue
            try:
                probs = classifier.net.predict_proba(classifier.vectors.embed(texts, nulls=nulls))
            except ValueError as exc:
                first = state["rows"]
                raise DatasetError(f"{input_path}: column {text_column!r}, rows {first}-{first + n - 1} "
                                   f"(0-based; the message counts from the first): {exc}") from None
            labels = (probs > t).astype(np.int64)
            if keep_columns:  # only then are the input's columns turned into Python objects
                out = batch.to_pandas() if not isinstance(batch, pd.DataFrame) else batch.reset_index(drop=True).copy()
            else:
                out = pd.DataFrame({"row": np.arange(state["rows"], state["rows"] + len(probs), dtype=np.int64)})
            out["Predicted_Prob"] = probs
            out["Predicted_Label"] = labels
            state["rows"] += len(probs)
            state["positives"] += int(labels.sum())
            state["chunks"] += 1
            if progress is not None:
                progress(state["rows"])
            yield out

    if output_path == "-":
        _write_frames(sys.stdout, out_fmt, scored_frames(), text_mode=True)
    else:
        atomic_write(output_path, lambda tmp: _write_file(tmp, out_fmt, scored_frames()))
    return ScoreSummary(state["rows"], state["positives"], state["chunks"], output_path)


def _write_file(tmp: str, fmt: str, frames) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for frame in frames:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table)
            if writer is None:  # no rows: still a valid, empty file with the output columns
                empty = pd.DataFrame({"row": pd.Series([], dtype="int64"), "Predicted_Prob": pd.Series([], dtype="float64"),
                                      "Predicted_Label": pd.Series([], dtype="int64")})
                pq.write_table(pa.Table.from_pandas(empty, preserve_index=False), tmp)
        finally:
            if writer is not None:
                writer.close()
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            _write_frames(f, fmt, frames, text_mode=True)


def _write_frames(stream: io.TextIOBase, fmt: str, frames, text_mode: bool) -> None:
    first = True
    for frame in frames:
        if fmt == "csv":
            frame.to_csv(stream, header=first, index=False)
        elif fmt == "jsonl":
            text = frame.to_json(orient="records", lines=True, force_ascii=False)
            stream.write(text if text.endswith("\n") or not text else text + "\n")
        else:
            raise ValueError(f"cannot write {fmt} to standard output; use csv or jsonl")
        first = False
    stream.flush()
