"""The Text API's stated rules written again in plain Python, character by character: the oracles
the compiled sentence, keyword, phrase and summary paths are held to."""

from __future__ import annotations

import math
import re
from collections import Counter

from fastscratch.textapi.chars import fold_text
from fastscratch.textapi.phrases import STOP_WORDS
from fastscratch.textapi.sentences import ABBREVIATIONS

TERMINATORS = ".!?…"
CLOSERS = "\"')]}”’»"
LETTER = r"[^\W_0-9]"
WORD = re.compile(r"[^\W_]+(?:['’\-.&][^\W_]+)*")
INITIALS = re.compile(rf"{LETTER}(?:\.{LETTER})+")


def is_abbreviation(text: str, st: int, i: int) -> bool:
    ws = i
    while ws > st and not text[ws - 1].isspace():
        ws -= 1
    while ws < i and not text[ws].isalnum():
        ws += 1
    word = text[ws:i]
    if not word:
        return False
    if re.fullmatch(rf"{LETTER}(?:\.{LETTER})*", word):
        return True
    return word.isascii() and word.lower() in ABBREVIATIONS


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character ranges of the sentences of ``text``."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        st, end = i, None
        while i < n:
            c = text[i]
            if c in TERMINATORS:
                j = i + 1
                single = c == "."
                while j < n and text[j] in TERMINATORS:
                    single = False
                    j += 1
                while j < n and text[j] in CLOSERS:
                    j += 1
                if (j >= n or text[j].isspace()) and not (single and is_abbreviation(text, st, i)):
                    end = i = j
                    break
                i = j
                continue
            if c in "\n\r":
                j = i + 1
                if c == "\r" and j < n and text[j] == "\n":
                    j += 1
                t = j
                blank = False
                while t < n:
                    if text[t] in "\n\r":
                        blank = True
                        break
                    if not text[t].isspace():
                        break
                    t += 1
                if blank:
                    end, i = i, t
                    break
                i = j
                continue
            i += 1
        end = n if end is None else end
        stripped = text[st:end].rstrip()
        if stripped:
            out.append((st, st + len(stripped)))
    return out


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


def holds_keyword(sentence: str, keyword: str) -> bool:
    folded, kw = fold_text(sentence), fold_text(keyword)
    start = folded.find(kw)
    while start >= 0:
        end = start + len(kw)
        before = start == 0 or not (sentence[start - 1].isalnum() or sentence[start - 1] == "_")
        after = end == len(sentence) or not (sentence[end].isalnum() or sentence[end] == "_")
        if before and after:
            return True
        start = folded.find(kw, start + 1)
    return False


def words(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of ``text``, the trailing period of initials included."""
    out = []
    for m in WORD.finditer(text):
        a, b = m.span()
        if INITIALS.fullmatch(text, a, b) and b < len(text) and text[b] == ".":
            b += 1
        out.append((a, b))
    return out


def phrase_counts(texts: list[str], min_n: int = 2, max_n: int = 3) -> list[tuple[str, int]]:
    """Every phrase with its count, ranked: count, then length, then first appearance."""
    stop = {fold_text(w) for w in STOP_WORDS}
    counts: Counter = Counter()
    first: dict[tuple, tuple[int, int]] = {}
    ordinal = 0
    for text in texts:
        run: list[tuple[str, int]] = []
        prev_end = None
        for a, b in words(text):
            w = fold_text(text[a:b])
            if prev_end is None or not text[prev_end:a].isspace() and text[prev_end:a] != "":
                run = []
            prev_end = b
            if w in stop:
                run = []
                ordinal += 1
                continue
            run.append((w, ordinal))
            for n in range(min_n, min(max_n, len(run)) + 1):
                key = tuple(x for x, _ in run[-n:])
                counts[key] += 1
                first.setdefault(key, (run[-n][1], -n))
            ordinal += 1
    nested = {k[i:i + len(k) - 1] for k in counts for i in (0, 1) if len(k) > 1
              if counts.get(k[i:i + len(k) - 1]) == counts[k]}
    ranked = sorted((k for k in counts if k not in nested), key=lambda k: (-counts[k], -len(k), first[k][0]))
    return [(" ".join(k), counts[k]) for k in ranked]


def summarize(text: str, proportion: float) -> str:
    spans = sentences(text)
    if not spans:
        return ""
    stop = {fold_text(w) for w in STOP_WORDS}
    found = [(a, fold_text(text[a:b])) for a, b in words(text)]
    found = [(a, w) for a, w in found if w not in stop]
    freq = Counter(w for _, w in found)
    scores = [0.0] * len(spans)
    if freq:
        most = max(freq.values())
        for a, w in found:
            k = max(i for i, (s, _) in enumerate(spans) if s <= a)
            scores[k] += freq[w] / most
    keep = min(len(spans), max(1, math.floor(proportion * len(spans) + 0.5)))
    chosen = sorted(sorted(range(len(spans)), key=lambda k: (-scores[k], k))[:keep])
    return " ".join(text[spans[k][0]:spans[k][1]] for k in chosen)
