"""Error types shared by fastscratch's readers (kept free of heavy imports: the CLI loads it
on every command)."""

from __future__ import annotations

import os


class DatasetError(ValueError):
    """A dataset file that cannot be used as it is.

    Attributes: ``path`` (the file, or None for an in-memory frame), ``row`` (1-based
    data row, the header not counted, or None), ``column`` (column name or None).
    In a spreadsheet the data row ``r`` is on sheet row ``r + 1``.
    """

    def __init__(self, message: str, *, path: str | os.PathLike | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
