"""The ``fastscratch`` command: vectors, data, train, evaluate, score, redact, bench, demo, textapi, analyze.

User errors (a ``fastscratch.FastscratchError``: bad files, bad options, a missing extra) print
one line to stderr and exit with status 2; an interrupted run exits with 130; anything else is
a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from fastscratch.app.classifier import DETECTOR_TRAINING, NOTEBOOK_TRAINING
from fastscratch.app.outputs import record_vectors_source, training_line, write_history
from fastscratch.app.stores import DEFAULT_VECTORS, load_vectors
from fastscratch.data.mixes import MIXES
from fastscratch.data.schema import INPUT_FORMATS, NULLS, OUTPUT_FORMATS
from fastscratch.errors import FastscratchError, ModelFileError, UsageError
from fastscratch.nets.defaults import DROPOUT, HIDDEN_SIZES, NOTEBOOK, THRESHOLD
from fastscratch.text.shapes import DEFAULT_BUCKETS

# ----------------------------------------------------------------------------- helpers


def _progress_enabled(args) -> bool:
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def _bar(args, total=None, desc="", unit="it"):
    """A tqdm bar on stderr, or a do-nothing stand-in when quiet / not a terminal."""
    if _progress_enabled(args):
        try:
            from tqdm.auto import tqdm

            return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)
        except ImportError:
            pass

    class _Null:
        def update(self, n=1):
            pass

        def close(self):
            pass

    return _Null()


def _info(args, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr, flush=True)


def _read_labelled(args):
    from fastscratch.data import read_texts_labels

    return read_texts_labels(args.data, sheet=args.sheet, text_column=args.text_column,
                             label_column=args.label_column)


def _load_classifier(args):
    from fastscratch.app.classifier import PIIClassifier
    from fastscratch.app.modelfile import load_arrays

    _, meta = load_arrays(args.model)  # validates before the vectors are loaded
    spec = args.vectors or meta.get("vectors_source") or DEFAULT_VECTORS
    return PIIClassifier.load(args.model, load_vectors(spec))


def _hidden(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--hidden takes comma-separated integers, got {text!r}") from None
    if any(h <= 0 for h in sizes):
        raise argparse.ArgumentTypeError(f"--hidden sizes must be positive, got {text!r}")
    return sizes


def cmd_vectors_convert(args) -> int:
    """``fastscratch vectors convert``: a GloVe text file (or the default) into a store."""
    from fastscratch.text.vectors import Vectors

    t0 = time.perf_counter()
    if args.glove in (None, DEFAULT_VECTORS):
        vectors = Vectors.glove_6b_50d()
    else:
        vectors = Vectors.from_glove(args.glove, dim=args.dim, on_bad_lines=args.on_bad_lines)
    vectors.save(args.output)
    report = getattr(vectors, "report", None)
    result = {"words": len(vectors), "dim": vectors.dim, "output": os.path.abspath(args.output),
              "seconds": round(time.perf_counter() - t0, 3)}
    if report is not None:
        result["notes"] = list(getattr(report, "notes", []))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['words']} words x {result['dim']} -> {result['output']} ({result['seconds']} s)")
        for note in result.get("notes", []):
            print(f"note: {note}")
    return 0


def cmd_data_synth(args) -> int:
    """``fastscratch data synth``: generate a dataset of the original's schema."""
    from fastscratch.data import synthesize, write_dataset

    frame = synthesize(args.rows, args.seed, mix=args.mix)
    write_dataset(frame, args.output)
    positives = float(frame["Binary_Label"].mean()) if len(frame) else 0.0
    if args.json:
        print(json.dumps({"rows": len(frame), "mix": args.mix, "positive_rate": positives,
                          "output": os.path.abspath(args.output)}))
    else:
        print(f"{len(frame)} documents of the {args.mix} mix ({positives:.1%} still containing PII) -> {args.output}")
    return 0


def cmd_data_mask(args) -> int:
    """``fastscratch data mask``: apply the original's masking to raw rows."""
    from fastscratch.data import mask, read_dataset, write_dataset

    raw = read_dataset(args.raw, sheet=args.sheet, text_column=args.text_column, label_column=None)
    masked = mask(raw, args.seed, text_column=args.text_column)
    write_dataset(masked, args.output)
    if args.json:
        print(json.dumps({"rows": len(masked), "positive_rate": float(masked["Binary_Label"].mean()),
                          "output": os.path.abspath(args.output)}))
    else:
        print(f"{len(masked)} rows masked -> {args.output}")
    return 0


def cmd_data_profile(args) -> int:
    """``fastscratch data profile``: the statistics of a dataset file."""
    from fastscratch.data import DatasetError, profile, read_dataset

    try:
        frame = read_dataset(args.file, sheet=args.sheet, text_column="Text", label_column=None)
    except DatasetError as exc:
        if exc.column != "Text" or exc.row is not None:
            raise
        frame = read_dataset(args.file, sheet=args.sheet, text_column="Masked_Text", label_column=None)
    result = profile(frame)
    print(json.dumps(result.as_dict()) if args.json else result)
    return 0


def cmd_train(args) -> int:
    """``fastscratch train``: train a classifier on a labelled dataset, write the model."""
    from fastscratch.app.classifier import PIIClassifier

    texts, labels = _read_labelled(args)
    vectors = load_vectors(args.vectors)
    configuration = dict(hidden_sizes=args.hidden, dropout=args.dropout, threshold=args.threshold, seed=args.seed,
                         dtype=args.dtype, shape_buckets=args.shape_buckets)
    if args.features is not None:
        configuration["features"] = args.features
    if args.standardize is not None:
        configuration["standardize"] = args.standardize
    make = PIIClassifier.notebook if args.notebook else PIIClassifier
    clf = make(vectors, **configuration)
    schedule = {key: value for key, value in (
        ("epochs", args.epochs), ("batch_size", args.batch_size), ("lr", args.lr), ("l2_lambda", args.l2),
        ("pos_weight", args.pos_weight), ("shuffle", args.shuffle),
    ) if value is not None}
    if args.validation is not None:
        schedule["validation"] = args.validation or None
        if not args.validation:
            schedule["patience"] = None
    if args.patience is not None:
        schedule["patience"] = args.patience or None
    epochs = schedule.get("epochs", clf.training["epochs"])
    bar = _bar(args, total=epochs, desc="train", unit="epoch")

    def on_epoch(epoch, loss, acc, seconds):
        bar.update(1)
        if not args.json and not args.quiet:
            print(training_line(clf.net.history, epoch, loss, acc, seconds), flush=True)

    try:
        history = clf.fit(texts, labels, seed=args.seed, callback=on_epoch, threads=args.threads, **schedule)
    finally:
        bar.close()
    clf.save(args.output)
    record_vectors_source(args.output, args.vectors)
    outputs = {"model": os.path.abspath(args.output)}
    stem = Path(args.output).with_suffix("")
    history_path = args.history or f"{stem}.history.csv"
    write_history(history, history_path)
    outputs["history"] = os.path.abspath(history_path)
    if not args.no_plot:
        from fastscratch.app.plots import training_curves

        plot_path = args.plot or f"{stem}.training.png"
        training_curves(history, plot_path)
        outputs["plot"] = os.path.abspath(plot_path)
    summary = {"epochs": len(history), "final_loss": history.loss[-1], "final_accuracy": history.accuracy[-1],
               "best_epoch": history.best_epoch, "stopped_epoch": history.stopped_epoch,
               "features": clf.feature_spec, "rows": len(texts), "outputs": outputs}
    if args.json:
        print(json.dumps(summary))
    else:
        for kind, path in outputs.items():
            print(f"{kind}: {path}")
    return 0


def cmd_evaluate(args) -> int:
    """``fastscratch evaluate``: the notebook's report of a model on a labelled dataset."""
    clf = _load_classifier(args)
    texts, labels = _read_labelled(args)
    t0 = time.perf_counter()
    report = clf.evaluate(texts, labels, threshold=args.threshold)
    seconds = time.perf_counter() - t0
    if args.confusion_plot:
        from fastscratch.app.plots import confusion_matrix

        confusion_matrix(report.confusion, args.confusion_plot)
    if args.json:
        print(json.dumps(dict(report.as_dict(), rows=len(texts), seconds=seconds)))
    else:
        print(report)
        print(f"\n{len(texts)} documents scored in {seconds:.3f} s")
    return 0


def _timed_with_progress(args, desc: str, work):
    """``(work(progress), seconds)``: ``progress(rows_done)`` moves a documents bar on stderr."""
    bar = _bar(args, desc=desc, unit="doc")
    done = {"n": 0}

    def progress(rows):
        bar.update(rows - done["n"])
        done["n"] = rows

    t0 = time.perf_counter()
    try:
        result = work(progress)
    finally:
        bar.close()
    return result, time.perf_counter() - t0


def cmd_score(args) -> int:
    """``fastscratch score``: score a file in chunks, or files on a Dask cluster."""
    from fastscratch.app.scoring import score_file

    if args.cluster or args.scheduler:
        if args.spans:
            raise UsageError("--spans is for local scoring; on a cluster, score, then redact or find locally")
        return _score_on_cluster(args)
    clf = _load_classifier(args)
    summary, seconds = _timed_with_progress(args, "score", lambda progress: score_file(
        clf, args.input, args.output, text_column=args.text_column, input_format=args.input_format,
        output_format=args.output_format, keep_columns=args.keep_columns, chunk_rows=args.chunk_rows,
        nulls=args.nulls, threshold=args.threshold, spans=args.spans, progress=progress))
    result = dict(summary.as_dict(), seconds=round(seconds, 3))
    if args.json:
        print(json.dumps(result), file=sys.stderr if args.output == "-" else sys.stdout)
    elif args.output != "-":
        print(f"{summary.rows} documents scored ({summary.positives} flagged) in {seconds:.2f} s -> {args.output}")
    return 0


def _score_on_cluster(args) -> int:
    """``score --cluster local[:N]`` or ``--scheduler ADDRESS``: the same scores, on Dask."""
    from fastscratch.app.cluster import close_client, open_client, score_files

    if args.cluster and args.scheduler:
        raise UsageError("--cluster starts a cluster and --scheduler uses one: give one of them")
    if args.output == "-" or args.input == "-":
        raise UsageError("scoring on a cluster reads files and writes a folder of Parquet parts (no -)")
    client = open_client(args.cluster, args.scheduler, quiet=args.quiet)
    try:
        _info(args, f"dask: {len(client.scheduler_info().get('workers', {}))} workers, "
                    f"dashboard {client.dashboard_link}")
        summary = score_files(client, args.model, args.input, args.output, vectors=args.vectors,
                              text_column=args.text_column, threshold=args.threshold, nulls=args.nulls,
                              progress=_progress_enabled(args),
                              **({} if args.partition_rows is None else {"partition_rows": args.partition_rows}))
    finally:
        close_client(client)
    result = summary.as_dict()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{summary.documents} documents scored ({summary.positives} flagged) in {summary.seconds:.2f} s "
              f"on {summary.workers} workers ({result['documents_per_second']:,.0f} per second) -> {summary.output}")
    return 0


def cmd_redact(args) -> int:
    """``fastscratch redact``: every value the recognizers find replaced by its mask token."""
    from fastscratch.app.redaction import redact_file

    summary, seconds = _timed_with_progress(args, "redact", lambda progress: redact_file(
        args.input, args.output, text_column=args.text_column, input_format=args.input_format,
        output_format=args.output_format, chunk_rows=args.chunk_rows,
        nulls="zero" if args.nulls == "keep" else "error", spans=args.spans, progress=progress))
    result = dict(summary.as_dict(), seconds=round(seconds, 3))
    if args.json:
        print(json.dumps(result), file=sys.stderr if args.output == "-" else sys.stdout)
    elif args.output != "-":
        values = ", ".join(f"{n} {t}" for t, n in summary.values.items() if n) or "no values"
        print(f"{summary.rows} documents, {summary.redacted} redacted ({values}) in {seconds:.2f} s -> {args.output}")
    return 0


def cmd_import_original(args) -> int:
    """``fastscratch import-original``: the original's pickled weights into a safe model file."""
    from fastscratch.app.classifier import PIIClassifier
    from fastscratch.app.modelfile import import_original

    layers = import_original(args.original, allow_pickle=args.allow_pickle)
    vectors = load_vectors(args.vectors)
    width = layers[0]["W"].shape[0]
    if width != vectors.dim:
        raise ModelFileError(f"{args.original}: the network reads {width}-d vectors, the vectors given are "
                             f"{vectors.dim}-d (pass the store the original was trained with: --vectors)")
    hidden = [layer["W"].shape[1] for layer in layers[:-1]]
    clf = PIIClassifier.notebook(vectors, hidden_sizes=hidden, dropout=args.dropout, threshold=args.threshold,
                                 dtype="float64", seed=0)
    clf.net.layers = layers
    clf.save(args.output)
    record_vectors_source(args.output, args.vectors)
    result = {"layers": [list(l["W"].shape) for l in layers], "output": os.path.abspath(args.output)}
    print(json.dumps(result) if args.json else f"imported {len(layers)} layers {hidden} -> {args.output}")
    return 0


def cmd_bench(args) -> int:
    """``fastscratch bench``: a quick side-by-side with the reference."""
    from fastscratch.benchmarks.quickbench import run

    rows = run(quick=args.quick, log=lambda m: _info(args, m))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        from fastscratch.benchmarks.quickbench import format_table

        print(format_table(rows))
    return 0


def cmd_demo(args) -> int:
    """``fastscratch demo [digits|sine|headlines]``: the main job on the embedded default data, or a seed post's."""
    if args.network == "digits":
        from fastscratch.app.seed_demos import run_digits_demo

        summary = run_digits_demo(out=args.out, epochs=args.epochs or 30, seed=0 if args.seed is None else args.seed,
                                  quiet=args.quiet)
    elif args.network == "sine":
        from fastscratch.app.seed_demos import run_sine_demo

        summary = run_sine_demo(out=args.out, epochs=args.epochs or 25, quiet=args.quiet)
    elif args.network == "headlines":
        from fastscratch.app.headlines import run_headlines_demo

        summary = run_headlines_demo(out=args.out, data=args.nyt, years=args.years, quiet=args.quiet)
    else:
        from fastscratch.app.demo import run_demo

        summary = run_demo(out=args.out, rows=args.rows, test_rows=args.test_rows,
                           epochs=args.epochs or NOTEBOOK["epochs"], seed=42 if args.seed is None else args.seed,
                           notebook=args.notebook, quiet=args.quiet)
    if args.json:
        print(json.dumps(summary))
    return 0


# ----------------------------------------------------------------------------- parser


def _add_dataset_options(p, label=True):
    p.add_argument("--sheet", default=None, help="worksheet of an .xlsx file (the original's is Training_Set)")
    p.add_argument("--text-column", default="Masked_Text", help="column of documents (default: %(default)s)")
    if label:
        p.add_argument("--label-column", default="Binary_Label", help="column of 0/1 labels (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    """The ``fastscratch`` command's parser, with a subcommand per ``cmd_*`` function."""
    from fastscratch._version import __version__
    from fastscratch.app.scoring import CHUNK_ROWS

    detector, notebook = DETECTOR_TRAINING, NOTEBOOK_TRAINING
    parser = argparse.ArgumentParser(
        prog="fastscratch",
        description="Numba-accelerated ScratchNet: does a document still contain personal data?",
    )
    parser.add_argument("--version", action="version", version=f"fastscratch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, func, help_):
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        p.add_argument("--quiet", "-q", action="store_true", help="no progress bars or notes on stderr")
        p.add_argument("--json", action="store_true", help="print a machine-readable JSON result")
        return p

    vec = sub.add_parser("vectors", help="word-vector stores", description="Word-vector stores.")
    vsub = vec.add_subparsers(dest="vectors_command", metavar="ACTION", required=True)
    p = vsub.add_parser("convert", help="convert a GloVe text file (or the embedded 50d default) to a store",
                        description="Convert a GloVe text file, or 'default' (the embedded GloVe 6B 50d), "
                                    "into a memory-mappable store directory.")
    p.set_defaults(func=cmd_vectors_convert)
    p.add_argument("glove", nargs="?", default=DEFAULT_VECTORS, help="GloVe .txt file, or 'default'")
    p.add_argument("-o", "--output", required=True, help="store directory to write")
    p.add_argument("--dim", type=int, default=None, help="values per word (default: from the first line)")
    p.add_argument("--on-bad-lines", choices=["error", "skip", "warn"], default="error")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--json", action="store_true")

    dat = sub.add_parser("data", help="synthetic data and masking", description="Synthetic data and masking.")
    dsub = dat.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    p = dsub.add_parser("synth", help="generate documents in the original dataset's schema",
                        description="Generate N documents with planted PII, masked as the original did.")
    p.set_defaults(func=cmd_data_synth)
    p.add_argument("-n", "--rows", type=int, required=True, help="number of documents")
    p.add_argument("-o", "--output", required=True, help=".csv, .xlsx or .parquet file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--mix", choices=list(MIXES), default="published",
                   help="published: the published data set's distribution (default); detector: the detector's "
                        "training mix (partial masking, documents without PII or masks, hard negatives, near "
                        "misses); partial, clean, near_miss, other_family: its test sets")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--json", action="store_true")
    p = dsub.add_parser("mask", help="apply the original's masking to raw rows",
                        description="Mask the Email, Phone, SSN, URL and Credit Card values of raw rows.")
    p.set_defaults(func=cmd_data_mask)
    p.add_argument("raw", help="raw dataset (.csv, .xlsx, .parquet) with Text and the PII columns")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sheet", default=None)
    p.add_argument("--text-column", default="Text")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--json", action="store_true")
    p = dsub.add_parser("profile", help="measure a dataset: text lengths, PII per document, label rate",
                        description="Profile a dataset of the original's schema (Text, or Masked_Text "
                                    "when there is no Text): text lengths, PII types per document, "
                                    "card-block, repeated-value, label and mojibake rates.")
    p.set_defaults(func=cmd_data_profile)
    p.add_argument("file", help="dataset (.csv, .xlsx, .parquet)")
    p.add_argument("--sheet", default=None, help="worksheet of an .xlsx file (the original's is Training_Set)")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--json", action="store_true")

    p = command("train", cmd_train, "train a classifier on a labelled dataset")
    p.add_argument("--data", required=True, help="labelled dataset (.csv, .xlsx, .parquet)")
    _add_dataset_options(p)
    p.add_argument("--vectors", default=DEFAULT_VECTORS, help="vector store directory, or 'default' (GloVe 6B 50d)")
    p.add_argument("-o", "--output", required=True, help="model file to write (.npz)")
    p.add_argument("--notebook", action="store_true",
                   help=f"the notebook's configuration: GloVe mean only, raw, its schedule (lr {notebook['lr']}, "
                        f"{notebook['epochs']} epochs, no shuffling, no early stopping)")
    p.add_argument("--features", choices=["glove+shapes+pii", "glove+shapes", "glove"], default=None,
                   help="GloVe mean, token shapes and the PII recognizers' counts (default); without the "
                        "recognizers; or the GloVe mean alone (default with --notebook)")
    p.add_argument("--shape-buckets", type=int, default=DEFAULT_BUCKETS,
                   help="token-shape hash buckets (default: %(default)s)")
    p.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                   help="scale features to zero mean and unit variance (default: on; off with --notebook)")
    p.add_argument("--epochs", type=int, default=None, help=f"most epochs (default: {detector['epochs']})")
    p.add_argument("--batch-size", type=int, default=None, help=f"default: {detector['batch_size']}")
    p.add_argument("--lr", type=float, default=None,
                   help=f"default: {detector['lr']}; {notebook['lr']} with --notebook")
    p.add_argument("--l2", type=float, default=None,
                   help=f"L2 weight decay (default: {detector['l2_lambda']}; {notebook['l2_lambda']} with --notebook)")
    p.add_argument("--pos-weight", type=float, default=None, help=f"default: {detector['pos_weight']}")
    p.add_argument("--hidden", type=_hidden, default=list(HIDDEN_SIZES),
                   help=f"hidden sizes (default: {','.join(map(str, HIDDEN_SIZES))})")
    p.add_argument("--dropout", type=float, default=DROPOUT, help="default: %(default)s")
    p.add_argument("--threshold", type=float, default=THRESHOLD, help="default: %(default)s")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--shuffle", action=argparse.BooleanOptionalAction, default=None,
                   help="new row order every epoch (default: on; off with --notebook, as the notebook)")
    p.add_argument("--validation", type=float, default=None,
                   help=f"fraction held out for early stopping (default: {detector['validation']}; 0 for none; "
                        "none with --notebook)")
    p.add_argument("--patience", type=int, default=None,
                   help=f"stop after this many epochs without a better validation loss (default: "
                        f"{detector['patience']}; 0: never)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=None,
                   help="Numba threads for training (same result for any count; 1 on a busy machine)")
    p.add_argument("--history", help="history file (.csv or .json; default: MODEL.history.csv)")
    p.add_argument("--plot", help="loss/accuracy PNG (default: MODEL.training.png)")
    p.add_argument("--no-plot", action="store_true")

    p = command("evaluate", cmd_evaluate, "report precision/recall/F1, the confusion matrix and ROC-AUC")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    _add_dataset_options(p)
    p.add_argument("--vectors", default=None, help="vector store (default: the one the model was trained with)")
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--confusion-plot", help="write the confusion matrix as a PNG")

    p = command("score", cmd_score, "score documents from a file or stdin, in chunks")
    p.add_argument("--model", required=True)
    p.add_argument("--input", "-i", required=True, help="file, or - for one document per line on stdin")
    p.add_argument("--output", "-o", required=True, help="file (.parquet, .csv, .jsonl), or - for CSV on stdout")
    p.add_argument("--text-column", default="Masked_Text")
    p.add_argument("--input-format", choices=list(INPUT_FORMATS))
    p.add_argument("--output-format", choices=list(OUTPUT_FORMATS))
    p.add_argument("--keep-columns", action="store_true", help="copy the input's columns instead of a row id")
    p.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS,
                   help="documents per chunk (bounds memory; default: %(default)s)")
    p.add_argument("--nulls", choices=list(NULLS), default="error",
                   help="a missing document (an empty CSV field, a null, an empty Excel cell): fail, naming its "
                        "row, or score it as a zero vector (default: %(default)s)")
    p.add_argument("--vectors", default=None,
                   help="vector store (default: the model's); on a cluster, a folder every worker reads or an "
                        "fsspec URL of one")
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--spans", action="store_true",
                   help="add the column PII_Spans: where the recognizers found an e-mail, phone, SSN, URL or card "
                        "number (character offsets and type)")
    cluster = p.add_argument_group("on a Dask cluster (pip install 'fastscratch[dask]'): --input is a file, a "
                                   "folder or a glob; --output a folder of Parquet parts")
    cluster.add_argument("--cluster", metavar="local[:N]",
                         help="start a LocalCluster of N worker processes, one thread each (default N: one per core)")
    cluster.add_argument("--scheduler", metavar="ADDRESS", help="use the existing Dask cluster at this address")
    cluster.add_argument("--partition-rows", type=int, default=None,
                         help="rows per piece of a Parquet file (whole row groups; default: 50000)")

    p = command("redact", cmd_redact, "replace every e-mail, phone, SSN, URL and card number found by its mask token")
    p.add_argument("--input", "-i", required=True, help="file, or - for one document per line on stdin")
    p.add_argument("--output", "-o", required=True,
                   help="file (.parquet, .csv, .jsonl, .txt), or - for stdout (lines for a text input, else CSV)")
    p.add_argument("--text-column", default="Text", help="column of documents (default: %(default)s)")
    p.add_argument("--input-format", choices=list(INPUT_FORMATS))
    p.add_argument("--output-format", choices=[*OUTPUT_FORMATS, "text"])
    p.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS,
                   help="documents per chunk (bounds memory; default: %(default)s)")
    p.add_argument("--nulls", choices=["error", "keep"], default="error",
                   help="a missing document: fail, naming its row, or keep it missing (default: %(default)s)")
    p.add_argument("--spans", action="store_true", help="add the column PII_Spans: the values replaced, as "
                                                        "character offsets into the original and type")

    p = command("import-original", cmd_import_original,
                "convert the original notebook's np.savez weights (a pickle) into a safe model file")
    p.add_argument("original", help="the original's .npz (np.savez(path, layers=model.layers))")
    p.add_argument("-o", "--output", required=True, help="fastscratch model file to write (.npz)")
    p.add_argument("--allow-pickle", action="store_true",
                   help="required: the original format is a pickle, which can run code when loaded")
    p.add_argument("--vectors", default=DEFAULT_VECTORS, help="the vectors the original was trained with")
    p.add_argument("--dropout", type=float, default=DROPOUT, help="default: %(default)s")
    p.add_argument("--threshold", type=float, default=THRESHOLD, help="default: %(default)s")

    p = command("bench", cmd_bench, "compare fastscratch with the reference on generated inputs")
    p.add_argument("--quick", action="store_true", help="small inputs: seconds, not minutes")

    p = command("demo", cmd_demo, "the main job: synthesize data, train on GloVe 6B 50d, evaluate, score "
                                  "(or, with 'digits', 'sine' or 'headlines', a seed post's demo)")
    p.add_argument("network", nargs="?", choices=["digits", "sine", "headlines"], default=None,
                   help="digits: the sigmoid-network post's network on scikit-learn's 8x8 digits; sine: the RNN "
                        "post's network, its update rule and truncated BPTT; headlines: the COVID headlines post "
                        "on NYT Archive files (default: the main ScratchNet job)")
    p.add_argument("--out", default="fastscratch-out", help="output folder (default: %(default)s)")
    p.add_argument("--rows", type=int, default=45_000, help="training documents (default: %(default)s)")
    p.add_argument("--test-rows", type=int, default=5_000)
    p.add_argument("--epochs", type=int, default=None,
                   help=f"most epochs (default: {NOTEBOOK['epochs']}; digits 30, sine 25)")
    p.add_argument("--seed", type=int, default=None, help="default: 42 (digits: 0)")
    p.add_argument("--notebook", action="store_true",
                   help="train the notebook's configuration (GloVe mean only, its schedule) instead of the detector")

    from fastscratch.app.textapi_cli import add_textapi_commands

    add_textapi_commands(sub, command)
    return parser


def main(argv=None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); the exit status.

    A ``FastscratchError`` is printed as one line (``fastscratch: error: ...``) and gives 2;
    ``KeyboardInterrupt`` gives 130; any other exception propagates with its traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("fastscratch: interrupted", file=sys.stderr)
        return 130
    except FastscratchError as exc:
        print(f"fastscratch: error: {_first_line(exc)}", file=sys.stderr)
        return 2


def _first_line(exc: BaseException) -> str:
    """The first line of the message, or the type's name when there is none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
