"""One atomic-write helper for files and one for directories: complete or absent, whatever fails."""

import os

import numpy as np
import pandas as pd
import pytest

from fastscratch import data
from fastscratch.app import outputs, plots
from fastscratch.app.modelfile import save_arrays
from fastscratch.atomic import atomic_directory, atomic_file


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_atomic_file_writes_creates_parents_and_replaces(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"

    def write(tmp):
        assert not os.path.exists(tmp) and os.path.dirname(tmp) == str(target.parent)
        assert tmp.endswith(".txt")  # writers that go by the suffix still know the format
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("first")

    assert atomic_file(target, write) == target
    assert target.read_text() == "first"
    atomic_file(target, lambda tmp: open(tmp, "w").close())
    assert target.read_text() == "" and listing(target.parent) == ["out.txt"]


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_atomic_file_failure_keeps_the_old_file_and_no_temporary(tmp_path, failure):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(b"half")
        raise failure

    with pytest.raises(type(failure)):
        atomic_file(target, write)
    assert target.read_bytes() == b"old" and listing(tmp_path) == ["out.bin"]


def test_atomic_directory_replaces_a_directory_or_a_file(tmp_path):
    target = tmp_path / "deep" / "store"

    def fill(version):
        def fill_(tmp):
            assert os.path.isdir(tmp) and not os.listdir(tmp)
            with open(os.path.join(tmp, "v.txt"), "w") as f:
                f.write(version)
            os.mkdir(os.path.join(tmp, "sub"))
            with open(os.path.join(tmp, "sub", "x"), "w") as f:
                f.write("x")
        return fill_

    assert atomic_directory(target, fill("1")) == target
    assert (target / "v.txt").read_text() == "1"
    atomic_directory(target, fill("2"))  # over a non-empty directory
    assert (target / "v.txt").read_text() == "2" and (target / "sub" / "x").read_text() == "x"
    assert listing(target.parent) == ["store"]
    other = tmp_path / "was_a_file"
    other.write_text("file")
    atomic_directory(other, fill("3"))
    assert (other / "v.txt").read_text() == "3"


@pytest.mark.parametrize("failure", [ValueError("bad array"), KeyboardInterrupt()])
def test_atomic_directory_failure_keeps_the_old_directory_and_no_temporary(tmp_path, failure):
    target = tmp_path / "store"
    target.mkdir()
    (target / "v.txt").write_text("old")

    def fill(tmp):
        with open(os.path.join(tmp, "v.txt"), "w") as f:
            f.write("new")
        raise failure

    with pytest.raises(type(failure)):
        atomic_directory(target, fill)
    assert (target / "v.txt").read_text() == "old" and listing(tmp_path) == ["store"]
    with pytest.raises(type(failure)):
        atomic_directory(tmp_path / "fresh", fill)
    assert listing(tmp_path) == ["store"]


def test_atomic_directory_puts_the_old_one_back_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "store"
    target.mkdir()
    (target / "v.txt").write_text("old")
    real = os.replace

    def replace(src, dst):
        if ".tmp-" in os.fspath(src):
            raise OSError("rename refused")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="rename refused"):
        atomic_directory(target, lambda tmp: None)
    assert (target / "v.txt").read_text() == "old" and listing(tmp_path) == ["store"]


def writers(tmp_path):
    """Every file writer of fastscratch (workloads' GloVe file aside), on a small input."""
    from fastscratch.nets.scratchnet import History
    from fastscratch.text.vectors import Vectors

    frame = pd.DataFrame({"Masked_Text": ["a"], "Binary_Label": [1]})
    history = History(loss=[0.5], accuracy=[0.9], seconds=[1.0])
    layers = [{"W": np.zeros((2, 1), np.float32), "b": np.zeros((1, 1), np.float32)}]
    store = Vectors.from_words(np.ones((1, 2), np.float32), np.frombuffer(b"a", np.uint8).copy(),
                               np.array([0, 1], np.int64))
    return {
        "model": lambda: save_arrays(tmp_path / "m.npz", layers, {}),
        "dataset csv": lambda: data.write_dataset(frame, tmp_path / "d.csv"),
        "dataset xlsx": lambda: data.write_dataset(frame, tmp_path / "d.xlsx"),
        "dataset parquet": lambda: data.write_dataset(frame, tmp_path / "d.parquet"),
        "history": lambda: outputs.write_history(history, tmp_path / "h.csv"),
        "json": lambda: outputs.write_json(tmp_path / "s.json", {"a": 1}),
        "text": lambda: outputs.write_text(tmp_path / "r.txt", "report"),
        "plot": lambda: plots.training_curves(history, tmp_path / "t.png"),
        "confusion plot": lambda: plots.confusion_matrix(np.eye(2, dtype=np.int64), tmp_path / "c.png"),
        "vector store": lambda: store.save(tmp_path / "store"),
    }


WRITERS = ["model", "dataset csv", "dataset xlsx", "dataset parquet", "history", "json", "text", "plot",
           "confusion plot", "vector store"]


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_goes_through_the_helper(tmp_path, monkeypatch, writer):
    """With the final rename refused, a writer that uses the helper leaves nothing at all; one
    that wrote in place, or kept its own temporary file, would leave it behind."""
    out = tmp_path / "out"
    out.mkdir()
    call = writers(out)[writer]
    real = os.replace

    def refuse(src, dst):
        if ".tmp-" in os.fspath(src):
            raise OSError("rename refused")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="rename refused"):
        call()
    assert listing(out) == []
    monkeypatch.undo()
    call()
    assert len(listing(out)) == 1 and not listing(out)[0].startswith(".")
