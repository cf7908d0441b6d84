"""``RegexDetector``: the detector a user writes first, as the baseline of QUALITY.md.

One regular expression for each of the five types the masking removes (e-mail, URL, SSN,
phone, card number), in the forms a careful user would write for US-style data. A document
"still contains PII" when any of them matches; its score is the share of the five types found,
so ROC-AUC and PR-AUC can be computed as for the network.
"""

from __future__ import annotations

import re

import numpy as np

from fastscratch.metrics import ClassificationReport, classification_report

__all__ = ["RegexDetector", "PATTERNS"]

PATTERNS: dict[str, str] = {
    "email": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "url": r"\bhttps?://[^\s<>\"]+|\bwww\.[\w-]+(?:\.[\w-]+)+",
    "ssn": r"\b\d{3}-\d{2}-\d{4}\b",
    "phone": r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b",
    "credit_card": r"\b(?:\d[ -]?){12,18}\d\b",
}
"""The five patterns, by the type names of ``True Predictions``."""


class RegexDetector:
    """Flags a document when any pattern of ``PATTERNS`` (or ``patterns``) matches."""

    def __init__(self, patterns: dict[str, str] | None = None):
        self.patterns = {name: re.compile(p) for name, p in (patterns or PATTERNS).items()}

    def found(self, text: str) -> list[str]:
        """The names of the patterns that match ``text``."""
        return [name for name, pattern in self.patterns.items() if pattern.search(text)]

    def predict_proba(self, texts) -> np.ndarray:
        """float64[n]: the share of the patterns that match each document."""
        k = len(self.patterns)
        return np.array([len(self.found(t)) / k for t in texts], dtype=np.float64)

    def predict(self, texts) -> np.ndarray:
        """int64[n]: 1 when any pattern matches."""
        return (self.predict_proba(texts) > 0).astype(np.int64)

    def evaluate(self, texts, labels) -> ClassificationReport:
        """The same report as :meth:`PIIClassifier.evaluate` (any match counts as positive)."""
        probs = self.predict_proba(texts)
        y = np.asarray(labels).astype(np.int64).reshape(-1)
        return classification_report(y, (probs > 0).astype(np.int64), probs)
