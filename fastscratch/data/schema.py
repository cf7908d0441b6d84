"""The columns of the original ScratchNet dataset, the file formats read and written, and the
optional packages they need."""


from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from fastscratch.errors import DatasetError

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

DATA_EXTRA = "pip install 'fastscratch[data]'"
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}


def require_extra(module: str, purpose: str) -> Any:
    """Import an optional dependency, or explain which extra provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{purpose} needs the '{module}' package: {DATA_EXTRA}") from exc


def format_of(path: Path) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(FORMATS))
        raise DatasetError(
            f"{path}: unknown dataset extension {path.suffix or '(none)'!r}; expected one of {known}",
            path=path)
    return kind
