"""Token-shape features: the rule on hand-written tokens, the kernel against the plain-Python
statement (``fastscratch.shapes``) on str and Arrow input, 1 and 2 threads, and on any text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastscratch.kernels.embed import _GROUP as GROUP
from fastscratch.text import shapes
from tests.helpers import assert_identical, numba_threads, readonly
from tests.test_embed import SMALL_WORDS, small_vectors

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize(
    "token, shape",
    [
        ("575-74-7674", "ddd-dd-dddd"),
        ("amy47@example.com", "xdd@x.x"),
        ("[email]", "[x]"),
        ("[EMAIL]", "[x]"),
        ("[credit_card]", "[x_x]"),
        ("+91", "+dd"),
        ("1472004612", "dddddddddd"),
        ("12/25", "dd/dd"),
        ("https://www.smith-jones.net/", "x://x.x-x.x/"),
        ("4730099819249559", "d{13-19}"),
        ("47300998192", "d{11-12}"),
        ("473009981924955912345", "d{20+}"),
        ("$1,234.56", "$d,ddd.dd"),
        ("...", ".."),
        ("naïve", "x"),
        ("â€™s", "x"),
        ("a", "x"),
        ("7", "d"),
    ],
)
def test_token_shape(token, shape):
    assert shapes.token_shape(token) == shape


def test_bucket_is_fnv1a_of_the_shape():
    """FNV-1a 64 of 'x' computed by hand: offset basis xor 0x78, times the prime, mod 2**64."""
    h = ((0xCBF29CE484222325 ^ 0x78) * 0x100000001B3) % 2**64
    assert shapes.shape_bucket("word", 1 << 16) == h % (1 << 16)
    assert shapes.shape_bucket("575-74-7674", 64) == shapes.shape_bucket("123-45-6789", 64)
    assert len({shapes.shape_bucket(t, 64) for t in ("575-74-7674", "amy47@example.com", "[email]", "+91")}) == 4
    with pytest.raises(ValueError):
        shapes.token_shape("")


def reference_rows(texts, v, words, buckets):
    """Mean vector (the reference's) and shape block (the plain-Python rule), per document."""
    from fastscratch import reference

    emb = dict(zip(words, v.matrix))
    vocab = set(words)
    return np.stack([
        np.concatenate([reference.text_to_embedding(t, emb, v.dim), shapes.shape_features(t, vocab, buckets)])
        for t in texts
    ]) if texts else np.zeros((0, v.dim + buckets + 1), np.float32)


PII_DOCS = [
    "Dear Amy Smith, your payment of $1,234.56 on 12/25 using VISA 16 digit\nAmy Smith\n4730099819249559 12/25\n"
    "CVC: 351\n was successful. Contact amy47@example.com or +91 1472004612. SSN 575-74-7674.",
    "Dear Amy Smith, your payment of $1,234.56 on 12/25 using [CREDIT_CARD] was successful. "
    "Contact [EMAIL] or [PHONE]. SSN [SSN]. Visit [URL].",
    "",
    "   \n\t ",
    "the of and",
    "zzz qqq 123",
    "İstanbul KELVİN \u212a 12/25 naïve \U0001F600 the",
    " ".join(["x1"] * (GROUP + 1)),
    " ".join(["the", "575-74-7674"] * GROUP),
]


@pytest.mark.parametrize("buckets", [1, 2, 64, 1000])
def test_kernel_equals_plain_rule_str_and_arrow(buckets):
    v, _ = small_vectors()
    want = reference_rows(PII_DOCS, v, SMALL_WORDS, buckets)
    assert_identical(v.embed(PII_DOCS, shapes=buckets), want)
    assert_identical(v.embed(pa.array(PII_DOCS), shapes=buckets), want)
    assert_identical(v.embed(pa.chunked_array([PII_DOCS[:3], [], PII_DOCS[3:]], pa.large_string()), shapes=buckets), want)


def test_glove_part_unchanged_and_layout(vectors):
    v = vectors
    X = v.embed(PII_DOCS, shapes=64)
    assert X.shape == (len(PII_DOCS), 50 + 64 + 1) == (len(PII_DOCS), v.feature_width(64))
    assert_identical(np.ascontiguousarray(X[:, :50]), v.embed(PII_DOCS))
    _, known, total = v.embed(PII_DOCS, return_stats=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        unknown_share = np.where(total > 0, (total - known) / np.maximum(total, 1), 0).astype(np.float32)
    assert_identical(np.ascontiguousarray(X[:, -1]), unknown_share)
    np.testing.assert_allclose(X[:, 50:-1].sum(axis=1), X[:, -1], rtol=1e-5)
    # the two PII documents differ exactly where the values and the mask tokens are
    raw, masked = X[0, 50:-1], X[1, 50:-1]
    for token in ("575-74-7674.", "amy47@example.com", "1472004612.", "4730099819249559"):
        assert raw[shapes.shape_bucket(token)] > 0
    assert masked[shapes.shape_bucket("[email]")] > 0 and masked[shapes.shape_bucket("[ssn].")] > 0


def test_nulls_and_empty():
    v, _ = small_vectors()
    X = v.embed(["the", None, "zzz"], nulls="zero", shapes=8)
    assert X.shape == (3, 7 + 9) and not X[1].any() and X[2, -1] == 1.0
    assert v.embed([], shapes=8).shape == (0, 16)
    assert v.embed(pa.array(["a", None], pa.string()), nulls="zero", shapes=8)[1].sum() == 0


@pytest.mark.parametrize("bad", [-1, 1.5, True, 1 << 17, "64"])
def test_bad_bucket_count(bad):
    v, _ = small_vectors()
    with pytest.raises(ValueError, match="shapes must be an integer"):
        v.embed(["a"], shapes=bad)


def test_one_and_two_threads_identical():
    from fastscratch import data

    v, _ = small_vectors()
    docs = list(data.read_dataset("data/sample_train.csv")["Masked_Text"]) * 3
    with numba_threads(1):
        one = v.embed(docs, shapes=64)
    with numba_threads(2):
        two = v.embed(pa.array(docs), shapes=64)
    assert_identical(one, two)
    assert_identical(one[:40], reference_rows(docs[:40], v, SMALL_WORDS, 64))


token_text = st.lists(
    st.one_of(
        st.sampled_from(SMALL_WORDS + ["[EMAIL]", "575-74-7674", "+91", "a@b.c", "4730099819249559", "12/25"]),
        st.sampled_from([" ", "\t", "\n", "\xa0", "\u3000"]),
        st.text(alphabet=st.sampled_from("09aZ-_.@[]/+$,é€\x00"), max_size=25),
        st.characters(),
    ),
    max_size=30,
).map("".join)


@pytest.mark.boundscheck
@FUZZ
@given(texts=st.lists(token_text, max_size=6), buckets=st.sampled_from([1, 3, 64]))
def test_fuzz_shapes_equal_plain_rule(texts, buckets):
    v, _ = small_vectors(dim=3)
    want = reference_rows(texts, v, SMALL_WORDS, buckets)
    assert_identical(v.embed(texts, shapes=buckets), want)
    try:
        arrow = pa.array(texts, type=pa.string())
    except UnicodeEncodeError:  # a lone surrogate is not UTF-8
        return
    assert_identical(v.embed(arrow, shapes=buckets), want)


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(max_size=80), offsets=st.lists(st.integers(-100, 200), min_size=1, max_size=6))
def test_fuzz_shape_kernel_on_arbitrary_bytes(data, offsets):
    from fastscratch.kernels.embed import embed_documents
    from fastscratch.text.vectors import unicode_classes

    v, _ = small_vectors(dim=3)
    docs = np.frombuffer(data, np.uint8)
    offs = readonly(np.array(offsets, np.int64))
    n = len(offs) - 1
    out = np.empty((n, 3 + 5), np.float32)
    known, total, na = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.bool_)
    for ascii_only in (True, False):
        embed_documents(docs, offs, *[readonly(a) for a in (v.matrix, v.table, v.blob, v.offsets)], ascii_only,
                        unicode_classes(), 4, 0, out, known, total, na)
        assert np.all((out[:, 3:] >= 0) & (out[:, 3:] <= 1))
        np.testing.assert_allclose(out[:, 3:-1].sum(axis=1), out[:, -1], rtol=1e-5)
