"""The notebook's evaluation: the confusion matrix and the classification report, with ROC-AUC
and PR-AUC (average precision) from scores, all computed by scikit-learn as the notebook did.

scikit-learn is imported inside the functions, when a report is made: it costs about a second
(it loads SciPy and pandas), which no command that does not evaluate should pay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ClassificationReport:
    """Binary classification report, as sklearn's ``classification_report`` prints it.

    ``per_class[c]`` holds ``precision``, ``recall``, ``f1`` and ``support`` for class 0 and 1;
    ``confusion[i, j]`` counts rows of true class ``i`` predicted ``j``.
    """

    accuracy: float
    per_class: dict
    macro_avg: dict
    weighted_avg: dict
    confusion: np.ndarray
    roc_auc: float | None = field(default=None)
    pr_auc: float | None = field(default=None)

    def as_dict(self) -> dict:
        """JSON-ready: per-class figures keyed ``"0"``/``"1"``, the confusion matrix as lists."""
        out = {
            "accuracy": self.accuracy,
            "per_class": {str(k): v for k, v in self.per_class.items()},
            "macro_avg": self.macro_avg,
            "weighted_avg": self.weighted_avg,
            "confusion_matrix": self.confusion.tolist(),
        }
        if self.roc_auc is not None:
            out["roc_auc"] = self.roc_auc
        if self.pr_auc is not None:
            out["pr_auc"] = self.pr_auc
        return out

    def __str__(self) -> str:
        lines = [f"{'':>14}{'precision':>10}{'recall':>10}{'f1-score':>10}{'support':>10}", ""]
        for c in (0, 1):
            m = self.per_class[c]
            lines.append(f"{c:>14}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}{m['support']:>10d}")
        total = int(self.confusion.sum())
        lines += ["", f"{'accuracy':>14}{'':>10}{'':>10}{self.accuracy:>10.4f}{total:>10d}"]
        for name, m in (("macro avg", self.macro_avg), ("weighted avg", self.weighted_avg)):
            lines.append(f"{name:>14}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}{total:>10d}")
        lines += ["", "confusion matrix (rows: true 0/1, columns: predicted 0/1)", str(self.confusion)]
        if self.roc_auc is not None:
            lines.append(f"ROC-AUC: {self.roc_auc:.4f}")
        if self.pr_auc is not None:
            lines.append(f"PR-AUC (average precision): {self.pr_auc:.4f}")
        return "\n".join(lines)


LABELS = (0, 1)
"""The two classes: 0 = no PII left, 1 = still contains PII."""


def confusion_matrix(y_true, y_pred) -> np.ndarray:
    """int64[2, 2]: ``[i, j]`` = rows with true label ``i`` and prediction ``j``."""
    t, p = _labels(y_true), _labels(y_pred)
    if t.size == 0:
        return np.zeros((2, 2), np.int64)
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    return sk_confusion_matrix(t, p, labels=list(LABELS)).astype(np.int64)


def roc_auc(y_true, scores) -> float | None:
    """Area under the ROC curve (ties counted half); None when only one class is present."""
    t = np.asarray(y_true).astype(bool).reshape(-1)
    if t.all() or not t.any():
        return None
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(t, _scores(scores)))


def average_precision(y_true, scores) -> float | None:
    """Area under the precision-recall curve as average precision (scikit-learn's
    ``average_precision_score``): ``sum((R_k - R_{k-1}) * P_k)`` over the distinct score
    thresholds, highest first; None when there is no positive."""
    t = np.asarray(y_true).astype(bool).reshape(-1)
    if not t.any():
        return None
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(t, _scores(scores)))


def classification_report(y_true, y_pred, scores=None) -> ClassificationReport:
    """Precision, recall, F1 and support per class, their macro and weighted averages,
    accuracy and the confusion matrix; ROC-AUC and PR-AUC too when ``scores`` are given.

    Parameters
    ----------
    y_true, y_pred : int[n]
        0/1 labels and predictions.
    scores : float[n], optional
        The predicted probabilities (or any score that orders the rows).

    A ratio whose denominator is zero (no prediction of a class, no row of a class) is 0, as
    scikit-learn's ``zero_division=0``.
    """
    t, p = _labels(y_true), _labels(y_pred)
    cm = confusion_matrix(t, p)
    total = int(cm.sum())
    keys = ("precision", "recall", "f1")
    if total:
        from sklearn.metrics import precision_recall_fscore_support

        def scores_of(average):
            return precision_recall_fscore_support(t, p, labels=list(LABELS), average=average, zero_division=0)

        precision, recall, f1, support = scores_of(None)
        macro = dict(zip(keys, (float(v) for v in scores_of("macro")[:3])))
        weighted = dict(zip(keys, (float(v) for v in scores_of("weighted")[:3])))
    else:  # no rows: every figure is 0
        precision = recall = f1 = np.zeros(2)
        support = np.zeros(2, np.int64)
        macro = dict.fromkeys(keys, 0.0)
        weighted = dict.fromkeys(keys, 0.0)
    per_class = {
        c: {"precision": float(precision[c]), "recall": float(recall[c]), "f1": float(f1[c]),
            "support": int(support[c])}
        for c in LABELS
    }
    return ClassificationReport(
        accuracy=float(np.trace(cm)) / total if total else 0.0,
        per_class=per_class,
        macro_avg=macro,
        weighted_avg=weighted,
        confusion=cm,
        roc_auc=None if scores is None else roc_auc(t, scores),
        pr_auc=None if scores is None else average_precision(t, scores),
    )


def _labels(values) -> np.ndarray:
    """int64[n]: labels or predictions as a flat vector."""
    return np.asarray(values).astype(np.int64).reshape(-1)


def _scores(values) -> np.ndarray:
    """float64[n]: scores as a flat vector."""
    return np.asarray(values, dtype=np.float64).reshape(-1)
