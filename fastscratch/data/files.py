"""Reading and writing datasets of the schema (``.csv``, ``.xlsx``, ``.parquet``), with every
bad value located by file, row and column. Files are read by ``fastscratch.data.reader``; the
formats and the missing-document policy are ``fastscratch.data.schema``'s."""


from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fastscratch.atomic import atomic_file
from fastscratch.data.reader import read_frame
from fastscratch.data.schema import TRAINING_SHEET, format_of, is_missing, row_error, text_problem
from fastscratch.errors import DatasetError, ParameterError
from fastscratch.extras import require_extra


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
        No such file, unknown extension, unreadable file, missing sheet, missing column (the
        message lists the columns present), a label other than 0/1, or a missing (an empty
        cell: see ``fastscratch.data.schema``), empty or non-string text. Messages name the
        file, the 1-based data row (header not counted; in a spreadsheet, sheet row = data
        row + 1) and the column. No row is ever dropped.
    MissingExtraError
        openpyxl or pyarrow is needed and not installed (an ``ImportError``).
    """
    path = Path(path)
    frame = read_frame(path, text_column=text_column, sheet=sheet)
    return validate_frame(frame, text_column=text_column, label_column=label_column,
                          path=path, spreadsheet=format_of(path) == "xlsx")


def read_texts_labels(
    path: str | os.PathLike,
    **options: Any,
) -> tuple[list[str], np.ndarray]:
    """Read a dataset (see :func:`read_dataset` for ``options``) as model inputs.

    Returns ``(texts, labels)``: a list of ``n`` non-empty ``str`` and an ``int64``
    ``int64[n]`` holding 0/1.
    """
    text_column = options.get("text_column", "Masked_Text")
    label_column = options.get("label_column", "Binary_Label")
    if label_column is None:
        raise ParameterError("read_texts_labels needs a label column; use read_dataset for unlabelled files")
    frame = read_dataset(path, **options)
    return frame[text_column].tolist(), frame[label_column].to_numpy(dtype=np.int64)


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
        raise row_error(where, path, bad.tolist(), column,
                         f"label must be 0 or 1, got {shown}", spreadsheet)
    if values.dtype.kind in "biuf":
        return values.astype(np.int64)
    return np.array([int(float(v)) for v in values], dtype=np.int64)


def _is_binary(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() in ("0", "1", "0.0", "1.0")
    if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating)):
        return value in (0, 1)
    return False


def check_texts(texts: pd.Series, where: str, column: str, path: Any, spreadsheet: bool) -> None:
    """Raise the located DatasetError for the first document that training cannot use:
    missing, not a string, empty or only whitespace (the others are counted)."""
    bad: list[int] = []
    first_problem = ""
    for i, text in enumerate(texts.tolist()):
        if isinstance(text, str) and text.strip():
            continue
        if not bad:
            if isinstance(text, str):
                first_problem = "text is empty" if not text else "text is only whitespace"
            else:
                first_problem = text_problem(text)
        bad.append(i)
    if bad:
        raise row_error(where, path, bad, column, first_problem, spreadsheet)


def write_dataset(frame: pd.DataFrame, path: str | os.PathLike, *,
                  sheet: str = TRAINING_SHEET) -> Path:
    """Write ``frame`` to ``.csv``, ``.xlsx`` (sheet ``sheet``) or ``.parquet``, atomically
    (:func:`fastscratch.atomic.atomic_file`): the file appears complete or not at all. No
    index column is written. Returns the path.
    """
    path = Path(path)
    kind = format_of(path)
    if kind == "xlsx":
        require_extra("openpyxl", "Writing .xlsx files")
    if kind == "parquet":
        require_extra("pyarrow", "Writing .parquet files")

    def write(tmp: str) -> None:
        if kind == "csv":
            frame.to_csv(tmp, index=False, encoding="utf-8")
        elif kind == "xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name=sheet, index=False)
        else:
            frame.to_parquet(tmp, engine="pyarrow", index=False)

    return atomic_file(path, write)
