"""The notebook's evaluation: confusion matrix and the classification report (pure NumPy),
with ROC-AUC and PR-AUC (average precision) from scores."""

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


def confusion_matrix(y_true, y_pred) -> np.ndarray:
    """2 x 2 int64 matrix: ``[i, j]`` = rows with true label ``i`` and prediction ``j``."""
    t = np.asarray(y_true).astype(np.int64).reshape(-1)
    p = np.asarray(y_pred).astype(np.int64).reshape(-1)
    return np.bincount(t * 2 + p, minlength=4).reshape(2, 2)


def _safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b else 0.0


def roc_auc(y_true, scores) -> float | None:
    """Area under the ROC curve (ties counted half); None when only one class is present."""
    t = np.asarray(y_true).astype(bool).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    n_pos, n_neg = int(t.sum()), int((~t).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), np.float64)
    sorted_s = s[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_s, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[t].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def average_precision(y_true, scores) -> float | None:
    """Area under the precision-recall curve as average precision (scikit-learn's
    ``average_precision_score``): ``sum((R_k - R_{k-1}) * P_k)`` over the distinct score
    thresholds, highest first; None when there is no positive."""
    t = np.asarray(y_true).astype(bool).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    n_pos = int(t.sum())
    if n_pos == 0:
        return None
    order = np.argsort(-s, kind="mergesort")
    s, t = s[order], t[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tp = np.cumsum(t)[last_of_tie]
    precision = tp / (last_of_tie + 1.0)
    recall = tp / n_pos
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def classification_report(y_true, y_pred, scores=None) -> ClassificationReport:
    """Precision, recall, F1 and support per class, their macro and weighted averages,
    accuracy and the confusion matrix; ROC-AUC too when ``scores`` are given."""
    cm = confusion_matrix(y_true, y_pred)
    per_class = {}
    for c in (0, 1):
        tp = cm[c, c]
        precision = _safe_div(tp, cm[:, c].sum())
        recall = _safe_div(tp, cm[c, :].sum())
        f1 = _safe_div(2 * precision * recall, precision + recall)
        per_class[c] = {"precision": precision, "recall": recall, "f1": f1, "support": int(cm[c, :].sum())}
    total = int(cm.sum())
    keys = ("precision", "recall", "f1")
    macro = {k: float(np.mean([per_class[c][k] for c in (0, 1)])) for k in keys}
    weighted = {
        k: _safe_div(sum(per_class[c][k] * per_class[c]["support"] for c in (0, 1)), total) for k in keys
    }
    return ClassificationReport(
        accuracy=_safe_div(np.trace(cm), total),
        per_class=per_class,
        macro_avg=macro,
        weighted_avg=weighted,
        confusion=cm,
        roc_auc=None if scores is None else roc_auc(y_true, scores),
        pr_auc=None if scores is None else average_precision(y_true, scores),
    )
