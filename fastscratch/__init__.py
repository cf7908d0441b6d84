"""fastscratch: a Numba-accelerated, drop-in ScratchNet.

``fastscratch.ScratchNet`` replaces the original class (same constructor, attributes and
methods) and adds ``fit``; ``fastscratch.reference`` is the original, in pure NumPy.
"""

from fastscratch._version import __version__
from fastscratch.metrics import ClassificationReport, classification_report
from fastscratch.nets.scratchnet import History, ScratchNet, TrainingDivergedError
from fastscratch.app.classifier import PIIClassifier
from fastscratch.app.modelfile import ModelFileError
from fastscratch.text.vectors import Vectors


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
