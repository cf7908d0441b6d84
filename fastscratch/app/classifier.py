"""``PIIClassifier``: documents in, probability of leftover PII out (word vectors + ScratchNet).

Two configurations, one argument apart:

* the **detector** (the default): averaged GloVe vectors, token-shape features (what the
  unknown tokens look like: e-mails, SSNs, card numbers, the ``[EMAIL]`` mask tokens; see
  ``fastscratch.text.shapes``) and the validated PII recognizers' counts (``log1p`` of the
  e-mails, phones, SSNs, URLs and card numbers found, and of the mask tokens of each type; see
  ``fastscratch.text.recognizers``), standardized, and trained with per-epoch shuffling and
  early stopping on a validation split;
* the **notebook**'s (``PIIClassifier.notebook(vectors)``): the GloVe mean alone, raw, trained
  with the notebook's plain schedule, exactly as the original.

QUALITY.md compares them.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from fastscratch._version import __version__
from fastscratch.app.modelfile import load_arrays, save_arrays
from fastscratch.errors import ModelFileError, ParameterError
from fastscratch.metrics import ClassificationReport, classification_report
from fastscratch.nets.checks import as_labels
from fastscratch.nets.checks import threshold as checked_threshold
from fastscratch.nets.defaults import DROPOUT, HIDDEN_SIZES, NOTEBOOK, THRESHOLD
from fastscratch.nets.scratchnet import History, ScratchNet, validation_split
from fastscratch.text import pii as _pii
from fastscratch.text.recognizers import RULES_VERSION, TYPES
from fastscratch.text.shapes import DEFAULT_BUCKETS

__all__ = ["PIIClassifier", "FEATURES", "PII_COLUMNS", "DETECTOR_TRAINING", "NOTEBOOK_TRAINING",
           "vectors_fingerprint"]

FEATURES = ("glove", "glove+shapes", "glove+shapes+pii")
"""Feature configurations: the GloVe mean (the notebook's), the mean plus token shapes, and those
plus the PII recognizers' counts (the default)."""

PII_COLUMNS: tuple[str, ...] = tuple(f"found_{t}" for t in TYPES) + tuple(
    f"masked_{t}" for t in TYPES)
"""The recognizer columns of ``'glove+shapes+pii'``, each ``log1p`` of a count: the values found
of each type, then the mask tokens (``MASK_TOKENS``) of each type."""

NOTEBOOK_TRAINING = dict(NOTEBOOK, shuffle=False, validation=None, patience=None)
"""The notebook's schedule: plain SGD over the rows in file order for 60 epochs."""

DETECTOR_TRAINING = dict(NOTEBOOK, lr=0.03, l2_lambda=0.001, shuffle=True, validation=0.1, patience=8)
"""The detector's schedule (QUALITY.md): the notebook's epochs, batch size and positive weight
with a higher learning rate and less weight decay, shuffled every epoch, stopped when the loss
on a 10 % validation split has not improved for 8 epochs (the best epoch's weights are kept)."""

CLIP = 5.0
"""Standardized features are clipped to this many standard deviations (see ``PIIClassifier``)."""

_SHAPE_FEATURES_VERSION = 1  # the rule of fastscratch.text.shapes; a model records the one it was trained with
_STANDARDIZE_ARRAYS = ("feature_mean", "feature_scale")


def vectors_fingerprint(vectors) -> dict:
    """``vectors.fingerprint``: ``{"dim", "count", "sha256"}`` of a word-vector store (see
    :attr:`fastscratch.Vectors.fingerprint`)."""
    return vectors.fingerprint


class PIIClassifier:
    """Does a document still contain personal data? sklearn-style, over raw text.

    Parameters
    ----------
    vectors : fastscratch.Vectors
        The word-vector store (``Vectors.glove_6b_50d()``, ``Vectors.load(path)``, ...).
    features : {'glove+shapes+pii', 'glove+shapes', 'glove'}
        ``'glove+shapes+pii'``: ``vectors.embed(texts, shapes=shape_buckets, pii=True)``, the
        mean vector, ``shape_buckets`` shape shares, the unknown-token share and the ten
        recognizer columns (``PII_COLUMNS``, ``log1p`` of the counts).
        ``'glove+shapes'``: the same without the recognizer columns.
        ``'glove'``: the mean vector alone (the notebook's features).
    shape_buckets : int
        Hash buckets of the token shapes (with ``'glove+shapes'``).
    standardize : bool
        Scale each feature to zero mean and unit variance over the training rows (the mean and
        scale are computed by :meth:`fit` and saved in the model file).
    clip : float or None
        With ``standardize``, clip the standardized features to ``[-clip, clip]`` (default 5):
        a document unlike the training set (a one-line message whose only unknown token is a
        quarter of its words) would otherwise put some shape share dozens of standard
        deviations out and outvote every other feature. Recorded in the model file.
    training : {'detector', 'notebook'} or dict
        The defaults of :meth:`fit`: ``DETECTOR_TRAINING`` or ``NOTEBOOK_TRAINING`` (or a dict
        of ``fit`` keyword arguments).
    hidden_sizes, dropout
        The network (defaults: the notebook's, ``fastscratch.nets.defaults``).
    threshold : float
        Decision threshold of :meth:`predict` and :meth:`evaluate`.
    dtype, rng, seed
        As for :class:`~fastscratch.ScratchNet`.
    """

    def __init__(
        self,
        vectors,
        *,
        features: str = "glove+shapes+pii",
        shape_buckets: int = DEFAULT_BUCKETS,
        standardize: bool = True,
        clip: float | None = CLIP,
        training: str | dict = "detector",
        hidden_sizes: Sequence[int] = HIDDEN_SIZES,
        dropout: float = DROPOUT,
        threshold: float = THRESHOLD,
        dtype=np.float32,
        rng: str = "counter",
        seed: int | None = None,
    ):
        if features not in FEATURES:
            raise ParameterError(f"features must be one of {FEATURES}, not {features!r}")
        if isinstance(shape_buckets, bool) or not isinstance(shape_buckets, (int, np.integer)) or not (
            1 <= shape_buckets <= 1 << 16
        ):
            raise ParameterError(f"shape_buckets must be an integer in [1, 65536], not {shape_buckets!r}")
        self.vectors = vectors
        self.features_kind = features
        self.shape_buckets = int(shape_buckets)
        self.standardize = bool(standardize)
        if clip is not None and (isinstance(clip, bool) or not isinstance(clip, (int, float)) or not clip > 0
                                 or not np.isfinite(clip)):
            raise ParameterError(f"clip must be a positive number or None, not {clip!r}")
        self.clip = float(clip) if clip is not None and self.standardize else None
        self.training = _training_defaults(training)
        self.threshold = checked_threshold(threshold)
        self.feature_mean: np.ndarray | None = None
        self.feature_scale: np.ndarray | None = None
        self.net = ScratchNet(self.input_size, hidden_sizes, dropout, dtype=dtype, rng=rng, seed=seed)
        self.history: History | None = None
        self.hyperparameters: dict = {}

    @classmethod
    def notebook(cls, vectors, **kwargs) -> "PIIClassifier":
        """The notebook-faithful configuration: the raw GloVe mean and the notebook's schedule."""
        kwargs = dict(features="glove", standardize=False, training="notebook", **kwargs)
        return cls(vectors, **kwargs)

    @property
    def shapes(self) -> int:
        """Shape buckets in the features (0 for ``'glove'``)."""
        return self.shape_buckets if self.features_kind != "glove" else 0

    @property
    def pii(self) -> bool:
        """The features end with the recognizer columns (``PII_COLUMNS``)."""
        return self.features_kind == "glove+shapes+pii"

    @property
    def input_size(self) -> int:
        """Feature columns: ``vectors.dim``, plus ``shape_buckets + 1`` with shapes, plus 10 with
        the recognizers."""
        return self.vectors.feature_width(self.shapes, self.pii)

    @property
    def feature_spec(self) -> dict:
        """What the model file records of the features, and checks on load."""
        spec = {"kind": self.features_kind, "width": self.input_size, "standardize": self.standardize}
        if self.clip is not None:
            spec["clip"] = self.clip
        if self.shapes:
            spec.update(shape_buckets=self.shape_buckets, shape_version=_SHAPE_FEATURES_VERSION)
        if self.pii:
            spec.update(pii_version=RULES_VERSION, pii_columns=list(PII_COLUMNS))
        return spec

    # ---------------------------------------------------------------- features

    def features(self, texts, *, nulls: str = "error") -> np.ndarray:
        """float32[n, input_size]: the raw features of ``texts`` (list, Series or Arrow array of str)."""
        X = self.vectors.embed(texts, nulls=nulls, shapes=self.shapes, pii=self.pii)
        if self.pii:  # counts to log1p(counts): a document with fifty values is not fifty times as sure
            counts = X[:, X.shape[1] - len(PII_COLUMNS):]
            np.log1p(counts, out=counts)
        return X

    def find(self, texts, *, nulls: str = "error") -> _pii.Spans:
        """Where each document's PII is: the recognizers' spans (``fastscratch.text.pii.find``),
        character offsets into each ``str`` with their type; ``spans[d]`` lists document ``d``'s."""
        return _pii.find(texts, nulls=nulls)

    def redact(self, texts, *, nulls: str = "error") -> list:
        """Each document with every value :meth:`find` finds replaced by its mask token
        (``MASK_TOKENS``: ``[EMAIL]``, ``[PHONE]``, ``[SSN]``, ``[URL]``, ``[CREDIT_CARD]``)."""
        return _pii.redact(texts, nulls=nulls)

    def transform(self, texts, *, nulls: str = "error") -> np.ndarray:
        """float32[n, input_size]: the network's input, the features standardized when the model is."""
        return self._standardized(self.features(texts, nulls=nulls))

    def _standardize_after_fit(self, X: np.ndarray, X_val: np.ndarray | None):
        """Fit the standardization on ``X`` (the training rows) and apply it to ``X`` and
        ``X_val`` in place (when this classifier standardizes); returns ``X_val``."""
        if self.standardize:
            self._fit_standardization(X)
            self._standardized(X)
            if X_val is not None:
                self._standardized(X_val)
        return X_val

    def _standardized(self, X: np.ndarray) -> np.ndarray:
        if not self.standardize:
            return X
        if self.feature_mean is None:
            raise RuntimeError("this classifier standardizes its features: call fit() (or load a model) first")
        X -= self.feature_mean
        X /= self.feature_scale
        if self.clip is not None:
            np.clip(X, -self.clip, self.clip, out=X)
        return X

    def _fit_standardization(self, X: np.ndarray) -> None:
        """The mean and scale of the rows of ``X`` (the training rows only: never the validation split)."""
        mean = X.mean(axis=0, dtype=np.float64)
        scale = X.std(axis=0, dtype=np.float64)
        scale[scale < 1e-6] = 1.0  # a constant column (a shape bucket no training token hits)
        self.feature_mean = mean.astype(np.float32)
        self.feature_scale = scale.astype(np.float32)

    # ---------------------------------------------------------------- training and scoring

    def fit(
        self,
        texts,
        labels,
        *,
        callback: Callable[[int, float, float, float], None] | None = None,
        verbose: bool = False,
        progress: bool = False,
        threads: int | None = None,
        accuracy: str = "train",
        seed: int | None = None,
        **schedule,
    ) -> History:
        """Featurize ``texts``, fit the standardization, and train the network.

        ``schedule`` overrides this classifier's ``training`` defaults: ``epochs``,
        ``batch_size``, ``lr``, ``l2_lambda``, ``pos_weight``, ``shuffle``, ``validation``
        (a held-out fraction or ``(texts, labels)``), ``patience``, ``min_delta``,
        ``restore_best`` (see :meth:`ScratchNet.fit`). Returns the history.
        """
        unknown = set(schedule) - {*DETECTOR_TRAINING, "min_delta", "restore_best"}
        if unknown:
            raise TypeError(f"fit() got unexpected keyword arguments {sorted(unknown)}")
        plan = dict(self.training, **schedule)
        X = self.features(texts)
        validation = plan.get("validation")
        if validation is not None and not isinstance(validation, tuple):
            # the network would split the same rows (same seed): split here, so that the
            # standardization is fitted on the training rows alone
            y = as_labels(labels, X.shape[0])
            train, val = validation_split(y, validation, seed)
            X, X_val, labels, y_val = X[train], X[val], y[train], y[val]
            plan["validation"] = (self._standardize_after_fit(X, X_val), y_val)
        elif isinstance(validation, tuple):
            val_texts, val_labels = validation
            self._standardize_after_fit(X, None)
            plan["validation"] = (self.transform(val_texts), val_labels)
        else:
            self._standardize_after_fit(X, None)
        self.history = self.net.fit(
            X, labels, seed=seed, accuracy=accuracy, verbose=verbose, progress=progress, callback=callback,
            threads=threads, **plan,
        )
        recorded = dict(plan, validation=None if isinstance(validation, tuple) else validation,
                        accuracy=accuracy, seed=seed)
        if isinstance(validation, tuple):
            recorded["validation"] = "given"
        self.hyperparameters = recorded
        return self.history

    def predict_proba(self, texts, *, nulls: str = "error") -> np.ndarray:
        """float64[n]: probability that each document still contains PII (empty for no documents)."""
        X = self.transform(texts, nulls=nulls)
        if X.shape[0] == 0:
            return np.empty(0, dtype=np.float64)
        return self.net.predict_proba(X)

    def predict(self, texts, threshold: float | None = None) -> np.ndarray:
        """int64[n] 0/1: probability above the threshold."""
        t = self.threshold if threshold is None else checked_threshold(threshold)
        return (self.predict_proba(texts) > t).astype(np.int64)

    def evaluate(self, texts, labels, threshold: float | None = None) -> ClassificationReport:
        """The notebook's report (per-class precision/recall/F1/support, averages, accuracy,
        confusion matrix) and ROC-AUC."""
        return self.report(self.predict_proba(texts), labels, threshold)

    def report(self, probs, labels, threshold: float | None = None) -> ClassificationReport:
        """:meth:`evaluate`'s report for probabilities already computed (float64[n])."""
        t = self.threshold if threshold is None else checked_threshold(threshold)
        probs = np.asarray(probs, dtype=np.float64)
        y = as_labels(labels, probs.shape[0], name="labels", features="texts").astype(np.int64)
        return classification_report(y, (probs > t).astype(np.int64), probs)

    # ---------------------------------------------------------------- files

    def save(self, path) -> None:
        """Write the model (safe format, atomically) with its metadata, feature spec, the
        standardization's mean and scale, and the vector fingerprint."""
        net = self.net
        meta = {
            "fastscratch_version": __version__,
            "architecture": {
                "input_size": net.input_size,
                "hidden_sizes": list(net.hidden_sizes),
                "dropout": net.dropout,
                "dtype": net.dtype.name,
            },
            "features": self.feature_spec,
            "threshold": self.threshold,
            "hyperparameters": self.hyperparameters,
            "training": None if self.history is None else self.history.as_dict(),
            "vectors": self.vectors.fingerprint,
        }
        extra = {}
        if self.standardize:
            if self.feature_mean is None:
                raise RuntimeError("an unfitted standardizing classifier has no mean and scale to save: fit() first")
            extra = {"feature_mean": self.feature_mean, "feature_scale": self.feature_scale}
        save_arrays(path, net.layers, meta, extra=extra)

    @classmethod
    def load(cls, path, vectors) -> "PIIClassifier":
        """Read a model written by :meth:`save`; ``vectors`` must be the store it was trained with.

        Raises ModelFileError for a bad file, vectors whose fingerprint differs, or a feature
        spec this fastscratch cannot reproduce. A file without a feature spec (fastscratch
        before 0.3) holds a ``'glove'`` model.
        """
        layers, meta, extra = load_arrays(path, with_extra=True)
        expected = meta.get("vectors")
        if not isinstance(expected, dict):
            raise ModelFileError(f"{path}: the model records no word-vector fingerprint")
        actual = vectors.fingerprint
        if actual != expected:
            raise ModelFileError(
                f"{path}: the model was trained with other word vectors "
                f"({expected.get('count')} words x {expected.get('dim')}, sha256 {str(expected.get('sha256'))[:12]}...) "
                f"than the ones given ({actual['count']} x {actual['dim']}, sha256 {actual['sha256'][:12]}...)"
            )
        arch = meta["architecture"]
        spec = meta.get("features") or {"kind": "glove", "width": arch["input_size"], "standardize": False}
        clf = cls(vectors, **_spec_arguments(path, spec), hidden_sizes=arch["hidden_sizes"],
                  dropout=float(arch.get("dropout", DROPOUT)), threshold=float(meta.get("threshold", THRESHOLD)),
                  dtype=np.dtype(arch["dtype"]), seed=0)
        if clf.feature_spec != spec or clf.input_size != arch["input_size"]:
            raise ModelFileError(
                f"{path}: the feature spec {spec} does not match its architecture (input_size "
                f"{arch['input_size']}) with these vectors ({vectors.dim}-d): this fastscratch would compute "
                f"{clf.input_size} columns"
            )
        if clf.standardize:
            clf.feature_mean, clf.feature_scale = extra["feature_mean"], extra["feature_scale"]
        clf.net.layers = layers
        clf.hyperparameters = meta.get("hyperparameters") or {}
        training = meta.get("training")
        if training:
            fields = ("loss", "accuracy", "seconds", "val_loss", "val_accuracy", "best_epoch", "stopped_epoch")
            clf.history = History(**{k: training[k] for k in fields if k in training})
        return clf


def _spec_arguments(path, spec) -> dict:
    """Constructor arguments for a model file's feature spec; ModelFileError for one this
    fastscratch does not know."""
    kind = spec.get("kind") if isinstance(spec, dict) else None
    if kind not in FEATURES:
        raise ModelFileError(f"{path}: unknown feature configuration {spec!r}; this fastscratch knows {FEATURES}")
    args = {"features": kind, "standardize": bool(spec.get("standardize", False)), "clip": spec.get("clip")}
    if args["clip"] is not None and (isinstance(args["clip"], bool) or not isinstance(args["clip"], (int, float))
                                     or not args["clip"] > 0):
        raise ModelFileError(f"{path}: invalid clip {args['clip']!r} in the feature spec")
    if kind != "glove":
        if spec.get("shape_version") != _SHAPE_FEATURES_VERSION:
            raise ModelFileError(f"{path}: token shapes of version {spec.get('shape_version')!r}; "
                                 f"this fastscratch computes version {_SHAPE_FEATURES_VERSION}")
        buckets = spec.get("shape_buckets")
        if isinstance(buckets, bool) or not isinstance(buckets, int) or not 1 <= buckets <= 1 << 16:
            raise ModelFileError(f"{path}: invalid shape_buckets {buckets!r} in the feature spec")
        args["shape_buckets"] = buckets
    if kind == "glove+shapes+pii":
        if spec.get("pii_version") != RULES_VERSION:
            raise ModelFileError(f"{path}: PII recognizers of version {spec.get('pii_version')!r}; "
                                 f"this fastscratch runs version {RULES_VERSION}")
        if spec.get("pii_columns") != list(PII_COLUMNS):
            raise ModelFileError(f"{path}: recognizer columns {spec.get('pii_columns')!r}; this fastscratch "
                                 f"computes {list(PII_COLUMNS)}")
    return args


def _training_defaults(training) -> dict:
    if isinstance(training, dict):
        unknown = set(training) - {*DETECTOR_TRAINING, "min_delta", "restore_best"}
        if unknown:
            raise ParameterError(f"unknown training settings {sorted(unknown)}")
        return dict(DETECTOR_TRAINING, **training)
    if training == "detector":
        return dict(DETECTOR_TRAINING)
    if training == "notebook":
        return dict(NOTEBOOK_TRAINING)
    raise ParameterError(f"training must be 'detector', 'notebook' or a dict, not {training!r}")

