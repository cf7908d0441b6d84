"""Each Text API operation's stated rule: hand-written cases, and the compiled paths against the
plain-Python statements of the rules (``tests/textapi_oracles.py``) under hypothesis."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastscratch.errors import DatasetError, MissingExtraError, ParameterError
from fastscratch.kernels import codepoints as cp
from fastscratch.kernels import phrases as kp
from fastscratch.kernels import sentences as ks
from fastscratch.textapi import (
    chars,
    most_common_entities,
    most_common_phrases,
    ner,
    phrase_counts,
    sentences_with_keywords,
    split_sentences,
    summarize,
)
from fastscratch.textapi.phrases import words
from fastscratch.textapi.sentences import _abbreviations
from tests import textapi_oracles as oracle
from tests.helpers import readonly

FUZZ = settings(max_examples=120, deadline=None)

# ----------------------------------------------------------------------------- characters


def test_the_character_tables_are_pythons():
    flags, fold = chars.flags(), chars.fold()
    assert flags.shape == (0x110000,) and not flags.flags.writeable and not fold.flags.writeable
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        f = int(flags[c])
        assert bool(f & cp.SPACE) == ch.isspace() and bool(f & cp.WORD) == ch.isalnum(), hex(c)
        if c >= cp.FOLD_LIMIT:  # the table's shortcut: nothing up there has a case
            assert f & ~cp.WORD == 0 and ch.lower() == ch and not ch.isupper() and not ch.islower(), hex(c)
            continue
        assert bool(f & cp.UPPER) == ch.isupper(), hex(c)
        low = ch.lower()
        assert int(fold[c]) == (ord(low) if len(low) == 1 else c), hex(c)


@FUZZ
@given(st.text(max_size=8))
def test_isupper_from_the_flags(word):
    flags = chars.flags()
    cased = any(flags[ord(c)] & cp.UPPER for c in word)
    lower = any(flags[ord(c)] & cp.LOWER for c in word)
    assert (cased and not lower) == word.isupper()


# ----------------------------------------------------------------------------- sentences


@pytest.mark.parametrize("text, want", [
    ("Hello world. This is it!  Is it? Yes...", ["Hello world.", "This is it!", "Is it?", "Yes..."]),
    ("The U.S. economy grew. E.m.s. crews rest.", ["The U.S. economy grew.", "E.m.s. crews rest."]),
    ("Dr. Smith met Mr. Jones on Jan. 6. Then left.", ["Dr. Smith met Mr. Jones on Jan. 6.", "Then left."]),
    ('He said "stop." She left.', ['He said "stop."', "She left."]),
    ("(Really?) Yes.", ["(Really?)", "Yes."]),
    ("no period at the end", ["no period at the end"]),
    ("line one\nline two", ["line one\nline two"]),
    ("para one\n\npara two\r\n \r\nthree", ["para one", "para two", "three"]),
    ("3.5 million. ok", ["3.5 million.", "ok"]),
    ("Wait… what?!", ["Wait…", "what?!"]),
    ("", []), ("   \n ", []), ("...", ["..."]),
])
def test_sentence_rule(text, want):
    assert split_sentences(text) == want


UNICODE_TEXT = st.lists(st.one_of(
    st.sampled_from(["a", "B", "U.S.", "e.m.s.", "Dr", "Mr.", "jan", "covid", "COVID-19", "x_y", ".", "!", "?", "…",
                     '"', "”", "’", ")", "(", " ", " ", " ", "\n", "\r\n", "\n\n", "\u00a0", "\u2028", "É", "ß",
                     "\u212a", "İ", "😀", "5", "١"]),
    st.text(max_size=3)), max_size=40).map("".join)


@pytest.mark.boundscheck
@FUZZ
@given(UNICODE_TEXT)
def test_sentences_equal_the_stated_rule(text):
    assert split_sentences(text) == oracle.split(text)


# ----------------------------------------------------------------------------- keywords


def test_keyword_rule():
    text = ("COVID-19 cases rise. Covidiots protest. The #covid toll! covid_19 data. Mask covid's spread. "
            "The Écoles reopen. no keyword here")
    got = sentences_with_keywords(text, ["covid", "écoles", "mask covid"])
    assert got == {"covid": ["COVID-19 cases rise.", "The #covid toll!", "Mask covid's spread."],
                   "écoles": ["The Écoles reopen."], "mask covid": ["Mask covid's spread."]}


def test_keywords_over_a_corpus():
    docs = ["Covid vaccine arrives. Stocks rise.", "Nothing here.", "covid again. And COVID."]
    assert sentences_with_keywords(docs, ["covid"]) == {
        "covid": ["Covid vaccine arrives.", "covid again.", "And COVID."]}
    assert sentences_with_keywords(docs, "covid", per_document=True) == [
        {"covid": ["Covid vaccine arrives."]}, {"covid": []}, {"covid": ["covid again.", "And COVID."]}]
    assert sentences_with_keywords(pa.array(docs), ["covid"]) == sentences_with_keywords(docs, ["covid"])


@pytest.mark.parametrize("keywords", [[], [""], ["  "], [3], None])
def test_bad_keywords(keywords):
    with pytest.raises(ParameterError):
        sentences_with_keywords("text", keywords)


@pytest.mark.boundscheck
@FUZZ
@given(UNICODE_TEXT, st.lists(st.sampled_from(["covid", "u.s", "COVID-19", "é", "ß", "k", "x_y", "😀", "b a"]),
                               min_size=1, max_size=3, unique=True))
def test_keyword_sentences_equal_the_stated_rule(text, keywords):
    want = {k: [s for s in oracle.split(text) if oracle.holds_keyword(s, k)] for k in keywords}
    assert sentences_with_keywords(text, keywords) == want


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(max_size=80), offsets=st.lists(st.integers(-100, 200), min_size=1, max_size=6))
def test_sentence_kernel_on_arbitrary_bytes_and_offsets(data, offsets):
    docs = readonly(np.frombuffer(data, np.uint8))
    offs = readonly(np.array(offsets, np.int64))
    n = len(offs) - 1
    kw_cps, kw_offsets = readonly(np.array([99, 111], np.int64)), readonly(np.array([0, 2], np.int64))
    counts = np.zeros(n, np.int64)
    none = np.empty(0, np.int64)
    args = (chars.flags(), chars.fold(), *_abbreviations(), kw_cps, kw_offsets)
    ks.split_sentences(docs, offs, *args, counts, none, none, np.empty((0, 1), np.bool_), False)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    total = int(counts.sum())
    starts, ends = np.empty(total, np.int64), np.empty(total, np.int64)
    ks.split_sentences(docs, offs, *args, first, starts, ends, np.empty((total, 1), np.bool_), True)
    assert np.all(starts < ends) and np.all(ends <= len(data))


# ----------------------------------------------------------------------------- phrases


def test_word_rule():
    assert words("The U.S. covid-19 vaccine; Trump’s don’t AT&T e.m.s. crews, 3.5 a.b_c") == [
        "the", "u.s.", "covid-19", "vaccine", "trump’s", "don’t", "at&t", "e.m.s.", "crews", "3.5", "a.b", "c"]


def test_phrase_rule():
    text = ("New covid vaccine doses arrive. The new covid vaccine is here! Covid vaccine doses, covid vaccine "
            "mandates. COVID VACCINE")
    got = phrase_counts(text)
    # "new covid" (2), "vaccine doses" (2), "doses arrive" (1), "vaccine mandates" (1) are inside a
    # longer phrase as frequent: left out
    assert list(zip(got.phrases, got.counts.tolist())) == [
        ("covid vaccine", 5), ("new covid vaccine", 2), ("covid vaccine doses", 2), ("vaccine doses arrive", 1),
        ("covid vaccine mandates", 1)]
    assert most_common_phrases(text, 2) == ["covid vaccine", "new covid vaccine"]
    # a stop word, punctuation and a document's end break a phrase
    assert most_common_phrases("covid of vaccine, doses. mask", 5) == []
    assert most_common_phrases(["covid", "vaccine"], 5) == []
    assert most_common_phrases(["covid vaccine", "covid vaccine", "flu shot"], 5) == ["covid vaccine", "flu shot"]
    assert most_common_phrases(["covid vaccine", "flu shot"], 1, per_document=True) == [["covid vaccine"],
                                                                                        ["flu shot"]]
    assert most_common_phrases("rising covid cases", 9, min_words=1, max_words=1) == ["rising", "covid", "cases"]


@pytest.mark.parametrize("kwargs", [{"num_phrases": 0}, {"num_phrases": True}, {"num_phrases": 2.5},
                                    {"min_words": 0}, {"max_words": 4}, {"min_words": 3, "max_words": 2}])
def test_bad_phrase_arguments(kwargs):
    with pytest.raises(ParameterError):
        most_common_phrases("a b c", **{"num_phrases": 3, **kwargs})


PHRASE_TEXT = st.lists(st.one_of(
    st.sampled_from(["covid", "Covid", "vaccine", "VACCINE", "doses", "the", "of", "don't", "don’t", "u.s.", "U.S",
                     "e.m.s", "at&t", "3.5", "-", ".", ",", "’", "&", " ", " ", " ", "\n", "\u00a0", "É", "é", "ß",
                     "İ", "\u212a", "x_y", "😀"]),
    st.text(max_size=3)), max_size=40).map("".join)


@pytest.mark.boundscheck
@FUZZ
@given(st.lists(PHRASE_TEXT, max_size=4), st.sampled_from([(1, 1), (1, 3), (2, 3), (2, 2), (3, 3)]))
def test_phrase_counts_equal_the_stated_rule(texts, lengths):
    got = phrase_counts(texts, min_words=lengths[0], max_words=lengths[1])
    assert list(zip(got.phrases, got.counts.tolist())) == oracle.phrase_counts(texts, *lengths)


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(max_size=80), offsets=st.lists(st.integers(-100, 200), min_size=1, max_size=6))
def test_phrase_kernel_on_arbitrary_bytes_and_offsets(data, offsets):
    from fastscratch.textapi.phrases import _stop_words

    ids, count, first, start, end, ws, wid = kp.count_phrases(
        readonly(np.frombuffer(data, np.uint8)), readonly(np.array(offsets, np.int64)), chars.flags(), chars.fold(),
        *_stop_words(), 1, 3, True)
    assert np.all(count > 0) and np.all(start < end) and np.all(end <= len(data)) and len(ws) == len(wid)


def test_corpus_inputs_agree(tmp_path):
    docs = ["Covid vaccine doses. New covid vaccine!", "covid vaccine mandates", "flu shot, flu shot"]
    want = most_common_phrases(docs, 4)
    (tmp_path / "d.txt").write_text("\n".join(docs) + "\n", encoding="utf-8")
    pd.DataFrame({"text": docs}).to_csv(tmp_path / "d.csv", index=False)
    (tmp_path / "d.jsonl").write_text("".join(json.dumps({"text": d}) + "\n" for d in docs), encoding="utf-8")
    pq.write_table(pa.table({"body": docs}), tmp_path / "d.parquet")
    for name, column in (("d.txt", "text"), ("d.csv", "text"), ("d.jsonl", "text"), ("d.parquet", "body")):
        assert most_common_phrases(tmp_path / name, 4, text_column=column) == want, name
    assert most_common_phrases(pa.chunked_array([docs[:1], docs[1:]]), 4) == want
    assert most_common_phrases(np.array(docs, dtype=object), 4) == want
    with pytest.raises(DatasetError, match="no column 'text'"):
        most_common_phrases(tmp_path / "d.parquet", 4)
    pd.DataFrame({"text": ["ok", None]}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(DatasetError, match=r"bad.csv: data row 2, column 'text': text is missing"):
        most_common_phrases(tmp_path / "bad.csv")
    with pytest.raises(TypeError, match="not bytes"):
        most_common_phrases(b"covid vaccine")


# ----------------------------------------------------------------------------- summaries


def test_summary_rule():
    text = ("Covid cases rise in the city. The mayor said covid cases will fall. Nothing else happened today. "
            "Covid vaccine covid vaccine! Short.")
    # covid: 4, cases: 2, vaccine: 2 (most frequent: covid), so the scores are 1.75, 2.25, 1.0, 3.0, 0.25
    assert summarize(text, 0.4) == "The mayor said covid cases will fall. Covid vaccine covid vaccine!"
    assert summarize(text, 0.1) == "Covid vaccine covid vaccine!"
    assert summarize(text, 1.0) == " ".join(split_sentences(text))
    assert summarize("", 0.5) == "" and summarize("the of a.", 0.5) == "the of a."
    assert summarize(["Apple bee. Apple cat.", "x"], 0.5) == ["Apple bee.", "x"]  # a tie: the earlier sentence


@pytest.mark.parametrize("proportion", [0, -0.1, 1.5, "0.1", True, float("nan")])
def test_bad_proportion(proportion):
    with pytest.raises(ParameterError):
        summarize("a. b.", proportion)


@FUZZ
@given(UNICODE_TEXT, st.sampled_from([0.1, 0.3, 0.5, 1.0]))
def test_summaries_equal_the_stated_rule(text, proportion):
    assert summarize(text, proportion) == oracle.summarize(text, proportion)


# ----------------------------------------------------------------------------- entities


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    pipeline = spacy.blank("en")
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Elon Musk"}, {"label": "ORG", "pattern": "Tesla"},
                        {"label": "GPE", "pattern": "Texas"}, {"label": "PRODUCT", "pattern": "Model 3"},
                        {"label": "DATE", "pattern": "Monday"}, {"label": "PERSON", "pattern": "Grimes"}])
    return pipeline


def test_ner_through_a_pipeline(nlp):
    text = "Elon Musk said on Monday that Tesla moves to Texas. Grimes bought a Model 3. Tesla! Elon Musk."
    assert ner(text, nlp=nlp) == [["PERSON", "Elon Musk"], ["DATE", "Monday"], ["ORG", "Tesla"], ["GPE", "Texas"],
                                  ["PERSON", "Grimes"], ["ORG", "Tesla"], ["PERSON", "Elon Musk"]]
    assert ner(text, "ALL", nlp=nlp)[5] == ["PRODUCT", "Model 3"]
    assert ner(text, ["ORG"], nlp=nlp) == [["ORG", "Tesla"], ["ORG", "Tesla"]]
    assert ner([text, "nothing"], nlp=nlp)[1] == []
    with pytest.raises(ParameterError, match="labels must be one of"):
        ner(text, "PEOPLE", nlp=nlp)


def test_ner_without_a_model_says_how_to_get_one():
    with pytest.raises(MissingExtraError, match=r"spaCy pipeline 'no_such_model_xyz'.*fastscratch\[ner\]"):
        ner("text", model="no_such_model_xyz")


def test_most_common_entities_is_the_posts():
    ners = [["PERSON", "Grimes"], ["ORG", "Tesla"], ["PERSON", "Elon Musk"], ["PERSON", "Elon Musk"],
            ["ORG", "SpaceX"], ["GPE", "Texas"]]
    assert most_common_entities(ners) == {"PERSON": "Elon Musk", "ORG": "Tesla", "GPE": "Texas"}
    assert most_common_entities([]) == {}


def test_results_do_not_depend_on_the_thread_count():
    import numba

    from fastscratch.textapi import text_polarity
    from tests.test_textapi_polarity import CORPUS

    docs = CORPUS[:600] * 2  # several blocks of each parallel kernel
    answers = []
    before = numba.get_num_threads()
    try:
        for threads in (1, numba.config.NUMBA_NUM_THREADS):
            numba.set_num_threads(threads)
            answers.append((text_polarity(docs).tolist(), sentences_with_keywords(docs, ["good", "bad"]),
                            phrase_counts(docs).phrases, summarize(docs, 0.5)))
    finally:
        numba.set_num_threads(before)
    assert answers[0] == answers[1]
