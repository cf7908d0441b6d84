"""One format table and one missing-document policy (fastscratch.data.schema) for reading to
train or evaluate and reading to score: the same file with an empty cell through both paths."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from fastscratch import PIIClassifier, data
from fastscratch.app import cli, scoring
from fastscratch.app.outputs import record_vectors_source
from fastscratch.app.scoring import score_file
from fastscratch.app.stores import load_vectors
from fastscratch.data import schema
from fastscratch.errors import DatasetError, ParameterError
from tests.helpers import assert_identical

EMPTY_CELL_CSV = 'Masked_Text,Binary_Label\nfirst document,1\n,0\n"",1\nNA,0\nnull,1\n'
"""Rows 2 (an empty field) and 3 (a quoted empty string) are missing; NA and null are text."""


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A small classifier on the default vectors, and its model file (for the CLI)."""
    train = data.synthesize(300, 5)
    clf = PIIClassifier(load_vectors("default"), hidden_sizes=(8,), seed=0)
    clf.fit(train["Masked_Text"], train["Binary_Label"].to_numpy(), epochs=2)
    path = tmp_path_factory.mktemp("model") / "model.npz"
    clf.save(path)
    record_vectors_source(path, "default")
    return clf, path


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(EMPTY_CELL_CSV, encoding="utf-8")
    return path


def assert_located(error: DatasetError, path, row: int, problem="text is missing (empty cell)"):
    assert error.path == str(path) and error.row == row and error.column == "Masked_Text", vars(error)
    assert str(error).startswith(f"{path}: data row {row}, column 'Masked_Text': {problem}"), str(error)


# ----------------------------------------------------------------------------- the policy itself


def test_the_format_table_serves_both_paths():
    assert set(schema.DATASET_FORMATS) <= set(schema.INPUT_FORMATS)
    assert set(schema.OUTPUT_FORMATS) <= set(schema.INPUT_FORMATS)
    assert set(schema.FORMATS.values()) == set(schema.INPUT_FORMATS)
    for name in ("detect_format", "_SUFFIXES", "INPUT_FORMATS", "OUTPUT_FORMATS"):
        assert not hasattr(scoring, name), name  # scoring keeps no table of its own
    assert schema.format_of("a.PQ") == "parquet" and schema.format_of("b.xlsm") == "xlsx"
    assert schema.format_of("c.ndjson", "input") == "jsonl" and schema.format_of("-", "input") == "text"
    assert schema.format_of("-", "output") == "csv" and schema.format_of("x.bin", "input", given="csv") == "csv"
    with pytest.raises(DatasetError, match=r"unknown dataset extension '\.jsonl'"):
        schema.format_of("d.jsonl")  # a scoring input, not a dataset
    with pytest.raises(DatasetError, match=r"unknown output extension '\.xlsx'"):
        schema.format_of("e.xlsx", "output")
    with pytest.raises(ParameterError, match="input format 'doc' is not one of"):
        schema.format_of("f.csv", "input", given="doc")


@pytest.mark.parametrize("value, missing", [
    (None, True), (float("nan"), True), (np.float32("nan"), True), (pd.NA, True), (pd.NaT, True),
    ("", False), ("NA", False), (0, False), (0.0, False),
])
def test_what_counts_as_missing(value, missing):
    assert schema.is_missing(value) is missing
    assert (schema.text_problem(value) == "text is missing (empty cell)") is missing


# ----------------------------------------------------------------------------- training and evaluating


def test_reading_to_train_reports_the_empty_cell(csv_file):
    for read in (data.read_dataset, data.read_texts_labels):
        with pytest.raises(DatasetError) as info:
            read(csv_file)
        assert_located(info.value, csv_file, 2)
        assert "(1 more row with problems in this column)" in str(info.value)  # the quoted "" too


def test_na_and_null_are_text_in_both_paths(model, tmp_path):
    clf, _ = model
    path = tmp_path / "na.csv"
    path.write_text("Masked_Text,Binary_Label\nNA,0\nnull,1\n", encoding="utf-8")
    texts, _ = data.read_texts_labels(path)
    assert texts == ["NA", "null"]
    score_file(clf, str(path), str(tmp_path / "out.csv"))
    got = pd.read_csv(tmp_path / "out.csv")
    assert_identical(got["Predicted_Prob"].to_numpy(), clf.predict_proba(["NA", "null"]))


# ----------------------------------------------------------------------------- scoring


def test_scoring_reports_the_empty_cell_and_writes_nothing(model, csv_file, tmp_path):
    clf, _ = model
    with pytest.raises(DatasetError) as info:
        score_file(clf, str(csv_file), str(tmp_path / "out.parquet"), chunk_rows=1)
    assert_located(info.value, csv_file, 2)
    assert "nulls='zero'" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.csv"]


def test_scoring_with_nulls_zero_scores_the_empty_cell_as_a_zero_vector(model, csv_file, tmp_path):
    clf, _ = model
    summary = score_file(clf, str(csv_file), str(tmp_path / "out.csv"), nulls="zero", chunk_rows=2)
    assert summary.rows == 5
    got = pd.read_csv(tmp_path / "out.csv")
    want = clf.predict_proba(["first document", None, None, "NA", "null"], nulls="zero")
    assert_identical(got["Predicted_Prob"].to_numpy(), want)
    zero = clf.net.predict_proba(clf.transform([None], nulls="zero"))
    assert np.array_equal(clf.features([None], nulls="zero"), np.zeros((1, clf.input_size), np.float32))
    assert_identical(want[1:2], zero)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".jsonl"])
def test_every_input_format_follows_the_policy(model, tmp_path, suffix):
    clf, _ = model
    frame = pd.DataFrame({"Masked_Text": ["first document", None, "third"], "Binary_Label": [1, 0, 1]})
    path = tmp_path / f"docs{suffix}"
    if suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        data.write_dataset(frame, path)
    with pytest.raises(DatasetError) as info:
        score_file(clf, str(path), str(tmp_path / "out.csv"))
    row = "2 (sheet row 3)" if suffix == ".xlsx" else "2"
    assert str(info.value).startswith(f"{path}: data row {row}, column 'Masked_Text': text is missing")
    assert info.value.row == 2
    if suffix != ".jsonl":  # the same file, read to train: the same place
        with pytest.raises(DatasetError) as info:
            data.read_dataset(path)
        assert str(info.value).startswith(f"{path}: data row {row}, column 'Masked_Text': text is missing")
    assert score_file(clf, str(path), str(tmp_path / "out.csv"), nulls="zero").rows == 3


def test_scoring_refuses_a_value_that_is_not_text_even_with_nulls_zero(model, tmp_path):
    clf, _ = model
    path = tmp_path / "docs.jsonl"
    path.write_text('{"Masked_Text": "a document"}\n{"Masked_Text": 12345}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=re.escape(f"{path}: data row 2, column 'Masked_Text': "
                                                     "text must be a string, got int 12345")):
        score_file(clf, str(path), str(tmp_path / "out.csv"), nulls="zero")
    numbers = tmp_path / "numbers.parquet"
    pd.DataFrame({"Masked_Text": [1, 2]}).to_parquet(numbers)
    with pytest.raises(DatasetError, match="column 'Masked_Text' holds int64 values, not text"):
        score_file(clf, str(numbers), str(tmp_path / "out.csv"))


def test_a_blank_line_is_a_row_in_csv_and_a_document_in_plain_text(model, tmp_path):
    clf, _ = model
    csv = tmp_path / "blank.csv"
    csv.write_text("Masked_Text\nfirst\n\nthird\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"blank\.csv: data row 2, column 'Masked_Text': text is missing"):
        score_file(clf, str(csv), str(tmp_path / "out.csv"))
    text = tmp_path / "lines.txt"
    text.write_text("first\n\nthird\n", encoding="utf-8")
    assert score_file(clf, str(text), str(tmp_path / "out.csv")).rows == 3


# ----------------------------------------------------------------------------- the command line


def test_cli_train_evaluate_and_score_report_the_same_cell(model, csv_file, tmp_path, capsys):
    _, path = model
    expected = f"fastscratch: error: {csv_file}: data row 2, column 'Masked_Text': text is missing (empty cell)"
    for argv in (["train", "--data", str(csv_file), "-o", str(tmp_path / "m.npz"), "--quiet"],
                 ["evaluate", "--model", str(path), "--data", str(csv_file), "--quiet"],
                 ["score", "--model", str(path), "-i", str(csv_file), "-o", str(tmp_path / "s.csv"), "--quiet"]):
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith(expected) and len(err.strip().splitlines()) == 1, (argv, err)
    assert cli.main(["score", "--model", str(path), "-i", str(csv_file), "-o", str(tmp_path / "s.csv"),
                     "--nulls", "zero", "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 5
    assert not (tmp_path / "m.npz").exists()
