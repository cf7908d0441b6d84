"""Where the PII is: the recognizers' spans of every document, and the documents with each value
replaced by its mask token.

``find(texts)`` runs the compiled recognizers (``fastscratch.kernels.recognize``, the rules of
``fastscratch.text.recognizers``) over whole corpora, ``str`` or zero-copy Arrow input alike;
``redact(texts)`` writes each found value as the original's mask token (``[EMAIL]``, ``[PHONE]``,
``[SSN]``, ``[URL]``, ``[CREDIT_CARD]``), so that a generated document's raw ``Text`` redacts to
exactly its ``Masked_Text``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fastscratch.errors import ParameterError
from fastscratch.kernels import recognize as _recognize
from fastscratch.kernels.pii_tables import MASK_TOKENS, TYPES
from fastscratch.text.recognizers import Span
from fastscratch.text.utf8 import (
    arrow_chunks,
    arrow_offsets_and_data,
    arrow_or_list,
    as_arrow,
    as_list,
    encode,
    readonly,
)

__all__ = ["Spans", "find", "redact", "TYPES", "MASK_TOKENS"]


@dataclass(frozen=True)
class Spans:
    """The spans of ``n`` documents, flat: document ``d``'s are rows ``index[d]:index[d + 1]``.

    Attributes
    ----------
    index : int64[n + 1]
    start, end : int64[total]
        Character offsets into the document (``text[start:end]`` is the value).
    type : int8[total]
        Index into ``TYPES`` (``email``, ``phone``, ``ssn``, ``url``, ``credit_card``).
    """

    index: np.ndarray
    start: np.ndarray
    end: np.ndarray
    type: np.ndarray

    def __len__(self) -> int:
        return int(self.index.shape[0] - 1)

    def __getitem__(self, d: int) -> list[Span]:
        """Document ``d``'s spans as ``Span(start, end, type)`` tuples."""
        if not -len(self) <= d < len(self):
            raise IndexError(f"document {d} of {len(self)}")
        d %= len(self)
        a, b = int(self.index[d]), int(self.index[d + 1])
        return [Span(int(s), int(e), TYPES[int(t)]) for s, e, t in
                zip(self.start[a:b].tolist(), self.end[a:b].tolist(), self.type[a:b].tolist(), strict=True)]

    def lists(self) -> list[list[Span]]:
        """Every document's spans."""
        return [self[d] for d in range(len(self))]

    def counts(self) -> np.ndarray:
        """int64[n]: spans per document."""
        return np.diff(self.index)

    def flagged(self) -> np.ndarray:
        """bool[n]: the documents with at least one span."""
        return self.counts() > 0


def _spans(docs: np.ndarray, offsets: np.ndarray) -> Spans:
    """The kernel's two passes over one buffer of documents: count, then fill."""
    docs, offsets = readonly(docs), readonly(np.asarray(offsets, dtype=np.int64))
    n = offsets.shape[0] - 1
    counts = np.empty(n, dtype=np.int64)
    _recognize.count_spans(docs, offsets, counts)
    index = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=index[1:])
    total = int(index[-1])
    start, end, kind = (np.empty(total, dtype=np.int64) for _ in range(3))
    _recognize.fill_spans(docs, offsets, readonly(index), start, end, kind)
    return Spans(index, start, end, kind.astype(np.int8))


def _concat(parts: list[Spans]) -> Spans:
    if len(parts) == 1:
        return parts[0]
    index = [np.zeros(1, dtype=np.int64)]
    base = 0
    for p in parts:
        index.append(p.index[1:] + base)
        base += int(p.index[-1])
    return Spans(np.concatenate(index), *(np.concatenate([getattr(p, f) for p in parts]) for f in ("start", "end", "type")))


def find(texts, *, nulls: str = "error") -> Spans:
    """The PII spans of each document of ``texts``, in order.

    Parameters
    ----------
    texts : list/tuple/array of str, pandas.Series, or pyarrow (Chunked)Array of strings
        Arrow input is read zero-copy.
    nulls : {'error', 'zero'}
        A missing document raises ``DatasetError``, or has no spans.

    Returns
    -------
    Spans
        ``spans[d]`` is document ``d``'s list of ``Span(start, end, type)``, character offsets
        into the ``str`` (``fastscratch.text.recognizers.find_spans`` states the rules).
    """
    if nulls not in ("error", "zero"):
        raise ParameterError(f"nulls must be 'error' or 'zero', not {nulls!r}")
    arrow, values = arrow_or_list(texts, "find()")
    if arrow is None:
        docs, offsets, _ = encode(values, nulls)
        return _spans(docs, offsets)
    parts = []
    for c in arrow_chunks(arrow):
        if nulls == "error" and c.null_count:
            from fastscratch.errors import DatasetError

            first = int(np.flatnonzero(c.is_null().to_numpy(zero_copy_only=False))[0])
            raise DatasetError(f"document {sum(len(p) for p in parts) + first} is null; pass nulls='zero' to "
                               "treat it as empty")
        offs, data = arrow_offsets_and_data(c)
        parts.append(_spans(data, offs))  # a null's offsets delimit no bytes: no spans
    if not parts:
        return _spans(np.empty(0, np.uint8), np.zeros(1, np.int64))
    return _concat(parts)


def redact(texts, *, nulls: str = "error", spans: Spans | None = None) -> list:
    """Each document of ``texts`` with every value :func:`find` finds replaced by its type's mask
    token (``MASK_TOKENS``); a missing document (with ``nulls='zero'``) stays None.

    ``spans`` (``find(texts)``, if already computed) saves finding them again.
    """
    arrow = as_arrow(texts, "redact()")
    values = arrow.to_pylist() if arrow is not None else as_list(texts)
    found = find(arrow if arrow is not None else values, nulls=nulls) if spans is None else spans
    if len(found) != len(values):
        raise ParameterError(f"spans of {len(found)} documents for {len(values)} documents")
    out = []
    index, start, end, kind = found.index.tolist(), found.start.tolist(), found.end.tolist(), found.type.tolist()
    for d, text in enumerate(values):
        a, b = index[d], index[d + 1]
        if a == b or not isinstance(text, str):
            out.append(text if isinstance(text, str) else None)
            continue
        pieces = []
        pos = 0
        for k in range(a, b):
            pieces.append(text[pos:start[k]])
            pieces.append(MASK_TOKENS[kind[k]])
            pos = end[k]
        pieces.append(text[pos:])
        out.append("".join(pieces))
    return out
