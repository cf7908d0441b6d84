"""``text_polarity`` against vaderSentiment 3.3.2, the reference: equal values (``==``), not close ones."""

from __future__ import annotations

import math
import random

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment import vaderSentiment as reference

from fastscratch.errors import DatasetError
from fastscratch.kernels import vader as kv
from fastscratch.textapi import chars, lexicon, text_polarity, vader
from fastscratch.textapi.corpus import Corpus
from fastscratch.textapi.polarity import COMPENSATED_SUM
from tests.helpers import readonly

FUZZ = settings(max_examples=150, deadline=None)
ANALYZER = reference.SentimentIntensityAnalyzer()


def expected(texts):
    return [ANALYZER.polarity_scores(t)["compound"] for t in texts]


HAND_WRITTEN = [
    # the reference's own examples
    "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "The book was good.", "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.", "Today SUX!",
    "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all",
    "Sentiment analysis has never been good.", "Sentiment analysis has never been this good!",
    "Most automated sentiment analysis tools are shit.", "With VADER, sentiment analysis is the shit!",
    "Other sentiment analysis tools can be quite bad.", "On the other hand, VADER is quite bad ass",
    "VADER is such a badass!", "Without a doubt, excellent idea.",
    "Roger Dodger is one of the most compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Roger Dodger is one of the least compelling variations on this theme.", "Not such a badass after all.",
    # negation, "no", "least", idioms
    "no good", "no problem at all", "not no bad", "no good or bad", "no bad nor good", "isn't it great",
    "I don't hate it", "it wasn't the worst", "nowhere near good", "It is the least bad option", "very least good",
    "least good", "that was the bomb", "yeah right, great", "a kiss of death", "pizza to die for",
    "my beating heart", "at the bus stop", "without doubt good", "never so happy", "never this sad",
    "kind of great", "sort of awful", "just enough good", "KIND OF GREAT", "it's kind of a mess",
    # "but", with equal sentiments before and after it (the reference's list.index quirk)
    "good but good", "good good but good good bad", "great, but terrible", "bad but bad but bad",
    "love hate but love hate", "good bad BUT bad good", "but good", "good but",
    # capitals, boosters, exclamation and question marks
    "GOOD", "GOOD movie", "VERY good movie", "very GOOD movie", "EXTREMELY bad day!!!!!", "good?", "good??",
    "good???", "good?????", "bad!?!?", "HAPPY HAPPY", "Happy HAPPY", "the Kelvin \u212aind of good",
    # emoji, emoticons, Unicode
    "😀😀😀", "love😍", "😡angry", "I ❤ it", "👍🏽 nice", "🅰 ok", "ℹ info", "Ⓜ metro", ":) :( :D", "<3 <3", "xD",
    "naïve café ÉCOLE excellent", "Zürich is lovely", "“great” — ‘terrible’", "İstanbul is wonderful",
    "good\u00a0bad", "good\u2003but\u2003bad", "good\tbad\nbut\rsad", "", " ", "!!!", "?", "...", "a",
]

FILLER = ["the", "movie", "plot", "was", "it", "headline", "covid", "vaccine", "city", "people", "and", "of", "a",
          "new", "is", "The", "Mayor", "2021", "U.S.", "don’t", "it’s"]
MODIFIERS = ["very", "extremely", "so", "most", "kind of", "sort of", "kinda", "barely", "hardly", "just enough",
             "not", "never", "isn't", "don't", "dont", "cannot", "couldn't", "without", "no", "nor", "or", "but",
             "BUT", "least", "at least", "very least", "the", "yeah", "kiss of", "to die", "beating", "bus", "doubt",
             "this", "VERY", "Uber", "FRIGGIN"]
MARKS = ["!", "!!", "!!!!!", "?", "??", "????", ",", ".", "...", "\"", "'", "(", ")", ":", "-"]
EMOTICONS = [":)", ":D", ":(", ";)", "<3", ":-P", "xD", ":-)", "(:", "D:", "=)"]
SPACES = [" "] * 12 + ["", "\t", "\n", "\u00a0", "  ", "\u2003"]


def generated_corpus(n: int, seed: int) -> list[str]:
    """``n`` sentences mixing lexicon words (in three cases), boosters, negations, idioms, "but",
    emoticons, emoji, punctuation and Unicode, with varied whitespace."""
    rng = random.Random(seed)
    words = sorted(lexicon.lexicon())
    emoji = sorted(lexicon.emoji_descriptions())
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 18)):
            kind = rng.random()
            if kind < 0.35:
                w = rng.choice(words)
                w = rng.choice([w, w.upper(), w.capitalize(), w])
            elif kind < 0.6:
                w = rng.choice(FILLER)
            elif kind < 0.8:
                w = rng.choice(MODIFIERS)
            elif kind < 0.88:
                w = rng.choice(EMOTICONS)
            elif kind < 0.95:
                w = "".join(rng.choice(emoji) for _ in range(rng.randint(1, 3)))
            else:
                w = rng.choice(["naïve", "ÉCOLE", "café", "“good”", "—", "\u212aind", "İyi", "ǅemal", "ς"])
            if rng.random() < 0.2:
                w = w + rng.choice(MARKS)
            if rng.random() < 0.05:
                w = rng.choice(MARKS) + w
            parts.append(w)
            parts.append(rng.choice(SPACES))
        out.append("".join(parts))
    return out


CORPUS = HAND_WRITTEN + generated_corpus(3000, seed=17)


def test_the_lexicons_and_rules_are_vaders():
    assert lexicon.lexicon() == ANALYZER.lexicon
    assert lexicon.emoji_descriptions() == {k: v for k, v in ANALYZER.emojis.items() if len(k) == 1}
    assert lexicon.BOOSTER_DICT == reference.BOOSTER_DICT
    assert lexicon.NEGATE == frozenset(reference.NEGATE)
    assert lexicon.SPECIAL_CASES == reference.SPECIAL_CASES
    assert (lexicon.B_INCR, lexicon.B_DECR, lexicon.C_INCR, lexicon.N_SCALAR) == (
        reference.B_INCR, reference.B_DECR, reference.C_INCR, reference.N_SCALAR)


def test_equal_to_vader_on_a_fixed_corpus():
    """3,000 generated and 99 hand-written sentences: every score equal, through the kernel."""
    got = text_polarity(CORPUS)
    assert got.dtype == np.float64 and got.shape == (len(CORPUS),)
    want = expected(CORPUS)
    bad = [(t, g, w) for t, g, w in zip(CORPUS, got.tolist(), want) if g != w]
    assert not bad, f"{len(bad)} differ, first: {bad[:3]}"
    # the corpus exercises the rules: both signs, clamping near the ends, "but", capitals
    assert (got > 0.5).sum() > 300 and (got < -0.5).sum() > 300 and (got == 0).sum() > 50
    assert sum(" but " in f" {t.lower()} " for t in CORPUS) > 100


def test_the_kernel_itself_scores_nearly_all_of_them():
    """Only documents with a character whose lower case holds ASCII (or invalid UTF-8) take the
    Python statement; the rest are the kernel's own numbers."""
    corpus = Corpus.from_strings(CORPUS)
    out = np.empty(len(CORPUS))
    python_path = np.empty(len(CORPUS), np.bool_)
    kv.vader_compound(corpus.data, corpus.offsets, chars.flags(), *lexicon.tables().args(), COMPENSATED_SUM, out,
                      python_path)
    hard = np.array(["\u212a" in t or "\u0130" in t for t in CORPUS])
    assert python_path.tolist() == hard.tolist()
    assert out[~hard].tolist() == [w for w, h in zip(expected(CORPUS), hard) if not h]


def test_the_python_statement_equals_vader():
    assert [vader.compound(t) for t in CORPUS] == expected(CORPUS)


@pytest.mark.parametrize("text", HAND_WRITTEN[:30])
def test_one_text_gives_a_float(text):
    got = text_polarity(text)
    assert isinstance(got, float) and got == ANALYZER.polarity_scores(text)["compound"]


def test_arrow_pandas_and_file_corpora(tmp_path):
    texts = CORPUS[:200]
    want = expected(texts)
    assert text_polarity(pa.array(texts)).tolist() == want
    assert text_polarity(pa.array(texts, pa.large_string())).tolist() == want
    assert text_polarity(pa.chunked_array([texts[:50], texts[50:]])).tolist() == want
    assert text_polarity(pa.array(texts).slice(30, 40)).tolist() == want[30:70]
    lines = [t for t in texts if "\n" not in t and "\r" not in t]
    path = tmp_path / "posts.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert text_polarity(path).tolist() == expected(lines)
    assert text_polarity([]).tolist() == []


def test_missing_documents_are_located():
    with pytest.raises(DatasetError, match="document 1 is missing"):
        text_polarity(["good", None])
    with pytest.raises(DatasetError, match="document 2 is missing"):
        text_polarity(pa.array(["good", "bad", None]))
    with pytest.raises(TypeError, match="document 0 is a int"):
        text_polarity([3])


@FUZZ
@given(st.floats(-1.0, 1.0))
def test_round4_is_pythons_round(x):
    got = kv.round4(x)
    want = round(x, 4)
    assert got == want and math.copysign(1, got) == math.copysign(1, want)


@pytest.mark.parametrize("x", [0.03125, -0.03125, 0.00005, 0.00015, 0.99995, -0.99995, 1.0, -1.0, 5e-324, 0.0, -0.0,
                               0.12345, 0.5, 0.33335, 0.4404])
def test_round4_on_ties_and_edges(x):
    assert kv.round4(x) == round(x, 4)
    assert math.copysign(1, kv.round4(x)) == math.copysign(1, round(x, 4))


def neumaier(values):
    total, c = 0.0, 0.0
    for x in values:
        t = total + x
        c += (total - t) + x if abs(total) >= abs(x) else (x - t) + total
        total = t
    return total + c if c and math.isfinite(c) else total


def test_both_summations_of_the_valences():
    """Python 3.12's ``sum`` of floats is compensated: the kernel follows either interpreter."""
    sent = np.array([0.1, 2.3, -1.7, 0.2, 1e-9, 3.0, -2.9, 0.7])
    for compensated, total in ((False, sum(sent.tolist())), (True, neumaier(sent.tolist()))):
        norm = total / math.sqrt(total * total + 15)
        assert kv._score(len(sent), sent, 0, 0, compensated) == round(norm, 4)
    assert COMPENSATED_SUM == (sum([0.1] * 10) == 1.0)  # the running interpreter's own sum


VADER_TOKENS = st.sampled_from(sorted(set(
    ["good", "bad", "GOOD", "BAD", "not", "no", "but", "BUT", "very", "kind", "of", "least", "at", "never", "so",
     "this", "without", "doubt", "the", "shit", "bomb", "or", "nor", "isn't", "n't", "!", "?", ":)", ":D", "😀", "💘",
     "❤", "️", "😁", "🏽", "kinda", "sort", "yeah", "right", "love", "hate", "ok", "bus", "stop", "kiss", "death",
     "happy", "HAPPY", "Ǆ", "ǅ", "\u212a", "İ", "ß", "Σ", "é", "—", "’", "\u00a0", "\u2028", "\x1c", "\t", " ", ""])))


@pytest.mark.boundscheck
@FUZZ
@given(st.lists(st.one_of(VADER_TOKENS, st.text(max_size=6)), max_size=25).map(" ".join))
def test_fuzz_equal_to_vader(text):
    assert text_polarity([text]).tolist() == expected([text])


@pytest.mark.boundscheck
@FUZZ
@given(data=st.binary(max_size=80), offsets=st.lists(st.integers(-100, 200), min_size=1, max_size=6))
def test_fuzz_kernel_on_arbitrary_bytes_and_offsets(data, offsets):
    """Invalid UTF-8, offsets out of range or decreasing: no crash, a score in [-1, 1] or the Python path."""
    offs = readonly(np.array(offsets, np.int64))
    n = len(offs) - 1
    out = np.empty(n)
    python_path = np.empty(n, np.bool_)
    kv.vader_compound(readonly(np.frombuffer(data, np.uint8)), offs, chars.flags(), *lexicon.tables().args(),
                      COMPENSATED_SUM, out, python_path)
    assert np.all(np.abs(out) <= 1.0)
