"""Reading and writing datasets of the schema (``.csv``, ``.xlsx``, ``.parquet``), with every
bad value located by file, row and column."""


from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fastscratch.data.schema import TRAINING_SHEET, format_of, require_extra
from fastscratch.errors import DatasetError


def read_dataset(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = None,
    text_column: str = "Masked_Text",
    label_column: str | None = "Binary_Label",
) -> pd.DataFrame:
    """Read and validate a dataset file of the original's schema.

    Parameters
    ----------
    path:
        ``.xlsx`` (also ``.xlsm``), ``.csv`` (UTF-8) or ``.parquet`` (also ``.pq``).
    sheet:
        Worksheet name or 0-based index, for Excel files only; None reads the first
        sheet. The original's training sheet is ``"Training_Set"`` (``TRAINING_SHEET``).
    text_column, label_column:
        Names of the document and label columns. ``label_column=None`` reads files
        without labels (raw rows to mask: ``text_column="Text"``; texts to score).

    Returns
    -------
    pandas.DataFrame
        All columns of the file, rows in file order, a fresh ``RangeIndex``; the text
        column holds non-empty ``str`` values and the label column (if any) ``int64`` 0/1.

    Raises
    ------
    DatasetError
        Unknown extension, unreadable file, missing sheet, missing column (the message
        lists the columns present), a label other than 0/1, or an empty, missing or
        non-string text. Messages name the file, the 1-based data row (header not
        counted; in a spreadsheet, sheet row = data row + 1) and the column. No row is
        ever dropped.
    ImportError
        openpyxl or pyarrow is needed and not installed.
    """
    path = Path(path)
    kind = format_of(path)
    if sheet is not None and kind != "xlsx":
        raise DatasetError(f"{path}: a sheet ({sheet!r}) applies to Excel files only", path=path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file", path=path)
    if kind == "csv":
        frame = _read_csv(path, text_column)
    elif kind == "xlsx":
        frame = _read_xlsx(path, sheet)
    else:
        frame = _read_parquet(path)
    return validate_frame(frame, text_column=text_column, label_column=label_column,
                          path=path, spreadsheet=kind == "xlsx")


def read_texts_labels(
    path: str | os.PathLike,
    **options: Any,
) -> tuple[list[str], np.ndarray]:
    """Read a dataset (see :func:`read_dataset` for ``options``) as model inputs.

    Returns ``(texts, labels)``: a list of ``n`` non-empty ``str`` and an ``int64``
    array of shape ``(n,)`` holding 0/1.
    """
    text_column = options.get("text_column", "Masked_Text")
    label_column = options.get("label_column", "Binary_Label")
    if label_column is None:
        raise ValueError("read_texts_labels needs a label column; use read_dataset for unlabelled files")
    frame = read_dataset(path, **options)
    return frame[text_column].tolist(), frame[label_column].to_numpy(dtype=np.int64)


def _read_csv(path: Path, text_column: str) -> pd.DataFrame:
    try:
        # Only empty fields are missing: a document reading "NA" or "null" stays text.
        # Blank lines are kept as rows so that they are reported, not dropped.
        return pd.read_csv(path, dtype={text_column: str}, keep_default_na=False,
                           na_values=[""], skip_blank_lines=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text ({exc})", path=path) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        raise DatasetError(f"{path}: cannot read as CSV: {exc}", path=path) from exc


def _read_xlsx(path: Path, sheet: str | int | None) -> pd.DataFrame:
    require_extra("openpyxl", "Reading .xlsx files")
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = book.sheet_names
            if isinstance(sheet, str) and sheet not in names:
                raise DatasetError(
                    f"{path}: no sheet named {sheet!r}; sheets present: {', '.join(map(repr, names))}",
                    path=path)
            if isinstance(sheet, int) and not 0 <= sheet < len(names):
                raise DatasetError(
                    f"{path}: no sheet number {sheet} (0-based); the file has {len(names)}", path=path)
            return pd.read_excel(book, sheet_name=0 if sheet is None else sheet)
    except DatasetError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many unrelated types
        raise DatasetError(f"{path}: cannot read as an Excel workbook: {exc}", path=path) from exc


def _read_parquet(path: Path) -> pd.DataFrame:
    require_extra("pyarrow", "Reading .parquet files")
    try:
        return pd.read_parquet(path, engine="pyarrow")
    except Exception as exc:  # pyarrow.ArrowException and OSError
        raise DatasetError(f"{path}: cannot read as Parquet: {exc}", path=path) from exc


def validate_frame(
    frame: pd.DataFrame,
    *,
    text_column: str = "Masked_Text",
    label_column: str | None = "Binary_Label",
    path: str | os.PathLike | None = None,
    spreadsheet: bool = False,
) -> pd.DataFrame:
    """Check a frame as :func:`read_dataset` does; return a copy with int64 labels.

    ``path`` is only used in messages (``<frame>`` when None); ``spreadsheet`` adds
    the sheet row (data row + 1) to them.
    """
    where = str(path) if path is not None else "<frame>"
    missing = [c for c in (text_column, label_column) if c is not None and c not in frame.columns]
    if missing:
        present = ", ".join(repr(str(c)) for c in frame.columns) or "(none)"
        raise DatasetError(
            f"{where}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}; columns present: {present}",
            path=path, column=missing[0])
    frame = frame.reset_index(drop=True)
    labels = None
    if label_column is not None:
        labels = _checked_labels(frame[label_column], where, label_column, path, spreadsheet)
    check_texts(frame[text_column], where, text_column, path, spreadsheet)
    frame = frame.copy()
    if labels is not None:
        frame[label_column] = labels
    return frame


def _row_error(where: str, path: Any, rows: Sequence[int], column: str, problem: str,
               spreadsheet: bool) -> DatasetError:
    row = rows[0] + 1
    at = f"data row {row}" + (f" (sheet row {row + 1})" if spreadsheet else "")
    more = f" ({len(rows) - 1} more row{'s' if len(rows) > 2 else ''} with problems in this column)" \
        if len(rows) > 1 else ""
    return DatasetError(f"{where}: {at}, column {column!r}: {problem}{more}",
                        path=path, row=row, column=column)


def _checked_labels(labels: pd.Series, where: str, column: str, path: Any,
                    spreadsheet: bool) -> np.ndarray:
    values = labels.to_numpy()
    if values.dtype.kind in "biuf":
        bad = np.flatnonzero(~np.isin(values, (0, 1)))  # NaN is not in (0, 1)
    else:
        bad = np.flatnonzero([not _is_binary(v) for v in values])
    if bad.size:
        value = values[bad[0]]
        value = value.item() if isinstance(value, np.generic) else value
        shown = "nothing (empty cell)" if is_missing(value) else f"{value!r}"
        raise _row_error(where, path, bad.tolist(), column,
                         f"label must be 0 or 1, got {shown}", spreadsheet)
    if values.dtype.kind in "biuf":
        return values.astype(np.int64)
    return np.array([int(float(v)) for v in values], dtype=np.int64)


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _is_binary(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() in ("0", "1", "0.0", "1.0")
    if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating)):
        return value in (0, 1)
    return False


def check_texts(texts: pd.Series, where: str, column: str, path: Any, spreadsheet: bool) -> None:
    bad: list[int] = []
    first_problem = ""
    for i, text in enumerate(texts.tolist()):
        if isinstance(text, str) and text.strip():
            continue
        if not bad:
            if isinstance(text, str):
                first_problem = "text is empty" if not text else "text is only whitespace"
            elif is_missing(text):
                first_problem = "text is missing (empty cell)"
            else:
                text = text.item() if isinstance(text, np.generic) else text
                first_problem = f"text must be a string, got {type(text).__name__} {text!r}"
        bad.append(i)
    if bad:
        raise _row_error(where, path, bad, column, first_problem, spreadsheet)



def write_dataset(frame: pd.DataFrame, path: str | os.PathLike, *,
                  sheet: str = TRAINING_SHEET) -> Path:
    """Write ``frame`` to ``.csv``, ``.xlsx`` (sheet ``sheet``) or ``.parquet``, atomically.

    The file appears complete or not at all (written to a temporary file in the
    same folder, then renamed). No index column is written. Returns the path.
    """
    path = Path(path)
    kind = format_of(path)
    if kind == "xlsx":
        require_extra("openpyxl", "Writing .xlsx files")
    if kind == "parquet":
        require_extra("pyarrow", "Writing .parquet files")
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name the writer creates itself, so the file gets the usual permissions.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        if kind == "csv":
            frame.to_csv(tmp, index=False, encoding="utf-8")
        elif kind == "xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name=sheet, index=False)
        else:
            frame.to_parquet(tmp, engine="pyarrow", index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
