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

pandas is the only hard dependency here; openpyxl (``.xlsx``), pyarrow (``.parquet``)
and Faker (:func:`synthesize`) come with ``pip install 'fastscratch[data]'`` and are
imported only when needed.
"""

from fastscratch.data.files import (
    read_dataset,
    read_texts_labels,
    validate_frame,
    write_dataset,
)
from fastscratch.data.masking import mask, mask_text
from fastscratch.data.profile import DatasetProfile, profile
from fastscratch.data.schema import MASK_TOKENS, PII_COLUMNS, SCHEMA, TRAINING_SHEET
from fastscratch.data.synthesis import TEMPLATE_KINDS, synthesize, template_names
from fastscratch.errors import DatasetError

__all__ = ["DatasetError", "DatasetProfile", "PII_COLUMNS", "MASK_TOKENS", "SCHEMA", "TRAINING_SHEET", "TEMPLATE_KINDS", "read_dataset", "read_texts_labels", "write_dataset", "mask", "mask_text", "profile", "synthesize", "template_names", "validate_frame"]
