"""fastscratch: a Numba-accelerated, drop-in ScratchNet.

``fastscratch.ScratchNet`` replaces the original class (same constructor, attributes and
methods) and adds ``fit``; ``fastscratch.reference`` is the original, in pure NumPy.
"""

from ._version import __version__
from .metrics import ClassificationReport, classification_report
from .model import History, ScratchNet, TrainingDivergedError
from .classifier import PIIClassifier
from .modelfile import ModelFileError
from .vectors import Vectors


__all__ = [
    "ScratchNet",
    "PIIClassifier",
    "ModelFileError",
    "History",
    "TrainingDivergedError",
    "ClassificationReport",
    "classification_report",
    "Vectors",
    "__version__",
]
