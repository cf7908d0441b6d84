"""``PIIClassifier``: documents in, probability of leftover PII out (GloVe means + ScratchNet)."""

from __future__ import annotations

import hashlib
from typing import Callable, Sequence

import numpy as np

from ._version import __version__
from .metrics import ClassificationReport, classification_report
from .model import NOTEBOOK, History, ScratchNet
from .modelfile import ModelFileError, load_arrays, save_arrays

__all__ = ["PIIClassifier", "vectors_fingerprint"]


def vectors_fingerprint(vectors) -> dict:
    """``{"dim", "count", "sha256"}`` of a word-vector store: the hash covers the words (UTF-8
    blob and offsets) and every vector's bytes, so a model is never paired with other vectors."""
    cached = getattr(vectors, "_fastscratch_fingerprint", None)
    if cached is not None:
        return dict(cached)
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(vectors.offsets).tobytes())
    h.update(np.ascontiguousarray(vectors.blob).tobytes())
    matrix = vectors.matrix
    step = max(1, (64 << 20) // max(1, matrix.shape[1] * matrix.itemsize))
    for start in range(0, matrix.shape[0], step):  # in slices: a memory-mapped store stays mapped
        h.update(np.ascontiguousarray(matrix[start : start + step]).tobytes())
    fp = {"dim": int(vectors.dim), "count": int(len(vectors)), "sha256": h.hexdigest()}
    try:
        vectors._fastscratch_fingerprint = dict(fp)
    except AttributeError:
        pass
    return fp


class PIIClassifier:
    """Does a document still contain personal data? sklearn-style, over raw text.

    Features are the reference's averaged word vectors (``vectors.embed``), the model a
    :class:`~fastscratch.ScratchNet`; a probability above ``threshold`` means "has PII".

    Parameters
    ----------
    vectors : fastscratch.Vectors
        The word-vector store (``Vectors.glove_6b_50d()``, ``Vectors.load(path)``, ...).
    hidden_sizes, dropout
        The network (defaults: the original's [512, 256] and 0.1).
    threshold : float
        Decision threshold of :meth:`predict` and :meth:`evaluate`.
    dtype, rng, seed
        As for :class:`~fastscratch.ScratchNet`.
    """

    def __init__(
        self,
        vectors,
        *,
        hidden_sizes: Sequence[int] = (512, 256),
        dropout: float = 0.1,
        threshold: float = 0.5,
        dtype=np.float32,
        rng: str = "counter",
        seed: int | None = None,
    ):
        self.vectors = vectors
        self.threshold = _threshold(threshold)
        self.net = ScratchNet(vectors.dim, hidden_sizes, dropout, dtype=dtype, rng=rng, seed=seed)
        self.history: History | None = None
        self.hyperparameters: dict = {}

    def features(self, texts) -> np.ndarray:
        """float32 (n, dim) averaged word vectors of ``texts`` (list, Series or Arrow array of str)."""
        return self.vectors.embed(texts)

    def fit(
        self,
        texts,
        labels,
        *,
        epochs: int = NOTEBOOK["epochs"],
        batch_size: int = NOTEBOOK["batch_size"],
        lr: float = NOTEBOOK["lr"],
        l2_lambda: float = NOTEBOOK["l2_lambda"],
        pos_weight: float = NOTEBOOK["pos_weight"],
        shuffle: bool = False,
        seed: int | None = None,
        accuracy: str = "train",
        verbose: bool = False,
        progress: bool = False,
        callback: Callable[[int, float, float, float], None] | None = None,
        threads: int | None = None,
    ) -> History:
        """Featurize ``texts`` and train the network (see :meth:`ScratchNet.fit`); returns the history."""
        X = self.features(texts)
        self.history = self.net.fit(
            X, labels, epochs=epochs, batch_size=batch_size, lr=lr, l2_lambda=l2_lambda,
            pos_weight=pos_weight, shuffle=shuffle, seed=seed, accuracy=accuracy,
            verbose=verbose, progress=progress, callback=callback, threads=threads,
        )
        self.hyperparameters = dict(epochs=epochs, batch_size=batch_size, lr=lr, l2_lambda=l2_lambda,
                                    pos_weight=pos_weight, shuffle=shuffle, accuracy=accuracy)
        return self.history

    def predict_proba(self, texts) -> np.ndarray:
        """float64 (n,) probability that each document still contains PII."""
        return self.net.predict_proba(self.features(texts))

    def predict(self, texts, threshold: float | None = None) -> np.ndarray:
        """int64 (n,) 0/1: probability above the threshold."""
        t = self.threshold if threshold is None else _threshold(threshold)
        return (self.predict_proba(texts) > t).astype(np.int64)

    def evaluate(self, texts, labels, threshold: float | None = None) -> ClassificationReport:
        """The notebook's report (per-class precision/recall/F1/support, averages, accuracy,
        confusion matrix) and ROC-AUC."""
        t = self.threshold if threshold is None else _threshold(threshold)
        probs = self.predict_proba(texts)
        y = np.asarray(labels).astype(np.int64).reshape(-1)
        if y.shape[0] != probs.shape[0]:
            raise ValueError(f"{y.shape[0]} labels for {probs.shape[0]} texts")
        return classification_report(y, (probs > t).astype(np.int64), probs)

    # ---------------------------------------------------------------- files

    def save(self, path) -> None:
        """Write the model (safe format, atomically) with its metadata and vector fingerprint."""
        net = self.net
        meta = {
            "fastscratch_version": __version__,
            "architecture": {
                "input_size": net.input_size,
                "hidden_sizes": list(net.hidden_sizes),
                "dropout": net.dropout,
                "dtype": net.dtype.name,
            },
            "threshold": self.threshold,
            "hyperparameters": self.hyperparameters,
            "training": None if self.history is None else self.history.as_dict(),
            "vectors": vectors_fingerprint(self.vectors),
        }
        save_arrays(path, net.layers, meta)

    @classmethod
    def load(cls, path, vectors) -> "PIIClassifier":
        """Read a model written by :meth:`save`; ``vectors`` must be the store it was trained with.

        Raises ModelFileError for a bad file or vectors whose fingerprint differs.
        """
        layers, meta = load_arrays(path)
        expected = meta.get("vectors")
        if not isinstance(expected, dict):
            raise ModelFileError(f"{path}: the model records no word-vector fingerprint")
        actual = vectors_fingerprint(vectors)
        if actual != expected:
            raise ModelFileError(
                f"{path}: the model was trained with other word vectors "
                f"({expected.get('count')} words x {expected.get('dim')}, sha256 {str(expected.get('sha256'))[:12]}...) "
                f"than the ones given ({actual['count']} x {actual['dim']}, sha256 {actual['sha256'][:12]}...)"
            )
        arch = meta["architecture"]
        clf = cls(vectors, hidden_sizes=arch["hidden_sizes"], dropout=float(arch.get("dropout", 0.1)),
                  threshold=float(meta.get("threshold", 0.5)), dtype=np.dtype(arch["dtype"]), seed=0)
        clf.net.layers = layers
        clf.hyperparameters = meta.get("hyperparameters") or {}
        training = meta.get("training")
        if training:
            clf.history = History(list(training["loss"]), list(training["accuracy"]), list(training["seconds"]))
        return clf


def _threshold(t) -> float:
    if isinstance(t, bool) or not isinstance(t, (int, float, np.floating)) or not 0 <= t <= 1:
        raise ValueError(f"threshold must be a number in [0, 1], got {t!r}")
    return float(t)
