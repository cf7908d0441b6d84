"""``PairList``: the sigmoid-network post's data format, a list of ``(x, y)`` pairs, that also
keeps the two arrays its pairs are views of.

The post's code takes lists of ``(784x1 image, 10x1 one-hot)`` pairs (test data may carry an
integer label instead). Turning 50,000 such pairs back into one matrix costs about as much as
a compiled training epoch, so :mod:`fastscratch.data.mnist` builds its lists from the arrays
and keeps them: a ``PairList`` is a real ``list`` (the post's code and the reference run on it
unchanged), and :meth:`arrays` hands the network the matrices without a copy.

The arrays are read-only, so no pair can change behind them; any change to the list itself
(``append``, item assignment, ``random.shuffle``, ...) forgets them, and the list then works like
any other list of pairs. A shared module: both ``fastscratch.data`` (which builds these lists)
and ``fastscratch.nets`` (which reads them) import it.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from fastscratch.errors import ParameterError

__all__ = ["PairList"]


def _forgets(name: str):
    method = getattr(list, name)

    def wrapper(self, *args, **kwargs):
        self._arrays = None
        self._derived.clear()
        return method(self, *args, **kwargs)

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


class PairList(list):
    """A list of ``(x, y)`` pairs built from ``X`` and targets ``T``.

    Parameters
    ----------
    X : float array (n, d)
        One example per row; pair ``i`` holds the read-only view ``X[i].reshape(d, 1)``.
    T : float array (n, k) or integer array (n,)
        Targets: pair ``i`` holds ``T[i].reshape(k, 1)`` (e.g. one-hot columns), or the Python
        int ``T[i]`` for integer labels.

    The arrays are kept as given (made read-only, not copied) when they are C-contiguous.
    """

    def __init__(self, X: np.ndarray, T: np.ndarray):
        X = np.ascontiguousarray(X)
        T = np.ascontiguousarray(T)
        if X.ndim != 2 or T.ndim not in (1, 2) or T.shape[0] != X.shape[0]:
            raise ParameterError(f"PairList needs X (n, d) and T (n, k) or (n,), got {X.shape} and {T.shape}")
        X.flags.writeable = False
        T.flags.writeable = False
        d = X.shape[1]
        xs = [row.reshape(d, 1) for row in X]
        if T.ndim == 2:
            k = T.shape[1]
            ys = [row.reshape(k, 1) for row in T]
        else:
            ys = T.tolist()
        super().__init__(zip(xs, ys))
        self._arrays: tuple[np.ndarray, np.ndarray] | None = (X, T)
        self._derived: dict = {}

    def arrays(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(X, T)`` while the list is as it was built, else None."""
        return self._arrays

    def derived(self, key, make: Callable[[], object]):
        """``make()``, computed once per ``key`` while the arrays are valid (None after a change)."""
        if self._arrays is None:
            return None
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert", "pop",
                  "remove", "reverse", "sort", "clear"):
        locals()[_name] = _forgets(_name)
    del _name

    def __reduce__(self):
        return (list, (list(self),))
