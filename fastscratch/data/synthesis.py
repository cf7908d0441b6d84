"""``synthesize``: documents of the schema, true to the published set (see ``data/README.md``)."""


from __future__ import annotations

import bisect
import importlib
import itertools
import random
import re
import string
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fastscratch.data.masking import mask
from fastscratch.data.schema import (
    KIND_OF_TYPE,
    PII_COLUMNS,
    SCHEMA,
    SPAN_TYPE_NAMES,
    SPAN_TYPES,
)
from fastscratch.errors import ParameterError
from fastscratch.extras import require_extra

_MOJIBAKE = {"’": "â€™", "‘": "â€˜", "“": "â€œ", "”": "â€\x9d", "–": "â€“", "—": "â€”"}
_MOJIBAKE_RATE = 0.12
_PLACEHOLDER = re.compile(r"\{(@(\+?)(\w+) (\d+)-(\d+)|\w+)\}")

_DEPARTMENTS = ("Finance", "Treasury", "Accounts Payable", "Accounts Receivable", "Payroll",
                "Tax", "Internal Audit", "Compliance", "Risk", "Procurement", "Operations",
                "Financial Reporting", "Credit", "Client Services")
_ROLES = ("Chief Financial Officer", "Controller", "Head of Compliance", "Audit Committee Chair",
          "Treasurer", "Finance Director", "Chief Risk Officer", "Tax Manager",
          "Internal Audit Director", "Chief Executive Officer")
_RISKS = ("low", "medium", "high", "moderate", "elevated", "low to medium")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_REF_PREFIXES = ("INV", "REF", "AC", "CASE", "TXN", "ENG", "PO", "CLM")
_PLANS = ("Premium", "Business", "Family", "Annual", "Standard", "Professional", "Basic")
_SERVICES = ("bookkeeping", "payroll processing", "IT support", "tax preparation",
             "cloud hosting", "facilities maintenance", "wealth management", "fraud monitoring")
_COMPANY_SUFFIXES = ("Inc", "Ltd", "PLC", "LLC")
_PHONE_COUNTRY_CODES = ("1",) * 4 + ("91",) * 3 + (
    "44", "61", "49", "33", "81", "86", "55", "27", "353", "64", "971", "65", "234", "52")
_TLDS = ("com",) * 6 + ("biz", "info", "net", "org")  # Faker's default, weights included
_EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
_NAME_SUFFIXES = ("MD", "DDS", "PhD", "DVM")  # Faker's, less the ones that imply a gender


#: Template kinds, shortest first: notices, letters and e-mails, forms, multi-paragraph reports.
TEMPLATE_KINDS: tuple[str, ...] = ("notice", "letter", "form", "report")


def template_names(kinds: Sequence[str] | None = None) -> list[str]:
    """Keys of the document templates :func:`synthesize` draws from (at least 35 in all,
    several per kind), optionally only those of the given ``TEMPLATE_KINDS``."""
    return [key for key, kind, _, _ in _parsed_templates()[0] if kinds is None or kind in kinds]


def synthesize(
    n: int,
    seed: int,
    *,
    kinds: Sequence[str] | None = None,
    templates: Iterable[str] | None = None,
    include_template: bool = False,
) -> pd.DataFrame:
    """Generate ``n`` documents in the original's schema, masked by :func:`mask`.

    Parameters
    ----------
    n:
        Number of rows (>= 0).
    seed:
        Same seed, same frame (byte for byte, on any machine with the same Faker
        data); a different seed gives a different frame.
    kinds:
        Draw only templates of these ``TEMPLATE_KINDS`` (default: all: about three in
        four documents are notices, letters and forms of a few hundred characters, the
        rest multi-paragraph reports of up to ~5,600). ``("notice",)`` gives short
        documents (under ~700 characters) where the PII is a larger share of the words:
        an easier set for quick tests.
    templates:
        Draw only these template keys (from :func:`template_names`), e.g. to test on
        templates held out of training. Combined with ``kinds``, only the keys of
        those kinds are drawn.
    include_template:
        Add a ``Template`` column naming each row's document template (not part of
        the original schema).

    Returns
    -------
    pandas.DataFrame
        Columns ``SCHEMA`` (``Template`` appended on request). PII columns hold the
        value planted in the text, missing (NaN) when the document has no such value;
        ``True Predictions`` is a Python-literal list of ``(start, end, type)`` with
        ``Text[start:end] == value`` for every span; ``Rand``, ``Rand_Print`` and
        ``Binary_Label`` are int64, with ``Binary_Label`` 1 for about 25 % of rows.

    Raises
    ------
    ParameterError
        ``n < 0``, an unknown kind or template key (named in the message), or a
        selection that leaves no template.
    MissingExtraError
        Faker is not installed.

    Most documents plant six to eight of the eight PII types, often one value twice;
    the card block is in about half of them. Values come from Faker (en_US, seeded)
    name, street and city pools combined with seeded random digits, in Faker's
    default shapes: ``first last`` names, multi-line card blocks
    (``VISA 16 digit\\nJane Doe\\n4730099819249559 12/25\\nCVC: 351\\n``),
    ``@example.org|.com|.net`` e-mails, ``http(s)://(www.)last(-last).tld/`` URLs,
    ``+CC`` and ten-digit phones, two-line US addresses, ``Last-Last`` /
    ``Last, Last and Last`` / ``Last Inc`` companies and ``ddd-dd-dddd`` SSNs.
    """
    if n < 0:
        raise ParameterError(f"n must be >= 0, got {n}")
    chosen = _chosen_templates(kinds, templates)
    faker_seed, row_seed, mask_seed = np.random.SeedSequence(seed).generate_state(3)
    pools = _Pools.draw(int(faker_seed), pool_size=min(max(n, 200), 3000))
    rnd = random.Random(int(row_seed))
    paragraphs = _parsed_templates()[1]
    cumulative = list(itertools.accumulate(weight for _, _, weight, _ in chosen))
    total = cumulative[-1]

    records: list[dict[str, Any]] = []
    keys: list[str] = []
    for _ in range(n):
        key, _, _, tokens = chosen[bisect.bisect(cumulative, rnd.random() * total)]
        records.append(_render(tokens, paragraphs, pools, rnd))
        keys.append(key)
    raw = pd.DataFrame.from_records(records, columns=[*PII_COLUMNS, "Text", "True Predictions"])
    out = mask(raw, np.random.default_rng(int(mask_seed)))
    out = out[list(SCHEMA)]
    if include_template:
        out["Template"] = keys
    return out


def _chosen_templates(kinds: Sequence[str] | None,
                      templates: Iterable[str] | None) -> list[tuple[str, str, float, list[_Token]]]:
    """The parsed templates that ``kinds`` and ``templates`` select, in definition order."""
    all_templates = _parsed_templates()[0]
    for what, names in (("kinds", kinds), ("templates", templates)):
        if isinstance(names, str):
            raise ParameterError(f"{what} takes a list of names, not the single string {names!r}")
    if kinds is not None and (unknown := sorted(set(kinds) - set(TEMPLATE_KINDS))):
        raise ParameterError(f"unknown template kinds {unknown}; known: {list(TEMPLATE_KINDS)}")
    wanted = None if templates is None else set(templates)
    if wanted is not None and (unknown := sorted(wanted - {key for key, *_ in all_templates})):
        raise ParameterError(f"unknown templates {unknown}; see data.template_names() for the keys")
    chosen = [t for t in all_templates
              if (kinds is None or t[1] in kinds) and (wanted is None or t[0] in wanted)]
    if not chosen:
        raise ParameterError("kinds and templates together select no template")
    return chosen


# ---------------------------------------------------------------- template parsing

# ("s", clean, mojibake) | ("v", pii kind, span type) | ("f", filler, filler kind)
# | ("p", pool, lo, hi, lead)
_Token = tuple
_CACHE: dict[str, Any] = {}


def _parse(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > pos:
            tokens.append(_static(text[pos:match.start()]))
        name = match.group(1)
        if match.group(3):
            tokens.append(("p", match.group(3), int(match.group(4)), int(match.group(5)),
                           bool(match.group(2))))
        elif name in SPAN_TYPES:
            tokens.append(("v", name, SPAN_TYPE_NAMES.get(name, name)))
        else:
            tokens.append(("f", name, name.rstrip("0123456789")))
        pos = match.end()
    if pos < len(text):
        tokens.append(_static(text[pos:]))
    return tokens


def _static(text: str) -> _Token:
    garbled = text
    for good, bad in _MOJIBAKE.items():
        garbled = garbled.replace(good, bad)
    return ("s", text, garbled)


def _parsed_templates() -> tuple[list[tuple[str, str, float, list[_Token]]],
                                 dict[str, list[list[_Token]]]]:
    """(key, kind, weight, tokens) per document template, and the parsed paragraph pools."""
    if "templates" not in _CACHE:
        from fastscratch.data import templates as source

        paragraphs = {pool: [_parse(p) for p in texts] for pool, texts in source.PARAGRAPHS.items()}
        templates = [(key, kind, weight, _parse(text)) for key, kind, weight, text in source.DOCUMENTS]
        _CACHE["templates"] = (templates, paragraphs)
    return _CACHE["templates"]


# ---------------------------------------------------------------- values

class _Pools:
    """Faker-drawn name, street and city pools; every other part is random digits."""

    def __init__(self, first: list[str], last: list[str], streets: list[str],
                 cities: list[str], states: list[str], cards: list[tuple[str, list[str], int, str, int]]):
        self.first, self.last, self.streets, self.cities = first, last, streets, cities
        self.states, self.cards = states, cards

    @classmethod
    def draw(cls, seed: int, pool_size: int) -> "_Pools":
        faker = require_extra("faker", "synthesize()")
        fake = faker.Faker("en_US")
        fake.seed_instance(seed)
        first = [fake.first_name() for _ in range(pool_size)]
        last = [fake.last_name() for _ in range(pool_size)]
        streets = [fake.street_name() for _ in range(pool_size // 2)]
        cities = [fake.city() for _ in range(pool_size // 2)]
        address = importlib.import_module("faker.providers.address.en_US").Provider
        states = [*address.states_abbr, *address.territories_abbr, *address.freely_associated_states_abbr]
        card_provider = importlib.import_module("faker.providers.credit_card").Provider
        cards = [(c.name, list(c.prefixes), c.length, c.security_code, c.security_code_length)
                 for key, c in card_provider.credit_card_types.items()
                 if key not in ("visa", "jcb")]  # aliases of visa16 and jcb16
        return cls(first, last, streets, cities, states, cards)


def _pick(rnd: random.Random, seq: Sequence[Any]) -> Any:
    """``rnd.choice(seq)``, faster (one float per draw)."""
    return seq[int(rnd.random() * len(seq))]


def _between(rnd: random.Random, low: int, high: int) -> int:
    """``rnd.randrange(low, high)``, faster; fine for ranges far below 2**53."""
    return low + int(rnd.random() * (high - low))


def _digits(rnd: random.Random, count: int) -> str:
    if count > 9:
        return _digits(rnd, 9) + _digits(rnd, count - 9)
    return f"{int(rnd.random() * 10 ** count):0{count}d}"


def _person(pools: _Pools, rnd: random.Random) -> tuple[str, str]:
    return _pick(rnd, pools.first), _pick(rnd, pools.last)


def _name(first: str, last: str, rnd: random.Random) -> str:
    """``first last``, with a title or a suffix now and then, as Faker's ``name()``.

    The pools mix genders, so only the titles and suffixes that imply none are used.
    """
    roll = rnd.random()
    if roll < 0.015:
        return f"Dr. {first} {last}"
    if roll < 0.035:
        return f"{first} {last} {_pick(rnd, _NAME_SUFFIXES)}"
    return f"{first} {last}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _email(first: str, last: str, rnd: random.Random) -> str:
    """Faker's ``safe_email()``: lastfirst, firstlast, first##, or a letter and last."""
    first, last = _slug(first), _slug(last)
    shape = _between(rnd, 0, 4)
    if shape == 0:
        local = f"{last}{first}"
    elif shape == 1:
        local = f"{first}{last}"
    elif shape == 2:
        local = f"{first}{_digits(rnd, 2)}"
    else:
        local = f"{_pick(rnd, string.ascii_lowercase)}{last}"
    return f"{local}@{_pick(rnd, _EMAIL_DOMAINS)}"


def _url(pools: _Pools, rnd: random.Random) -> str:
    """Faker's ``url()``: http(s), ``www.`` half of the time, a company word, path ``/``."""
    word = _slug(_pick(rnd, pools.last))
    if rnd.random() < 1 / 3:
        word = f"{word}-{_slug(_pick(rnd, pools.last))}"
    www = "www." if rnd.random() < 0.5 else ""
    return f"{_pick(rnd, ('http', 'https'))}://{www}{word}.{_pick(rnd, _TLDS)}/"


def _phone(rnd: random.Random) -> str:
    """``+CC`` and ten digits, mostly as ``+91 1472004612``."""
    code = _pick(rnd, _PHONE_COUNTRY_CODES)
    number = f"{_between(rnd, 1, 10)}{_digits(rnd, 9)}"
    roll = rnd.random()
    if roll < 0.9:
        return f"+{code} {number}"
    if roll < 0.96:
        return f"+{code}-{number[:3]}-{number[3:6]}-{number[6:]}"
    return f"+{code} ({number[:3]}) {number[3:6]}-{number[6:]}"


def _address(pools: _Pools, rnd: random.Random) -> str:
    """Faker's en_US ``address()``: ``901 Austin Well Apt. 454\\nCookport, WY 33980``."""
    number = _digits(rnd, _between(rnd, 3, 6))
    secondary = f" {_pick(rnd, ('Apt.', 'Suite'))} {_digits(rnd, 3)}" if rnd.random() < 0.5 else ""
    return (f"{number} {_pick(rnd, pools.streets)}{secondary}\n"
            f"{_pick(rnd, pools.cities)}, {_pick(rnd, pools.states)} {_between(rnd, 501, 99951):05d}")


def _company(pools: _Pools, rnd: random.Random) -> str:
    """Faker's en_US ``company()``: ``Last Inc``, ``Last-Last`` or ``Last, Last and Last``."""
    shape = _between(rnd, 0, 3)
    if shape == 0:
        return f"{_pick(rnd, pools.last)} {_pick(rnd, _COMPANY_SUFFIXES)}"
    if shape == 1:
        return f"{_pick(rnd, pools.last)}-{_pick(rnd, pools.last)}"
    return f"{_pick(rnd, pools.last)}, {_pick(rnd, pools.last)} and {_pick(rnd, pools.last)}"


def _ssn(rnd: random.Random) -> str:
    area = _between(rnd, 1, 899)
    if area == 666:
        area = 665
    return f"{area:03d}-{_between(rnd, 1, 100):02d}-{_between(rnd, 1, 10000):04d}"


def _luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


def _card(pools: _Pools, rnd: random.Random) -> str:
    """Faker's ``credit_card_full()`` block, its holder drawn apart from the row's name."""
    label, prefixes, length, code_name, code_length = _pick(rnd, pools.cards)
    # Faker's prefix patterns: '#' is any digit, '%' a digit 1-9.
    prefix = "".join(str(_between(rnd, 0, 10)) if ch == "#" else str(_between(rnd, 1, 10)) if ch == "%"
                     else ch for ch in _pick(rnd, prefixes))
    number = _luhn_complete(prefix + _digits(rnd, length - len(prefix) - 1))
    first, last = _person(pools, rnd)
    expiry = f"{_between(rnd, 1, 13):02d}/{_between(rnd, 24, 36)}"
    return f"{label}\n{first} {last}\n{number} {expiry}\n{code_name}: {_digits(rnd, code_length)}\n"


def _amount(rnd: random.Random) -> str:
    value = 10 ** rnd.uniform(1.5, 6.8)
    if rnd.random() < 0.3:
        return f"${value:,.0f}"
    return f"${value:,.2f}"


class _Document:
    """Per-document values: PII drawn on first use, fillers fixed per document."""

    def __init__(self, pools: _Pools, rnd: random.Random) -> None:
        self.pools, self.rnd = pools, rnd
        self.year = _between(rnd, 2015, 2026)
        self.values: dict[str, str] = {}
        self.person: tuple[str, str] = ("", "")

    def pii(self, kind: str) -> str:
        """The document's value of PII type ``kind``, drawn on first use."""
        return self._once(kind, lambda: self._draw_pii(kind))

    def _once(self, key: str, draw) -> str:
        value = self.values.get(key)
        if value is None:
            value = draw()
            self.values[key] = value
        return value

    def _draw_pii(self, kind: str) -> str:
        pools, rnd = self.pools, self.rnd
        if kind == "name":
            self.person = _person(pools, rnd)
            return _name(*self.person, rnd)
        if kind == "email":
            if rnd.random() < 0.5:
                self.pii("name")
                return _email(*self.person, rnd)
            return _email(*_person(pools, rnd), rnd)
        if kind == "url":
            return _url(pools, rnd)
        if kind == "phone":
            return _phone(rnd)
        if kind == "address":
            return _address(pools, rnd)
        if kind == "company":
            return _company(pools, rnd)
        if kind == "ssn":
            return _ssn(rnd)
        return _card(pools, rnd)

    def filler(self, key: str, kind: str) -> str:
        """The filler named ``key`` (``amount2``), drawn as a ``kind`` (``amount``) on first use."""
        return self._once(key, lambda: self._draw_filler(kind))

    def _draw_filler(self, kind: str) -> str:
        rnd = self.rnd
        if kind == "date":
            return f"{_pick(rnd, _MONTHS)} {_between(rnd, 1, 29)}, {self.year}"
        if kind == "amount":
            return _amount(rnd)
        if kind == "pct":
            return f"{rnd.uniform(0.2, 35):.1f}%"
        if kind == "n":
            return str(_between(rnd, 2, 61))
        if kind == "year":
            return str(self.year)
        if kind == "quarter":
            return f"Q{_between(rnd, 1, 5)}"
        if kind == "month":
            return _pick(rnd, _MONTHS)
        if kind == "ref":
            return f"{_pick(rnd, _REF_PREFIXES)}-{self.year}-{_digits(rnd, 5)}"
        if kind == "dept":
            return _pick(rnd, _DEPARTMENTS)
        if kind == "role":
            return _pick(rnd, _ROLES)
        if kind == "risk":
            return _pick(rnd, _RISKS)
        if kind == "city":
            return _pick(rnd, self.pools.cities)
        if kind == "plan":
            return _pick(rnd, _PLANS)
        if kind == "service":
            return _pick(rnd, _SERVICES)
        if kind == "time":
            hour = _between(rnd, 8, 18)
            return f"{hour % 12 or 12}:{_pick(rnd, ('00', '15', '30', '45'))} {'AM' if hour < 12 else 'PM'}"
        raise KeyError(f"unknown template placeholder {{{kind}}}")


def _render(tokens: list[_Token], paragraphs: dict[str, list[list[_Token]]], pools: _Pools,
            rnd: random.Random) -> dict[str, Any]:
    """One raw row: PII columns, Text and True Predictions."""
    doc = _Document(pools, rnd)
    garbled = rnd.random() < _MOJIBAKE_RATE
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0

    def emit(seq: list[_Token]) -> None:
        nonlocal pos
        for token in seq:
            tag = token[0]
            if tag == "s":
                piece = token[2] if garbled else token[1]
            elif tag == "v":
                piece = doc.pii(token[1])
                spans.append((pos, pos + len(piece), token[2]))
            elif tag == "f":
                piece = doc.filler(token[1], token[2])
            else:
                _, name, lo, hi, lead = token
                pool = paragraphs[name]
                count = rnd.randint(lo, min(hi, len(pool)))
                for j, index in enumerate(rnd.sample(range(len(pool)), count)):
                    if lead or j:
                        parts.append("\n\n")
                        pos += 2
                    emit(pool[index])
                continue
            parts.append(piece)
            pos += len(piece)

    emit(tokens)
    text = "".join(parts)
    # A pool drawn 0 times can leave a trailing separator: trim it unless a span ends there.
    stripped = text.rstrip("\n ")
    if not spans or max(end for _, end, _ in spans) <= len(stripped):
        text = stripped
    row: dict[str, Any] = {column: None for column in PII_COLUMNS}
    for kind in {KIND_OF_TYPE[span_type] for _, _, span_type in spans}:
        row[SPAN_TYPES[kind]] = doc.values[kind]
    row["Text"] = text
    row["True Predictions"] = repr(spans)
    return row
