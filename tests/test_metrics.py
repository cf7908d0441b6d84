"""The report's numbers come from scikit-learn, as the notebook's did; the report reads as before."""

import subprocess
import sys

import numpy as np
import pytest

from fastscratch.metrics import average_precision, classification_report, confusion_matrix, roc_auc

Y = np.array([0] * 22 + [1] * 8)  # the notebook's confusion matrix [[21, 1], [1, 7]]
P = np.array([0] * 21 + [1] + [0] + [1] * 7)
S = np.array([0.71, -0.21, 0.38, 0.19, 0.21, 0.26, -0.1, 0.25, 0.13, 0.96, 0.35, 0.23, 0.24, 0.17, 0.09, 0.22,
              0.4, 0.25, 0.49, 0.26, 0.3, 1.01, 0.41, 0.6, 0.66, 0.81, 1.09, 0.65, 0.65, 0.9])

# written by the hand-made metrics this module replaced: the text must not change
REPORT_TEXT = """\
               precision    recall  f1-score   support

             0    0.9545    0.9545    0.9545        22
             1    0.8750    0.8750    0.8750         8

      accuracy                        0.9333        30
     macro avg    0.9148    0.9148    0.9148        30
  weighted avg    0.9333    0.9333    0.9333        30

confusion matrix (rows: true 0/1, columns: predicted 0/1)
[[21  1]
 [ 1  7]]
ROC-AUC: 0.8864
PR-AUC (average precision): 0.6714"""

REPORT_DICT = {
    "accuracy": 0.9333333333333333,
    "per_class": {"0": {"precision": 0.9545454545454546, "recall": 0.9545454545454546, "f1": 0.9545454545454546,
                        "support": 22},
                  "1": {"precision": 0.875, "recall": 0.875, "f1": 0.875, "support": 8}},
    "macro_avg": {"precision": 0.9147727272727273, "recall": 0.9147727272727273, "f1": 0.9147727272727273},
    "weighted_avg": {"precision": 0.9333333333333333, "recall": 0.9333333333333333, "f1": 0.9333333333333333},
    "confusion_matrix": [[21, 1], [1, 7]],
    "roc_auc": 0.8863636363636364,
    "pr_auc": 0.6714285714285714,
}


def test_the_report_reads_as_before():
    report = classification_report(Y, P, S)
    assert str(report) == REPORT_TEXT
    assert _close(report.as_dict(), REPORT_DICT)
    assert report.confusion.dtype == np.int64


def _close(got, want) -> bool:
    if isinstance(want, dict):
        assert got.keys() == want.keys()
        return all(_close(got[k], want[k]) for k in want)
    if isinstance(want, float):
        assert isinstance(got, float) and got == pytest.approx(want, abs=1e-15), (got, want)
        return True
    assert got == want and type(got) is type(want), (got, want)
    return True


def test_the_numbers_are_scikit_learns():
    from sklearn import metrics as sk

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 500)
    s = rng.random(500).round(2)
    p = (s > 0.4).astype(np.int64)
    report = classification_report(y, p, s)
    want = sk.classification_report(y, p, output_dict=True, zero_division=0)
    for c in (0, 1):
        for key, sk_key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            assert report.per_class[c][key] == want[str(c)][sk_key]
        assert report.per_class[c]["support"] == want[str(c)]["support"]
    for mine, theirs in ((report.macro_avg, want["macro avg"]), (report.weighted_avg, want["weighted avg"])):
        assert mine == {"precision": theirs["precision"], "recall": theirs["recall"], "f1": theirs["f1-score"]}
    assert report.accuracy == want["accuracy"]
    assert np.array_equal(report.confusion, sk.confusion_matrix(y, p))
    assert report.roc_auc == sk.roc_auc_score(y, s) and report.pr_auc == sk.average_precision_score(y, s)


def test_a_missing_class_gives_no_auc_and_zero_for_undefined_ratios():
    report = classification_report([0, 0, 0, 0], [0, 0, 1, 0], [0.1, 0.2, 0.3, 0.4])
    assert report.roc_auc is None and report.pr_auc is None
    assert "roc_auc" not in report.as_dict() and "ROC-AUC" not in str(report)
    assert report.per_class[1] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert report.macro_avg["recall"] == 0.375 and report.weighted_avg["f1"] == pytest.approx(6 / 7)
    assert roc_auc([1, 1], [0.2, 0.3]) is None and average_precision([0, 0], [0.3, 0.2]) is None
    assert average_precision([1, 1], [0.2, 0.3]) == 1.0
    never_predicted = classification_report([0, 1, 1], [0, 0, 0])
    assert never_predicted.per_class[1]["precision"] == 0.0 and never_predicted.per_class[1]["support"] == 2


def test_no_rows_report_zeros_as_before():
    report = classification_report([], [])
    assert np.array_equal(report.confusion, np.zeros((2, 2), np.int64)) and report.accuracy == 0.0
    assert report.per_class[0] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert np.array_equal(confusion_matrix([1, 0], [1, 1]), [[0, 1], [0, 1]])


def test_scikit_learn_is_loaded_only_to_make_a_report():
    """It costs about a second (with SciPy and pandas): no command that does not evaluate pays it."""
    code = ("import sys, fastscratch, fastscratch.app.cli; "
            "print(sorted(m for m in ('sklearn', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
