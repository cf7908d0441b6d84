"""The PII recognizers, stated in plain Python: where a document still holds an e-mail address,
URL, SSN, phone or card number, and how many mask tokens it carries.

This module is the rule; ``fastscratch.kernels.recognize`` computes the same from inside the
featurizer's pass over each document (a second scan of its bytes, while they are in cache) and
for ``find`` and ``redact``, and the tests hold it to this statement on
hand-written cases, generated documents and hypothesis-drawn text. Like Presidio's recognizers,
each one is a pattern plus a validation (Luhn, issued SSN ranges, a list of top-level domains,
country calling codes), so that numbers and handles that identify nobody are left alone.

Characters
----------
Only ASCII has a class here: *letters* ``A-Z a-z``, *digits* ``0-9``, *alnum* either. Every other
character, non-ASCII ones included, is punctuation to these rules (so the rules read the same on
a ``str`` and on its UTF-8 bytes). Case never matters.

A number is never cut out of a longer one: a numeric candidate (SSN, phone, card) starting at
``i`` and ending before ``j`` needs a *left edge* (``i`` is the start, or ``text[i-1]`` is not
alnum and is not one of ``- . /`` right after a digit) and a *right edge* (``j`` is the end, or
``text[j]`` is not alnum and is not one of ``- . /`` right before a digit).

The recognizers
---------------
``email``
    At each ``@``: the *local part* is the longest run of ``alnum . _ % + -`` right before it
    (1-64 characters, not starting or ending with ``.``, no ``..``); the *domain* is the longest
    run of labels (1-63 of ``alnum -``, not starting or ending with ``-``) joined by single dots
    after it, at least two labels, the last (the TLD) in ``TLDS``; and no ``@`` right after it.
``url``
    At ``http://`` or ``https://`` with no alnum before it, or at ``www.`` with none of
    ``alnum . - @ / _`` before it. The host is the longest run of labels as for an e-mail domain,
    at least two labels with the last in ``TLDS`` (after a scheme, four labels of 1-3 digits each
    at most 255, an IPv4 address, are a host too). Then an optional port (``:`` and 1-5 digits)
    and an optional path (from ``/ ? #``, every printable ASCII character up to whitespace or one
    of ``< > " { } | \\ ^ `` and the backquote), less its trailing ``. , ; : ! ? ' " ) ] }``.
``ssn``
    ``ddd-dd-dddd`` between edges, in an issued range: the area not ``000``, ``666`` or
    ``900``-``999``, the group not ``00``, the serial not ``0000``.
``phone``
    International: ``+`` with no alnum before it, a country calling code of ``COUNTRY_CODES``
    (E.164 codes are a prefix code: the first of its first one, two or three digits that is a
    code), then groups, each a run of digits or ``(digits)`` after at most one of ``space - .``:
    as many groups as keep the national number to at most 12 digits, and it must have at
    least 7 (after ``+1``, exactly 10); then a right edge. North American: ``(AAA) EEE-SSSS``
    (a space after ``)`` optional; ``-``, ``.`` or a space before ``SSSS``), or ``AAA-EEE-SSSS``
    with one of ``- .`` or a space used as both separators, optionally after ``1`` and that same
    separator; ``AAA`` and ``EEE`` do not start with ``0`` or ``1``; edges on both sides.
``credit_card``
    13 to 19 digits (12 to 19 for Maestro, as Faker writes some), between edges and not right
    after a digit and a space (not the tail of a longer run of groups): a maximal
    run of digits, or groups joined by one separator (space or ``-``, the same each time),
    the first of 4 digits and the others of 3 to 6; of such groups, the longest leading run
    that is valid. Valid: the Luhn checksum holds and a brand of ``BRANDS`` has that prefix and
    length. The card then takes in what belongs to it: `` MM/YY`` or `` MM/YYYY`` right after
    it (month 01-12, then an edge); then a security code right after a line break or a space
    (``CVC``, ``CVV``, ``CVV2``, ``CID``, ``CVN`` or ``CSC``, an optional ``:``, optional spaces,
    3 or 4 digits, an edge), with the line break that follows it if it stood on its own line;
    and when the number starts a line, the line before it holds only a holder's name (ASCII
    letters, spaces and ``. ' -``, with a letter) and the line before that ends with a brand's
    label (``CARD_LABELS``, after a space or at the line's start), both lines from the label
    on: the block Faker's ``credit_card_full()`` writes.

Every recognizer finds its candidates on its own; the spans kept are chosen left to right: the
candidate that starts first wins (on a tie the longer, then the first type of ``TYPES``), and a
candidate that overlaps a kept span is dropped.

Mask tokens ``[EMAIL]``, ``[PHONE]``, ``[SSN]``, ``[URL]`` and ``[CREDIT_CARD]`` are counted
wherever they occur, in any case; they are not spans.
"""

from __future__ import annotations

from typing import NamedTuple

from fastscratch.kernels import pii_tables as _tables
from fastscratch.kernels.pii_tables import (
    CARD_LABELS,
    COUNTRY_CODES,
    MASK_TOKENS,
    SECURITY_CODE_LABELS,
    TLDS,
    TYPES,
)

__all__ = [
    "TYPES", "MASK_TOKENS", "TLDS", "COUNTRY_CODES", "BRANDS", "CARD_LABELS", "SECURITY_CODE_LABELS",
    "RULES_VERSION", "Span", "find_spans", "count_masks", "counts", "luhn_valid", "card_brand", "ssn_issued",
]

RULES_VERSION = 1
"""Bumped whenever a rule changes what it finds: a model file records the version it was trained with."""


class Brand(NamedTuple):
    """A card brand: numbers whose first ``digits`` digits, read as a number, lie in ``[low, high]``
    and whose length lies in ``[min_length, max_length]``."""

    name: str
    low: int
    high: int
    digits: int
    min_length: int
    max_length: int


BRANDS: tuple[Brand, ...] = tuple(Brand(*b) for b in _tables.BRANDS)
"""The card brands (``fastscratch.kernels.pii_tables.BRANDS``)."""

_MAX_LOCAL = 64
_MAX_LABEL = 63
_MAX_HOLDER = 60
_NATIONAL_DIGITS = (7, 12)
_JOINERS = "-./"
_LOCAL_EXTRA = "._%+-"
_PATH_STOP = ' <>"{}|\\^`'
_PATH_TRAIL = ".,;:!?'\")]}"


class Span(NamedTuple):
    """``text[start:end]`` holds a value of ``type`` (one of ``TYPES``)."""

    start: int
    end: int
    type: str


# ---------------------------------------------------------------- characters


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _is_letter(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z"


def _is_alnum(c: str) -> bool:
    return _is_digit(c) or _is_letter(c)


def _left_edge(text: str, i: int) -> bool:
    """A numeric candidate may start at ``i``."""
    if i == 0:
        return True
    c = text[i - 1]
    return not _is_alnum(c) and not (c in _JOINERS and i >= 2 and _is_digit(text[i - 2]))


def _right_edge(text: str, j: int) -> bool:
    """A numeric candidate may end before ``j``."""
    if j == len(text):
        return True
    c = text[j]
    return not _is_alnum(c) and not (c in _JOINERS and j + 1 < len(text) and _is_digit(text[j + 1]))


def _digits_at(text: str, i: int) -> int:
    """The length of the run of digits starting at ``i``."""
    j = i
    while j < len(text) and _is_digit(text[j]):
        j += 1
    return j - i


_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


def _lower(text: str) -> str:
    """``text`` with ASCII ``A-Z`` in lower case (and nothing else changed)."""
    return text.translate(_ASCII_LOWER)


def _starts_with(text: str, i: int, word: str) -> bool:
    """``text[i:]`` starts with ``word``, in any ASCII case."""
    return _lower(text[i:i + len(word)]) == _lower(word)


# ---------------------------------------------------------------- validations


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a string of digits holds."""
    total = 0
    for k, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if k % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The first brand of ``BRANDS`` whose prefix and length fit ``digits``, or None."""
    for brand in BRANDS:
        if brand.min_length <= len(digits) <= brand.max_length and brand.low <= int(digits[:brand.digits]) <= brand.high:
            return brand.name
    return None


def ssn_issued(area: int, group: int, serial: int) -> bool:
    """An SSN in a range the SSA issues: area not 000, 666 or 900-999, group not 00, serial not 0000."""
    return area != 0 and area != 666 and area < 900 and group != 0 and serial != 0


def _labels(text: str, i: int) -> tuple[int, list[tuple[int, int]]]:
    """The longest run of domain labels from ``i``: its end and the ``(start, end)`` of each label.
    A label is 1-63 of ``alnum -`` (the run of such characters), joined to the next by one dot."""
    labels = []
    j = i
    while True:
        k = j
        while k < len(text) and (_is_alnum(text[k]) or text[k] == "-"):
            k += 1
        if k == j:
            break
        labels.append((j, k))
        if k + 1 < len(text) and text[k] == "." and (_is_alnum(text[k + 1]) or text[k + 1] == "-"):
            j = k + 1
            continue
        j = k
        break
    end = labels[-1][1] if labels else i
    return end, labels


def _valid_host(text: str, labels: list[tuple[int, int]], ipv4: bool) -> bool:
    """At least two well-formed labels, the last a TLD of ``TLDS`` (or, with ``ipv4``, four
    labels of 1-3 digits each at most 255)."""
    if len(labels) < 2:
        return False
    for s, e in labels:
        if e - s > _MAX_LABEL or text[s] == "-" or text[e - 1] == "-":
            return False
    if ipv4 and len(labels) == 4 and all(e - s <= 3 and _digits_at(text, s) == e - s and int(text[s:e]) <= 255
                                         for s, e in labels):
        return True
    s, e = labels[-1]
    return _lower(text[s:e]) in TLDS


# ---------------------------------------------------------------- the recognizers


def _email_at(text: str, at: int) -> Span | None:
    """The e-mail address around the ``@`` at ``at``."""
    s = at
    while s > 0 and at - s <= _MAX_LOCAL and (_is_alnum(text[s - 1]) or text[s - 1] in _LOCAL_EXTRA):
        s -= 1
    local = text[s:at]
    if not local or len(local) > _MAX_LOCAL or local[0] == "." or local[-1] == "." or ".." in local:
        return None
    end, labels = _labels(text, at + 1)
    if not _valid_host(text, labels, ipv4=False) or (end < len(text) and text[end] == "@"):
        return None
    return Span(s, end, "email")


def _url_at(text: str, i: int) -> Span | None:
    """The URL starting at ``i`` (a scheme or ``www.``), if valid."""
    if _starts_with(text, i, "http://") or _starts_with(text, i, "https://"):
        if i > 0 and _is_alnum(text[i - 1]):
            return None
        host = i + (7 if text[i + 4] == ":" else 8)
        ipv4 = True
    elif _starts_with(text, i, "www."):
        if i > 0 and (_is_alnum(text[i - 1]) or text[i - 1] in ".-@/_"):
            return None
        host, ipv4 = i, False
    else:
        return None
    end, labels = _labels(text, host)
    if not _valid_host(text, labels, ipv4):
        return None
    if end + 1 < len(text) and text[end] == ":" and _is_digit(text[end + 1]):
        n = _digits_at(text, end + 1)
        if n <= 5:
            end += 1 + n
    if end < len(text) and text[end] in "/?#":
        while end < len(text) and " " < text[end] < "\x7f" and text[end] not in _PATH_STOP:
            end += 1
        while text[end - 1] in _PATH_TRAIL:
            end -= 1
    return Span(i, end, "url")


def _ssn_at(text: str, i: int) -> Span | None:
    """``ddd-dd-dddd`` at ``i``, issued, between edges."""
    if not _left_edge(text, i) or len(text) < i + 11:
        return None
    t = text[i:i + 11]
    if not (t[3] == "-" and t[6] == "-" and all(_is_digit(t[k]) for k in (0, 1, 2, 4, 5, 7, 8, 9, 10))):
        return None
    if not _right_edge(text, i + 11) or not ssn_issued(int(t[:3]), int(t[4:6]), int(t[7:])):
        return None
    return Span(i, i + 11, "ssn")


def _country_code(text: str, i: int) -> int:
    """Digits of the country calling code at ``i`` (0 if none)."""
    for k in (1, 2, 3):
        if _digits_at(text, i) >= k and int(text[i:i + k]) in COUNTRY_CODES:
            return k
    return 0


def _international_phone_at(text: str, plus: int) -> Span | None:
    """``+CC`` and groups of a national number at ``plus``."""
    if plus > 0 and _is_alnum(text[plus - 1]):
        return None
    cc = _country_code(text, plus + 1)
    if cc == 0:
        return None
    fewest, most = (10, 10) if text[plus + 1:plus + 1 + cc] == "1" else _NATIONAL_DIGITS
    j = plus + 1 + cc  # the end so far
    national = 0
    while True:
        k = j + 1 if j < len(text) and text[j] in " -." else j
        if text[k:k + 1] == "(":
            n = _digits_at(text, k + 1)
            if n == 0 or text[k + 1 + n:k + 2 + n] != ")":
                break
            group_end = k + 2 + n
        else:
            n = _digits_at(text, k)
            if n == 0:
                break
            group_end = k + n
        if national + n > most:
            break
        national += n
        j = group_end
    if national < fewest or not _right_edge(text, j):
        return None
    return Span(plus, j, "phone")


def _nanp_phone_at(text: str, i: int) -> Span | None:
    """A North American number (``(AAA) EEE-SSSS``, ``AAA-EEE-SSSS``, ``1-AAA-EEE-SSSS``) at ``i``."""
    if text[i] == "(":
        if (i > 0 and _is_alnum(text[i - 1])) or _digits_at(text, i + 1) != 3 or text[i + 4:i + 5] != ")":
            return None
        area = i + 1
        exchange = i + 6 if text[i + 5:i + 6] == " " else i + 5
        sep = text[exchange + 3:exchange + 4]
        if sep not in ("-", ".", " "):
            return None
    else:
        if not _left_edge(text, i):
            return None
        area = i
        if _digits_at(text, i) == 1 and text[i] == "1":  # 1-AAA-EEE-SSSS
            sep = text[i + 1:i + 2]
            area = i + 2
            if sep not in ("-", ".", " ") or text[area + 3:area + 4] != sep:
                return None
        sep = text[area + 3:area + 4]
        if sep not in ("-", ".", " ") or _digits_at(text, area) != 3:
            return None
        exchange = area + 4
    line = exchange + 4
    if _digits_at(text, exchange) != 3 or text[exchange + 3:exchange + 4] != sep:
        return None
    if _digits_at(text, line) != 4 or not _right_edge(text, line + 4):
        return None
    if text[area] in "01" or text[exchange] in "01":
        return None
    return Span(i, line + 4, "phone")


def _card_number_at(text: str, i: int) -> tuple[int, str] | None:
    """``(end, digits)`` of the valid card number starting at ``i`` (see the module docstring)."""
    if not _left_edge(text, i) or (i >= 2 and text[i - 1] == " " and _is_digit(text[i - 2])):
        return None
    run = _digits_at(text, i)
    if 12 <= run <= 19 and _right_edge(text, i + run):
        digits = text[i:i + run]
        return (i + run, digits) if luhn_valid(digits) and card_brand(digits) else None
    if run != 4 or i + 4 >= len(text) or text[i + 4] not in " -":
        return None
    sep = text[i + 4]
    groups = [(i, i + 4)]
    total = 4
    j = i + 4
    while j < len(text) and text[j] == sep:
        n = _digits_at(text, j + 1)
        if not 3 <= n <= 6 or total + n > 19:
            break
        groups.append((j + 1, j + 1 + n))
        total += n
        j += 1 + n
    for last in range(len(groups), 0, -1):
        end = groups[last - 1][1]
        digits = "".join(text[s:e] for s, e in groups[:last])
        if len(digits) < 12:
            break
        if _right_edge(text, end) and luhn_valid(digits) and card_brand(digits):
            return end, digits
    return None


def _card_at(text: str, i: int) -> Span | None:
    """The card number at ``i`` with its expiry, security code and block lines."""
    found = _card_number_at(text, i)
    if found is None:
        return None
    end = found[0]
    end = _after_expiry(text, end)
    end = _after_security_code(text, end)
    return Span(_block_start(text, i), end, "credit_card")


def _after_expiry(text: str, j: int) -> int:
    """``j`` moved past `` MM/YY`` or `` MM/YYYY`` (then an edge), if that follows."""
    if text[j:j + 1] != " " or _digits_at(text, j + 1) != 2 or text[j + 3:j + 4] != "/":
        return j
    month = int(text[j + 1:j + 3])
    n = _digits_at(text, j + 4)
    if not 1 <= month <= 12 or n not in (2, 4) or not _right_edge(text, j + 4 + n):
        return j
    return j + 4 + n


def _after_security_code(text: str, j: int) -> int:
    """``j`` moved past a security code after a line break or a space (and past the line break
    that ends the code's own line), if one follows."""
    if text[j:j + 1] not in ("\n", " "):
        return j
    own_line = text[j] == "\n"
    k = j + 1
    for label in SECURITY_CODE_LABELS:
        if _starts_with(text, k, label):
            k += len(label)
            break
    else:
        return j
    if text[k:k + 1] == ":":
        k += 1
    while text[k:k + 1] == " ":
        k += 1
    n = _digits_at(text, k)
    if n not in (3, 4) or not _right_edge(text, k + n):
        return j
    k += n
    if own_line and text[k:k + 1] == "\n":
        k += 1
    return k


def _line_before(text: str, i: int) -> tuple[int, int] | None:
    """``(start, end)`` of the line ending with the line break at ``i - 1`` (a ``\\r`` before the
    break is not part of it), or None when ``i`` does not start a line after a line break."""
    if i == 0 or text[i - 1] != "\n":
        return None
    end = i - 1
    start = text.rfind("\n", 0, end) + 1
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


def _block_start(text: str, i: int) -> int:
    """Where the card block of the number at ``i`` starts: its brand label two lines up, if the
    line between holds a holder's name; else ``i``."""
    holder = _line_before(text, i)
    if holder is None:
        return i
    hs, he = holder
    name = text[hs:he]
    if not 1 <= len(name) <= _MAX_HOLDER or not any(_is_letter(c) for c in name) \
            or not all(_is_letter(c) or c in " .'-" for c in name):
        return i
    brand = _line_before(text, hs)
    if brand is None:
        return i
    bs, be = brand
    best = -1
    for label in CARD_LABELS:
        s = be - len(label)
        if s >= bs and _starts_with(text[:be], s, label) and (s == bs or text[s - 1] == " ") and (
                best < 0 or s < best):
            best = s
    return best if best >= 0 else i


# ---------------------------------------------------------------- documents


def _candidates(text: str) -> list[Span]:
    found: list[Span] = []
    for i, c in enumerate(text):
        span = None
        if c == "@":
            span = _email_at(text, i)
        elif c in "hHwW":
            span = _url_at(text, i)
        elif c == "+":
            span = _international_phone_at(text, i)
        elif c == "(":
            span = _nanp_phone_at(text, i)
        elif _is_digit(c) and (i == 0 or not _is_digit(text[i - 1])):
            for recognize in (_ssn_at, _nanp_phone_at, _card_at):
                candidate = recognize(text, i)
                if candidate is not None:
                    found.append(candidate)
            continue
        if span is not None:
            found.append(span)
    return found


def find_spans(text: str) -> list[Span]:
    """The PII spans of one document, in order (see the module docstring for the rules)."""
    order = {t: k for k, t in enumerate(TYPES)}
    kept: list[Span] = []
    for span in sorted(_candidates(text), key=lambda s: (s.start, -s.end, order[s.type])):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def count_masks(text: str) -> list[int]:
    """How many times each mask token of ``MASK_TOKENS`` occurs in ``text``, in any ASCII case."""
    lower = _lower(text)
    return [lower.count(_lower(token)) for token in MASK_TOKENS]


def counts(text: str) -> list[int]:
    """The recognizer columns of one document: the spans of each type of ``TYPES``, then the
    mask tokens of each type."""
    per_type = [0] * len(TYPES)
    for span in find_spans(text):
        per_type[TYPES.index(span.type)] += 1
    return per_type + count_masks(text)
