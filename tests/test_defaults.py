"""The notebook's architecture and hyperparameters are written once (fastscratch.nets.defaults)
and every entry point takes its defaults from there."""

import inspect
import pathlib
import re

import fastscratch
from fastscratch.app import cli, demo
from fastscratch.app.classifier import DETECTOR_TRAINING, NOTEBOOK_TRAINING, PIIClassifier
from fastscratch.nets import defaults
from fastscratch.nets.scratchnet import NOTEBOOK

ROOT = pathlib.Path(fastscratch.__file__).parent


def signature_defaults(func) -> dict:
    return {name: p.default for name, p in inspect.signature(func).parameters.items()
            if p.default is not inspect.Parameter.empty}


def test_the_notebooks_values():
    assert defaults.HIDDEN_SIZES == (512, 256) and defaults.DROPOUT == 0.1 and defaults.THRESHOLD == 0.5
    assert defaults.NOTEBOOK == dict(epochs=60, batch_size=128, lr=0.00375, l2_lambda=0.005, pos_weight=2.0)
    assert NOTEBOOK is defaults.NOTEBOOK


def test_the_library_takes_them_from_one_place():
    net = signature_defaults(fastscratch.ScratchNet.__init__)
    assert net["hidden_sizes"] is defaults.HIDDEN_SIZES and net["dropout"] is defaults.DROPOUT
    fit = signature_defaults(fastscratch.ScratchNet.fit)
    assert {k: fit[k] for k in NOTEBOOK} == NOTEBOOK
    assert signature_defaults(fastscratch.ScratchNet.predict)["threshold"] is defaults.THRESHOLD
    clf = signature_defaults(PIIClassifier.__init__)
    assert clf["hidden_sizes"] is defaults.HIDDEN_SIZES and clf["dropout"] is defaults.DROPOUT
    assert clf["threshold"] is defaults.THRESHOLD
    assert {k: NOTEBOOK_TRAINING[k] for k in NOTEBOOK} == NOTEBOOK
    assert DETECTOR_TRAINING["epochs"] == NOTEBOOK["epochs"] and DETECTOR_TRAINING["batch_size"] == NOTEBOOK["batch_size"]
    assert signature_defaults(demo.run_demo)["epochs"] == NOTEBOOK["epochs"]


def test_the_command_line_takes_them_from_one_place():
    parser = cli.build_parser()
    train = parser.parse_args(["train", "--data", "d.csv", "-o", "m.npz"])
    assert train.hidden == list(defaults.HIDDEN_SIZES) and train.dropout == defaults.DROPOUT
    assert train.threshold == defaults.THRESHOLD
    imported = parser.parse_args(["import-original", "w.npz", "-o", "m.npz"])
    assert imported.dropout == defaults.DROPOUT and imported.threshold == defaults.THRESHOLD
    # demo's --epochs is per network (None: the main job's NOTEBOOK epochs, digits 30, sine 25)
    assert parser.parse_args(["demo"]).epochs is None
    import inspect

    assert 'args.epochs or NOTEBOOK["epochs"]' in inspect.getsource(cli.cmd_demo)


def test_no_module_writes_the_values_again():
    """No source file but nets/defaults.py spells out the architecture or the notebook's schedule
    (the reference, the original's copy, and the benchmark workloads aside)."""
    pattern = re.compile(r"\(512, 256\)|\[512, 256\]|lr=0\.00375|dropout: float = 0\.1|default=0\.1\b")
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("nets/defaults.py", "benchmarks/workloads.py") or rel.startswith("reference/"):
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert offenders == []
