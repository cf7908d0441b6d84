"""Writing chunks of rows: the output side of ``score`` and ``redact``.

A chunk is anything with ``to_arrow()`` (a ``pyarrow.Table``) and ``to_pandas()`` (a DataFrame)
of the same rows. Parquet is written batch by batch from Arrow; CSV and JSON lines chunk by
chunk from pandas, the header once; plain text (``redact`` only) a document a line. A file is
written atomically (:func:`fastscratch.atomic.atomic_file`): a failure leaves no partial file.
The PII spans of ``--spans`` are one column, ``PII_Spans``: a list of ``{start, end, type}``
structs in Parquet, an array of ``[start, end, type]`` in JSON lines, the same array as JSON
text in CSV. JSON lines write a missing value as ``null``.
"""

from __future__ import annotations

import io
import json
import sys

import numpy as np

from fastscratch.atomic import atomic_file
from fastscratch.errors import DatasetError, ParameterError

__all__ = ["SPANS_COLUMN", "arrow_numbers", "spans_arrow", "spans_arrow_type", "spans_lists", "write"]

SPANS_COLUMN = "PII_Spans"
"""The column of the PII spans (``score --spans``, ``redact --spans``)."""


def arrow_numbers(values: np.ndarray, arrow_type):
    """A numeric numpy vector as an Arrow array over the same memory. (``pa.array`` would work
    too, but it imports pandas, half a second of a command's start-up.)"""
    import pyarrow as pa

    return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(np.ascontiguousarray(values))])


def spans_arrow(spans):
    """``list<struct<start: int64, end: int64, type: dictionary<int8, string>>>``: each document's
    spans (a :class:`fastscratch.text.pii.Spans`), without a copy of the offsets."""
    import pyarrow as pa

    from fastscratch.text.pii import TYPES

    kinds = pa.DictionaryArray.from_arrays(arrow_numbers(spans.type, pa.int8()), pa.array(TYPES))
    values = pa.StructArray.from_arrays(
        [arrow_numbers(spans.start, pa.int64()), arrow_numbers(spans.end, pa.int64()), kinds],
        names=["start", "end", "type"])
    return pa.ListArray.from_arrays(arrow_numbers(spans.index.astype(np.int32), pa.int32()), values)


def spans_arrow_type():
    """The Arrow type of :func:`spans_arrow`'s column."""
    import pyarrow as pa

    return pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64()),
                               ("type", pa.dictionary(pa.int8(), pa.string()))]))


def spans_lists(spans) -> list[list[list]]:
    """Each document's spans as a list of ``[start, end, type]`` (written as JSON arrays)."""
    return [[list(s) for s in doc] for doc in spans.lists()]


def write(output_path: str, fmt: str, chunks, empty: dict[str, str]) -> None:
    """Write ``chunks`` to ``output_path`` (``-``: standard output) in ``fmt``; ``empty`` names the
    output's columns and their types (``"int64"``, ``"float64"``, ``"string"`` or ``"spans"``)
    for an output without rows (an empty file still has them)."""
    if output_path == "-":
        _write_text(sys.stdout, fmt, chunks, empty)
    else:
        atomic_file(output_path, lambda tmp: _write_file(tmp, fmt, chunks, empty))


def _write_file(tmp: str, fmt: str, chunks, empty: dict) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for chunk in chunks:
                table = chunk.to_arrow()
                if writer is None:  # a column without a value yet takes text, which any later one fits
                    schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                        for f in table.schema])
                    writer = pq.ParquetWriter(tmp, schema)
                writer.write_table(_as_schema(table, writer.schema, chunk))
            if writer is None:  # no rows: still a valid, empty file with the output columns
                types = {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string(),
                         "spans": spans_arrow_type()}
                pq.write_table(pa.table({name: pa.array([], types[kind]) for name, kind in empty.items()}), tmp)
        finally:
            if writer is not None:
                writer.close()
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            _write_text(f, fmt, chunks, empty)


def _as_schema(table, schema, chunk):
    """``table`` cast to the file's ``schema`` (the first chunk's); a column whose values do not
    fit it is a located DatasetError (nothing is written)."""
    if table.schema.equals(schema):
        return table
    import pyarrow as pa

    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
        where = getattr(chunk, "path", "") or "the input"
        raise DatasetError(f"{where}: from data row {chunk.first_row + 1} a column changes type ({exc}); "
                           "write .csv or .jsonl, or a larger --chunk-rows", path=where,
                           row=chunk.first_row + 1) from None


def _json_value(value):
    """JSON for what ``json`` does not know: NumPy scalars as Python numbers, the rest as text."""
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _write_text(stream: io.TextIOBase, fmt: str, chunks, empty: dict) -> None:
    """CSV (header once, also for no rows), JSON lines, or text (each chunk's ``text_lines()``),
    chunk by chunk. Floats are written with Python's shortest round-trip repr, so a probability
    reads back to the same float64."""
    if fmt not in ("csv", "jsonl", "text"):
        raise ParameterError(f"cannot write {fmt} to standard output; use csv or jsonl")
    first = True
    for chunk in chunks:
        if fmt == "text":
            for line in chunk.text_lines():
                stream.write(line + "\n")
            continue
        frame = chunk.to_pandas()
        if fmt == "csv":
            if SPANS_COLUMN in frame.columns:
                frame[SPANS_COLUMN] = [json.dumps(v, ensure_ascii=False) for v in frame[SPANS_COLUMN]]
            frame.to_csv(stream, header=first, index=False)
        else:  # a missing value is null (pandas' NaN would be written as NaN, which is not JSON)
            for record in frame.astype(object).where(frame.notna(), None).to_dict(orient="records"):
                stream.write(json.dumps(record, ensure_ascii=False, default=_json_value) + "\n")
        first = False
    if first and fmt == "csv":
        stream.write(",".join(empty) + "\n")
    stream.flush()
