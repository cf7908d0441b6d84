"""VADER's compound polarity, stated in plain Python: the rule the compiled path follows.

This is vaderSentiment 3.3.2's ``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]``
(Hutto and Gilbert, ICWSM 2014), re-stated over this package's lexicon tables
(:mod:`fastscratch.textapi.lexicon`), quirks included, since the point is the same number:

- emoji are replaced by their descriptions character by character, with a space before a
  description unless the previous character was a space (``" "`` only), and none after;
- the ``but`` rule rescales the *first* sentiment equal to each one in turn (``list.index``), so
  equal values before and after ``but`` can be rescaled at the wrong place;
- the sum is Python's ``sum``: Neumaier-compensated from Python 3.12 on.

``fastscratch.kernels.vader`` computes the same arithmetic over UTF-8 bytes; ``text_polarity``
sends here only the documents the kernel declines (invalid UTF-8, surrogates, a character whose
lower case holds ASCII, such as the KELVIN SIGN). The tests hold both to vaderSentiment itself.
"""

from __future__ import annotations

import math
import string

from fastscratch.textapi.lexicon import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    emoji_descriptions,
    lexicon,
)

__all__ = ["compound"]


def _negated(word: str) -> bool:
    return word in NEGATE or "n't" in word


def _strip_punctuation(token: str) -> str:
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


def _words(text: str) -> list[str]:
    emojis = emoji_descriptions()
    replaced = []
    prev_space = True
    for ch in text:
        if ch in emojis:
            if not prev_space:
                replaced.append(" ")
            replaced.append(emojis[ch])
            prev_space = False
        else:
            replaced.append(ch)
            prev_space = ch == " "
    return "".join(replaced).strip()


def _scalar_inc_dec(word: str, valence: float, cap_diff: bool) -> float:
    scalar = 0.0
    low = word.lower()
    if low in BOOSTER_DICT:
        scalar = BOOSTER_DICT[low]
        if valence < 0:
            scalar *= -1
        if word.isupper() and cap_diff:
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _negation_check(valence, low, start_i, i):
    if start_i == 0:
        if _negated(low[i - 1]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if low[i - 2] == "never" and low[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            pass
        elif _negated(low[i - 2]):
            valence = valence * N_SCALAR
    else:
        if (low[i - 3] == "never" and low[i - 2] in ("so", "this")) or low[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            pass
        elif _negated(low[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence, low, i):
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(low) - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(low) - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for ngram in (threetwoone, threetwo, twoone):
        if ngram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[ngram]
    return valence


def _valence(words, low, i, cap_diff, lex):
    item = words[i]
    if low[i] not in lex:
        return 0
    valence = lex[low[i]]
    if low[i] == "no" and i != len(words) - 1 and low[i + 1] in lex:
        valence = 0.0
    if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") or (
            i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor")):
        valence = lex[low[i]] * N_SCALAR
    if item.isupper() and cap_diff:
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for start_i in range(3):
        if i > start_i and low[i - (start_i + 1)] not in lex:
            s = _scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation_check(valence, low, start_i, i)
            if start_i == 2:
                valence = _special_idioms_check(valence, low, i)
    if i > 1 and low[i - 1] not in lex and low[i - 1] == "least":
        if low[i - 2] != "at" and low[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and low[i - 1] not in lex and low[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


def _but_check(low, sentiments):
    if "but" in low:
        bi = low.index("but")
        for sentiment in list(sentiments):  # the list changes only in place, as vaderSentiment's loop sees it
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments[si] = sentiment * 0.5
            elif si > bi:
                sentiments[si] = sentiment * 1.5
    return sentiments


def compound(text: str) -> float:
    """VADER's compound score of ``text``, in [-1, 1], rounded to four decimals."""
    text = _words(text)
    words = [_strip_punctuation(t) for t in text.split()]
    low = [w.lower() for w in words]
    upper = sum(1 for w in words if w.isupper())
    cap_diff = 0 < len(words) - upper < len(words)
    lex = lexicon()
    sentiments = []
    for i, item in enumerate(low):
        if item in BOOSTER_DICT or (i < len(words) - 1 and item == "kind" and low[i + 1] == "of"):
            sentiments.append(0)
        else:
            sentiments.append(_valence(words, low, i, cap_diff, lex))
    sentiments = _but_check(low, sentiments)
    if not sentiments:
        return 0.0
    total = float(sum(sentiments))
    bangs = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    emphasis = bangs + ((questions * 0.18 if questions <= 3 else 0.96) if questions > 1 else 0)
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    norm = total / math.sqrt((total * total) + 15)
    return round(max(-1.0, min(1.0, norm)), 4)
