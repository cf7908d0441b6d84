"""Atomic writes: a file or a directory appears complete at its path, or not at all.

Both helpers write into a temporary sibling (same directory, so the rename stays on one file
system), flush it to disk with ``fsync``, rename it into place and ``fsync`` the parent
directory. On any exception, ``KeyboardInterrupt`` included, the temporary sibling is removed
and what was at the path before is left (or put back) as it was. Every writer in fastscratch
goes through one of them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Callable

__all__ = ["atomic_file", "atomic_directory"]


def atomic_file(path: str | os.PathLike, write: Callable[[str], object]) -> Path:
    """Write a file atomically: ``write(tmp)`` creates and fills ``tmp``, which replaces ``path``.

    Parameters
    ----------
    path : str or PathLike
        The file to write; its parent directories are created.
    write : callable
        Called once with the temporary path (a ``str`` that does not exist yet, in ``path``'s
        directory, with ``path``'s suffix); it must create the file there (``open(tmp, "wb")``, ``np.savez``,
        ``fig.savefig``, ...), so the file gets the usual permissions.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(path, "tmp")
    try:
        write(str(tmp))
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    _fsync_directory(path.parent)
    return path


def atomic_directory(path: str | os.PathLike, fill: Callable[[str], object]) -> Path:
    """Write a directory atomically: ``fill(tmp)`` fills a new empty directory that replaces ``path``.

    Whatever was at ``path`` (a directory or a file) is moved aside, replaced, then deleted;
    if the replacement fails it is put back. Between those two renames ``path`` briefly does not
    exist: a reader then finds nothing, never a half-written directory.

    Parameters
    ----------
    path : str or PathLike
        The directory to write; its parent directories are created.
    fill : callable
        Called once with the temporary directory (a ``str``, created empty); every file it
        writes there is ``fsync``-ed before the rename.

    Returns
    -------
    pathlib.Path
        ``path``, made absolute.
    """
    path = Path(os.path.abspath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(path, "tmp")
    os.mkdir(tmp)
    try:
        fill(str(tmp))
        for root, _, files in os.walk(tmp):
            for name in files:
                _fsync(Path(root) / name)
            _fsync_directory(Path(root))
        _swap_in(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    _fsync_directory(path.parent)
    return path


def _swap_in(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` onto ``path``, moving an existing ``path`` aside first (a directory cannot
    be renamed onto a non-empty one) and deleting it after."""
    old = None
    if os.path.lexists(path):
        old = _sibling(path, "old")
        os.replace(path, old)
    try:
        os.replace(tmp, path)
    except BaseException:
        if old is not None and not os.path.lexists(path):
            os.replace(old, path)
        raise
    if old is not None:
        _remove(old)


def _sibling(path: Path, kind: str) -> Path:
    """A fresh hidden name beside ``path``, ending in ``path``'s own suffix (writers that go by
    the extension, such as pandas' Excel writer, then still know the format):
    ``.STEM.KIND-PID-RANDOM.SUFFIX``."""
    return path.with_name(f".{path.stem}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:12]}{path.suffix}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable; best effort (some systems cannot open a directory)."""
    try:
        _fsync(path)
    except OSError:
        pass


def _remove(path: Path) -> None:
    """Delete a file or a directory tree, if there is one."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
