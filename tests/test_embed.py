"""The featurizer against the reference ``text_to_embedding``: bit-identity, Arrow, nulls, fuzz."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastscratch import reference
from fastscratch.kernels.embed import _GROUP as GROUP
from fastscratch.text.vectors import Vectors
from tests.helpers import assert_identical, readonly

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# A small vocabulary whose words the Unicode tests hit often, with Unicode lower-casing traps:
# 'İ'.lower() == 'i̇' (two code points), the Kelvin sign lowers to ASCII 'k', 'ß' stays.
SMALL_WORDS = ["the", "a", "k", "i̇", "straße", "é", "ok", "x", "The", "naïve", "σ", "ς", "ǆ", "1", "-", "."]


def small_vectors(dim=7, seed=0):
    rng = np.random.default_rng(seed)
    m = (rng.standard_normal((len(SMALL_WORDS), dim)) * rng.choice([1e-3, 1.0, 1e3], (len(SMALL_WORDS), 1))).astype(
        np.float32
    )
    enc = [w.encode() for w in SMALL_WORDS]
    offsets = np.zeros(len(enc) + 1, np.int64)
    offsets[1:] = np.cumsum([len(e) for e in enc])
    v = Vectors(m, np.frombuffer(b"".join(enc), np.uint8).copy(), offsets)
    return v, dict(zip(SMALL_WORDS, m))


def reference_embed(texts, emb, dim):
    return np.stack([reference.text_to_embedding(t, emb, dim) for t in texts]) if texts else np.zeros((0, dim), np.float32)


@pytest.fixture(scope="module")
def glove50(vectors):
    return vectors, dict(zip(vectors.words, vectors.matrix))


@pytest.fixture(scope="module")
def documents(vectors):
    """~1 KB documents like the PII set's: common words, capitals, punctuation, emails, numbers,
    newlines and tabs, mojibake and other non-ASCII text."""
    rng = np.random.default_rng(5)
    words = vectors.words[:20000]
    docs = []
    for d in range(300):
        toks = [words[min(int(r), len(words)) - 1] for r in rng.zipf(1.3, 150)]
        for k in range(len(toks)):
            u = rng.random()
            if u < 0.1:
                toks[k] = toks[k].upper() if u < 0.03 else toks[k].capitalize()
            elif u < 0.12:
                toks[k] = toks[k] + "@example.com"
        if d % 10 == 0:
            toks.insert(3, "companyâ€™s")
        if d % 13 == 0:
            toks.insert(5, "İstanbul\u00a0KELVİN")
        sep = ["\n", "\t", "  ", "\u2003", "\r\n"][d % 5]
        docs.append(" ".join(toks[:70]) + sep + " ".join(toks[70:]))
    docs += ["", "   ", "zzzunknownzzz\tqqqxqqq", "THE", "\x1cthe\x1dof\x1e", "the\x00of"]
    return docs


def test_documents_bit_identical_to_reference(glove50, documents):
    v, emb = glove50
    got = v.embed(documents)
    assert_identical(got, reference_embed(documents, emb, 50))
    assert not np.any(got[-6:-3])  # unknown-only and blank documents: zero vectors


@pytest.mark.parametrize("n_tokens", [1, GROUP - 1, GROUP, GROUP + 1, 2 * GROUP - 1, 2 * GROUP, 2 * GROUP + 1, 100])
def test_token_counts_around_the_lookup_group(glove50, n_tokens):
    """Tokens are hashed in groups of ``_GROUP`` before being looked up: documents with one
    token fewer, exactly, and one more than a group (or two), with short, 9-16-byte and longer
    words, unknown ones, and a last token that ends the buffer, give the reference's vectors."""
    v, emb = glove50
    pool = ["the", "Of", "international", "telecommunications", "zzzqqq", "organization's", "a", "x1",
            "counterrevolutionaries", "WORLD"]
    rng = np.random.default_rng(n_tokens)
    docs = [" ".join(pool[int(i)] for i in rng.integers(0, len(pool), n_tokens)) for _ in range(5)]
    docs.append(" ".join(["the"] * (n_tokens - 1) + ["counterrevolutionaries"]))  # long token at the very end
    for texts in (docs, pa.array(docs)):
        got, known, total = v.embed(texts, return_stats=True)
        assert_identical(got, reference_embed(docs, emb, 50))
        assert (total == n_tokens).all()
        assert (known == [sum(t.lower() in emb for t in d.split()) for d in docs]).all()


def test_embed_corpus_shape_and_dtype(glove50, documents):
    v, emb = glove50
    assert_identical(v.embed(documents[:20]), reference.embed_corpus(documents[:20], emb, 50))


def test_stats(glove50, documents):
    v, emb = glove50
    X, known, total = v.embed(documents, return_stats=True)
    for t, k, n in zip(documents, known, total):
        toks = t.lower().split()
        assert n == len(toks) and k == sum(w in emb for w in toks)


def test_arrow_zero_copy_path_equals_list_path(glove50, documents):
    v, _ = glove50
    want, wk, wt = v.embed(documents, return_stats=True)
    for arr in (pa.array(documents), pa.array(documents, type=pa.large_string())):
        got, k, t = v.embed(arr, return_stats=True)
        assert_identical(got, want)
        assert_identical(k, wk) and assert_identical(t, wt)
        sl = arr.slice(7, 50)  # a non-zero array offset
        assert_identical(v.embed(sl), want[7:57])
    chunked = pa.chunked_array([documents[:100], documents[100:101], [], documents[101:]])
    assert_identical(v.embed(chunked), want)


def test_pandas_series(glove50, documents):
    v, _ = glove50
    want = v.embed(documents)
    assert_identical(v.embed(pd.Series(documents)), want)
    assert_identical(v.embed(pd.Series(documents, dtype="string[pyarrow]")), want)
    assert_identical(v.embed(np.array(documents, dtype=object)), want)
    assert_identical(v.embed(tuple(documents)), want)


def test_nulls(glove50):
    v, emb = glove50
    docs = ["the cat", None, "a dog", float("nan"), pd.NA]
    with pytest.raises(ValueError, match="document 1 is missing"):
        v.embed(docs)
    X, k, t = v.embed(docs, nulls="zero", return_stats=True)
    assert not X[[1, 3, 4]].any() and (k[[1, 3, 4]] == 0).all()
    assert_identical(X[[0, 2]], reference_embed(["the cat", "a dog"], emb, 50))
    arr = pa.array(["the cat", None, "a dog"])
    with pytest.raises(ValueError, match="document 1 is null"):
        v.embed(arr)
    assert_identical(v.embed(arr, nulls="zero"), X[[0, 1, 2]])
    with pytest.raises(ValueError):
        v.embed(docs, nulls="skip")


def test_bad_input_types(glove50):
    v, _ = glove50
    with pytest.raises(TypeError):
        v.embed("a single string")
    with pytest.raises(TypeError, match="document 1 is a int"):
        v.embed(["ok", 5])
    with pytest.raises(TypeError):
        v.embed(pa.array([1, 2]))


def test_empty_input(glove50):
    v, _ = glove50
    assert v.embed([]).shape == (0, 50)
    assert v.embed(pa.array([], pa.string())).shape == (0, 50)


def test_thread_count_does_not_change_result(glove50, documents):
    import numba

    v, _ = glove50
    want = v.embed(documents)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        assert_identical(v.embed(documents), want)
    finally:
        numba.set_num_threads(old)


unicode_text = st.lists(
    st.one_of(
        st.sampled_from(SMALL_WORDS + ["THE", "İ", "K", "STRASSE", "É", "Σ", "ǅ", "Ǆ"]),
        st.sampled_from([" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0",
                         "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u200b"]),
        st.characters(),
    ),
    max_size=30,
).map("".join)


@pytest.mark.boundscheck
@FUZZ
@given(texts=st.lists(unicode_text, max_size=8))
def test_unicode_text_bit_identical(texts):
    v, emb = small_vectors()
    want = reference_embed(texts, emb, 7)
    assert_identical(v.embed(texts), want)
    try:  # Arrow strings are UTF-8: a lone surrogate cannot be one
        arrow = pa.array(texts, type=pa.string())
    except UnicodeEncodeError:
        assert any("\ud800" <= ch <= "\udfff" for t in texts for ch in t)
        return
    assert_identical(v.embed(arrow), want)


@pytest.mark.boundscheck
@FUZZ
@given(texts=st.lists(st.text(max_size=40), max_size=6))
def test_fuzz_arbitrary_strings(texts):
    v, emb = small_vectors(dim=3)
    assert_identical(v.embed(texts), reference_embed(texts, emb, 3))


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(max_size=80), offsets=st.lists(st.integers(-100, 200), min_size=1, max_size=6))
def test_fuzz_kernel_on_arbitrary_bytes_and_offsets(data, offsets):
    """The kernel itself on garbage (invalid UTF-8, offsets out of range or decreasing): no crash."""
    from fastscratch.kernels.embed import embed_documents

    v, _ = small_vectors(dim=3)
    docs = np.frombuffer(data, np.uint8)
    offs = readonly(np.array(offsets, np.int64))
    n = len(offs) - 1
    out = np.empty((n, 3 + 10), np.float32)  # the mean, then the recognizer counts
    known, total, na = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.bool_)
    from fastscratch.text.vectors import unicode_classes

    vocab = [readonly(a) for a in (v.matrix, v.table, v.blob, v.offsets)]
    for ascii_only, classes in ((True, unicode_classes()), (True, readonly(np.zeros(0, np.uint8))),
                                (False, unicode_classes())):
        embed_documents(docs, offs, *vocab, ascii_only, classes, 0, 10, out, known, total, na)
        assert (known <= total).all() and (total >= 0).all()
        counts = out[:, 3:]
        assert (counts >= 0).all() and (counts == np.round(counts)).all()


def test_mean_order_matters_and_is_reproduced():
    """Rows whose float32 sum depends on the order: the reference order is the token order."""
    words = ["big", "small", "neg"]
    m = np.array([[1e8], [1.0], [-1e8]], np.float32)
    offsets = np.array([0, 3, 8, 11], np.int64)
    v = Vectors(m, np.frombuffer(b"bigsmallneg", np.uint8).copy(), offsets)
    emb = dict(zip(words, m))
    docs = ["big small neg small", "small small big neg", "neg big small"]
    assert_identical(v.embed(docs), reference_embed(docs, emb, 1))
    assert len({float(x) for x in v.embed(docs)[:, 0]}) > 1


def test_unicode_kernel_path_and_python_fallback(monkeypatch):
    """Characters that lower() leaves alone and Unicode spaces stay in the kernel; case changes
    (and astral characters) send the document through Python's lower().split(): same answer."""
    import fastscratch.text.vectors as fv

    v, emb = small_vectors()
    calls = []
    real = fv._python_tokens
    monkeypatch.setattr(fv, "_python_tokens", lambda t: calls.append(t) or real(t))
    kernel_docs = ["the\u00a0companyâ€™s naïve\u3000é straße", "σ ς x\u2028ok"]
    python_docs = ["THE É", "Σ x", "ǅ ok", "x \U0001F600 the", "KELVIN \u212a"]
    for docs in (kernel_docs, python_docs):
        calls.clear()
        want = reference_embed(docs, emb, 7)
        assert_identical(v.embed(docs), want)
        assert_identical(v.embed(pa.array(docs)), want)
        assert bool(calls) == (docs is python_docs)


def test_signed_zeros_nan_and_infinities_in_the_vectors_are_averaged_as_the_reference_does():
    """Vectors holding -0.0, NaN (a negative one, one with a payload) and +-inf, and finite values
    whose sum overflows: every document's mean has the bits of the reference's np.mean, on the
    str, Arrow and Python-lowercasing paths, and unchanged beside shape features."""
    words = ["negz", "nan", "inf", "ninf", "one", "two", "big", "odd"]
    m = np.array([
        [-0.0, -0.0, 1.0],
        [np.nan, 1.0, -0.0],
        [np.inf, -np.inf, 2.0],
        [-np.inf, np.inf, -0.0],
        [1.0, 0.0, -0.0],
        [2.0, -0.0, 0.0],
        [3e38, 3e38, -3e38],  # two of them overflow float32
        [0.0, 0.0, 0.0],
    ], np.float32)
    m[7, 0] = -np.float32(np.nan)
    m[7, 1] = np.array([0x7FC00123], np.uint32).view(np.float32)[0]  # a NaN with a payload
    enc = [w.encode() for w in words]
    offsets = np.zeros(len(enc) + 1, np.int64)
    offsets[1:] = np.cumsum([len(e) for e in enc])
    v = Vectors(m.copy(), np.frombuffer(b"".join(enc), np.uint8).copy(), offsets)
    emb = dict(zip(words, m))
    docs = ["negz", "negz negz", "NEGZ unknown", "two negz negz", "one negz", "negz one", "nan", "inf",
            "inf ninf", "ninf inf", "nan inf", "inf nan", "big big", "big big big", "big ninf", "odd", "odd nan",
            "nan odd", "odd inf", "", "unknown", "négz nan İnf", "NAN Inf ßig"]
    with np.errstate(invalid="ignore", over="ignore"):
        want = reference_embed(docs, emb, 3)
    assert np.isnan(want).any() and np.isinf(want).any()
    assert_identical(v.embed(docs), want)
    assert_identical(v.embed(pa.array(docs)), want)
    assert_identical(np.ascontiguousarray(v.embed(docs, shapes=8)[:, :3]), want)
