"""``profile``: the statistics that compare a dataset, real or generated, with the published one."""


from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fastscratch.data.masking import as_text
from fastscratch.data.schema import MASK_TOKENS, PII_COLUMNS
from fastscratch.errors import DatasetError

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
    masked, label_rate_masked, label_rate_unmasked:
        The mix, read on the model's input (``Masked_Text``, else the text column): the share
        of rows holding a mask token (``[EMAIL]``, ...), and the label rate of the rows with
        and without one. In the published set a mask token means label 0; a detector's
        training mix breaks that shortcut.
    variants:
        Share of rows of each scenario of a generated mix (its ``Variant`` column), or None.
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
    masked: float | None = None
    label_rate_masked: float | None = None
    label_rate_unmasked: float | None = None
    variants: dict[str, float] | None = None

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
            "masked": self.masked,
            "label_rate_masked": self.label_rate_masked,
            "label_rate_unmasked": self.label_rate_unmasked,
            "variants": None if self.variants is None else dict(self.variants),
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
            "",
            "the mix (on the model's input)",
            f"  with a mask token         {_share(self.masked):>7}   label rate {_share(self.label_rate_masked)}",
            f"  without                   {_share(None if self.masked is None else 1 - self.masked):>7}   "
            f"label rate {_share(self.label_rate_unmasked)}",
        ]
        if self.variants:
            lines.append("  scenarios: " + ", ".join(f"{k} {_share(v)}" for k, v in self.variants.items()))
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
    values = {c: [as_text(v) for v in frame[c].tolist()] if c in frame.columns else [""] * rows
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
        **_mix(frame, texts),
    )


def _mix(frame: pd.DataFrame, texts: list[str]) -> dict[str, Any]:
    """The mask-token share and the label rate with and without one (see :class:`DatasetProfile`)."""
    inputs = texts if "Masked_Text" not in frame.columns else [
        t if isinstance(t, str) else "" for t in frame["Masked_Text"].tolist()]
    has_mask = np.array([any(token in t for token in MASK_TOKENS.values()) for t in inputs], dtype=bool)
    out: dict[str, Any] = {"masked": _mean(has_mask)}
    if "Binary_Label" in frame.columns:
        labels = pd.to_numeric(frame["Binary_Label"], errors="coerce").to_numpy(dtype=np.float64)
        for key, rows in (("label_rate_masked", has_mask), ("label_rate_unmasked", ~has_mask)):
            chosen = labels[rows]
            chosen = chosen[~np.isnan(chosen)]
            out[key] = float(chosen.mean()) if chosen.size else None
    if "Variant" in frame.columns:
        shares = frame["Variant"].astype(str).value_counts(normalize=True)
        out["variants"] = {str(k): float(v) for k, v in shares.items()}
    return out


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
