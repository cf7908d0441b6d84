"""The one reader of document files: every command that reads documents from a file asks it.

Training reads a dataset whole (:func:`read_frame`); scoring, cluster scoring and ``redact``
read a file chunk by chunk (:func:`read_chunks`), each :class:`Chunk` with its documents, its
other columns and the row it starts at. A cluster reads one :class:`Piece` of a file per task:
a whole file, or whole row groups of a Parquet file (:func:`plan_pieces`).

The formats are ``fastscratch.data.schema``'s table (``FORMATS``, :func:`~fastscratch.data.schema.format_of`):
Parquet is read batch by batch as Arrow arrays (no copies, no pandas), CSV and JSON lines in
chunks through pandas, Excel whole (it has no streaming reader here), plain text (``-``:
standard input) a line a document. Chunks apply the missing-document policy
(:func:`check_documents`); every error is a ``DatasetError`` that names the file and, where
there is one, the line or data row and the column.

Kept free of pandas for Parquet: scoring Parquet never loads it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fastscratch.data.schema import (
    CSV_OPTIONS,
    FORMAT_NAMES,
    NULLS,
    format_of,
    row_error,
    text_problem,
)
from fastscratch.errors import DatasetError, FastscratchError, ParameterError
from fastscratch.extras import require_extra

__all__ = ["CHUNK_ROWS", "Chunk", "Piece", "read_chunks", "read_frame", "plan_pieces", "check_documents",
           "columns_of"]

CHUNK_ROWS = 50_000
"""Documents per chunk by default: bounds the memory a scoring run holds."""


@dataclass(frozen=True)
class Piece:
    """Rows of one file read as a unit (one cluster task): the whole file, or the row groups
    ``row_groups`` of a Parquet file, whose first row is the file's row ``first_row`` (0-based)."""

    path: str
    fmt: str
    row_groups: tuple[int, ...] | None = None
    first_row: int = 0


@dataclass(frozen=True)
class Chunk:
    """Consecutive rows of a file, at least one.

    Attributes
    ----------
    first_row : int
        0-based row of the chunk's first document in its file (the header not counted).
    texts : Arrow string array, pandas.Series or list of str
        The documents: an Arrow ``string`` or ``large_string`` array (Parquet: zero-copy), a
        pandas Series (CSV, JSON lines, Excel) or a list of str (plain text). Checked by the
        missing-document policy.
    columns : pyarrow.RecordBatch, pandas.DataFrame or None
        All of the chunk's columns, the documents' among them, in file order (a record batch
        for Parquet, else a DataFrame with a fresh index); None when not asked for.
    """

    first_row: int
    texts: Any
    columns: Any = None

    def __len__(self) -> int:
        return len(self.texts)


def read_chunks(source: str | os.PathLike | Piece, text_column: str = "Masked_Text", *, fmt: str | None = None,
                chunk_rows: int = CHUNK_ROWS, nulls: str = "error", columns: bool = True,
                as_written: bool = False) -> Iterator[Chunk]:
    """The documents of a file (or of one piece of it), ``chunk_rows`` at a time.

    Parameters
    ----------
    source : str, PathLike or Piece
        A file of one of ``schema.INPUT_FORMATS`` (``-``: standard input, one document per
        line), or a piece of one (:func:`plan_pieces`).
    text_column : str
        The column of documents.
    fmt : str, optional
        The format, if not the suffix's (``--input-format``); a piece has its own.
    chunk_rows : int
        Most rows per chunk (Parquet batches and CSV/JSON-lines chunks hold exactly that many
        but the last).
    nulls : {'error', 'zero'}
        The missing-document policy (``fastscratch.data.schema``): a missing document is a
        located error, or passes (and is scored as a zero vector).
    columns : bool
        Also hand each chunk's columns (``Chunk.columns``). Without, a Parquet file's other
        columns are not read at all.
    as_written : bool
        The other columns as the file writes them, for a command that writes them back
        (``redact``): every CSV cell as text (``01234`` stays ``01234``), JSON lines with
        nullable types (an integer column with a null stays integers). Parquet's are typed.

    Returns
    -------
    Iterator of Chunk, in file order; no chunk is empty. The arguments and the file's existence
    are checked at the call, the file's contents as the chunks are read.

    Raises
    ------
    ParameterError
        An unknown ``fmt``, ``chunk_rows < 1`` or an unknown ``nulls``.
    DatasetError
        No such file, an unknown suffix, a file that cannot be read as its format (JSON lines:
        the first line it refuses), no ``text_column`` (Parquet: one that does not hold text), a
        missing document (with ``nulls='error'``) or a value that is not a string: the message
        names the file and the line or data row and column.
    MissingExtraError
        pyarrow (Parquet) or openpyxl (Excel) is not installed.
    """
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or chunk_rows < 1:
        raise ParameterError(f"chunk_rows must be an integer >= 1, got {chunk_rows!r}")
    if nulls not in NULLS:
        raise ParameterError(f"nulls must be one of {', '.join(NULLS)}, not {nulls!r}")
    piece = source if isinstance(source, Piece) else Piece(os.fspath(source), format_of(source, "input", fmt))
    if piece.path != "-":
        _existing_file(piece.path)
    return _checked_chunks(piece, text_column, int(chunk_rows), nulls, columns, as_written)


def _checked_chunks(piece: Piece, text_column: str, chunk_rows: int, nulls: str, columns: bool,
                    as_written: bool = False) -> Iterator[Chunk]:
    row = piece.first_row
    with _parsing(piece.path, piece.fmt):
        for texts, batch in _read(piece, text_column, chunk_rows, columns, as_written):
            if len(texts) == 0:
                continue
            check_documents(texts, row, piece.path, text_column, nulls, spreadsheet=piece.fmt == "xlsx")
            yield Chunk(row, texts, batch)
            row += len(texts)


def _read(piece: Piece, text_column: str, chunk_rows: int, columns: bool,
          as_written: bool = False) -> Iterator[tuple[Any, Any]]:
    """``(texts, columns or None)`` per chunk of ``piece``, in its format."""
    if piece.fmt == "parquet":
        yield from _parquet_chunks(piece, text_column, chunk_rows, columns)
        return
    for frame in _frames(piece.path, piece.fmt, text_column, chunk_rows, as_written=as_written):
        if piece.fmt == "text":  # lines: a list of str, and a frame of them only when asked for
            yield frame, _text_frame(text_column, frame) if columns else None
            continue
        if len(frame) == 0 and frame.columns.empty:  # a JSON-lines chunk of blank lines
            continue
        _require_column(piece.path, list(frame.columns), text_column)
        yield frame[text_column], frame.reset_index(drop=True) if columns else None


def _parquet_chunks(piece: Piece, text_column: str, chunk_rows: int, columns: bool) -> Iterator[tuple[Any, Any]]:
    pa = require_extra("pyarrow", "Reading .parquet files")
    pq = require_extra("pyarrow.parquet", "Reading .parquet files")
    pf = pq.ParquetFile(piece.path)
    schema = pf.schema_arrow
    _require_column(piece.path, schema.names, text_column)
    kind = schema.field(text_column).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
            or getattr(pa.types, "is_string_view", lambda _: False)(kind) or pa.types.is_null(kind)):
        raise DatasetError(f"{piece.path}: column {text_column!r} holds {kind} values, not text",
                           path=piece.path, column=text_column)
    groups = None if piece.row_groups is None else list(piece.row_groups)
    for batch in pf.iter_batches(batch_size=chunk_rows, row_groups=groups, columns=None if columns else [text_column]):
        texts = batch.column(text_column)
        yield (texts.cast(pa.string()) if pa.types.is_null(texts.type) else texts), (batch if columns else None)


def _frames(path: str, fmt: str, text_column: str, chunk_rows: int | None, sheet: str | int | None = None,
            as_written: bool = False):
    """The rows of a CSV, JSON-lines, Excel or plain-text file as pandas DataFrames of at most
    ``chunk_rows`` rows (None: one of all), or, for plain text, lists of lines (``as_written``:
    see :func:`read_chunks`)."""
    if fmt == "text":
        yield from _lines(path, chunk_rows)
        return
    import pandas as pd

    if fmt == "csv":
        options = dict(CSV_OPTIONS, dtype=str) if as_written else _csv_options(text_column)
        if chunk_rows is None:
            yield pd.read_csv(path, **options)
        else:
            yield from pd.read_csv(path, chunksize=chunk_rows, **options)
    elif fmt == "jsonl":
        backend = {"dtype_backend": "pyarrow"} if as_written else {}
        with pd.read_json(path, lines=True, chunksize=chunk_rows, dtype=False, **backend) as chunks:  # chunk_rows given
            yield from chunks
    elif fmt == "xlsx":
        frame = _excel(path, text_column, sheet)
        if chunk_rows is None:
            yield frame
            return
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start : start + chunk_rows]
    else:  # pragma: no cover - format_of admits no other
        raise ParameterError(f"{path}: no reader for the format {fmt!r}")


def _excel(path: str, text_column: str, sheet: str | int | None):
    import pandas as pd

    require_extra("openpyxl", "Reading .xlsx files")
    with pd.ExcelFile(path, engine="openpyxl") as book:
        names = book.sheet_names
        if isinstance(sheet, str) and sheet not in names:
            raise DatasetError(f"{path}: no sheet named {sheet!r}; sheets present: {', '.join(map(repr, names))}",
                               path=path)
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise DatasetError(f"{path}: no sheet number {sheet} (0-based); the file has {len(names)}", path=path)
        # only an empty cell is missing: a cell reading "NA" or "null" is text, as in CSV
        return pd.read_excel(book, sheet_name=0 if sheet is None else sheet, dtype={text_column: object},
                             keep_default_na=False, na_values=[""])


def _lines(path: str, chunk_rows: int | None) -> Iterator[list[str]]:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8", newline="")
    try:
        lines: list[str] = []
        for line in stream:
            lines.append(line.rstrip("\r\n"))
            if len(lines) == chunk_rows:
                yield lines
                lines = []
        if lines:
            yield lines
    finally:
        if stream is not sys.stdin:
            stream.close()


def _text_frame(text_column: str, lines: list[str]):
    import pandas as pd

    return pd.DataFrame({text_column: lines})


# What each format's parser raises on a file it cannot read (anything else is a bug and keeps its
# traceback): pandas' ParserError and UnicodeDecodeError are ValueErrors, Arrow's errors
# ArrowException, OSError or ValueError; pandas' JSON reader raises TypeError on a line that is
# an array or a number; openpyxl and zipfile raise many unrelated types.
_PARSE_ERRORS: dict[str, tuple[type[BaseException], ...]] = {
    "csv": (OSError, ValueError), "jsonl": (OSError, ValueError, TypeError), "text": (OSError, ValueError),
    "xlsx": (Exception,), "parquet": (OSError, ValueError),
}


@contextlib.contextmanager
def _parsing(path: str, fmt: str):
    """Within the block, a parser's error becomes the located DatasetError (:func:`_unreadable`)."""
    errors = _PARSE_ERRORS[fmt]
    if fmt == "parquet":
        errors = errors + (require_extra("pyarrow", "Reading .parquet files").ArrowException,)
    try:
        yield
    except FastscratchError:
        raise
    except errors as exc:
        raise _unreadable(path, fmt, exc) from exc


def _require_column(path: str, names: list, column: str) -> None:
    if column not in names:
        raise DatasetError(f"{path}: no column {column!r}; columns are {list(names)}", path=path, column=column)


def read_frame(path: str | os.PathLike, *, text_column: str = "Masked_Text", sheet: str | int | None = None):
    """A dataset file whole, as a pandas DataFrame: every column, rows in file order.

    ``path`` is one of ``schema.DATASET_FORMATS``; ``sheet`` (Excel only) a worksheet name or
    0-based index (None: the first). ``text_column`` is read as text (CSV: never as numbers;
    only an empty field is missing). The columns are not checked here: the caller knows which
    it needs (``data.files.validate_frame``).

    Raises
    ------
    DatasetError
        No such file, an unknown suffix, a sheet for a file that is not Excel, no such sheet, or
        a file that cannot be read as its format.
    MissingExtraError
        pyarrow (Parquet) or openpyxl (Excel) is not installed.
    """
    path = Path(path)
    fmt = format_of(path)
    if sheet is not None and fmt != "xlsx":
        raise DatasetError(f"{path}: a sheet ({sheet!r}) applies to Excel files only", path=path)
    _existing_file(path)
    with _parsing(str(path), fmt):
        if fmt == "parquet":
            require_extra("pyarrow", "Reading .parquet files")
            import pandas as pd

            frame = pd.read_parquet(path, engine="pyarrow")
        else:
            (frame,) = _frames(str(path), fmt, text_column, None, sheet)
    return frame.reset_index(drop=True)


def plan_pieces(path: str | os.PathLike, text_column: str = "Masked_Text", *, partition_rows: int,
                fmt: str | None = None) -> list[Piece]:
    """A file cut into pieces for separate tasks: a Parquet file into runs of whole row groups of
    at most ``partition_rows`` rows (a larger row group is a piece of its own; a file without
    row groups is one empty piece), any other file whole.

    The file's header is read here, so that a file that cannot be opened or has no
    ``text_column`` fails before any task runs (a DatasetError naming it).
    """
    if isinstance(partition_rows, bool) or not isinstance(partition_rows, (int, np.integer)) or partition_rows < 1:
        raise ParameterError(f"partition_rows must be an integer >= 1, got {partition_rows!r}")
    path = os.fspath(path)
    fmt = format_of(path, "input", fmt)
    _existing_file(path)
    with _parsing(path, fmt):
        names = _header(path, fmt)
    if names is not None:
        _require_column(path, names, text_column)
    if fmt != "parquet":
        return [Piece(path, fmt)]
    pq = require_extra("pyarrow.parquet", "Reading .parquet files")
    meta = pq.ParquetFile(path).metadata
    pieces: list[Piece] = []
    group: list[int] = []
    rows = first = 0
    for rg in range(meta.num_row_groups):
        n = meta.row_group(rg).num_rows
        if group and rows + n > partition_rows:
            pieces.append(Piece(path, fmt, tuple(group), first))
            first += rows
            group, rows = [], 0
        group.append(rg)
        rows += n
    if group or meta.num_row_groups == 0:
        pieces.append(Piece(path, fmt, tuple(group), first))
    return pieces


def columns_of(path: str | os.PathLike, fmt: str | None = None) -> list | None:
    """A file's column names, from its header alone (see ``_header``): what an output of no rows
    still carries."""
    path = os.fspath(path)
    fmt = format_of(path, "input", fmt)
    with _parsing(path, fmt):
        return _header(path, fmt)


def _header(path: str, fmt: str) -> list | None:
    """The file's column names, read from its header alone (JSON lines: its first row); None where
    there is none to read (an empty JSON-lines file) or no header is read (Excel, plain text)."""
    if fmt == "parquet":
        return require_extra("pyarrow.parquet", "Reading .parquet files").ParquetFile(path).schema_arrow.names
    if fmt == "csv":
        import pandas as pd

        return list(pd.read_csv(path, nrows=0, **CSV_OPTIONS).columns)
    if fmt == "jsonl":
        import json

        with open(path, encoding="utf-8") as f:
            first = next((line for line in f if line.strip()), None)
        if first is None:
            return None
        value = json.loads(first)
        if not isinstance(value, dict):
            raise ValueError("the first line is not an object of columns")
        return list(value)
    return None


# ----------------------------------------------------------------------------- the policy, per chunk


def check_documents(texts, first_row: int, path: str, column: str, nulls: str = "error",
                    spreadsheet: bool = False) -> None:
    """Apply the missing-document policy (``fastscratch.data.schema``) to one chunk's documents.

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


# ----------------------------------------------------------------------------- located errors


def _csv_options(text_column: str) -> dict[str, Any]:
    """``pandas.read_csv`` keywords for a file whose documents are in ``text_column``: the
    policy's ``CSV_OPTIONS``, with the documents read as strings (never as numbers)."""
    return dict(CSV_OPTIONS, dtype={text_column: str})


def _existing_file(path: str | os.PathLike) -> Path:
    """``path`` as a Path if it is a file; a located DatasetError (``no such file``) if not."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file", path=path)
    return path


def _unreadable(path: str | os.PathLike, fmt: str, exc: BaseException) -> DatasetError:
    """The DatasetError for a file its reader could not parse as ``fmt``. For JSON lines, whose
    reader gives only a byte position, the file is read again to name the first line that it
    cannot take, with the column and the start of the line."""
    if isinstance(exc, UnicodeDecodeError):
        return DatasetError(f"{path}: not UTF-8 text ({exc})", path=path)
    if fmt == "jsonl" and os.fspath(path) != "-":
        found = _first_bad_json_line(path)
        if found is not None:
            line, row, column, problem, text = found
            where = f"line {line}" + ("" if column is None else f", column {column}")
            return DatasetError(f"{path}: {where}: cannot read as {FORMAT_NAMES[fmt]}: {problem}: {text!r}",
                                path=path, row=row)
    return DatasetError(f"{path}: cannot read as {FORMAT_NAMES[fmt]}: {exc}", path=path)


_JSON_KINDS = {list: "an array", int: "a number", float: "a number", str: "a string", bool: "true or false",
               type(None): "null"}
_INT64_RANGE = (-(2**63), 2**64 - 1)  # pandas' JSON parser takes int64 and uint64 integers


def _json_int(digits: str) -> int:
    value = int(digits)
    if not _INT64_RANGE[0] <= value <= _INT64_RANGE[1]:
        raise OverflowError(f"the integer {digits[:30]} does not fit in 64 bits")
    return value


def _first_bad_json_line(path: str | os.PathLike, shown: int = 60) -> tuple[int, int, int | None, str, str] | None:
    """``(line, row, column, problem, text)`` for the first line of a JSON-lines file that pandas'
    reader cannot take as a row: not JSON, not a JSON object, or an integer beyond 64 bits.
    ``line`` counts every line (Python's line breaks: ``\\n``, ``\\r\\n``, a lone ``\\r``) from
    1; ``row`` only the non-blank ones, which pandas skips; ``column`` (1-based) is None when the
    parser does not give one; ``text`` is the line's first ``shown`` characters. None when every
    line passes or the file cannot be read as UTF-8 text."""
    import json

    row = 0
    try:
        with open(path, encoding="utf-8", newline="") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                row += 1
                text = line.rstrip("\r\n")
                problem, column = None, None
                try:
                    value = json.loads(text, strict=False, parse_int=_json_int)
                except json.JSONDecodeError as exc:
                    problem, column = exc.msg, exc.colno
                except OverflowError as exc:
                    problem = str(exc)
                else:
                    if not isinstance(value, dict):
                        problem = f"{_JSON_KINDS.get(type(value), 'a value')}, not an object of columns"
                if problem is not None:
                    return number, row, column, problem, text[:shown] + ("..." if len(text) > shown else "")
    except (OSError, UnicodeDecodeError):
        return None
    return None
