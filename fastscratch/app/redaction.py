"""``fastscratch redact``: documents with every value the recognizers find replaced by its mask
token, file to file, in bounded memory.

The input is read by ``fastscratch.data.reader`` (the formats of ``score``), the values found by
``fastscratch.text.pii`` (the rules of ``fastscratch.text.recognizers``) and replaced by the
original's tokens (``[EMAIL]``, ``[PHONE]``, ``[SSN]``, ``[URL]``, ``[CREDIT_CARD]``): a generated
document's raw ``Text`` redacts to exactly its ``Masked_Text``. The output keeps every column of
the input, the documents' column redacted (a plain-text input: that column alone), optionally with
the spans found; ``.parquet``, ``.csv``, ``.jsonl``, or ``.txt`` (a document a line), written
atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fastscratch.app.scoring import prefetch
from fastscratch.app.writers import SPANS_COLUMN, spans_arrow, spans_lists, write
from fastscratch.data.reader import CHUNK_ROWS, columns_of, read_chunks
from fastscratch.data.schema import FORMATS, OUTPUT_FORMATS, format_of
from fastscratch.errors import DatasetError, ParameterError
from fastscratch.text import pii

__all__ = ["REDACT_OUTPUT_FORMATS", "RedactSummary", "redact_file"]

REDACT_OUTPUT_FORMATS: tuple[str, ...] = (*OUTPUT_FORMATS, "text")
"""What ``redact`` writes: ``score``'s formats, and plain text (a document a line)."""


@dataclass
class RedactSummary:
    """What :func:`redact_file` did: documents read, documents changed, values replaced per type."""

    rows: int
    redacted: int
    values: dict[str, int]
    output: str

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {"rows": self.rows, "redacted": self.redacted, "values": dict(self.values), "output": self.output}


def _output_format(output_path: str, given: str | None, in_fmt: str, spans: bool) -> str:
    """The output's format: ``given``, else the suffix's; ``-`` writes the input's format when it
    is text (a pipe stays a pipe of lines) and no spans are asked for, else CSV."""
    if given:
        if given not in REDACT_OUTPUT_FORMATS:
            raise ParameterError(f"output format {given!r} is not one of {', '.join(REDACT_OUTPUT_FORMATS)}")
        return given
    if output_path == "-":
        return "text" if in_fmt == "text" and not spans else "csv"
    suffix = Path(output_path).suffix.lower()
    if FORMATS.get(suffix) == "text":
        return "text"
    if FORMATS.get(suffix) not in OUTPUT_FORMATS:
        known = ", ".join(sorted(x for x, f in FORMATS.items() if f in REDACT_OUTPUT_FORMATS))
        raise DatasetError(f"{output_path}: unknown output extension {suffix or '(none)'!r}: cannot tell the output "
                           f"format; expected one of {known} (or name it: --output-format)", path=output_path)
    return format_of(output_path, "output")


def redact_file(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    text_column: str = "Text",
    input_format: str | None = None,
    output_format: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    nulls: str = "error",
    spans: bool = False,
    progress=None,
) -> RedactSummary:
    """Write ``input_path``'s rows to ``output_path`` with ``text_column`` redacted.

    Parameters
    ----------
    nulls : {'error', 'zero'}
        A missing document is a located ``DatasetError``, or stays missing in the output.
    spans : bool
        Add the ``PII_Spans`` column: the values found, as character offsets into the original
        document and their type (``fastscratch.app.writers`` says its form in each format).
    progress : callable, optional
        Called with the rows done after every chunk.

    Raises
    ------
    DatasetError
        As ``score`` (``fastscratch.data.reader``), and a document with a line break for a text
        output. Nothing is written then to a file (lines already written to standard output stay).
    ParameterError
        An unknown format, ``chunk_rows < 1`` or ``nulls``.
    """
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    in_fmt = format_of(input_path, "input", input_format)
    out_fmt = _output_format(output_path, output_format, in_fmt, spans)
    if spans and out_fmt == "text":
        raise ParameterError("a text output has no column for the spans: write .csv, .jsonl or .parquet with spans")
    chunks = read_chunks(input_path, text_column, fmt=in_fmt, chunk_rows=chunk_rows, nulls=nulls,
                         columns=in_fmt != "text", as_written=True)
    state = {"rows": 0, "redacted": 0, "values": np.zeros(len(pii.TYPES), np.int64)}

    def redacted_chunks():
        for chunk in prefetch(chunks):
            found = pii.find(chunk.texts, nulls=nulls)
            texts = pii.redact(chunk.texts, nulls=nulls, spans=found)
            state["rows"] += len(chunk)
            state["redacted"] += int(found.flagged().sum())
            state["values"] += np.bincount(found.type, minlength=len(pii.TYPES))
            if progress is not None:
                progress(state["rows"])
            yield _Redacted(chunk.first_row, text_column, texts, chunk.columns, found if spans else None,
                            input_path, in_fmt == "csv")

    header = None if in_fmt == "text" or input_path == "-" else columns_of(input_path, in_fmt)
    empty = {**{name: "string" for name in (header or [text_column])}, **({SPANS_COLUMN: "spans"} if spans else {})}
    write(output_path, out_fmt, redacted_chunks(), empty)
    return RedactSummary(state["rows"], state["redacted"],
                         {t: int(n) for t, n in zip(pii.TYPES, state["values"].tolist(), strict=True)}, output_path)


@dataclass
class _Redacted:
    """One redacted chunk: the input's columns (or none, for plain text) with ``column`` replaced
    by ``texts``, and the spans when asked for."""

    first_row: int
    column: str
    texts: list
    columns: object = None
    spans: object = None
    path: str = ""
    text_cells: bool = False  # every column holds text as written (a CSV input)

    def to_arrow(self):
        import pyarrow as pa

        redacted = pa.array(self.texts, pa.string())
        if self.columns is None:
            table = pa.table({self.column: redacted})
        elif isinstance(self.columns, pa.RecordBatch):
            table = pa.Table.from_batches([self.columns])
        elif self.text_cells:  # text, whatever pandas would guess (a chunk of empty cells included)
            table = pa.table({name: pa.array(self.columns[name], pa.string(), from_pandas=True)
                              for name in self.columns.columns})
        else:
            table = pa.Table.from_pandas(self.columns, preserve_index=False)
        if self.columns is not None:
            table = table.set_column(table.schema.get_field_index(self.column), self.column, redacted)
        return table if self.spans is None else table.append_column(SPANS_COLUMN, spans_arrow(self.spans))

    def to_pandas(self):
        import pandas as pd

        if self.columns is None:
            frame = pd.DataFrame({self.column: self.texts})
        else:
            frame = (self.columns.reset_index(drop=True).copy() if isinstance(self.columns, pd.DataFrame)
                     else self.columns.to_pandas())
            frame[self.column] = self.texts
        if self.spans is not None:
            frame[SPANS_COLUMN] = spans_lists(self.spans)
        return frame

    def text_lines(self):
        """The documents as the lines of a text output (a missing one is an empty line); a
        document holding a line break is a located DatasetError."""
        for k, text in enumerate(self.texts):
            line = "" if text is None else text
            if "\n" in line or "\r" in line:
                raise DatasetError(f"{self.path}: data row {self.first_row + k + 1}, column {self.column!r}: the "
                                   "document holds a line break and cannot be one line of a text output; write "
                                   ".csv, .jsonl or .parquet", path=self.path, row=self.first_row + k + 1,
                                   column=self.column)
            yield line
