"""Datasets of the original ScratchNet schema: reading, masking, profiles and synthesis.

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

The file formats and the missing-document policy are in :mod:`fastscratch.data.schema`.
pandas is the only hard dependency here; openpyxl (``.xlsx``), pyarrow (``.parquet``)
and Faker (:func:`synthesize`) come with ``pip install 'fastscratch[data]'`` and are
imported only when needed.

The functions are loaded on first use: importing ``fastscratch.data.schema`` (as scoring
does) does not load pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fastscratch.data.schema import MASK_TOKENS, PII_COLUMNS, SCHEMA, TRAINING_SHEET
from fastscratch.errors import DatasetError

if TYPE_CHECKING:  # what the lazy names below resolve to, for static tools
    from fastscratch.data.files import read_dataset, read_texts_labels, validate_frame, write_dataset
    from fastscratch.data.masking import mask, mask_text
    from fastscratch.data.mixes import MIXES
    from fastscratch.data.profile import DatasetProfile, profile
    from fastscratch.data.synthesis import TEMPLATE_KINDS, synthesize, template_names

_LAZY = {
    "read_dataset": "files", "read_texts_labels": "files", "validate_frame": "files", "write_dataset": "files",
    "mask": "masking", "mask_text": "masking",
    "DatasetProfile": "profile", "profile": "profile",
    "TEMPLATE_KINDS": "synthesis", "MIXES": "mixes", "synthesize": "synthesis", "template_names": "synthesis",
}

__all__ = ["DatasetError", "DatasetProfile", "PII_COLUMNS", "MASK_TOKENS", "SCHEMA", "TRAINING_SHEET",
           "TEMPLATE_KINDS", "MIXES", "read_dataset", "read_texts_labels", "write_dataset", "mask", "mask_text",
           "profile", "synthesize", "template_names", "validate_frame"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
