"""fastscratch.data.reader, the one reader of document files: chunks with their documents, their
columns and their first row, in every input format; pieces of Parquet row groups; the
missing-document policy; located errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fastscratch.data.reader import Chunk, Piece, plan_pieces, read_chunks, read_frame
from fastscratch.errors import DatasetError, ParameterError

DOCS = ["first document", "NA", "SSN 575-74-7674", "Straße naïve 😀", "  ", "sixth one", "7"]
IDS = [10, 11, 12, 13, 14, 15, 16]


def write(path, frame: pd.DataFrame, row_group_size: int = 3):
    """``frame`` in the format of ``path``'s suffix (plain text: the documents, a line each)."""
    suffix = path.suffix
    if suffix == ".parquet":
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=row_group_size)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in frame.to_dict(orient="records")), encoding="utf-8")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        path.write_text("".join(f"{t}\n" for t in frame["Masked_Text"]), encoding="utf-8")
    return path


def texts_of(chunk: Chunk) -> list:
    t = chunk.texts
    return t.to_pylist() if hasattr(t, "to_pylist") else list(t)


SUFFIXES = [".parquet", ".csv", ".jsonl", ".xlsx", ".txt"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_chunks_hold_the_documents_their_columns_and_their_first_row(tmp_path, suffix):
    path = write(tmp_path / f"in{suffix}", pd.DataFrame({"id": IDS, "Masked_Text": DOCS}))
    chunks = list(read_chunks(path, chunk_rows=3))
    assert [(c.first_row, len(c)) for c in chunks] == [(0, 3), (3, 3), (6, 1)]
    assert [t for c in chunks for t in texts_of(c)] == DOCS
    for c in chunks:
        columns = c.columns.to_pandas() if isinstance(c.columns, pa.RecordBatch) else c.columns
        assert isinstance(c.columns, pa.RecordBatch) == (suffix == ".parquet")
        assert list(columns.index) == list(range(len(c)))  # a fresh index: written back as it is
        assert columns["Masked_Text"].tolist() == DOCS[c.first_row : c.first_row + len(c)]
        if suffix != ".txt":
            assert columns["id"].tolist() == IDS[c.first_row : c.first_row + len(c)]
    # the documents alone (a Parquet file's other columns are not read)
    alone = list(read_chunks(path, chunk_rows=3, columns=False))
    assert [c.columns for c in alone] == [None] * 3
    assert [t for c in alone for t in texts_of(c)] == DOCS


def test_parquet_documents_are_arrow_strings_even_a_column_of_nulls(tmp_path):
    path = write(tmp_path / "in.parquet", pd.DataFrame({"id": IDS, "Masked_Text": DOCS}))
    (chunk,) = read_chunks(path, chunk_rows=10)
    assert chunk.texts.type in (pa.string(), pa.large_string()) and chunk.columns.schema.names == ["id", "Masked_Text"]
    # a null column (every document missing) reads as strings
    pq.write_table(pa.table({"Masked_Text": pa.nulls(3)}), tmp_path / "nulls.parquet")
    (chunk,) = read_chunks(tmp_path / "nulls.parquet", nulls="zero")
    assert chunk.texts.type == pa.string() and chunk.texts.null_count == 3


def test_pieces_of_row_groups_read_their_own_rows(tmp_path):
    path = write(tmp_path / "in.parquet", pd.DataFrame({"id": IDS, "Masked_Text": DOCS}), row_group_size=2)
    pieces = plan_pieces(path, partition_rows=4)  # row groups of 2, 2, 2, 1
    assert [(p.row_groups, p.first_row) for p in pieces] == [((0, 1), 0), ((2, 3), 4)]
    seen = []
    for piece in pieces:
        for chunk in read_chunks(piece, chunk_rows=3):
            assert texts_of(chunk) == DOCS[chunk.first_row : chunk.first_row + len(chunk)]
            seen.append((chunk.first_row, len(chunk)))
    assert seen == [(0, 3), (3, 1), (4, 3)]
    # a row group larger than a piece is a piece of its own; other formats are one piece, whole
    assert [p.row_groups for p in plan_pieces(path, partition_rows=1)] == [(0,), (1,), (2,), (3,)]
    csv = write(tmp_path / "in.csv", pd.DataFrame({"Masked_Text": DOCS}))
    assert plan_pieces(csv, partition_rows=4) == [Piece(str(csv), "csv")]


def test_a_file_without_rows_gives_no_chunk(tmp_path):
    empty = pd.DataFrame({"Masked_Text": pd.Series([], dtype=object)})
    for suffix in (".parquet", ".csv", ".txt"):
        assert list(read_chunks(write(tmp_path / f"e{suffix}", empty))) == []
    assert [p.row_groups for p in plan_pieces(tmp_path / "e.parquet", partition_rows=4)] in ([()], [(0,)])
    for suffix in (".parquet", ".csv", ".xlsx"):  # a dataset without rows is read whole all the same
        assert list(read_frame(write(tmp_path / f"e{suffix}", empty)).columns) == ["Masked_Text"]


@pytest.mark.parametrize("suffix, where", [(".parquet", "data row 5"), (".csv", "data row 5"),
                                           (".jsonl", "data row 5"), (".xlsx", r"data row 5 \(sheet row 6\)")])
def test_a_missing_document_is_located_unless_nulls_zero(tmp_path, suffix, where):
    docs = DOCS[:4] + [None] + DOCS[5:]
    path = write(tmp_path / f"in{suffix}", pd.DataFrame({"id": IDS, "Masked_Text": docs}))
    with pytest.raises(DatasetError, match=rf"in{suffix}: {where}, column 'Masked_Text': text is missing") as info:
        list(read_chunks(path, chunk_rows=3))
    assert (info.value.row, info.value.column, info.value.path) == (5, "Masked_Text", str(path))
    got = [t for c in read_chunks(path, chunk_rows=3, nulls="zero") for t in texts_of(c)]
    assert [t for i, t in enumerate(got) if i != 4] == [d for i, d in enumerate(docs) if i != 4]
    assert got[4] is None or got[4] != got[4]  # None (Arrow, JSON) or NaN (pandas)


def test_a_value_that_is_not_text_is_located(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"Masked_Text": "ok"}\n{"Masked_Text": 12345}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"data row 2, column 'Masked_Text': text must be a string, got int 12345"):
        list(read_chunks(path, nulls="zero"))
    pq.write_table(pa.table({"Masked_Text": [1, 2]}), tmp_path / "ints.parquet")
    with pytest.raises(DatasetError, match="column 'Masked_Text' holds int64 values, not text"):
        list(read_chunks(tmp_path / "ints.parquet"))


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_a_missing_column_is_named_on_opening_and_when_planning(tmp_path, suffix):
    path = write(tmp_path / f"in{suffix}", pd.DataFrame({"text": DOCS}))
    message = rf"in{suffix}: no column 'Masked_Text'; columns are \['text'\]"
    with pytest.raises(DatasetError, match=message):
        next(read_chunks(path))
    with pytest.raises(DatasetError, match=message):
        plan_pieces(path, partition_rows=10)


def test_unreadable_files_are_located(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"Masked_Text": "ok"}\n\n{"Masked_Text": "fine"}\nnot json\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"bad.jsonl: line 4, column 1: cannot read as JSON lines") as info:
        list(read_chunks(bad, chunk_rows=1))
    assert info.value.row == 3  # pandas' rows skip the blank line
    (tmp_path / "first.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"first.jsonl: line 1: cannot read as JSON lines: an array"):
        plan_pieces(tmp_path / "first.jsonl", partition_rows=1)
    (tmp_path / "bad.parquet").write_bytes(b"this is not parquet")
    for attempt in (lambda: list(read_chunks(tmp_path / "bad.parquet")),
                    lambda: plan_pieces(tmp_path / "bad.parquet", partition_rows=1)):
        with pytest.raises(DatasetError, match=r"bad.parquet: cannot read as Parquet"):
            attempt()
    (tmp_path / "latin.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    with pytest.raises(DatasetError, match=r"latin.txt: not UTF-8 text"):
        list(read_chunks(tmp_path / "latin.txt"))


def test_the_arguments_and_the_file_are_checked_at_the_call(tmp_path):
    with pytest.raises(DatasetError, match=r"nothing.csv: no such file"):
        read_chunks(tmp_path / "nothing.csv")  # no iteration needed
    (tmp_path / "in.doc").write_text("x")
    with pytest.raises(DatasetError, match=r"cannot tell the input format"):
        read_chunks(tmp_path / "in.doc")
    path = write(tmp_path / "in.csv", pd.DataFrame({"Masked_Text": DOCS}))
    assert [texts_of(c) for c in read_chunks(path, fmt="text")][0][0] == "Masked_Text"  # the format named wins
    for bad, message in (({"chunk_rows": 0}, "chunk_rows"), ({"chunk_rows": True}, "chunk_rows"),
                         ({"nulls": "skip"}, "nulls"), ({"fmt": "doc"}, "input format 'doc'")):
        with pytest.raises(ParameterError, match=message):
            read_chunks(path, **bad)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".xlsx"])
def test_a_dataset_is_read_whole_with_every_column(tmp_path, suffix):
    frame = pd.DataFrame({"id": IDS, "Masked_Text": DOCS, "Binary_Label": [0, 1] * 3 + [0]})
    got = read_frame(write(tmp_path / f"d{suffix}", frame))
    pd.testing.assert_frame_equal(got, frame, check_dtype=False)
    assert got["Masked_Text"].tolist() == DOCS  # "NA" and "7" stay text
    with pytest.raises(DatasetError, match="applies to Excel files only") if suffix != ".xlsx" else \
            pytest.raises(DatasetError, match="no sheet named 'Other'"):
        read_frame(tmp_path / f"d{suffix}", sheet="Other")
    assert np.array_equal(read_frame(tmp_path / f"d{suffix}")["id"], IDS)
