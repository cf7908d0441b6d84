"""Score document files in bounded memory: read a chunk, featurize, predict, append, repeat.

Inputs: ``.parquet`` (read batch by batch; the text column goes to the featurizer as an
Arrow array, zero-copy), ``.csv``, ``.jsonl``, ``.xlsx`` (read whole: Excel has no streaming
reader here) and plain text (``.txt`` or ``-`` for standard input: one document per line).
Outputs: ``.parquet``, ``.csv``, ``.jsonl`` or ``-`` (CSV on standard output). A file output
is written atomically (:func:`fastscratch.atomic.atomic_file`): a failure leaves no partial file.

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
from fastscratch.data.schema import (
    NULLS,
    csv_options,
    existing_file,
    format_of,
    row_error,
    text_problem,
    unreadable,
)
from fastscratch.errors import DatasetError, FastscratchError, ParameterError
from fastscratch.extras import require_extra
from fastscratch.nets.checks import threshold as checked_threshold

CHUNK_ROWS = 50_000
"""Documents per chunk by default: bounds the memory a scoring run holds."""


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


def read_chunks(path: str, fmt: str, text_column: str, chunk_rows: int) -> Iterator[tuple[object, object]]:
    """Yield ``(batch, texts)`` per chunk: the chunk's columns (an Arrow record batch for
    Parquet, else a pandas DataFrame) and its documents (an Arrow string array, a pandas
    Series, or a list of str for plain text).

    Raises
    ------
    DatasetError
        The file is missing, cannot be read as ``fmt``, has no ``text_column``, or (Parquet) that
        column does not hold strings.
    """
    if path != "-":
        existing_file(path)
    try:
        yield from _chunks(path, fmt, text_column, chunk_rows)
    except FastscratchError:
        raise
    except (OSError, ValueError) as exc:  # Arrow's errors are OSError or ValueError too
        raise unreadable(path, fmt, exc) from exc


def _chunks(path: str, fmt: str, text_column: str, chunk_rows: int) -> Iterator[tuple[object, object]]:
    if fmt == "parquet":
        pa = require_extra("pyarrow", "Reading .parquet files")
        pq = require_extra("pyarrow.parquet", "Reading .parquet files")
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
        if text_column not in schema.names:
            raise DatasetError(f"{path}: no column {text_column!r}; columns are {schema.names}",
                               path=path, column=text_column)
        kind = schema.field(text_column).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or getattr(pa.types, "is_string_view", lambda _: False)(kind) or pa.types.is_null(kind)):
            raise DatasetError(f"{path}: column {text_column!r} holds {kind} values, not text",
                               path=path, column=text_column)
        for batch in pf.iter_batches(batch_size=chunk_rows):
            texts = batch.column(text_column)
            yield batch, texts.cast(pa.string()) if pa.types.is_null(texts.type) else texts
        return
    import pandas as pd  # the other formats go through pandas

    if fmt == "csv":
        for frame in pd.read_csv(path, chunksize=chunk_rows, **csv_options(text_column)):
            _require_column(path, frame, text_column)
            yield frame, frame[text_column]
    elif fmt == "jsonl":
        try:
            for frame in pd.read_json(path, lines=True, chunksize=chunk_rows, dtype=False):
                _require_column(path, frame, text_column)
                yield frame, frame[text_column]
        except TypeError as exc:  # pandas' reader on a line that is an array or a number
            raise unreadable(path, fmt, exc) from exc
    elif fmt == "xlsx":
        require_extra("openpyxl", "Reading .xlsx files")
        try:
            frame = pd.read_excel(path, dtype={text_column: object})
        except Exception as exc:  # openpyxl and zipfile raise many unrelated types
            raise unreadable(path, fmt, exc) from exc
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


def check_documents(texts, first_row: int, path: str, column: str, nulls: str, spreadsheet: bool = False) -> None:
    """Apply the missing-document policy to one chunk (``fastscratch.data.schema``).

    Parameters
    ----------
    texts : Arrow string array, pandas Series or list of str
        The chunk's documents.
    first_row : int
        0-based row of the chunk's first document in the file.
    path, column : str
        For the message.
    nulls : {'error', 'zero'}
        With ``'zero'`` a missing document passes (it is scored as a zero vector).
    spreadsheet : bool
        Name the sheet row too (an Excel input).

    Raises
    ------
    DatasetError
        The first missing document (unless ``nulls='zero'``) or value that is not a string,
        located by file, 1-based data row and column.
    """
    if isinstance(texts, list):  # lines of text: always documents
        return
    if hasattr(texts, "null_count"):  # Arrow: a string column (checked on opening), nulls only
        if nulls == "error" and texts.null_count:
            import pyarrow.compute as pc

            first = int(pc.index(pc.is_null(texts), True).as_py())
            raise _missing_error(path, first_row + first, column, spreadsheet)
        return
    for i, value in enumerate(texts.tolist()):
        problem = text_problem(value)
        if problem is None:
            continue
        if problem.startswith("text is missing"):
            if nulls == "zero":
                continue
            raise _missing_error(path, first_row + i, column, spreadsheet)
        raise row_error(path, path, [first_row + i], column, problem, spreadsheet)


def _missing_error(path: str, row: int, column: str, spreadsheet: bool) -> DatasetError:
    return row_error(path, path, [row], column, "text is missing (empty cell); pass nulls='zero' "
                     "(--nulls zero) to score it as a zero vector", spreadsheet)


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
        raise DatasetError(f"{path}: no column {column!r}; columns are {list(frame.columns)}",
                           path=path, column=column)


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
    if input_path != "-":
        existing_file(input_path)
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or chunk_rows < 1:
        raise ParameterError(f"chunk_rows must be an integer >= 1, got {chunk_rows!r}")
    if nulls not in NULLS:
        raise ParameterError(f"nulls must be one of {', '.join(NULLS)}, not {nulls!r}")
    t = classifier.threshold if threshold is None else checked_threshold(threshold)
    state = {"rows": 0, "positives": 0, "chunks": 0}

    def scored_chunks():
        for batch, texts in prefetch(read_chunks(input_path, in_fmt, text_column, chunk_rows)):
            n = len(texts)
            if n == 0:
                continue
            check_documents(texts, state["rows"], input_path, text_column, nulls, spreadsheet=in_fmt == "xlsx")
            probs = classifier.predict_proba(texts, nulls=nulls)
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
