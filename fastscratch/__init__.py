"""fastscratch: a Numba-accelerated, drop-in ScratchNet.

``fastscratch.ScratchNet`` replaces the original class (same constructor, attributes and
methods) and adds ``fit``; ``fastscratch.reference`` is the original, in pure NumPy. Every
error fastscratch raises on purpose is a ``fastscratch.FastscratchError`` (see
``fastscratch.errors``).
"""

from fastscratch import errors
from fastscratch._version import __version__
from fastscratch.app.classifier import PIIClassifier
from fastscratch.errors import *  # noqa: F403 - every error type, listed in errors.__all__
from fastscratch.metrics import ClassificationReport, classification_report
from fastscratch.nets.scratchnet import History, ScratchNet
from fastscratch.text.vectors import Vectors

__all__ = [
    "ScratchNet",
    "PIIClassifier",
    "History",
    "ClassificationReport",
    "classification_report",
    "Vectors",
    *errors.__all__,
    "__version__",
]
