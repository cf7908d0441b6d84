"""Input checks shared by the public API: each raises ParameterError (a ValueError) naming the
argument and the value."""

from __future__ import annotations

import numbers

import numpy as np

from fastscratch.errors import ParameterError


def as_features(X, width: int, dtype, name: str = "X") -> np.ndarray:
    """``X`` as a C-contiguous ``dtype[n, width]`` array, via float32 as the original casts.

    A 1-D ``X`` is one row. Raises ParameterError on a wrong width, no rows, or NaN/inf (with the
    first offending row and column).
    """
    try:
        A = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must be numeric, got {type(X).__name__}: {exc}") from None
    if A.ndim == 1:
        A = A.reshape(1, -1)
    if A.ndim != 2:
        raise ParameterError(f"{name} must be 2-D (rows, {width}), got shape {A.shape}")
    if A.shape[1] != width:
        raise ParameterError(f"{name} has {A.shape[1]} columns, the model expects {width} (input_size)")
    if A.shape[0] == 0:
        raise ParameterError(f"{name} has no rows")
    if not np.isfinite(A).all():
        r, c = np.argwhere(~np.isfinite(A))[0]
        raise ParameterError(f"{name} has a non-finite value {A[r, c].item()} at row {r}, column {c}")
    return np.ascontiguousarray(A, dtype=dtype)


def as_labels(y, n: int, name: str = "y", features: str = "X") -> np.ndarray:
    """``y`` as a float64 vector of 0/1 of length ``n``, the rows of ``features`` (column
    vectors are flattened)."""
    a = np.asarray(y)
    if a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)
    if a.ndim != 1:
        raise ParameterError(f"{name} must be 1-D, got shape {a.shape}")
    if a.shape[0] != n:
        raise ParameterError(f"{name} has {a.shape[0]} labels but {features} has {n} rows")
    try:
        f = a.astype(np.float64)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must hold 0/1 labels, got dtype {a.dtype}") from None
    bad = (f != 0) & (f != 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ParameterError(f"{name} must hold 0/1 labels, got {a[i].item()!r} at index {i}")
    return f


def positive(name: str, value, integer: bool = False):
    """``value`` if it is a finite number > 0 (an int when ``integer``), else ParameterError."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not np.isfinite(value) or value <= 0:
        what = "a positive integer" if integer else "a positive number"
        raise ParameterError(f"{name} must be {what}, got {value!r}")
    return int(value) if integer else float(value)


def non_negative(name: str, value) -> float:
    """``value`` if it is a finite number >= 0, else ParameterError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ParameterError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def dropout_rate(value) -> float:
    """``value`` if 0 <= value < 1, else ParameterError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ParameterError(f"dropout must be in [0, 1), got {value!r}")
    return float(value)


def fraction(name: str, value, alternative: str = "") -> float:
    """``value`` if it is a number strictly between 0 and 1, else ParameterError.

    ``alternative`` names what else the argument may be, for the message (``"or ..."``).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        other = f" or {alternative}" if alternative else ""
        raise ParameterError(f"{name} must be a fraction in (0, 1){other}, got {value!r}")
    return float(value)


def flag(name: str, value) -> bool:
    """``value`` if it is a bool (Python or NumPy), else ParameterError."""
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def threshold(value) -> float:
    """``value`` if it is a number in [0, 1] (a decision threshold), else ParameterError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ParameterError(f"threshold must be a number in [0, 1], got {value!r}")
    return float(value)
