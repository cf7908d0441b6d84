"""VADER's word and emoji lexicons (vaderSentiment 3.3.2, MIT licence: ``data/VADER_LICENSE.txt``) and
its rule constants, as ``text_polarity`` reads them.

``data/vader_lexicon.txt`` holds each word of vaderSentiment's ``vader_lexicon.txt`` once, with the
valence text of its last line (vaderSentiment's dictionary keeps the last of a repeated word);
``data/vader_emoji.txt`` holds the emoji lexicon's single-character keys (vaderSentiment replaces
emoji character by character, so its keys of several characters never match). The tests check
both against vaderSentiment's own dictionaries. :func:`tables` turns them into the arrays the
compiled path (``fastscratch.kernels.vader``) reads.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

from fastscratch.kernels import vader as _kv
from fastscratch.kernels import vocab as _vocab

__all__ = ["B_INCR", "B_DECR", "C_INCR", "N_SCALAR", "NEGATE", "BOOSTER_DICT", "SPECIAL_CASES",
           "lexicon", "emoji_descriptions", "tables", "VaderTables"]

B_INCR = _kv.B_INCR
B_DECR = -0.293
C_INCR = _kv.C_INCR
N_SCALAR = _kv.N_SCALAR

NEGATE = frozenset(
    ["aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
     "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
     "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
     "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
     "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
     "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
     "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
     "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite"])
"""Words that negate the valence of a lexicon word up to three words after them."""

BOOSTER_DICT: dict[str, float] = {
    **dict.fromkeys(
        ["absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
         "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
         "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin", "frigging",
         "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
         "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
         "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous",
         "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very"], B_INCR),
    **dict.fromkeys(
        ["almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less", "little",
         "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight",
         "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of"], B_DECR),
}
"""Degree adverbs: the increment (or decrement) they add to the lexicon word after them."""

SPECIAL_CASES: dict[str, float] = {
    "the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0, "yeah right": -2,
    "kiss of death": -1.5, "to die for": 3, "beating heart": 3.5}
"""Idioms holding lexicon words, with the valence they take instead."""


def _data(name: str) -> str:
    return resources.files("fastscratch.textapi").joinpath("data", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """VADER's lexicon: word -> mean valence (-4 to 4)."""
    out = {}
    for line in _data("vader_lexicon.txt").splitlines():
        word, valence = line.split("\t")
        out[word] = float(valence)
    return out


@functools.lru_cache(maxsize=1)
def emoji_descriptions() -> dict[str, str]:
    """VADER's emoji lexicon, its single-character keys: emoji -> description (``"😀"`` -> ``"grinning face"``)."""
    out = {}
    for line in _data("vader_emoji.txt").splitlines():
        emoji, description = line.split("\t")
        out[emoji] = description
    return out


@dataclass(frozen=True)
class VaderTables:
    """The arguments of ``kernels.vader.vader_compound`` after the documents and the character
    flags, in its order (every array read-only). ``expansion``: the most bytes an emoji's
    replacement (a space and its description) takes per byte of the emoji, rounded up."""

    emoji_cps: np.ndarray
    emoji_offsets: np.ndarray
    emoji_blob: np.ndarray
    expansion: int
    table: np.ndarray
    blob: np.ndarray
    word_offsets: np.ndarray
    word_flags: np.ndarray
    valence: np.ndarray
    booster: np.ndarray
    special: np.ndarray
    seq_ids: np.ndarray
    seq_val: np.ndarray
    seq_kind: np.ndarray

    def args(self) -> tuple:
        """The fields in the kernel's order."""
        return (self.emoji_cps, self.emoji_offsets, self.emoji_blob, self.expansion, self.table, self.blob,
                self.word_offsets, self.word_flags, self.valence, self.booster, self.special, self.seq_ids, self.seq_val,
                self.seq_kind)


def _readonly(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.flags.writeable = False


@functools.lru_cache(maxsize=1)
def tables() -> VaderTables:
    """The lexicons and rules as the compiled path's arrays (built once, read-only)."""
    lex = lexicon()
    words: dict[str, int] = {}

    def word_id(word: str) -> int:
        return words.setdefault(word, len(words))

    # vaderSentiment looks words up as ``token.lower()``: a key that its own lower case changes
    # (":-D", "O_o", ":Þ") can never match, so it stays out of the table. What is left is ASCII
    # (checked below), so the kernel's ASCII lower-casing finds a word exactly when Python's
    # ``str.lower()`` would: a token with another cased character cannot equal an ASCII word.
    for word in lex:
        if word == word.lower():
            word_id(word)
    for word in BOOSTER_DICT:
        if " " not in word:
            word_id(word)
    for word in NEGATE:
        word_id(word)
    for word in _kv.SPECIAL_WORDS:
        word_id(word)
    sequences = []
    for kind, keys in ((_kv.SEQ_SPECIAL, SPECIAL_CASES), (_kv.SEQ_BOOSTER, BOOSTER_DICT)):
        for key, value in keys.items():
            parts = key.split(" ")
            if len(parts) > 1:
                ids = [word_id(p) for p in parts] + [_kv.PAD] * (3 - len(parts))
                sequences.append((ids, float(value), kind))
    names = list(words)
    if not all(w.isascii() for w in names):  # pragma: no cover - true of VADER 3.3.2's lexicon
        raise AssertionError("the compiled VADER path needs an ASCII word table")
    encoded = [w.encode("utf-8") for w in names]
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    offsets = np.zeros(len(names) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    hashes = np.empty(len(names), dtype=np.uint64)
    table = np.empty((_vocab.table_size(len(names)), 4), dtype=np.uint64)
    if _vocab.build_table(blob, offsets, hashes, table, np.empty(len(names), dtype=np.int64)):
        raise AssertionError("the VADER word table has a repeated word")  # pragma: no cover - words is a dict
    word_flags = np.zeros(len(names), dtype=np.int64)
    valence = np.zeros(len(names), dtype=np.float64)
    booster = np.zeros(len(names), dtype=np.float64)
    for i, word in enumerate(names):
        if word in lex:
            word_flags[i] |= _kv.IN_LEXICON
            valence[i] = lex[word]
        if word in BOOSTER_DICT:
            word_flags[i] |= _kv.BOOSTER
            booster[i] = BOOSTER_DICT[word]
        if word in NEGATE:
            word_flags[i] |= _kv.NEGATION
    for ids, _, _ in sequences:
        word_flags[ids[0]] |= _kv.STARTS_SEQUENCE
    emoji = sorted(emoji_descriptions().items())
    described = [d.encode("utf-8") for _, d in emoji]
    emoji_offsets = np.zeros(len(emoji) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in described], out=emoji_offsets[1:])
    out = VaderTables(
        emoji_cps=np.array([ord(e) for e, _ in emoji], dtype=np.int64),
        emoji_offsets=emoji_offsets,
        emoji_blob=np.frombuffer(b"".join(described), dtype=np.uint8).copy(),
        expansion=max(1, *(-(-(len(d) + 1) // len(e.encode("utf-8"))) for (e, _), d in zip(emoji, described))),
        table=table, blob=blob, word_offsets=offsets, word_flags=word_flags, valence=valence, booster=booster,
        special=np.array([words[w] for w in _kv.SPECIAL_WORDS], dtype=np.int64),
        seq_ids=np.array([s[0] for s in sequences], dtype=np.int64).reshape(-1, 3),
        seq_val=np.array([s[1] for s in sequences], dtype=np.float64),
        seq_kind=np.array([s[2] for s in sequences], dtype=np.int64),
    )
    _readonly(*(a for a in out.args() if isinstance(a, np.ndarray)))
    return out
