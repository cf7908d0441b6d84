"""``fastscratch redact`` and ``score --spans``: where the PII is, as a user gets it from files."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from fastscratch import data
from fastscratch.app.cli import main
from fastscratch.app.redaction import redact_file
from fastscratch.data.masking import mask_text
from fastscratch.data.schema import MASK_TOKENS as MASK_COLUMNS
from fastscratch.errors import DatasetError, ParameterError
from fastscratch.text import pii


@pytest.fixture(scope="module")
def trained(vectors):
    """A small detector (its answers do not matter here, only that score writes them)."""
    from fastscratch import PIIClassifier

    train = data.synthesize(300, 60, mix="detector")
    clf = PIIClassifier(vectors, hidden_sizes=(16,), seed=0)
    clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), epochs=2, patience=None)
    return clf


@pytest.fixture(scope="module")
def frame():
    return data.synthesize(120, 61, mix="detector")


def masked(frame):
    return [mask_text(row["Text"], {c: row[c] for c in MASK_COLUMNS}) for row in frame.to_dict("records")]


def spans_of(texts):
    return [[[s.start, s.end, s.type] for s in doc] for doc in pii.find(texts).lists()]


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_redact_a_file_keeps_its_columns_and_masks_every_value(frame, tmp_path, suffix, capsys):
    source = tmp_path / f"in{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(source)
    elif suffix == ".csv":
        frame.to_csv(source, index=False)
    else:
        frame.to_json(source, orient="records", lines=True)
    out = tmp_path / f"out{suffix}"
    assert main(["redact", "-i", str(source), "-o", str(out), "--spans", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    read = {".parquet": pd.read_parquet, ".csv": lambda p: pd.read_csv(p, keep_default_na=False),
            ".jsonl": lambda p: pd.read_json(p, lines=True, dtype=False)}[suffix]
    result = read(out)
    assert list(result.columns) == [*frame.columns, "PII_Spans"]
    assert result["Text"].tolist() == masked(frame)
    assert result["Masked_Text"].tolist() == frame["Masked_Text"].tolist()
    want = spans_of(frame["Text"].tolist())
    if suffix == ".parquet":
        got = [[[s["start"], s["end"], s["type"]] for s in doc] for doc in result["PII_Spans"]]
    elif suffix == ".csv":
        got = [json.loads(cell) for cell in result["PII_Spans"]]
    else:
        got = result["PII_Spans"].tolist()
    assert got == want
    assert summary["rows"] == len(frame) and summary["values"]["email"] == sum(
        t == "email" for doc in want for _, _, t in doc)


def test_redact_lines_from_stdin_to_stdout():
    lines = "write to amy@example.com\nSSN 575-74-7674, order 4829137730\n\nnothing here\n"
    done = subprocess.run([sys.executable, "-m", "fastscratch", "redact", "-i", "-", "-o", "-"], input=lines,
                          capture_output=True, text=True, check=True)
    assert done.stdout == "write to [EMAIL]\nSSN [SSN], order 4829137730\n\nnothing here\n"


def test_redact_text_output_refuses_a_document_with_a_line_break_and_writes_nothing(tmp_path):
    frame = pd.DataFrame({"Text": ["a@b.io", "two\nlines 575-74-7674"]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    with pytest.raises(DatasetError, match="data row 2, column .Text.: the document holds a line break"):
        redact_file(tmp_path / "in.csv", tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()
    with pytest.raises(ParameterError, match="no column for the spans"):
        redact_file(tmp_path / "in.csv", tmp_path / "out.txt", spans=True)


def test_redact_missing_documents(tmp_path, capsys):
    pd.DataFrame({"Text": ["a@b.io", None, "c@d.io"], "id": [1, 2, 3]}).to_parquet(tmp_path / "in.parquet")
    assert main(["redact", "-i", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet")]) == 2
    assert "data row 2, column 'Text': text is missing" in capsys.readouterr().err
    assert not (tmp_path / "out.parquet").exists()
    assert main(["redact", "-i", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet"), "--nulls",
                 "keep", "-q"]) == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column("Text").to_pylist() == ["[EMAIL]", None, "[EMAIL]"] and out.column("id").to_pylist() == [1, 2, 3]


def test_redact_an_empty_file_writes_its_columns(tmp_path):
    pd.DataFrame({"Text": pd.Series([], dtype=str)}).to_parquet(tmp_path / "in.parquet")
    summary = redact_file(tmp_path / "in.parquet", tmp_path / "out.parquet", spans=True)
    assert summary.rows == 0
    assert pq.read_schema(tmp_path / "out.parquet").names == ["Text", "PII_Spans"]


def test_score_with_spans(tmp_path, trained, capsys):
    frame = data.synthesize(80, 62, mix="partial")
    frame[["Masked_Text"]].to_parquet(tmp_path / "in.parquet")
    model = tmp_path / "model.npz"
    trained.save(model)
    for suffix in (".parquet", ".csv"):
        out = tmp_path / f"scored{suffix}"
        assert main(["score", "--model", str(model), "--vectors", "default", "-i", str(tmp_path / "in.parquet"),
                     "-o", str(out), "--spans", "-q"]) == 0
        result = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
        assert list(result.columns) == ["row", "Predicted_Prob", "Predicted_Label", "PII_Spans"]
        want = spans_of(frame["Masked_Text"].tolist())
        got = ([[[s["start"], s["end"], s["type"]] for s in doc] for doc in result["PII_Spans"]]
               if suffix == ".parquet" else [json.loads(c) for c in result["PII_Spans"]])
        assert got == want and all(got)  # every partially masked document has a value left
        np.testing.assert_array_equal(result["Predicted_Prob"].to_numpy(),
                                      trained.predict_proba(frame["Masked_Text"]))
    capsys.readouterr()
    assert main(["score", "--model", str(model), "-i", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "c"),
                 "--cluster", "local:1", "--spans"]) == 2
    assert "--spans is for local scoring" in capsys.readouterr().err


def test_the_classifier_finds_and_redacts(trained):
    texts = ["call +1 (212) 555-0123 or write to a@b.io", "[EMAIL] only"]
    assert [[(s.type, texts[0][s.start:s.end]) for s in doc] for doc in trained.find(texts).lists()] == [
        [("phone", "+1 (212) 555-0123"), ("email", "a@b.io")], []]
    assert trained.redact(texts) == ["call [PHONE] or write to [EMAIL]", "[EMAIL] only"]


def test_redact_keeps_the_other_columns_as_written(tmp_path):
    """A CSV's cells stay text (leading zeros, empty cells), JSON lines' integers stay integers
    beside a null, and a column empty in the first chunk does not break a Parquet output."""
    (tmp_path / "in.csv").write_text('Text,zip,note\n"a@b.io",01234,\n"ok",00501,x\n"c@d.io",,y\n', encoding="utf-8")
    for out in ("out.csv", "out.parquet", "out.jsonl"):
        redact_file(tmp_path / "in.csv", tmp_path / out, chunk_rows=1)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == 'Text,zip,note\n[EMAIL],01234,\nok,00501,x\n[EMAIL],,y\n'
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("zip").to_pylist() == ["01234", "00501", None]
    assert table.column("note").to_pylist() == [None, "x", "y"]
    (tmp_path / "in.jsonl").write_text('{"Text": "a@b.io", "id": 1}\n{"Text": "ok", "id": null}\n{"Text": "x", "id": 3}\n',
                                       encoding="utf-8")
    redact_file(tmp_path / "in.jsonl", tmp_path / "j.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "j.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == [{"Text": "[EMAIL]", "id": 1}, {"Text": "ok", "id": None}, {"Text": "x", "id": 3}]


def test_redact_a_header_only_file_keeps_its_columns(tmp_path):
    (tmp_path / "in.csv").write_text("Text,id\n", encoding="utf-8")
    redact_file(tmp_path / "in.csv", tmp_path / "out.parquet")
    assert pq.read_schema(tmp_path / "out.parquet").names == ["Text", "id"]
    redact_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "Text,id\n"


def test_redact_text_output_names_the_file_row_and_column_of_a_line_break(tmp_path):
    pd.DataFrame({"Text": ["a@b.io", "two\nlines"]}).to_csv(tmp_path / "lb.csv", index=False)
    with pytest.raises(DatasetError, match=r"lb.csv: data row 2, column 'Text': the document holds a line break"):
        redact_file(tmp_path / "lb.csv", tmp_path / "out.txt")


def test_redact_takes_any_sequence_and_only_strings():
    assert pii.redact(t for t in ["a@b.io", "575-74-7674"]) == ["[EMAIL]", "[SSN]"]
    with pytest.raises(TypeError, match="document 70 is a bytes"):
        pii.redact(["x"] * 70 + [b"a@b.io"])
    with pytest.raises(TypeError, match="document 70 is a bytes"):
        pii.find(["x"] * 70 + [b"a@b.io"])


def test_redact_spans_from_a_text_input_to_stdout_are_csv(tmp_path):
    (tmp_path / "in.txt").write_text("a@b.io\nnothing\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "fastscratch", "redact", "-i", str(tmp_path / "in.txt"), "-o", "-",
                           "--spans"], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["Text,PII_Spans", '[EMAIL],"[[0, 6, ""email""]]"', "nothing,[]"]
