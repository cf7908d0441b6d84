"""The dataset schema: the original's columns, the file formats fastscratch reads and writes,
and the one missing-document policy, applied by the one reader of document files
(``data.reader``) for training, scoring and the cluster.

File formats
------------
``FORMATS`` maps a file suffix to a format; ``DATASET_FORMATS`` are read and written as
datasets (``train``, ``evaluate``, ``data``), ``INPUT_FORMATS`` are read by ``score`` and
``OUTPUT_FORMATS`` written by it. :func:`format_of` tells a path's format for one of those
roles. Excel needs openpyxl and Parquet pyarrow (``pip install 'fastscratch[data]'``).

Missing documents
-----------------
A document is *missing* when its cell holds nothing (:func:`is_missing`): a null in Parquet or
JSON lines, NaN or pandas' NA, an empty Excel cell, and an empty CSV field. CSV cannot tell an
empty string (``""``) from an empty field, so both are missing; text reading ``NA``, ``null``
or ``None`` is text (``CSV_OPTIONS``). A blank line in a CSV file is a row of missing cells,
reported like any other, never dropped.

* Training and evaluating (``read_dataset``, ``read_texts_labels``): a missing document is a
  :class:`~fastscratch.errors.DatasetError` that names the file, the data row (1-based, the
  header not counted) and the column. So are a document that is empty or only whitespace (a
  row with no words teaches nothing) and a value that is not a string.
* Scoring (``score_file``, ``fastscratch score``, on a cluster too): a missing document is the same located
  ``DatasetError``, unless ``nulls="zero"`` (``--nulls zero``) scores it as a zero vector. A
  value that is not a string is an error; an empty string is a document without words (a zero
  vector); every line of a plain-text input is a document.

Kept free of pandas: scoring Parquet never loads it.
"""


from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fastscratch.errors import DatasetError, ParameterError

PII_COLUMNS: tuple[str, ...] = (
    "Name", "Credit Card", "Email", "URL", "Phone", "Address", "Company", "SSN",
)
#: Column -> replacement token, for the PII that masking removes (in column order).
MASK_TOKENS: dict[str, str] = {
    "Email": "[EMAIL]",
    "Phone": "[PHONE]",
    "SSN": "[SSN]",
    "URL": "[URL]",
    "Credit Card": "[CREDIT_CARD]",
}
SCHEMA: tuple[str, ...] = PII_COLUMNS + (
    "Text", "True Predictions", "Rand", "Rand_Print", "Masked_Text", "Binary_Label",
)
TRAINING_SHEET = "Training_Set"

SPAN_TYPES: dict[str, str] = {  # template placeholder -> PII column
    "name": "Name", "card": "Credit Card", "email": "Email", "url": "URL",
    "phone": "Phone", "address": "Address", "company": "Company", "ssn": "SSN",
}
SPAN_TYPE_NAMES: dict[str, str] = {"card": "credit_card"}  # placeholder -> span type, if not equal
KIND_OF_TYPE: dict[str, str] = {SPAN_TYPE_NAMES.get(kind, kind): kind for kind in SPAN_TYPES}

FORMATS: dict[str, str] = {
    ".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "text", ".text": "text",
}
"""File suffix (lower case) -> format."""

DATASET_FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")
"""Formats read and written as datasets of the schema."""
INPUT_FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl", "xlsx", "text")
"""Formats of the documents ``score`` reads (``text``: one document per line; ``-`` is stdin)."""
OUTPUT_FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl")
"""Formats ``score`` writes (``-`` is CSV on stdout)."""
_ROLES = {"dataset": DATASET_FORMATS, "input": INPUT_FORMATS, "output": OUTPUT_FORMATS}

FORMAT_NAMES: dict[str, str] = {
    "csv": "CSV", "xlsx": "an Excel workbook", "parquet": "Parquet", "jsonl": "JSON lines", "text": "UTF-8 text",
}
"""How messages name each format: ``cannot read as {name}``."""

CSV_OPTIONS: dict[str, Any] = {"keep_default_na": False, "na_values": [""], "skip_blank_lines": False,
                               "encoding": "utf-8"}
"""``pandas.read_csv`` options of the missing-document policy: only an empty field is missing
("NA" and "null" stay text), and blank lines stay rows so that they are reported."""

NULLS: tuple[str, ...] = ("error", "zero")
"""What scoring does with a missing document: fail with a located error, or score a zero vector."""


def format_of(path: str | os.PathLike, role: str = "dataset", given: str | None = None) -> str:
    """The format of ``path`` for a role: ``'dataset'``, ``'input'`` (scored) or ``'output'`` (scores).

    Parameters
    ----------
    path : str or PathLike
        The file; ``-`` is standard input (text) or output (CSV).
    role : {'dataset', 'input', 'output'}
    given : str, optional
        A format named by the caller (``--input-format``), which wins over the suffix.

    Raises
    ------
    ParameterError
        ``given`` is not a format of the role.
    DatasetError
        The suffix is not one of the role's.
    """
    allowed = _ROLES[role]
    if given:
        if given not in allowed:
            raise ParameterError(f"{role} format {given!r} is not one of {', '.join(allowed)}")
        return given
    if os.fspath(path) == "-" and role != "dataset":
        return "text" if role == "input" else "csv"
    suffix = Path(path).suffix
    kind = FORMATS.get(suffix.lower())
    if kind not in allowed:
        known = ", ".join(sorted(s for s, f in FORMATS.items() if f in allowed))
        hint = "" if role == "dataset" else f" (or name it: --{role}-format)"
        raise DatasetError(f"{path}: unknown {role} extension {suffix or '(none)'!r}: cannot tell the {role} "
                           f"format; expected one of {known}{hint}", path=path)
    return kind


def is_missing(value: Any) -> bool:
    """True for a cell that holds no document: None, NaN, pandas' NA or NaT."""
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(value != value)
    pandas = sys.modules.get("pandas")  # a pandas value exists only once pandas is loaded
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def text_problem(value: Any) -> str | None:
    """What is wrong with a cell as a document, or None for a string: ``'text is missing (empty
    cell)'`` or ``'text must be a string, got int 12345'``. (An empty string is a string.)"""
    if isinstance(value, str):
        return None
    if is_missing(value):
        return "text is missing (empty cell)"
    value = value.item() if isinstance(value, np.generic) else value
    return f"text must be a string, got {type(value).__name__} {value!r}"


def row_error(where: str, path: Any, rows: Sequence[int], column: str, problem: str,
              spreadsheet: bool = False) -> DatasetError:
    """The located DatasetError for ``problem`` in ``column`` at the 0-based rows ``rows`` (the
    first is named, the others counted): ``'{where}: data row 3 (sheet row 4), column 'X': ...'``."""
    row = rows[0] + 1
    at = f"data row {row}" + (f" (sheet row {row + 1})" if spreadsheet else "")
    more = f" ({len(rows) - 1} more row{'s' if len(rows) > 2 else ''} with problems in this column)" \
        if len(rows) > 1 else ""
    return DatasetError(f"{where}: {at}, column {column!r}: {problem}{more}",
                        path=path, row=row, column=column)
