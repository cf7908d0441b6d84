"""Datasets of the original ScratchNet schema: reading, masking and synthesis.

The original project trains on the Mendeley "Synthetic PII document text data" set
(Excel workbooks, training sheet ``Training_Set``) after masking it with the rule in
:func:`mask`. Those files are not redistributable here, so :func:`synthesize`
generates documents of the same schema; :func:`read_dataset` reads either.

Columns of the full schema, in order (``SCHEMA``)::

    Name, Credit Card, Email, URL, Phone, Address, Company, SSN   PII values planted in Text
    Text                 the document
    True Predictions     Python-literal list of (start, end, type) spans of the PII in Text
    Rand, Rand_Print     integers 1..4 drawn per row
    Masked_Text          the model's input
    Binary_Label         1 = still contains PII, 0 = masked

pandas is the only hard dependency here; openpyxl (``.xlsx``), pyarrow (``.parquet``)
and Faker (:func:`synthesize`) come with ``pip install 'fastscratch[data]'`` and are
imported only when needed.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import os
import random
import re
import string
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DatasetError  # noqa: F401  (part of this module's API)

__all__ = [
    "DatasetError",
    "DatasetProfile",
    "PII_COLUMNS",
    "MASK_TOKENS",
    "SCHEMA",
    "TRAINING_SHEET",
    "TEMPLATE_KINDS",
    "read_dataset",
    "read_texts_labels",
    "write_dataset",
    "mask",
    "mask_text",
    "profile",
    "synthesize",
    "template_names",
    "validate_frame",
]

# ============================================================================ schema

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

_SPAN_TYPES: dict[str, str] = {  # template placeholder -> PII column
    "name": "Name", "card": "Credit Card", "email": "Email", "url": "URL",
    "phone": "Phone", "address": "Address", "company": "Company", "ssn": "SSN",
}
_SPAN_TYPE_NAMES: dict[str, str] = {"card": "credit_card"}  # placeholder -> span type, if not equal
_KIND_OF_TYPE: dict[str, str] = {_SPAN_TYPE_NAMES.get(kind, kind): kind for kind in _SPAN_TYPES}

_DATA_EXTRA = "pip install 'fastscratch[data]'"
_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}


def _require(module: str, purpose: str) -> Any:
    """Import an optional dependency, or explain which extra provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{purpose} needs the '{module}' package: {_DATA_EXTRA}") from exc


def _format_of(path: Path) -> str:
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(_FORMATS))
        raise DatasetError(
            f"{path}: unknown dataset extension {path.suffix or '(none)'!r}; expected one of {known}",
            path=path)
    return kind


# ============================================================================ reading

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
    kind = _format_of(path)
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
    _require("openpyxl", "Reading .xlsx files")
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
    _require("pyarrow", "Reading .parquet files")
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
    _check_texts(frame[text_column], where, text_column, path, spreadsheet)
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
        shown = "nothing (empty cell)" if _is_missing(value) else f"{value!r}"
        raise _row_error(where, path, bad.tolist(), column,
                         f"label must be 0 or 1, got {shown}", spreadsheet)
    if values.dtype.kind in "biuf":
        return values.astype(np.int64)
    return np.array([int(float(v)) for v in values], dtype=np.int64)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _is_binary(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() in ("0", "1", "0.0", "1.0")
    if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating)):
        return value in (0, 1)
    return False


def _check_texts(texts: pd.Series, where: str, column: str, path: Any, spreadsheet: bool) -> None:
    bad: list[int] = []
    first_problem = ""
    for i, text in enumerate(texts.tolist()):
        if isinstance(text, str) and text.strip():
            continue
        if not bad:
            if isinstance(text, str):
                first_problem = "text is empty" if not text else "text is only whitespace"
            elif _is_missing(text):
                first_problem = "text is missing (empty cell)"
            else:
                text = text.item() if isinstance(text, np.generic) else text
                first_problem = f"text must be a string, got {type(text).__name__} {text!r}"
        bad.append(i)
    if bad:
        raise _row_error(where, path, bad, column, first_problem, spreadsheet)


# ============================================================================ writing

def write_dataset(frame: pd.DataFrame, path: str | os.PathLike, *,
                  sheet: str = TRAINING_SHEET) -> Path:
    """Write ``frame`` to ``.csv``, ``.xlsx`` (sheet ``sheet``) or ``.parquet``, atomically.

    The file appears complete or not at all (written to a temporary file in the
    same folder, then renamed). No index column is written. Returns the path.
    """
    path = Path(path)
    kind = _format_of(path)
    if kind == "xlsx":
        _require("openpyxl", "Writing .xlsx files")
    if kind == "parquet":
        _require("pyarrow", "Writing .parquet files")
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


# ============================================================================ masking

def mask_text(text: str, values: Mapping[str, Any]) -> str:
    """Replace every occurrence of each value in ``text`` by its token.

    ``values`` maps a column of ``MASK_TOKENS`` (e.g. ``"Email"``) to that row's value;
    missing values (None, NaN, empty) are skipped.

    Replacement order: longest value first. When one value contains another (a URL
    inside an e-mail domain, a phone number inside a card block), the containing
    value is replaced whole, and the shorter value is then replaced only in the text
    that remains; tokens already inserted are never searched again. Values of equal
    length go in ``MASK_TOKENS`` column order. Matching is exact and case-sensitive,
    like the spreadsheet ``SUBSTITUTE`` the original used.
    """
    pairs: list[tuple[str, str]] = []
    for column, token in MASK_TOKENS.items():
        value = _as_text(values.get(column))
        if value:
            pairs.append((value, token))
    pairs.sort(key=lambda pair: -len(pair[0]))  # stable: ties keep column order
    return _replace_all(text, pairs)


def _replace_all(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    if not pairs:
        return text
    (value, token), rest = pairs[0], pairs[1:]
    pieces = text.split(value)
    if len(pieces) == 1:
        return _replace_all(text, rest)
    return token.join(_replace_all(piece, rest) for piece in pieces)


def _as_text(value: Any) -> str:
    """A PII cell as text: '' for missing; whole floats (Excel numbers) without '.0'."""
    if value is None or _is_missing(value):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def mask(
    frame: pd.DataFrame,
    seed: int | np.random.Generator | None,
    *,
    text_column: str = "Text",
) -> pd.DataFrame:
    """Apply the original's masking to raw rows; return a new frame.

    Parameters
    ----------
    frame:
        Raw rows: ``text_column`` plus the ``MASK_TOKENS`` columns (Email, Phone, SSN,
        URL, Credit Card); missing values in those columns mean "nothing to mask".
        Not modified.
    seed:
        Seed or ``numpy.random.Generator``. Draws ``Rand`` then ``Rand_Print``, each
        an array of ``len(frame)`` integers in 1..4 (int64).

    Returns
    -------
    pandas.DataFrame
        A copy with ``Rand``, ``Rand_Print``, ``Masked_Text`` and ``Binary_Label``
        (int64) set (replaced if present, else appended in that order). Rows with
        ``Rand_Print == 1`` keep their text and get label 1; the others get
        :func:`mask_text` applied and label 0, whatever they contained. ``Rand`` does
        not influence anything (in the original it is the sheet's live random column).
        Name, Address and Company are never masked.
    """
    needed = [text_column, *MASK_TOKENS]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        present = ", ".join(repr(str(c)) for c in frame.columns) or "(none)"
        raise DatasetError(f"<frame>: missing column(s) {', '.join(map(repr, missing))} for "
                           f"masking; columns present: {present}", column=missing[0])
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n = len(frame)
    rand = rng.integers(1, 5, size=n, dtype=np.int64)
    rand_print = rng.integers(1, 5, size=n, dtype=np.int64)

    texts = frame[text_column].tolist()
    _check_texts(pd.Series(texts, dtype=object), "<frame>", text_column, None, False)
    columns = {c: frame[c].tolist() for c in MASK_TOKENS}
    masked = [
        text if keep == 1 else mask_text(text, {c: columns[c][i] for c in MASK_TOKENS})
        for i, (text, keep) in enumerate(zip(texts, rand_print.tolist()))
    ]
    out = frame.copy()
    out["Rand"] = rand
    out["Rand_Print"] = rand_print
    out["Masked_Text"] = masked
    out["Binary_Label"] = (rand_print == 1).astype(np.int64)
    return out


# ============================================================================ profile

#: Text-length statistics of :class:`DatasetProfile`, in order: name -> quantile (None: the mean).
_LENGTH_STATISTICS: tuple[tuple[str, float | None], ...] = (
    ("min", 0.0), ("p5", 0.05), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p95", 0.95),
    ("max", 1.0), ("mean", None),
)
_MOJIBAKE_MARK = "â€"


@dataclass(frozen=True)
class DatasetProfile:
    """What a dataset of the original's schema looks like (see :func:`profile`).

    Shares are fractions of the rows (0 to 1); every statistic is None when the frame
    has no rows (and ``label_rate`` when it has no ``Binary_Label`` value).

    Attributes
    ----------
    rows:
        Number of rows.
    text_column:
        The column measured: ``Text``, or ``Masked_Text`` when the frame has no ``Text``.
    length:
        Characters per text: ``min``, ``p5``, ``p25``, ``median``, ``p75``, ``p95``,
        ``max`` and ``mean``.
    types_per_document:
        Share of rows with ``k`` non-empty PII columns, for ``k`` = 0 to 8.
    types_mean, six_or_more:
        Mean number of non-empty PII columns per row; share of rows with six or more.
    present, in_text:
        Per PII column: share of rows whose value is non-empty, and share whose value
        occurs in the text (for ``Credit Card``: the card-block rate).
    repeated:
        Share of rows where some PII value occurs twice or more in the text.
    label_rate:
        Mean of ``Binary_Label`` (None without that column).
    mojibake:
        Share of texts containing ``â€`` (UTF-8 read as cp1252).
    """

    rows: int
    text_column: str
    length: dict[str, float | None]
    types_per_document: dict[int, float | None]
    types_mean: float | None
    six_or_more: float | None
    present: dict[str, float | None]
    in_text: dict[str, float | None]
    repeated: float | None
    label_rate: float | None
    mojibake: float | None

    @property
    def card_block_rate(self) -> float | None:
        """Share of rows whose credit-card block occurs in the text."""
        return self.in_text["Credit Card"]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy (count keys as strings, plus ``card_block_rate``)."""
        return {
            "rows": self.rows,
            "text_column": self.text_column,
            "length": dict(self.length),
            "types_per_document": {str(k): v for k, v in self.types_per_document.items()},
            "types_mean": self.types_mean,
            "six_or_more": self.six_or_more,
            "present": dict(self.present),
            "in_text": dict(self.in_text),
            "card_block_rate": self.card_block_rate,
            "repeated": self.repeated,
            "label_rate": self.label_rate,
            "mojibake": self.mojibake,
        }

    def __str__(self) -> str:
        width = max(len(c) for c in PII_COLUMNS) + 2
        lines = [
            f"{self.rows:,} rows, text column {self.text_column!r}",
            "",
            "text length (characters)",
            "  " + "".join(f"{name:>8}" for name in self.length),
            "  " + "".join(f"{_number(v):>8}" for v in self.length.values()),
            "",
            "PII types per document (share of rows)",
            "  " + "".join(f"{k:>7}" for k in self.types_per_document),
            "  " + "".join(f"{_share(v):>7}" for v in self.types_per_document.values()),
            f"  mean {_number(self.types_mean, 2)}, six or more {_share(self.six_or_more)}",
            "",
            f"  {'PII column':<{width}}{'present':>9}{'in text':>9}",
        ]
        lines += [f"  {c:<{width}}{_share(self.present[c]):>9}{_share(self.in_text[c]):>9}"
                  for c in PII_COLUMNS]
        lines += [
            "",
            f"card block in the text      {_share(self.card_block_rate)}",
            f"a value twice or more       {_share(self.repeated)}",
            f"label rate (Binary_Label)   {_share(self.label_rate)}",
            f"mojibake ({_MOJIBAKE_MARK} in the text)    {_share(self.mojibake)}",
        ]
        return "\n".join(lines)


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _number(value: float | None, decimals: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{decimals}f}"


def profile(frame: pd.DataFrame) -> DatasetProfile:
    """Measure a frame of the original's schema: lengths, PII density, labels, mojibake.

    Works on any such frame, generated or real: PII columns may be missing, NaN or
    empty (all count as "no value"); ``True Predictions`` is not used; the text is
    ``Text``, or ``Masked_Text`` when there is no ``Text`` column (a missing text
    counts as an empty one). Values are compared with the text as the masking rule
    does: exactly, whole Excel numbers without ``.0``.

    Raises
    ------
    DatasetError
        The frame has neither a ``Text`` nor a ``Masked_Text`` column.
    """
    text_column = "Text" if "Text" in frame.columns else "Masked_Text"
    if text_column not in frame.columns:
        present = ", ".join(repr(str(c)) for c in frame.columns) or "(none)"
        raise DatasetError(f"<frame>: a profile needs a 'Text' or 'Masked_Text' column; "
                           f"columns present: {present}", column="Text")
    texts = [text if isinstance(text, str) else "" for text in frame[text_column].tolist()]
    rows = len(texts)
    values = {c: [_as_text(v) for v in frame[c].tolist()] if c in frame.columns else [""] * rows
              for c in PII_COLUMNS}
    filled = {c: [bool(v.strip()) for v in column] for c, column in values.items()}
    found = {c: [f and v in t for f, v, t in zip(filled[c], values[c], texts)] for c in PII_COLUMNS}
    counts = np.sum([filled[c] for c in PII_COLUMNS], axis=0, dtype=np.int64) if rows else np.zeros(0)
    repeated = [any(f and text.count(v) >= 2 for f, v in zip(row_filled, row_values))
                for text, row_filled, row_values in zip(
                    texts, zip(*filled.values()), zip(*values.values()))]
    return DatasetProfile(
        rows=rows,
        text_column=text_column,
        length=_length_statistics(np.array([len(t) for t in texts], dtype=np.int64)),
        types_per_document={k: _mean(counts == k) for k in range(len(PII_COLUMNS) + 1)},
        types_mean=_mean(counts),
        six_or_more=_mean(counts >= 6),
        present={c: _mean(filled[c]) for c in PII_COLUMNS},
        in_text={c: _mean(found[c]) for c in PII_COLUMNS},
        repeated=_mean(repeated),
        label_rate=_label_rate(frame),
        mojibake=_mean([_MOJIBAKE_MARK in t for t in texts]),
    )


def _mean(flags: Sequence[bool] | np.ndarray) -> float | None:
    return float(np.mean(flags)) if len(flags) else None


def _length_statistics(lengths: np.ndarray) -> dict[str, float | None]:
    if not lengths.size:
        return {name: None for name, _ in _LENGTH_STATISTICS}
    return {name: float(np.mean(lengths) if q is None else np.quantile(lengths, q))
            for name, q in _LENGTH_STATISTICS}


def _label_rate(frame: pd.DataFrame) -> float | None:
    if "Binary_Label" not in frame.columns:
        return None
    labels = pd.to_numeric(frame["Binary_Label"], errors="coerce").dropna()
    return float(labels.mean()) if len(labels) else None


# ============================================================================ synthesis

_MOJIBAKE = {"’": "â€™", "‘": "â€˜", "“": "â€œ", "”": "â€\x9d", "–": "â€“", "—": "â€”"}
_MOJIBAKE_RATE = 0.12
_PLACEHOLDER = re.compile(r"\{(@(\+?)(\w+) (\d+)-(\d+)|\w+)\}")

_DEPARTMENTS = ("Finance", "Treasury", "Accounts Payable", "Accounts Receivable", "Payroll",
                "Tax", "Internal Audit", "Compliance", "Risk", "Procurement", "Operations",
                "Financial Reporting", "Credit", "Client Services")
_ROLES = ("Chief Financial Officer", "Controller", "Head of Compliance", "Audit Committee Chair",
          "Treasurer", "Finance Director", "Chief Risk Officer", "Tax Manager",
          "Internal Audit Director", "Chief Executive Officer")
_RISKS = ("low", "medium", "high", "moderate", "elevated", "low to medium")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_REF_PREFIXES = ("INV", "REF", "AC", "CASE", "TXN", "ENG", "PO", "CLM")
_PLANS = ("Premium", "Business", "Family", "Annual", "Standard", "Professional", "Basic")
_SERVICES = ("bookkeeping", "payroll processing", "IT support", "tax preparation",
             "cloud hosting", "facilities maintenance", "wealth management", "fraud monitoring")
_COMPANY_SUFFIXES = ("Inc", "Ltd", "PLC", "LLC")
_PHONE_COUNTRY_CODES = ("1",) * 4 + ("91",) * 3 + (
    "44", "61", "49", "33", "81", "86", "55", "27", "353", "64", "971", "65", "234", "52")
_TLDS = ("com",) * 6 + ("biz", "info", "net", "org")  # Faker's default, weights included
_EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
_NAME_SUFFIXES = ("MD", "DDS", "PhD", "DVM")  # Faker's, less the ones that imply a gender


#: Template kinds, shortest first: notices, letters and e-mails, forms, multi-paragraph reports.
TEMPLATE_KINDS: tuple[str, ...] = ("notice", "letter", "form", "report")


def template_names(kinds: Sequence[str] | None = None) -> list[str]:
    """Keys of the document templates :func:`synthesize` draws from (at least 35 in all,
    several per kind), optionally only those of the given ``TEMPLATE_KINDS``."""
    return [key for key, kind, _, _ in _parsed_templates()[0] if kinds is None or kind in kinds]


def synthesize(
    n: int,
    seed: int,
    *,
    kinds: Sequence[str] | None = None,
    templates: Iterable[str] | None = None,
    include_template: bool = False,
) -> pd.DataFrame:
    """Generate ``n`` documents in the original's schema, masked by :func:`mask`.

    Parameters
    ----------
    n:
        Number of rows (>= 0).
    seed:
        Same seed, same frame (byte for byte, on any machine with the same Faker
        data); a different seed gives a different frame.
    kinds:
        Draw only templates of these ``TEMPLATE_KINDS`` (default: all: about three in
        four documents are notices, letters and forms of a few hundred characters, the
        rest multi-paragraph reports of up to ~5,600). ``("notice",)`` gives short
        documents (under ~700 characters) where the PII is a larger share of the words:
        an easier set for quick tests.
    templates:
        Draw only these template keys (from :func:`template_names`), e.g. to test on
        templates held out of training. Combined with ``kinds``, only the keys of
        those kinds are drawn.
    include_template:
        Add a ``Template`` column naming each row's document template (not part of
        the original schema).

    Returns
    -------
    pandas.DataFrame
        Columns ``SCHEMA`` (``Template`` appended on request). PII columns hold the
        value planted in the text, missing (NaN) when the document has no such value;
        ``True Predictions`` is a Python-literal list of ``(start, end, type)`` with
        ``Text[start:end] == value`` for every span; ``Rand``, ``Rand_Print`` and
        ``Binary_Label`` are int64, with ``Binary_Label`` 1 for about 25 % of rows.

    Raises
    ------
    ValueError
        ``n < 0``, an unknown kind or template key (named in the message), or a
        selection that leaves no template.

    Most documents plant six to eight of the eight PII types, often one value twice;
    the card block is in about half of them. Values come from Faker (en_US, seeded)
    name, street and city pools combined with seeded random digits, in Faker's
    default shapes: ``first last`` names, multi-line card blocks
    (``VISA 16 digit\\nJane Doe\\n4730099819249559 12/25\\nCVC: 351\\n``),
    ``@example.org|.com|.net`` e-mails, ``http(s)://(www.)last(-last).tld/`` URLs,
    ``+CC`` and ten-digit phones, two-line US addresses, ``Last-Last`` /
    ``Last, Last and Last`` / ``Last Inc`` companies and ``ddd-dd-dddd`` SSNs.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    chosen = _chosen_templates(kinds, templates)
    faker_seed, row_seed, mask_seed = np.random.SeedSequence(seed).generate_state(3)
    pools = _Pools.draw(int(faker_seed), pool_size=min(max(n, 200), 3000))
    rnd = random.Random(int(row_seed))
    paragraphs = _parsed_templates()[1]
    cumulative = list(itertools.accumulate(weight for _, _, weight, _ in chosen))
    total = cumulative[-1]

    records: list[dict[str, Any]] = []
    keys: list[str] = []
    for _ in range(n):
        key, _, _, tokens = chosen[bisect.bisect(cumulative, rnd.random() * total)]
        records.append(_render(tokens, paragraphs, pools, rnd))
        keys.append(key)
    raw = pd.DataFrame.from_records(records, columns=[*PII_COLUMNS, "Text", "True Predictions"])
    out = mask(raw, np.random.default_rng(int(mask_seed)))
    out = out[list(SCHEMA)]
    if include_template:
        out["Template"] = keys
    return out


def _chosen_templates(kinds: Sequence[str] | None,
                      templates: Iterable[str] | None) -> list[tuple[str, str, float, list[_Token]]]:
    """The parsed templates that ``kinds`` and ``templates`` select, in definition order."""
    all_templates = _parsed_templates()[0]
    for what, names in (("kinds", kinds), ("templates", templates)):
        if isinstance(names, str):
            raise ValueError(f"{what} takes a list of names, not the single string {names!r}")
    if kinds is not None and (unknown := sorted(set(kinds) - set(TEMPLATE_KINDS))):
        raise ValueError(f"unknown template kinds {unknown}; known: {list(TEMPLATE_KINDS)}")
    wanted = None if templates is None else set(templates)
    if wanted is not None and (unknown := sorted(wanted - {key for key, *_ in all_templates})):
        raise ValueError(f"unknown templates {unknown}; see data.template_names() for the keys")
    chosen = [t for t in all_templates
              if (kinds is None or t[1] in kinds) and (wanted is None or t[0] in wanted)]
    if not chosen:
        raise ValueError("kinds and templates together select no template")
    return chosen


# ---------------------------------------------------------------- template parsing

# ("s", clean, mojibake) | ("v", pii kind, span type) | ("f", filler, filler kind)
# | ("p", pool, lo, hi, lead)
_Token = tuple
_CACHE: dict[str, Any] = {}


def _parse(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > pos:
            tokens.append(_static(text[pos:match.start()]))
        name = match.group(1)
        if match.group(3):
            tokens.append(("p", match.group(3), int(match.group(4)), int(match.group(5)),
                           bool(match.group(2))))
        elif name in _SPAN_TYPES:
            tokens.append(("v", name, _SPAN_TYPE_NAMES.get(name, name)))
        else:
            tokens.append(("f", name, name.rstrip("0123456789")))
        pos = match.end()
    if pos < len(text):
        tokens.append(_static(text[pos:]))
    return tokens


def _static(text: str) -> _Token:
    garbled = text
    for good, bad in _MOJIBAKE.items():
        garbled = garbled.replace(good, bad)
    return ("s", text, garbled)


def _parsed_templates() -> tuple[list[tuple[str, str, float, list[_Token]]],
                                 dict[str, list[list[_Token]]]]:
    """(key, kind, weight, tokens) per document template, and the parsed paragraph pools."""
    if "templates" not in _CACHE:
        from . import _data_templates as source

        paragraphs = {pool: [_parse(p) for p in texts] for pool, texts in source.PARAGRAPHS.items()}
        templates = [(key, kind, weight, _parse(text)) for key, kind, weight, text in source.DOCUMENTS]
        _CACHE["templates"] = (templates, paragraphs)
    return _CACHE["templates"]


# ---------------------------------------------------------------- values

class _Pools:
    """Faker-drawn name, street and city pools; every other part is random digits."""

    def __init__(self, first: list[str], last: list[str], streets: list[str],
                 cities: list[str], states: list[str], cards: list[tuple[str, list[str], int, str, int]]):
        self.first, self.last, self.streets, self.cities = first, last, streets, cities
        self.states, self.cards = states, cards

    @classmethod
    def draw(cls, seed: int, pool_size: int) -> "_Pools":
        faker = _require("faker", "synthesize()")
        fake = faker.Faker("en_US")
        fake.seed_instance(seed)
        first = [fake.first_name() for _ in range(pool_size)]
        last = [fake.last_name() for _ in range(pool_size)]
        streets = [fake.street_name() for _ in range(pool_size // 2)]
        cities = [fake.city() for _ in range(pool_size // 2)]
        address = importlib.import_module("faker.providers.address.en_US").Provider
        states = [*address.states_abbr, *address.territories_abbr, *address.freely_associated_states_abbr]
        card_provider = importlib.import_module("faker.providers.credit_card").Provider
        cards = [(c.name, list(c.prefixes), c.length, c.security_code, c.security_code_length)
                 for key, c in card_provider.credit_card_types.items()
                 if key not in ("visa", "jcb")]  # aliases of visa16 and jcb16
        return cls(first, last, streets, cities, states, cards)


def _pick(rnd: random.Random, seq: Sequence[Any]) -> Any:
    """``rnd.choice(seq)``, faster (one float per draw)."""
    return seq[int(rnd.random() * len(seq))]


def _between(rnd: random.Random, low: int, high: int) -> int:
    """``rnd.randrange(low, high)``, faster; fine for ranges far below 2**53."""
    return low + int(rnd.random() * (high - low))


def _digits(rnd: random.Random, count: int) -> str:
    if count > 9:
        return _digits(rnd, 9) + _digits(rnd, count - 9)
    return f"{int(rnd.random() * 10 ** count):0{count}d}"


def _person(pools: _Pools, rnd: random.Random) -> tuple[str, str]:
    return _pick(rnd, pools.first), _pick(rnd, pools.last)


def _name(first: str, last: str, rnd: random.Random) -> str:
    """``first last``, with a title or a suffix now and then, as Faker's ``name()``.

    The pools mix genders, so only the titles and suffixes that imply none are used.
    """
    roll = rnd.random()
    if roll < 0.015:
        return f"Dr. {first} {last}"
    if roll < 0.035:
        return f"{first} {last} {_pick(rnd, _NAME_SUFFIXES)}"
    return f"{first} {last}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _email(first: str, last: str, rnd: random.Random) -> str:
    """Faker's ``safe_email()``: lastfirst, firstlast, first##, or a letter and last."""
    first, last = _slug(first), _slug(last)
    shape = _between(rnd, 0, 4)
    if shape == 0:
        local = f"{last}{first}"
    elif shape == 1:
        local = f"{first}{last}"
    elif shape == 2:
        local = f"{first}{_digits(rnd, 2)}"
    else:
        local = f"{_pick(rnd, string.ascii_lowercase)}{last}"
    return f"{local}@{_pick(rnd, _EMAIL_DOMAINS)}"


def _url(pools: _Pools, rnd: random.Random) -> str:
    """Faker's ``url()``: http(s), ``www.`` half of the time, a company word, path ``/``."""
    word = _slug(_pick(rnd, pools.last))
    if rnd.random() < 1 / 3:
        word = f"{word}-{_slug(_pick(rnd, pools.last))}"
    www = "www." if rnd.random() < 0.5 else ""
    return f"{_pick(rnd, ('http', 'https'))}://{www}{word}.{_pick(rnd, _TLDS)}/"


def _phone(rnd: random.Random) -> str:
    """``+CC`` and ten digits, mostly as ``+91 1472004612``."""
    code = _pick(rnd, _PHONE_COUNTRY_CODES)
    number = f"{_between(rnd, 1, 10)}{_digits(rnd, 9)}"
    roll = rnd.random()
    if roll < 0.9:
        return f"+{code} {number}"
    if roll < 0.96:
        return f"+{code}-{number[:3]}-{number[3:6]}-{number[6:]}"
    return f"+{code} ({number[:3]}) {number[3:6]}-{number[6:]}"


def _address(pools: _Pools, rnd: random.Random) -> str:
    """Faker's en_US ``address()``: ``901 Austin Well Apt. 454\\nCookport, WY 33980``."""
    number = _digits(rnd, _between(rnd, 3, 6))
    secondary = f" {_pick(rnd, ('Apt.', 'Suite'))} {_digits(rnd, 3)}" if rnd.random() < 0.5 else ""
    return (f"{number} {_pick(rnd, pools.streets)}{secondary}\n"
            f"{_pick(rnd, pools.cities)}, {_pick(rnd, pools.states)} {_between(rnd, 501, 99951):05d}")


def _company(pools: _Pools, rnd: random.Random) -> str:
    """Faker's en_US ``company()``: ``Last Inc``, ``Last-Last`` or ``Last, Last and Last``."""
    shape = _between(rnd, 0, 3)
    if shape == 0:
        return f"{_pick(rnd, pools.last)} {_pick(rnd, _COMPANY_SUFFIXES)}"
    if shape == 1:
        return f"{_pick(rnd, pools.last)}-{_pick(rnd, pools.last)}"
    return f"{_pick(rnd, pools.last)}, {_pick(rnd, pools.last)} and {_pick(rnd, pools.last)}"


def _ssn(rnd: random.Random) -> str:
    area = _between(rnd, 1, 899)
    if area == 666:
        area = 665
    return f"{area:03d}-{_between(rnd, 1, 100):02d}-{_between(rnd, 1, 10000):04d}"


def _luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


def _card(pools: _Pools, rnd: random.Random) -> str:
    """Faker's ``credit_card_full()`` block, its holder drawn apart from the row's name."""
    label, prefixes, length, code_name, code_length = _pick(rnd, pools.cards)
    # Faker's prefix patterns: '#' is any digit, '%' a digit 1-9.
    prefix = "".join(str(_between(rnd, 0, 10)) if ch == "#" else str(_between(rnd, 1, 10)) if ch == "%"
                     else ch for ch in _pick(rnd, prefixes))
    number = _luhn_complete(prefix + _digits(rnd, length - len(prefix) - 1))
    first, last = _person(pools, rnd)
    expiry = f"{_between(rnd, 1, 13):02d}/{_between(rnd, 24, 36)}"
    return f"{label}\n{first} {last}\n{number} {expiry}\n{code_name}: {_digits(rnd, code_length)}\n"


def _amount(rnd: random.Random) -> str:
    value = 10 ** rnd.uniform(1.5, 6.8)
    if rnd.random() < 0.3:
        return f"${value:,.0f}"
    return f"${value:,.2f}"


class _Document:
    """Per-document values: PII drawn on first use, fillers fixed per document."""

    def __init__(self, pools: _Pools, rnd: random.Random) -> None:
        self.pools, self.rnd = pools, rnd
        self.year = _between(rnd, 2015, 2026)
        self.values: dict[str, str] = {}
        self.person: tuple[str, str] = ("", "")

    def pii(self, kind: str) -> str:
        value = self.values.get(kind)
        if value is None:
            value = self._draw_pii(kind)
            self.values[kind] = value
        return value

    def _draw_pii(self, kind: str) -> str:
        pools, rnd = self.pools, self.rnd
        if kind == "name":
            self.person = _person(pools, rnd)
            return _name(*self.person, rnd)
        if kind == "email":
            if rnd.random() < 0.5:
                self.pii("name")
                return _email(*self.person, rnd)
            return _email(*_person(pools, rnd), rnd)
        if kind == "url":
            return _url(pools, rnd)
        if kind == "phone":
            return _phone(rnd)
        if kind == "address":
            return _address(pools, rnd)
        if kind == "company":
            return _company(pools, rnd)
        if kind == "ssn":
            return _ssn(rnd)
        return _card(pools, rnd)

    def filler(self, key: str, kind: str) -> str:
        """The filler named ``key`` (``amount2``), drawn as a ``kind`` (``amount``) on first use."""
        value = self.values.get(key)
        if value is None:
            value = self._draw_filler(kind)
            self.values[key] = value
        return value

    def _draw_filler(self, kind: str) -> str:
        rnd = self.rnd
        if kind == "date":
            return f"{_pick(rnd, _MONTHS)} {_between(rnd, 1, 29)}, {self.year}"
        if kind == "amount":
            return _amount(rnd)
        if kind == "pct":
            return f"{rnd.uniform(0.2, 35):.1f}%"
        if kind == "n":
            return str(_between(rnd, 2, 61))
        if kind == "year":
            return str(self.year)
        if kind == "quarter":
            return f"Q{_between(rnd, 1, 5)}"
        if kind == "month":
            return _pick(rnd, _MONTHS)
        if kind == "ref":
            return f"{_pick(rnd, _REF_PREFIXES)}-{self.year}-{_digits(rnd, 5)}"
        if kind == "dept":
            return _pick(rnd, _DEPARTMENTS)
        if kind == "role":
            return _pick(rnd, _ROLES)
        if kind == "risk":
            return _pick(rnd, _RISKS)
        if kind == "city":
            return _pick(rnd, self.pools.cities)
        if kind == "plan":
            return _pick(rnd, _PLANS)
        if kind == "service":
            return _pick(rnd, _SERVICES)
        if kind == "time":
            hour = _between(rnd, 8, 18)
            return f"{hour % 12 or 12}:{_pick(rnd, ('00', '15', '30', '45'))} {'AM' if hour < 12 else 'PM'}"
        raise KeyError(f"unknown template placeholder {{{kind}}}")


def _render(tokens: list[_Token], paragraphs: dict[str, list[list[_Token]]], pools: _Pools,
            rnd: random.Random) -> dict[str, Any]:
    """One raw row: PII columns, Text and True Predictions."""
    doc = _Document(pools, rnd)
    garbled = rnd.random() < _MOJIBAKE_RATE
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0

    def emit(seq: list[_Token]) -> None:
        nonlocal pos
        for token in seq:
            tag = token[0]
            if tag == "s":
                piece = token[2] if garbled else token[1]
            elif tag == "v":
                piece = doc.pii(token[1])
                spans.append((pos, pos + len(piece), token[2]))
            elif tag == "f":
                piece = doc.filler(token[1], token[2])
            else:
                _, name, lo, hi, lead = token
                pool = paragraphs[name]
                count = rnd.randint(lo, min(hi, len(pool)))
                for j, index in enumerate(rnd.sample(range(len(pool)), count)):
                    if lead or j:
                        parts.append("\n\n")
                        pos += 2
                    emit(pool[index])
                continue
            parts.append(piece)
            pos += len(piece)

    emit(tokens)
    text = "".join(parts)
    # A pool drawn 0 times can leave a trailing separator: trim it unless a span ends there.
    stripped = text.rstrip("\n ")
    if not spans or max(end for _, end, _ in spans) <= len(stripped):
        text = stripped
    row: dict[str, Any] = {column: None for column in PII_COLUMNS}
    for kind in {_KIND_OF_TYPE[span_type] for _, _, span_type in spans}:
        row[_SPAN_TYPES[kind]] = doc.values[kind]
    row["Text"] = text
    row["True Predictions"] = repr(spans)
    return row
