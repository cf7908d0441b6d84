"""The original's masking rule: which values are replaced by which tokens, and the labels."""


from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fastscratch.data.files import check_texts
from fastscratch.data.schema import MASK_TOKENS, is_missing
from fastscratch.errors import DatasetError


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
        value = as_text(values.get(column))
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


def as_text(value: Any) -> str:
    """A PII cell as text: '' for missing; whole floats (Excel numbers) without '.0'."""
    if value is None or is_missing(value):
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
    check_texts(pd.Series(texts, dtype=object), "<frame>", text_column, None, False)
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
