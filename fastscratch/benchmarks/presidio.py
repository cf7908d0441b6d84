"""Microsoft Presidio, the detector a PII user would pick instead: the peer of ``make quality`` and
the detector's benchmarks, configured to run offline.

* NLP: a blank spaCy English pipeline (``spacy.blank("en")``: a tokenizer, no model to download)
  through a small ``SpacyNlpEngine`` subclass, with one component that sets each token's lemma to
  its lower case: Presidio matches its context words ("phone", "call", "ssn", ...) against
  lemmas, and a blank pipeline leaves them empty, so without it no context word would ever raise
  a score (a phone number alone scores 0.4, under the 0.5 threshold). Presidio's pattern
  recognizers and their validation (Luhn for cards, SSN checks, a TLD list for e-mails and URLs,
  phone-number parsing) run as usual; only its NER-based recognizers (names, places) find
  nothing, and none of the five types needs them.
* Entities: the five masked types, ``EMAIL_ADDRESS``, ``URL``, ``US_SSN``, ``PHONE_NUMBER`` and
  ``CREDIT_CARD``; a document holds PII when a result scores at least 0.5.
* ``tldextract`` (which Presidio's e-mail and URL recognizers call) would first try to download
  the public-suffix list: its module-level extractor is replaced by one with no suffix-list URLs,
  which reads the copy bundled with the package.

Needs the ``quality`` extra (``pip install 'fastscratch[quality]'``). :func:`offline` makes any
network connection fail, so a run that uses it shows that nothing was fetched.

``python -m fastscratch.benchmarks.presidio FILE.parquet`` scores a file's ``Masked_Text`` the
way ``fastscratch score`` does, as a whole process (the benchmarks' command-line figure).
"""

from __future__ import annotations

import contextlib
import socket
import sys
import time

import numpy as np

from fastscratch.extras import require_extra
from fastscratch.metrics import ClassificationReport, classification_report

__all__ = ["ENTITIES", "THRESHOLD", "PresidioDetector", "offline"]

ENTITIES = ("EMAIL_ADDRESS", "URL", "US_SSN", "PHONE_NUMBER", "CREDIT_CARD")
"""The five masked types, as Presidio names them."""
THRESHOLD = 0.5
"""A document holds PII when one of Presidio's results scores at least this."""


@contextlib.contextmanager
def offline():
    """Within the block, any attempt to open a network connection raises ``ConnectionRefusedError``."""
    connect, connect_ex, create = socket.socket.connect, socket.socket.connect_ex, socket.create_connection

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("fastscratch.benchmarks.presidio.offline: no network in this run")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = connect, connect_ex, create


def _configure_tldextract() -> None:
    """Presidio calls ``tldextract.extract``: make its extractor read the bundled suffix list
    instead of downloading one."""
    tldextract = require_extra("tldextract", "The Presidio peer", "quality")
    module = sys.modules["tldextract.tldextract"]
    module.TLD_EXTRACTOR = module.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = module.extract


class PresidioDetector:
    """Presidio's ``AnalyzerEngine`` on a blank spaCy pipeline, restricted to ``ENTITIES``, with
    the interface of :class:`fastscratch.app.baseline.RegexDetector`."""

    def __init__(self):
        _configure_tldextract()
        spacy = require_extra("spacy", "The Presidio peer", "quality")
        analyzer = require_extra("presidio_analyzer", "The Presidio peer", "quality")
        engines = require_extra("presidio_analyzer.nlp_engine", "The Presidio peer", "quality")

        if "fastscratch_lemma_lower" not in spacy.registry.factories:
            @spacy.Language.component("fastscratch_lemma_lower")
            def lemma_lower(doc):
                for token in doc:
                    token.lemma_ = token.lower_
                return doc

        class BlankEnglish(engines.SpacyNlpEngine):
            """spaCy's blank English pipeline (a tokenizer, no model) with lemmas for the context words."""

            def load(self) -> None:
                nlp = spacy.blank("en")
                nlp.add_pipe("fastscratch_lemma_lower")
                self.nlp = {"en": nlp}

        engine = BlankEnglish(models=[{"lang_code": "en", "model_name": "blank:en"}])
        engine.load()
        self.engine = analyzer.AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def analyze(self, text: str) -> list:
        """Presidio's results for one document (every score)."""
        return self.engine.analyze(text, entities=list(ENTITIES), language="en")

    def predict_proba(self, texts) -> np.ndarray:
        """float64[n]: each document's highest result score (0 when there is none)."""
        return np.array([max((r.score for r in self.analyze(t)), default=0.0) for t in texts], dtype=np.float64)

    def predict(self, texts) -> np.ndarray:
        """int64[n]: 1 when a result scores at least ``THRESHOLD``."""
        return (self.predict_proba(texts) >= THRESHOLD).astype(np.int64)

    def evaluate(self, texts, labels) -> ClassificationReport:
        """The same report as :meth:`PIIClassifier.evaluate`, at ``THRESHOLD``."""
        probs = self.predict_proba(texts)
        y = np.asarray(labels).astype(np.int64).reshape(-1)
        return classification_report(y, (probs >= THRESHOLD).astype(np.int64), probs)


def main(argv: list[str]) -> int:
    """Score a file's ``Masked_Text`` with Presidio (read as ``score`` reads it); print documents,
    flagged and seconds."""
    from fastscratch.data.reader import read_chunks

    t0 = time.perf_counter()
    rows = flagged = 0
    with offline():
        detector = PresidioDetector()
        for chunk in read_chunks(argv[0], "Masked_Text", columns=False):
            texts = chunk.texts.to_pylist() if hasattr(chunk.texts, "to_pylist") else list(chunk.texts)
            rows += len(texts)
            flagged += int(detector.predict(texts).sum())
    print(f"{rows} documents scored ({flagged} flagged) in {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
