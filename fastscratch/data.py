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
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DatasetError  # noqa: F401  (part of this module's API)

__all__ = [
    "DatasetError",
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


# ============================================================================ synthesis

_MOJIBAKE = {"’": "â€™", "‘": "â€˜", "“": "â€œ", "”": "â€\x9d", "–": "â€“", "—": "â€”"}
_MOJIBAKE_RATE = 0.12
_PLACEHOLDER = re.compile(r"\{(@(\w+) (\d+)-(\d+)|\w+)\}")

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
_COMPANY_SUFFIXES = ("Inc", "LLC", "Ltd", "Group", "PLC", "and Sons")
_PHONE_COUNTRY_CODES = ("1",) * 8 + ("44", "61", "49", "33", "91", "353", "64", "27")
_TLDS = ("com", "com", "com", "net", "org", "info", "biz")


#: Template kinds, shortest first: one-line notices, letters, forms, multi-paragraph reports.
TEMPLATE_KINDS: tuple[str, ...] = ("notice", "letter", "form", "report")


def template_names(kinds: Sequence[str] | None = None) -> list[str]:
    """Keys of the document templates :func:`synthesize` draws from (at least 30 in all),
    optionally only those of the given ``TEMPLATE_KINDS``."""
    return [key for key, kind, _, _ in _parsed_templates()[0] if kinds is None or kind in kinds]


def synthesize(
    n: int,
    seed: int,
    *,
    kinds: Sequence[str] | None = None,
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
        Draw only templates of these ``TEMPLATE_KINDS`` (default: all, which gives
        texts of about 130 to 6,000 characters, mean about 1,000). ``("notice",)``
        gives short documents (under ~400 characters) where the PII is a larger share
        of the words: an easier set for quick tests.
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

    PII values come from Faker (en_US, seeded) name, street and city pools combined
    with seeded random digits, in the shapes of the Mendeley set: multi-line card
    blocks (``VISA 16 digit\\nJane Doe\\n4730099819249559 12/25\\nCVC: 351\\n``),
    ``@example.org`` e-mails, ``+CC 10-digit`` phones, two-line US addresses,
    ``Last-Last`` / ``Last, Last and Last`` companies and ``ddd-dd-dddd`` SSNs.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    faker_seed, row_seed, mask_seed = np.random.SeedSequence(seed).generate_state(3)
    pools = _Pools.draw(int(faker_seed), pool_size=min(max(n, 200), 3000))
    rnd = random.Random(int(row_seed))
    all_templates, paragraphs = _parsed_templates()
    if kinds is not None and (unknown := sorted(set(kinds) - set(TEMPLATE_KINDS))):
        raise ValueError(f"unknown template kinds {unknown}; known: {list(TEMPLATE_KINDS)}")
    templates = [(key, tokens) for key, kind, _, tokens in all_templates
                 if kinds is None or kind in kinds]
    if not templates:
        raise ValueError("kinds selects no template")
    cumulative = list(itertools.accumulate(
        weight for _, kind, weight, _ in all_templates if kinds is None or kind in kinds))
    total = cumulative[-1]

    records: list[dict[str, Any]] = []
    keys: list[str] = []
    for _ in range(n):
        key, tokens = templates[bisect.bisect(cumulative, rnd.random() * total)]
        records.append(_render(tokens, paragraphs, pools, rnd))
        keys.append(key)
    raw = pd.DataFrame.from_records(records, columns=[*PII_COLUMNS, "Text", "True Predictions"])
    out = mask(raw, np.random.default_rng(int(mask_seed)))
    out = out[list(SCHEMA)]
    if include_template:
        out["Template"] = keys
    return out


# ---------------------------------------------------------------- template parsing

_Token = tuple  # ("s", clean, mojibake) | ("v", name) | ("p", pool, lo, hi)
_CACHE: dict[str, Any] = {}


def _parse(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > pos:
            tokens.append(_static(text[pos:match.start()]))
        if match.group(2):
            tokens.append(("p", match.group(2), int(match.group(3)), int(match.group(4))))
        else:
            tokens.append(("v", match.group(1)))
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
        card_provider = importlib.import_module("faker.providers.credit_card").Provider
        cards = [(c.name, list(c.prefixes), c.length, c.security_code, c.security_code_length)
                 for key, c in card_provider.credit_card_types.items()
                 if key not in ("visa", "jcb")]  # aliases of visa16 and jcb16
        return cls(first, last, streets, cities, list(address.states_abbr), cards)


def _digits(rnd: random.Random, count: int) -> str:
    return str(rnd.randrange(10 ** count)).zfill(count)


def _person(pools: _Pools, rnd: random.Random) -> tuple[str, str]:
    return rnd.choice(pools.first), rnd.choice(pools.last)


def _name(pools: _Pools, rnd: random.Random) -> str:
    first, last = _person(pools, rnd)
    roll = rnd.random()
    if roll < 0.04:
        return f"{rnd.choice(('Dr.', 'Mr.', 'Mrs.', 'Ms.'))} {first} {last}"
    if roll < 0.07:
        return f"{first} {last} {rnd.choice(('Jr.', 'II', 'MD', 'DDS', 'PhD'))}"
    return f"{first} {last}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _email(name: str, pools: _Pools, rnd: random.Random) -> str:
    parts = name.replace(".", "").split()
    first, last = (parts[-2], parts[-1]) if len(parts) >= 2 and rnd.random() < 0.6 else _person(pools, rnd)
    first, last = _slug(first), _slug(last)
    local = rnd.choice((f"{first}{last}", f"{last}{first}", f"{first}{rnd.randrange(100):02d}",
                        f"{first[:1]}{last}", f"{first}.{last}", f"{last}.{first}"))
    domain = "example.org" if rnd.random() < 0.8 else rnd.choice(("example.com", "example.net"))
    return f"{local}@{domain}"


def _url(pools: _Pools, rnd: random.Random) -> str:
    a, b = _slug(rnd.choice(pools.last)), _slug(rnd.choice(pools.last))
    host = rnd.choice((a, a, f"{a}-{b}", f"{a}{b}"))
    www = "www." if rnd.random() < 0.5 else ""
    scheme = "https" if rnd.random() < 0.7 else "http"
    path = "/" if rnd.random() < 0.85 else rnd.choice(("/login", "/portal/", "/statements", "/about/"))
    return f"{scheme}://{www}{host}.{rnd.choice(_TLDS)}{path}"


def _phone(rnd: random.Random) -> str:
    code = rnd.choice(_PHONE_COUNTRY_CODES)
    number = f"{rnd.randrange(2, 10)}{_digits(rnd, 9)}"
    roll = rnd.random()
    if roll < 0.75:
        return f"+{code} {number}"
    if roll < 0.9:
        return f"+{code}-{number[:3]}-{number[3:6]}-{number[6:]}"
    return f"+{code} ({number[:3]}) {number[3:6]}-{number[6:]}"


def _address(pools: _Pools, rnd: random.Random) -> str:
    number = rnd.randrange(1, 100000 if rnd.random() < 0.3 else 1000)
    secondary = ""
    if rnd.random() < 0.4:
        secondary = f" {rnd.choice(('Apt.', 'Suite'))} {rnd.randrange(100, 1000)}"
    zip_code = _digits(rnd, 5)
    return (f"{number} {rnd.choice(pools.streets)}{secondary}\n"
            f"{rnd.choice(pools.cities)}, {rnd.choice(pools.states)} {zip_code}")


def _company(pools: _Pools, rnd: random.Random) -> str:
    a, b, c = rnd.choice(pools.last), rnd.choice(pools.last), rnd.choice(pools.last)
    roll = rnd.random()
    if roll < 0.4:
        return f"{a}-{b}"
    if roll < 0.75:
        return f"{a}, {b} and {c}"
    return f"{a} {rnd.choice(_COMPANY_SUFFIXES)}"


def _ssn(rnd: random.Random) -> str:
    area = rnd.randrange(1, 899)
    if area == 666:
        area = 665
    return f"{area:03d}-{rnd.randrange(1, 100):02d}-{rnd.randrange(1, 10000):04d}"


def _luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


def _card(pools: _Pools, rnd: random.Random) -> str:
    label, prefixes, length, code_name, code_length = rnd.choice(pools.cards)
    # Faker's prefix patterns: '#' is any digit, '%' a digit 1-9.
    prefix = "".join(str(rnd.randrange(10)) if ch == "#" else str(rnd.randrange(1, 10)) if ch == "%"
                     else ch for ch in rnd.choice(prefixes))
    number = _luhn_complete(prefix + _digits(rnd, length - len(prefix) - 1))
    first, last = _person(pools, rnd)
    expiry = f"{rnd.randrange(1, 13):02d}/{rnd.randrange(24, 36)}"
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
        self.year = rnd.randrange(2015, 2026)
        self.values: dict[str, str] = {}

    def pii(self, kind: str) -> str:
        value = self.values.get(kind)
        if value is None:
            pools, rnd = self.pools, self.rnd
            if kind == "name":
                value = _name(pools, rnd)
            elif kind == "email":
                value = _email(self.pii("name") if rnd.random() < 0.6 else _name(pools, rnd), pools, rnd)
            elif kind == "url":
                value = _url(pools, rnd)
            elif kind == "phone":
                value = _phone(rnd)
            elif kind == "address":
                value = _address(pools, rnd)
            elif kind == "company":
                value = _company(pools, rnd)
            elif kind == "ssn":
                value = _ssn(rnd)
            else:
                value = _card(pools, rnd)
            self.values[kind] = value
        return value

    def filler(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            value = self._draw_filler(key.rstrip("0123456789"))
            self.values[key] = value
        return value

    def _draw_filler(self, kind: str) -> str:
        rnd = self.rnd
        if kind == "date":
            return f"{rnd.choice(_MONTHS)} {rnd.randrange(1, 29)}, {self.year}"
        if kind == "amount":
            return _amount(rnd)
        if kind == "pct":
            return f"{rnd.uniform(0.2, 35):.1f}%"
        if kind == "n":
            return str(rnd.randrange(2, 61))
        if kind == "year":
            return str(self.year)
        if kind == "quarter":
            return f"Q{rnd.randrange(1, 5)}"
        if kind == "month":
            return rnd.choice(_MONTHS)
        if kind == "ref":
            return f"{rnd.choice(_REF_PREFIXES)}-{self.year}-{_digits(rnd, 5)}"
        if kind == "dept":
            return rnd.choice(_DEPARTMENTS)
        if kind == "role":
            return rnd.choice(_ROLES)
        if kind == "risk":
            return rnd.choice(_RISKS)
        if kind == "city":
            return rnd.choice(self.pools.cities)
        if kind == "time":
            return f"{rnd.randrange(8, 18) % 12 or 12}:{rnd.choice(('00', '15', '30', '45'))} " \
                   f"{'a.m.' if rnd.random() < 0.5 else 'p.m.'}"
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
            if token[0] == "s":
                piece = token[2] if garbled else token[1]
            elif token[0] == "p":
                pool = paragraphs[token[1]]
                count = rnd.randint(token[2], min(token[3], len(pool)))
                for j, index in enumerate(rnd.sample(range(len(pool)), count)):
                    if j:
                        parts.append("\n\n")
                        pos += 2
                    emit(pool[index])
                continue
            elif token[1] in _SPAN_TYPES:
                piece = doc.pii(token[1])
                spans.append((pos, pos + len(piece), _SPAN_TYPE_NAMES.get(token[1], token[1])))
            else:
                piece = doc.filler(token[1])
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
