"""Every error type fastscratch raises on purpose, under one root: :class:`FastscratchError`.

A ``FastscratchError`` is something the user can fix (a bad file, a bad argument, a missing
optional package); the command line prints it in one line and exits with status 2. Anything
else that escapes fastscratch is a bug and keeps its traceback. Each type also subclasses the
builtin it was before it had a root (``DatasetError`` is a ``ValueError``, ...), so existing
``except ValueError`` code keeps working.

Kept free of imports: the command line loads this module on every run.
"""

from __future__ import annotations

import os

__all__ = [
    "FastscratchError",
    "UsageError",
    "ParameterError",
    "DatasetError",
    "GloveFormatError",
    "VectorStoreError",
    "ModelFileError",
    "TrainingDivergedError",
    "MissingExtraError",
    "ClusterError",
]


class FastscratchError(Exception):
    """The root of fastscratch's errors: a problem the user can fix, reported without a traceback."""


class UsageError(FastscratchError):
    """A command line that cannot be carried out as given (a vector store or file that is not
    there, ...)."""


class ParameterError(FastscratchError, ValueError):
    """An invalid argument from the user: a threshold, epoch count, learning rate, shape, chunk
    size, feature configuration, ... The message names the argument and the value."""


class DatasetError(FastscratchError, ValueError):
    """A dataset file (or frame) that cannot be used as it is.

    Attributes
    ----------
    path : str or None
        The file, or None for an in-memory frame.
    row : int or None
        1-based data row, the header not counted. In a spreadsheet the data row ``r`` is on
        sheet row ``r + 1``.
    column : str or None
        The column name.
    """

    def __init__(self, message: str, *, path: str | os.PathLike | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column


class GloveFormatError(FastscratchError, ValueError):
    """A GloVe file that cannot be read as asked; says where (file, line, column) and what.

    Attributes
    ----------
    path, line, column, token
        Where the problem is (1-based line and column) and the offending token, each None
        when it does not apply.
    """

    def __init__(self, message: str, *, path=None, line=None, column=None, token=None):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.path = path
        self.line = line
        self.column = column
        self.token = token


class VectorStoreError(FastscratchError, ValueError):
    """A word-vector store directory that is damaged, incomplete or of another format version.

    Attribute ``path``: the store directory (str).
    """

    def __init__(self, message: str, *, path: str | os.PathLike | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)


class ModelFileError(FastscratchError, ValueError):
    """A model file that cannot be used: unreadable, of another format, or inconsistent."""


class TrainingDivergedError(FastscratchError, FloatingPointError):
    """Training produced a non-finite loss.

    Attributes
    ----------
    epoch, batch : int
        Where, both 1-based.
    history : fastscratch.History
        The record of the epochs finished before.
    """

    def __init__(self, message: str, epoch: int, batch: int, history) -> None:
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch
        self.history = history


class MissingExtraError(FastscratchError, ImportError):
    """An optional package is needed and not installed; the message names the extra that
    brings it (``pip install 'fastscratch[data]'``, ...).

    Attributes: ``name`` (the missing module, as ``ImportError.name``) and ``extra``.
    """

    def __init__(self, message: str, *, name: str | None = None, extra: str | None = None) -> None:
        super().__init__(message, name=name)
        self.extra = extra


class ClusterError(FastscratchError, ConnectionError):
    """A Dask cluster that cannot be reached or started (``score --scheduler`` / ``--cluster``)."""
