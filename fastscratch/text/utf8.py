"""Documents as the kernels read them: UTF-8 bytes and offsets, from Python strings or zero-copy from Arrow.

Shared by the featurizer (``text.vectors``), the PII recognizers (``text.pii``) and the Text API
(``fastscratch.textapi``): ``str`` sequences encoded once (``encode``), recognising
Arrow string input (and pandas Series backed by Arrow), its buffers as NumPy views, read-only views
for the kernels (one compiled specialization whatever the input), and what counts as a missing
document in a Python list.
"""

from __future__ import annotations

import numpy as np

from fastscratch.errors import DatasetError

__all__ = ["as_arrow", "arrow_encoded", "arrow_or_list", "arrow_offsets_and_data", "arrow_chunks", "as_list", "encode", "readonly",
           "is_null"]


def readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (no copy)."""
    view = a.view()
    view.flags.writeable = False
    return view


def is_null(x) -> bool:
    """None, a float NaN, pandas' NA or NaT: a missing document."""
    if x is None:
        return True
    if isinstance(x, float) and x != x:
        return True
    try:
        import pandas as pd

        return x is pd.NA or x is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def as_arrow(texts, what: str = "embed()"):
    """The pyarrow (Chunked)Array behind ``texts``, or None for plain Python/NumPy input.

    ``what`` names the caller in the TypeError raised for an Arrow array that does not hold strings.
    """
    mod = type(texts).__module__
    if mod.startswith("pyarrow"):
        import pyarrow as pa

        if isinstance(texts, (pa.Array, pa.ChunkedArray)):
            t = texts.type
            if pa.types.is_string(t) or pa.types.is_large_string(t):
                return texts
            if getattr(pa.types, "is_string_view", lambda _: False)(t):
                return texts.cast(pa.large_string())
            raise TypeError(f"{what} needs a string Arrow array, not {t}")
        return None
    if mod.startswith("pandas"):
        import pandas as pd

        if isinstance(texts, pd.Series):
            dt = texts.dtype
            if isinstance(dt, pd.ArrowDtype) or (
                isinstance(dt, pd.StringDtype) and dt.storage == "pyarrow"
            ):
                try:
                    import pyarrow as pa

                    arr = pa.array(texts.array)
                    return as_arrow(arr, what)
                except (ImportError, TypeError):
                    return None
    return None


def arrow_offsets_and_data(arr):
    """Zero-copy views of a string/large_string Array: offsets (int32/int64, ``len + 1``) and data."""
    import pyarrow as pa

    bufs = arr.buffers()
    odt = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offs = np.frombuffer(bufs[1], dtype=odt)[arr.offset : arr.offset + len(arr) + 1] if bufs[1] is not None else np.zeros(len(arr) + 1, odt)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.empty(0, dtype=np.uint8)
    return offs, data


def as_list(texts) -> list:
    """``texts`` (a list, tuple, NumPy array, pandas Series or iterable of documents) as a list;
    TypeError for a single string."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("this takes a sequence of documents, not a single string")
    if hasattr(texts, "tolist") and not isinstance(texts, list):
        return texts.tolist()
    if not isinstance(texts, (list, tuple)):
        return list(texts)
    return texts


def encode(texts: list, nulls: str) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """``(docs, offsets, null_rows)``: the UTF-8 bytes (``surrogatepass``) of every document of
    ``texts`` (a list), document ``i`` at ``docs[offsets[i]:offsets[i + 1]]`` (int64[n + 1]);
    a missing document is empty and listed in ``null_rows``.

    Raises
    ------
    DatasetError
        A missing document with ``nulls='error'``.
    TypeError
        A document that is not a ``str``.
    """
    n = len(texts)
    parts = []
    null_rows = []
    for i, t in enumerate(texts):
        if isinstance(t, str):
            parts.append(t.encode("utf-8", "surrogatepass"))
        elif is_null(t):
            if nulls == "error":
                raise DatasetError(f"document {i} is missing ({t!r}); pass nulls='zero' to treat it as empty")
            null_rows.append(i)
            parts.append(b"")
        else:
            raise TypeError(f"document {i} is a {type(t).__name__}, not a str")
    offsets = np.zeros(n + 1, dtype=np.int64)
    if n:
        np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=n), out=offsets[1:])
    return np.frombuffer(b"".join(parts), dtype=np.uint8), offsets, null_rows


def arrow_chunks(arr) -> list:
    """The chunks of an Arrow (Chunked)Array."""
    import pyarrow as pa

    return arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]


def arrow_encoded(texts: list):
    """``texts`` (a list of ``str``) as an Arrow ``large_string`` array encoded by pyarrow's C++
    (about 5x Python's ``str.encode`` per document), or None: fewer than 64 documents (not worth
    it), no pyarrow, or a value it does not take as a string or a missing one (the caller's
    Python path then applies its own rules and messages)."""
    if len(texts) < 64 or not all(type(t) is str for t in texts):  # pyarrow would take bytes too
        return None
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with every extra that needs speed
        return None
    try:
        arr = pa.array(texts, pa.large_string())
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    return None if arr.null_count else arr


def arrow_or_list(texts, what: str):
    """``(arrow, values)``: the documents as an Arrow string array when they are one or pyarrow can
    encode them (``arrow_encoded``), else None and ``values``, the list of them for the Python
    path. TypeError for a single string."""
    arrow = as_arrow(texts, what)
    if arrow is not None:
        return arrow, None
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{what} takes a sequence of documents, not a single string")
    values = as_list(texts)
    return arrow_encoded(values), values
