"""Handwritten digits for the sigmoid network: MNIST from its official IDX files (safe, the
recommended path), from the post's ``mnist.pkl.gz`` (a pickle: only on request), and the real
8x8 digits embedded in scikit-learn (offline, the default for demos and tests).

The post's loader (``mnist_loader.py``) has three functions, kept here under their names:
``load_data()`` returns ``(training, validation, test)``, each ``(images, labels)`` arrays
(50,000 / 10,000 / 10,000 images of 784 float32 pixels in [0, 1)); ``one_hot_encode(y)``; and
``load_data_together()`` returns the three parts as lists of ``(x (784, 1), y (10, 1) one-hot)``
pairs, test data included (the post's ``evaluate`` indexes ``y``). :func:`load_data_wrapper`
has Nielsen's original format instead: integer labels for the validation and test parts. The
lists are :class:`~fastscratch.pairs.PairList`: plain lists for the post's code, whose arrays
:mod:`fastscratch.nets.simple_nn` reads without a copy.

IDX files (``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
``t10k-images-idx3-ubyte.gz``, ``t10k-labels-idx1-ubyte.gz``; gzipped or not) become the
pickle's exact arrays: pixels ``/ 256`` as float32 (the pickle's brightest pixel is
``255/256 = 0.99609375``), the first 50,000 training images for training and the last 10,000
(a sixth) for validation, as ``mnist.pkl.gz`` was cut. Every header is checked (magic number, element
type, dimensions) and every size against the file's length; errors name the file and what is
wrong at which byte. Nothing is ever downloaded.
"""

from __future__ import annotations

import gzip
import os
import pickle
import struct
from pathlib import Path

import numpy as np

from fastscratch.errors import DatasetError
from fastscratch.pairs import PairList

__all__ = [
    "IDX_FILES", "PICKLE_FILE", "read_idx", "load_idx", "load_pickle", "load_data", "one_hot_encode",
    "load_data_together", "load_data_wrapper", "load_digits", "digits_together", "as_pairs",
]

IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
"""The official MNIST file names (without ``.gz``)."""
PICKLE_FILE = "mnist.pkl.gz"
VALIDATION_SHARE = 6
"""One training image in six is held out for validation, from the end of the training file:
MNIST's last 10,000 of 60,000, mnist.pkl.gz's cut."""

_IDX_TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
              0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}

Split = tuple  # (images float32[n, d], labels int64[n])


# ----------------------------------------------------------------------------- IDX


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            head = f.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as exc:
        raise DatasetError(f"{path}: cannot read the file ({exc})", path=path) from None


def read_idx(path, *, ndim: int | None = None) -> np.ndarray:
    """The array of an IDX file (gzipped or not), in native byte order.

    Header: two zero bytes, a type byte (0x08 uint8 ... 0x0E float64), the number of
    dimensions, then each dimension as a big-endian uint32; the data follow, exactly
    ``prod(dims)`` elements. ``ndim`` is the number of dimensions the caller expects.

    Raises
    ------
    DatasetError naming the file and the byte at fault.
    """
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise DatasetError(f"{path}: {len(raw)} bytes, too short for an IDX header (4 bytes of magic number)", path=path)
    zero, code, dims = struct.unpack(">HBB", raw[:4])
    if zero != 0:
        raise DatasetError(f"{path}: magic number {raw[:4].hex()} at byte 0 does not start with two zero bytes: "
                           "not an IDX file", path=path)
    if code not in _IDX_TYPES:
        raise DatasetError(f"{path}: element type 0x{code:02x} at byte 2 is not an IDX type", path=path)
    if ndim is not None and dims != ndim:
        raise DatasetError(f"{path}: byte 3 says {dims} dimensions, expected {ndim} "
                           f"({'images' if ndim == 3 else 'labels'})", path=path)
    header = 4 + 4 * dims
    if len(raw) < header:
        raise DatasetError(f"{path}: the header needs {header} bytes, the file has {len(raw)}", path=path)
    shape = struct.unpack(f">{dims}I", raw[4:header])
    dtype = _IDX_TYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DatasetError(f"{path}: the header (bytes 4-{header - 1}) declares shape {shape} of {dtype.name}, "
                           f"{expected} bytes of data, but {len(raw) - header} bytes follow it", path=path)
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _find(directory: Path, stem: str) -> Path | None:
    dotted = stem.replace("-idx", ".idx")
    for name in (stem + ".gz", stem, dotted + ".gz", dotted):
        if (directory / name).is_file():
            return directory / name
    return None


def _has_idx(directory: Path) -> bool:
    return all(_find(directory, stem) for stem in IDX_FILES.values())


def _idx_pair(directory: Path, images: str, labels: str) -> Split:
    pi, pl = _find(directory, IDX_FILES[images]), _find(directory, IDX_FILES[labels])
    missing = [IDX_FILES[k] for k, p in ((images, pi), (labels, pl)) if p is None]
    if missing:
        raise DatasetError(f"{directory}: no {' or '.join(missing)}[.gz] (the official MNIST IDX files)", path=directory)
    X = read_idx(pi, ndim=3)
    y = read_idx(pl, ndim=1)
    if X.dtype != np.uint8 or y.dtype != np.uint8:
        raise DatasetError(f"{pi if X.dtype != np.uint8 else pl}: MNIST files hold unsigned bytes, this one "
                           f"{(X if X.dtype != np.uint8 else y).dtype}", path=pi if X.dtype != np.uint8 else pl)
    if X.shape[0] != y.shape[0]:
        raise DatasetError(f"{pl}: {y.shape[0]} labels for the {X.shape[0]} images of {pi.name}", path=pl)
    if X.shape[0] == 0 or X.shape[1] == 0 or X.shape[2] == 0:
        raise DatasetError(f"{pi}: no images (shape {X.shape})", path=pi)
    bad = y > 9
    if bad.any():
        i = int(np.argmax(bad))
        raise DatasetError(f"{pl}: label {int(y[i])} of image {i} (byte {8 + i}) is not a digit 0-9", path=pl, row=i + 1)
    images = (X.reshape(X.shape[0], -1).astype(np.float32) / np.float32(256.0))
    return images, y.astype(np.int64)


def load_idx(directory, *, validation: int | None = None) -> tuple[Split, Split, Split]:
    """``(training, validation, test)`` from the four MNIST IDX files in ``directory``.

    Returns
    -------
    Three ``(images float32[n, rows * cols], labels int64[n])`` pairs: the training file's
    images but the last ``validation`` (default: a sixth, 10,000 for MNIST), those last
    ``validation``, and the test file's.
    """
    directory = Path(directory)
    train_X, train_y = _idx_pair(directory, "train_images", "train_labels")
    test = _idx_pair(directory, "test_images", "test_labels")
    if validation is None:
        validation = train_X.shape[0] // VALIDATION_SHARE
    if isinstance(validation, bool) or not isinstance(validation, int) or not 0 <= validation < train_X.shape[0]:
        raise DatasetError(f"{directory}: cannot hold out {validation} of {train_X.shape[0]} training images "
                           "for validation (pass a smaller validation=)", path=directory)
    cut = train_X.shape[0] - validation
    return (train_X[:cut], train_y[:cut]), (train_X[cut:], train_y[cut:]), test


# ----------------------------------------------------------------------------- the post's pickle


def load_pickle(path, *, allow_pickle: bool = False) -> tuple[Split, Split, Split]:
    """The three ``(images, labels)`` parts of the post's ``mnist.pkl.gz``.

    That file is a pickle: loading it can run arbitrary code, so this refuses unless
    ``allow_pickle=True``. The unpickled value is checked (three pairs of arrays, images of one
    width in [0, 1], labels 0-9 matching them) and returned as float32 images and int64 labels.
    """
    path = Path(path)
    if not allow_pickle:
        raise DatasetError(
            f"{path}: the post's mnist.pkl.gz is a pickle, which can run arbitrary code when loaded; "
            "pass allow_pickle=True only for a file you trust, or use the official IDX files "
            f"({', '.join(v + '.gz' for v in IDX_FILES.values())}) with load_idx()", path=path)
    try:
        with gzip.open(path, "rb") as f:
            parts = pickle.load(f, encoding="latin1")
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError) as exc:
        raise DatasetError(f"{path}: not a readable mnist.pkl.gz ({type(exc).__name__}: {exc})", path=path) from None
    if not (isinstance(parts, (tuple, list)) and len(parts) == 3):
        raise DatasetError(f"{path}: expected (training, validation, test), got {type(parts).__name__}", path=path)
    out, width = [], None
    for name, part in zip(("training", "validation", "test"), parts):
        if not (isinstance(part, (tuple, list)) and len(part) == 2):
            raise DatasetError(f"{path}: the {name} part is not an (images, labels) pair", path=path)
        X, y = np.asarray(part[0]), np.asarray(part[1])
        if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0] or X.shape[0] == 0:
            raise DatasetError(f"{path}: the {name} part has images {X.shape} and labels {y.shape}", path=path)
        if width is not None and X.shape[1] != width:
            raise DatasetError(f"{path}: the {name} images have {X.shape[1]} pixels, the training ones {width}", path=path)
        width = X.shape[1]
        if not np.issubdtype(X.dtype, np.number) or not np.isfinite(X).all() or X.min() < 0 or X.max() > 1:
            raise DatasetError(f"{path}: the {name} images must be finite pixels in [0, 1]", path=path)
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() > 9:
            raise DatasetError(f"{path}: the {name} labels must be digits 0-9", path=path)
        out.append((np.ascontiguousarray(X, dtype=np.float32), y.astype(np.int64)))
    return tuple(out)


# ----------------------------------------------------------------------------- the post's loader


def load_data(path=None, *, allow_pickle: bool = False) -> tuple[Split, Split, Split]:
    """The post's ``load_data()``: ``(training, validation, test)`` as ``(images, labels)`` arrays.

    ``path``: a directory with the IDX files, or a ``.pkl.gz`` file (needs ``allow_pickle=True``).
    Without one, the working directory is searched like the post's loader does: the IDX files
    first, then ``mnist.pkl.gz``.
    """
    if path is None:
        here = Path(os.getcwd())
        if _has_idx(here):
            return load_idx(here)
        if (here / PICKLE_FILE).is_file():
            return load_pickle(here / PICKLE_FILE, allow_pickle=allow_pickle)
        raise DatasetError(
            f"{here}: no MNIST here: put the official IDX files ({', '.join(v + '.gz' for v in IDX_FILES.values())}) "
            f"or the post's {PICKLE_FILE} in this directory, or pass path=. Nothing is downloaded; "
            "load_digits() has scikit-learn's embedded 8x8 digits.", path=here)
    path = Path(path)
    if path.is_dir():
        return load_idx(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file or directory", path=path)
    return load_pickle(path, allow_pickle=allow_pickle)


def one_hot_encode(y):
    """The post's ``(10, 1)`` column with a 1.0 in row ``y``."""
    encoded = np.zeros((10, 1))
    encoded[y] = 1.0
    return encoded


def as_pairs(X, y, *, one_hot: bool = True, classes: int = 10) -> PairList:
    """``(x (d, 1), y)`` pairs over ``X`` (n, d) and integer labels ``y`` (n,): ``y`` one-hot
    ``(classes, 1)`` float64 columns (the post's), or with ``one_hot=False`` the int labels."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise DatasetError(f"y must be integer labels (n,), got shape {y.shape} and dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= classes):
        i = int(np.argmax((y < 0) | (y >= classes)))
        raise DatasetError(f"label {y[i]} at index {i} is out of range for {classes} classes")
    if not one_hot:
        return PairList(X, y.astype(np.int64))
    T = np.zeros((y.shape[0], classes))
    T[np.arange(y.shape[0]), y] = 1.0
    return PairList(X, T)


def load_data_together(path=None, *, allow_pickle: bool = False) -> tuple[PairList, PairList, PairList]:
    """The post's ``load_data_together()``: training, validation and test lists of
    ``(x (784, 1) float32, y (10, 1) one-hot)`` pairs."""
    return tuple(as_pairs(X, y) for X, y in load_data(path, allow_pickle=allow_pickle))


def load_data_wrapper(path=None, *, allow_pickle: bool = False) -> tuple[PairList, PairList, PairList]:
    """Nielsen's original format: one-hot training pairs, integer labels for validation and test."""
    (trX, trY), (vaX, vaY), (teX, teY) = load_data(path, allow_pickle=allow_pickle)
    return as_pairs(trX, trY), as_pairs(vaX, vaY, one_hot=False), as_pairs(teX, teY, one_hot=False)


# ----------------------------------------------------------------------------- scikit-learn's digits

DIGITS_SPLIT = (1197, 300, 300)
"""Training, validation and test sizes of the embedded digits, in the file's order."""


def load_digits() -> tuple[Split, Split, Split]:
    """scikit-learn's 1,797 real 8x8 handwritten digits (UCI's, shipped inside the scikit-learn
    wheel: offline) as ``(training, validation, test)``: 1,197 / 300 / 300 in the file's order,
    64 float32 pixels ``/ 16`` in [0, 1], int64 labels."""
    try:
        from sklearn.datasets import load_digits as sk_load_digits
    except ImportError:
        raise ImportError("the embedded digits need scikit-learn: pip install 'scikit-learn>=1.3'") from None
    digits = sk_load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    a, b, _ = DIGITS_SPLIT
    return (X[:a], y[:a]), (X[a : a + b], y[a : a + b]), (X[a + b :], y[a + b :])


def digits_together() -> tuple[PairList, PairList, PairList]:
    """The embedded digits in the post's format: ``(x (64, 1), y (10, 1) one-hot)`` pairs."""
    return tuple(as_pairs(X, y) for X, y in load_digits())
