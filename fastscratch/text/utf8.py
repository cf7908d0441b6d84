"""Documents as the kernels read them: UTF-8 bytes and offsets, from Python strings or zero-copy from Arrow.

Shared by the featurizer (``text.vectors``) and the Text API (``fastscratch.textapi``): recognising
Arrow string input (and pandas Series backed by Arrow), its buffers as NumPy views, read-only views
for the kernels (one compiled specialization whatever the input), and what counts as a missing
document in a Python list.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_arrow", "arrow_offsets_and_data", "readonly", "is_null"]


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
