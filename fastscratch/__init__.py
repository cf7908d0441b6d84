"""fastscratch: a Numba-accelerated, drop-in ScratchNet.

``fastscratch.ScratchNet`` replaces the original class (same constructor, attributes and
methods) and adds ``fit``; ``fastscratch.reference`` is the original, in pure NumPy.
"""

from .metrics import ClassificationReport, classification_report
from .model import History, ScratchNet, TrainingDivergedError
from .vectors import Vectors

__version__ = "0.1.0"

__all__ = [
    "ScratchNet",
    "History",
    "TrainingDivergedError",
    "ClassificationReport",
    "classification_report",
    "Vectors",
    "__version__",
]
