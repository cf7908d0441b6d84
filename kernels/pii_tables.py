"""The data of the PII recognizers: top-level domains, country calling codes, card brands and the
labels of a card block, as plain Python values and as the arrays ``recognize`` reads.

The one home of these tables: ``fastscratch.text.recognizers`` (the rules in plain Python) and
``recognize`` (the kernel) both take them from here.
"""

from __future__ import annotations

import numpy as np

TYPES: tuple[str, ...] = ("email", "phone", "ssn", "url", "credit_card")
"""The five masked types, in the masking's column order, named as in ``True Predictions``."""

MASK_TOKENS: tuple[str, ...] = ("[EMAIL]", "[PHONE]", "[SSN]", "[URL]", "[CREDIT_CARD]")
"""The mask token of each type of ``TYPES``."""

_CCTLDS = (
    "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bv bw by bz "
    "ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm "
    "fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is "
    "it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm "
    "mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr "
    "ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg "
    "th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw"
)
_GENERIC_TLDS = (
    "com org net edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs app dev page tech "
    "online site store shop blog cloud email global group life live media network news one systems today world "
    "xyz top club agency company design finance bank law health care academy capital credit digital energy "
    "expert express fund holdings legal money partners services software support ventures website studio "
    "science solar social team tools video vip work works zone host hosting inc ltd llc center city"
)
TLDS: frozenset[str] = frozenset(_CCTLDS.split()) | frozenset(_GENERIC_TLDS.split())
"""The top-level domains an e-mail or URL host may end in: the 248 two-letter country-code TLDs of
the Public Suffix List's ICANN section and 87 common generic ones, none longer than 8 letters.
File-name extensions that are also new gTLDs (``zip``, ``mov``) are left out on purpose."""

COUNTRY_CODES: frozenset[int] = frozenset((
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
    60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211, 212, 213, 216, 218,
    *range(220, 259), *range(260, 270), 290, 291, 297, 298, 299, *range(350, 360), *range(370, 379), 380, 381,
    382, 383, 385, 386, 387, 389, 420, 421, 423, *range(500, 510), *range(590, 600), 670, *range(672, 684),
    *range(685, 693), 800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888,
    *range(960, 969), *range(970, 978), 979, 992, 993, 994, 995, 996, 998,
))
"""The E.164 country calling codes in use (those of python-phonenumbers' metadata): a prefix code,
so the first of a number's first one, two or three digits that is a code is its code."""

BRANDS: tuple[tuple[str, int, int, int, int, int], ...] = (
    # (name, prefix low, prefix high, prefix digits, shortest, longest)
    ("visa", 4, 4, 1, 13, 19),
    ("mastercard", 51, 55, 2, 16, 16),
    ("mastercard", 2221, 2720, 4, 16, 16),
    ("amex", 34, 34, 2, 15, 15),
    ("amex", 37, 37, 2, 15, 15),
    ("discover", 6011, 6011, 4, 16, 19),
    ("discover", 644, 649, 3, 16, 19),
    ("discover", 65, 65, 2, 16, 19),
    ("diners", 300, 305, 3, 14, 19),
    ("diners", 36, 36, 2, 14, 19),
    ("diners", 38, 39, 2, 14, 19),
    ("jcb", 35, 35, 2, 16, 19),
    ("jcb", 2131, 2131, 4, 15, 15),
    ("jcb", 1800, 1800, 4, 15, 15),
    ("maestro", 5018, 5018, 4, 12, 19),
    ("maestro", 5020, 5020, 4, 12, 19),
    ("maestro", 5038, 5038, 4, 12, 19),
    ("maestro", 56, 58, 2, 12, 19),
    ("maestro", 6304, 6304, 4, 12, 19),
    ("maestro", 6759, 6759, 4, 12, 19),
    ("maestro", 6761, 6763, 4, 12, 19),
    ("maestro", 604, 604, 4, 12, 19),  # "0604": four digits, the first a zero
    ("maestro", 6390, 6390, 4, 12, 19),
    ("unionpay", 62, 62, 2, 16, 19),
    ("mir", 2200, 2204, 4, 16, 19),
)
"""Card brands: a number is one when its first ``prefix digits`` digits, read as a number, lie in
``[low, high]`` and its length in ``[shortest, longest]`` (Faker's ten card types among them)."""

CARD_LABELS: tuple[str, ...] = (
    "VISA 16 digit", "VISA 13 digit", "VISA 19 digit", "Mastercard", "American Express", "Discover",
    "Diners Club / Carte Blanche", "JCB 15 digit", "JCB 16 digit", "Maestro", "Visa", "Amex", "UnionPay",
)
"""Brand labels that head a card block (Faker's, and the common short names)."""

SECURITY_CODE_LABELS: tuple[str, ...] = ("CVV2", "CVC", "CVV", "CID", "CVN", "CSC")
"""Names of a card's security code ("CVV2" before its prefix "CVV")."""


# ---- the arrays the kernel reads ------------------------------------------------------------------


def _pack(word: str) -> int:
    """A lowercase ASCII word of at most 8 bytes as a little-endian integer."""
    raw = word.lower().encode("ascii")
    if len(raw) > 8:
        raise ValueError(f"{word!r} is longer than 8 bytes")
    return int.from_bytes(raw, "little")


def _blob(words) -> tuple[np.ndarray, np.ndarray]:
    """``(bytes, offsets)``: lowercase words concatenated, word ``i`` at ``offsets[i]:offsets[i + 1]``."""
    raw = [w.lower().encode("ascii") for w in words]
    offsets = np.zeros(len(raw) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in raw])
    return np.frombuffer(b"".join(raw), dtype=np.uint8).copy(), offsets


TLD_KEYS = np.array(sorted(_pack(t) for t in TLDS), dtype=np.uint64)
"""Each TLD packed by ``_pack``, sorted (binary search)."""

COUNTRY_CODE_TABLE = np.zeros(1000, dtype=np.bool_)
"""``COUNTRY_CODE_TABLE[c]``: ``c`` is a country calling code."""
COUNTRY_CODE_TABLE[sorted(COUNTRY_CODES)] = True

BRAND_TABLE = np.array([b[1:] for b in BRANDS], dtype=np.int64)
"""int64[brands, 5]: prefix low, prefix high, prefix digits, shortest, longest."""

CARD_LABEL_BYTES, CARD_LABEL_OFFSETS = _blob(CARD_LABELS)
SECURITY_LABEL_BYTES, SECURITY_LABEL_OFFSETS = _blob(SECURITY_CODE_LABELS)
MASK_BYTES, MASK_OFFSETS = _blob(MASK_TOKENS)
