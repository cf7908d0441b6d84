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

import queue
import threading
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from fastscratch.app.writers import SPANS_COLUMN, arrow_numbers, spans_arrow, spans_lists, write
from fastscratch.data.reader import CHUNK_ROWS, read_chunks
from fastscratch.data.schema import format_of
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
    spans: bool = False,
    progress=None,
) -> ScoreSummary:
    """Score every document of ``input_path`` into ``output_path``, ``chunk_rows`` at a time.

    Output columns: ``row`` (0-based input row; omitted with ``keep_columns``, which copies the
    input's columns instead), ``Predicted_Prob`` (float64) and ``Predicted_Label`` (0/1); with
    ``spans``, also ``PII_Spans``: where the recognizers found a value (``classifier.find``,
    character offsets and type; see ``fastscratch.app.writers`` for its form in each format).
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
            found = classifier.find(chunk.texts, nulls=nulls) if spans else None
            scored = _Scored(chunk.first_row, probs, (probs > t).astype(np.int64), chunk.columns, found)
            state["rows"] += len(chunk)
            state["positives"] += int(scored.labels.sum())
            state["chunks"] += 1
            if progress is not None:
                progress(state["rows"])
            yield scored
            if in_fmt == "parquet":  # hand the chunk's freed Arrow memory back: flat peak RSS
                import pyarrow as pa

                pa.default_memory_pool().release_unused()

    write(output_path, out_fmt, scored_chunks(), _empty_columns(spans))
    return ScoreSummary(state["rows"], state["positives"], state["chunks"], output_path)


@dataclass
class _Scored:
    """One scored chunk: its first row's index, probabilities, labels, the input's columns
    (an Arrow record batch or a pandas DataFrame) when they are to be kept, and the spans
    (``fastscratch.text.pii.Spans``) when asked for."""

    first_row: int
    probs: np.ndarray
    labels: np.ndarray
    columns: object = None
    spans: object = None

    def to_arrow(self):
        import pyarrow as pa

        if self.columns is None:
            rows = np.arange(self.first_row, self.first_row + len(self.probs), dtype=np.int64)
            table = pa.Table.from_arrays([arrow_numbers(rows, pa.int64())], names=["row"])
        elif isinstance(self.columns, pa.RecordBatch):
            table = pa.Table.from_batches([self.columns])
        else:
            table = pa.Table.from_pandas(self.columns, preserve_index=False)
        table = table.append_column("Predicted_Prob", arrow_numbers(self.probs, pa.float64())).append_column(
            "Predicted_Label", arrow_numbers(self.labels, pa.int64()))
        return table if self.spans is None else table.append_column(SPANS_COLUMN, spans_arrow(self.spans))

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
        if self.spans is not None:
            frame[SPANS_COLUMN] = spans_lists(self.spans)
        return frame


def _empty_columns(spans: bool) -> dict[str, str]:
    """The output's columns and types when there are no rows."""
    columns = {"row": "int64", "Predicted_Prob": "float64", "Predicted_Label": "int64"}
    if spans:
        columns[SPANS_COLUMN] = "spans"
    return columns
