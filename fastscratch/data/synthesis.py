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

from fastscratch.data import decoys, prose
from fastscratch.data.draws import between, digits, luhn_complete, pick, slug
from fastscratch.data.masking import mask, mask_text
from fastscratch.data.mixes import MIXES
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
    mix: str = "published",
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
    mix:
        What to draw (``MIXES``): ``'published'`` (the default) is the published set's
        distribution, unchanged; ``'detector'`` the detector's training mix; ``'partial'``,
        ``'clean'``, ``'near_miss'`` and ``'other_family'`` its test sets. Every mix but the
        published one adds a ``Variant`` column naming each row's scenario; ``kinds`` and
        ``templates`` select the templates of their template rows.

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
    if mix not in MIXES:
        raise ParameterError(f"unknown mix {mix!r}; known: {list(MIXES)}")
    chosen = _chosen_templates(kinds, templates)
    if mix != "published":
        return _synthesize_mix(n, seed, mix, chosen, include_template)
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


def _person(pools: _Pools, rnd: random.Random) -> tuple[str, str]:
    return pick(rnd, pools.first), pick(rnd, pools.last)


def _name(first: str, last: str, rnd: random.Random) -> str:
    """``first last``, with a title or a suffix now and then, as Faker's ``name()``.

    The pools mix genders, so only the titles and suffixes that imply none are used.
    """
    roll = rnd.random()
    if roll < 0.015:
        return f"Dr. {first} {last}"
    if roll < 0.035:
        return f"{first} {last} {pick(rnd, _NAME_SUFFIXES)}"
    return f"{first} {last}"


def _email(first: str, last: str, rnd: random.Random) -> str:
    """Faker's ``safe_email()``: lastfirst, firstlast, first##, or a letter and last."""
    first, last = slug(first), slug(last)
    shape = between(rnd, 0, 4)
    if shape == 0:
        local = f"{last}{first}"
    elif shape == 1:
        local = f"{first}{last}"
    elif shape == 2:
        local = f"{first}{digits(rnd, 2)}"
    else:
        local = f"{pick(rnd, string.ascii_lowercase)}{last}"
    return f"{local}@{pick(rnd, _EMAIL_DOMAINS)}"


def _url(pools: _Pools, rnd: random.Random) -> str:
    """Faker's ``url()``: http(s), ``www.`` half of the time, a company word, path ``/``."""
    word = slug(pick(rnd, pools.last))
    if rnd.random() < 1 / 3:
        word = f"{word}-{slug(pick(rnd, pools.last))}"
    www = "www." if rnd.random() < 0.5 else ""
    return f"{pick(rnd, ('http', 'https'))}://{www}{word}.{pick(rnd, _TLDS)}/"


def _phone(rnd: random.Random) -> str:
    """``+CC`` and ten digits, mostly as ``+91 1472004612``."""
    code = pick(rnd, _PHONE_COUNTRY_CODES)
    number = f"{between(rnd, 1, 10)}{digits(rnd, 9)}"
    roll = rnd.random()
    if roll < 0.9:
        return f"+{code} {number}"
    if roll < 0.96:
        return f"+{code}-{number[:3]}-{number[3:6]}-{number[6:]}"
    return f"+{code} ({number[:3]}) {number[3:6]}-{number[6:]}"


def _address(pools: _Pools, rnd: random.Random) -> str:
    """Faker's en_US ``address()``: ``901 Austin Well Apt. 454\\nCookport, WY 33980``."""
    number = digits(rnd, between(rnd, 3, 6))
    secondary = f" {pick(rnd, ('Apt.', 'Suite'))} {digits(rnd, 3)}" if rnd.random() < 0.5 else ""
    return (f"{number} {pick(rnd, pools.streets)}{secondary}\n"
            f"{pick(rnd, pools.cities)}, {pick(rnd, pools.states)} {between(rnd, 501, 99951):05d}")


def _company(pools: _Pools, rnd: random.Random) -> str:
    """Faker's en_US ``company()``: ``Last Inc``, ``Last-Last`` or ``Last, Last and Last``."""
    shape = between(rnd, 0, 3)
    if shape == 0:
        return f"{pick(rnd, pools.last)} {pick(rnd, _COMPANY_SUFFIXES)}"
    if shape == 1:
        return f"{pick(rnd, pools.last)}-{pick(rnd, pools.last)}"
    return f"{pick(rnd, pools.last)}, {pick(rnd, pools.last)} and {pick(rnd, pools.last)}"


def _ssn(rnd: random.Random) -> str:
    area = between(rnd, 1, 899)
    if area == 666:
        area = 665
    return f"{area:03d}-{between(rnd, 1, 100):02d}-{between(rnd, 1, 10000):04d}"


def _card(pools: _Pools, rnd: random.Random) -> str:
    """Faker's ``credit_card_full()`` block, its holder drawn apart from the row's name."""
    label, prefixes, length, code_name, code_length = pick(rnd, pools.cards)
    # Faker's prefix patterns: '#' is any digit, '%' a digit 1-9.
    prefix = "".join(str(between(rnd, 0, 10)) if ch == "#" else str(between(rnd, 1, 10)) if ch == "%"
                     else ch for ch in pick(rnd, prefixes))
    number = luhn_complete(prefix + digits(rnd, length - len(prefix) - 1))
    first, last = _person(pools, rnd)
    expiry = f"{between(rnd, 1, 13):02d}/{between(rnd, 24, 36)}"
    return f"{label}\n{first} {last}\n{number} {expiry}\n{code_name}: {digits(rnd, code_length)}\n"


def _amount(rnd: random.Random) -> str:
    value = 10 ** rnd.uniform(1.5, 6.8)
    if rnd.random() < 0.3:
        return f"${value:,.0f}"
    return f"${value:,.2f}"


class _Document:
    """Per-document values: PII drawn on first use, fillers fixed per document."""

    def __init__(self, pools: _Pools, rnd: random.Random, styles: frozenset[str] = frozenset(),
                 rewrites: frozenset[str] = frozenset()) -> None:
        self.pools, self.rnd = pools, rnd
        self.year = between(rnd, 2015, 2026)
        self.values: dict[str, str] = {}
        self.person: tuple[str, str] = ("", "")
        self.styles = styles  # PII kinds drawn in another format than Faker's (the training mix)
        self.rewrites = rewrites  # maskable kinds written another way, not as values

    def rewrite(self, kind: str) -> str:
        """The phrase that stands for the ``kind`` value this document does not hold."""
        return self._once(f"rewrite:{kind}", lambda: self._draw_rewrite(kind))

    def _draw_rewrite(self, kind: str) -> str:
        phrase = pick(self.rnd, prose.REWRITTEN[kind])
        if kind == "card" and "card" in self.styles:
            phrase = phrase.rstrip("\n")
        return _PLACEHOLDER.sub(lambda m: self.filler(m.group(1), m.group(1)), phrase)

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
        if kind in self.styles:
            return self._draw_styled(kind)
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

    def _draw_styled(self, kind: str) -> str:
        """A value in a format Faker does not write: a bare card number, a North American
        phone, a company e-mail or URL."""
        rnd = self.rnd
        if kind == "card":
            return decoys.card_number(rnd)
        if kind == "phone":
            return decoys.nanp_phone(rnd)
        company = self.pii("company")
        if kind == "email":
            self.pii("name")
            return decoys.company_email(rnd, *self.person, company)
        return decoys.company_url(rnd, company)

    def filler(self, key: str, kind: str) -> str:
        """The filler named ``key`` (``amount2``), drawn as a ``kind`` (``amount``) on first use."""
        return self._once(key, lambda: self._draw_filler(kind))

    def _draw_filler(self, kind: str) -> str:
        rnd = self.rnd
        if kind == "date":
            return f"{pick(rnd, _MONTHS)} {between(rnd, 1, 29)}, {self.year}"
        if kind == "amount":
            return _amount(rnd)
        if kind == "pct":
            return f"{rnd.uniform(0.2, 35):.1f}%"
        if kind == "n":
            return str(between(rnd, 2, 61))
        if kind == "year":
            return str(self.year)
        if kind == "quarter":
            return f"Q{between(rnd, 1, 5)}"
        if kind == "month":
            return pick(rnd, _MONTHS)
        if kind == "ref":
            return f"{pick(rnd, _REF_PREFIXES)}-{self.year}-{digits(rnd, 5)}"
        if kind == "dept":
            return pick(rnd, _DEPARTMENTS)
        if kind == "role":
            return pick(rnd, _ROLES)
        if kind == "risk":
            return pick(rnd, _RISKS)
        if kind == "city":
            return pick(rnd, self.pools.cities)
        if kind == "plan":
            return pick(rnd, _PLANS)
        if kind == "service":
            return pick(rnd, _SERVICES)
        if kind == "time":
            hour = between(rnd, 8, 18)
            return f"{hour % 12 or 12}:{pick(rnd, ('00', '15', '30', '45'))} {'AM' if hour < 12 else 'PM'}"
        if kind in ("first", "last"):  # the document's person, by name part (never a span)
            self.pii("name")
            return self.person[0 if kind == "first" else 1]
        value = decoys.decoy(kind, rnd)
        if value is None:
            raise KeyError(f"unknown template placeholder {{{kind}}}")
        return value


def _render(tokens: list[_Token], paragraphs: dict[str, list[list[_Token]]], pools: _Pools,
            rnd: random.Random, doc: _Document | None = None) -> dict[str, Any]:
    """One raw row: PII columns, Text and True Predictions (``doc``: the document's values,
    styles and rewrites, when the caller made it)."""
    doc = _Document(pools, rnd) if doc is None else doc
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
            elif tag == "v" and token[1] in doc.rewrites:
                piece = doc.rewrite(token[1])
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


# ---------------------------------------------------------------- the detector's mixes

MASKABLE: tuple[str, ...] = ("email", "phone", "ssn", "url", "card")
"""The placeholders of the five masked types (``MASK_TOKENS``'s columns)."""

# Per mix: the share of rows from a published template (the rest are prose), the template
# scenarios and the prose scenarios with their weights, the chance of hard-negative and of
# near-miss sentences (and how many), and the prose families.
_RECIPES: dict[str, dict[str, Any]] = {
    "detector": dict(template=0.6,
                     template_scenarios={"published": 0.25, "partial": 0.2, "one_value": 0.15, "masked": 0.15,
                                         "clean": 0.15, "all_values": 0.1},
                     prose_scenarios={"prose_free": 0.4, "prose_mixed": 0.6},
                     hard=(0.4, 1, 3), near=(0.25, 1, 2), families=tuple(prose.FAMILIES), snippets=0.3,
                     remnants=0.25),
    "partial": dict(template=0.7, template_scenarios={"partial": 0.6, "one_value": 0.4},
                    prose_scenarios={"prose_partial": 1.0},
                    hard=(0.4, 1, 3), near=(0.25, 1, 2), families=tuple(prose.FAMILIES), remnants=0.25),
    "clean": dict(template=0.5, template_scenarios={"masked": 0.5, "clean": 0.5},
                  prose_scenarios={"prose_free": 0.5, "prose_masked": 0.5},
                  hard=(1.0, 1, 4), near=(0.0, 0, 0), families=tuple(prose.FAMILIES), snippets=0.3),
    "near_miss": dict(template=0.4, template_scenarios={"masked": 0.5, "clean": 0.5},
                      prose_scenarios={"prose_free": 0.5, "prose_masked": 0.5},
                      hard=(0.3, 1, 2), near=(1.0, 1, 3), families=tuple(prose.FAMILIES), snippets=0.3),
    "other_family": dict(template=0.0, template_scenarios={},
                         prose_scenarios={"prose_free": 0.4, "prose_mixed": 0.6},
                         hard=(0.4, 1, 3), near=(0.25, 1, 2), families=tuple(prose.HELD_OUT_FAMILIES),
                         remnants=0.25),
}

# What each scenario does with the maskable values: the chance that a type is written another
# way (not planted), then how the planted types are split between kept and masked.
_SCENARIOS: dict[str, tuple[float, str]] = {
    "partial": (0.2, "some"),  # at least one kept, at least one masked or written another way
    "one_value": (0.6, "one"),  # exactly one kept, the others masked
    "masked": (0.3, "none"),  # all planted types masked
    "clean": (1.0, "none"),  # every type written another way: no value, no mask token
    "all_values": (0.3, "all"),  # all planted types kept
    "prose_free": (1.0, "none"),  # prose whose PII slots are all written another way
    "prose_mixed": (0.3, "random"),  # each planted type kept or masked at random
    "prose_partial": (0.3, "some"),
    "prose_masked": (0.4, "none"),
    "snippet": (1.0, "none"),  # a hard negative or near miss alone, one to three lines
}


def _weighted(rnd: random.Random, weights: dict[str, float]) -> str:
    total = sum(weights.values())
    x = rnd.random() * total
    for key, w in weights.items():
        x -= w
        if x < 0:
            return key
    return key


def _parsed_families(families: Sequence[str]) -> dict[str, dict[str, list[list[_Token]]]]:
    banks = {**prose.FAMILIES, **prose.HELD_OUT_FAMILIES}
    key = "families:" + ",".join(families)
    if key not in _CACHE:
        _CACHE[key] = {f: {part: [_parse(t) for t in texts] for part, texts in banks[f].items()} for f in families}
    return _CACHE[key]


def _parsed_extras() -> tuple[list[list[_Token]], list[list[_Token]], list[list[_Token]]]:
    if "extras" not in _CACHE:
        _CACHE["extras"] = tuple([_parse(t) for t in bank]
                                 for bank in (prose.HARD_NEGATIVES, prose.NEAR_MISSES, prose.REMNANTS))
    return _CACHE["extras"]


_PROSE_SENTENCES = (1, 1, 1, 2, 2, 3, 4, 5, 6, 7)
"""How many body sentences a prose document has: a third are a single sentence (a chat line, a
ticket comment), the longest a paragraph."""


def _prose_tokens(bank: dict[str, list[list[_Token]]], rnd: random.Random) -> list[_Token]:
    """An opener (half of the time), one to seven body sentences in random order, a closer (half
    of the time)."""
    body = bank["body"]
    count = min(pick(rnd, _PROSE_SENTENCES), len(body))
    tokens: list[_Token] = []
    opener = pick(rnd, bank["open"]) if rnd.random() < 0.5 else []
    if opener:
        tokens += opener + [("s", pick(rnd, (" ", "\n", "\n\n")), None)]
    for j, index in enumerate(rnd.sample(range(len(body)), count)):
        if j:
            tokens.append(("s", pick(rnd, (" ", " ", "\n")), None))
        tokens += body[index]
    closer = pick(rnd, bank["close"]) if rnd.random() < 0.5 else []
    if closer:
        tokens += [("s", "\n\n", None)] + closer
    return [("s", t[1], t[1]) if t[0] == "s" and t[2] is None else t for t in tokens]


def _with_extras(tokens: list[_Token], extras: list[list[_Token]], rnd: random.Random) -> list[_Token]:
    """``tokens`` with each extra sentence added as a paragraph of its own: at the end, or at the
    first paragraph break of the document's static text."""
    if not extras:
        return tokens
    sentences: list[_Token] = []
    for extra in extras:
        sentences += extra + [("s", " ", " ")]
    sentences = sentences[:-1]
    if rnd.random() < 0.5:
        for k, token in enumerate(tokens):
            if token[0] == "s" and "\n\n" in token[1]:
                head, tail = token[1].split("\n\n", 1)
                ghead, gtail = token[2].split("\n\n", 1) if "\n\n" in token[2] else (token[2], "")
                return (tokens[:k] + [("s", head + "\n\n", ghead + "\n\n")] + sentences
                        + [("s", "\n\n" + tail, "\n\n" + gtail)] + tokens[k + 1:])
    return tokens + [("s", "\n\n", "\n\n")] + sentences


def _split_planted(planted: list[str], rule: str, rnd: random.Random) -> set[str] | None:
    """The planted types to keep (the rest are masked) under ``rule``; None when the planted
    types cannot satisfy it."""
    if rule == "none":
        return set()
    if rule == "all":
        return set(planted) if planted else None
    if rule == "random":
        return {k for k in planted if rnd.random() < 0.5}
    if not planted:
        return None
    if rule == "one":
        return {pick(rnd, planted)}
    keep = {k for k in planted if rnd.random() < 0.5} or {pick(rnd, planted)}
    return keep


def _mix_row(recipe: dict[str, Any], chosen, cumulative, paragraphs, banks, extras, pools: _Pools,
             rnd: random.Random) -> tuple[dict[str, Any], str, str]:
    """One raw row of a mix: ``(record with Masked_Text and Binary_Label, template, scenario)``."""
    hard_bank, near_bank, remnant_bank = extras
    for _ in range(100):  # a scenario a document cannot satisfy is drawn again (rarely)
        from_template = rnd.random() < recipe["template"]
        if from_template:
            key, _, _, tokens = chosen[bisect.bisect(cumulative, rnd.random() * cumulative[-1])]
            scenario = _weighted(rnd, recipe["template_scenarios"])
            styles: frozenset[str] = frozenset()
        else:
            family = pick(rnd, recipe["families"])
            key = f"prose:{family}"
            tokens = _prose_tokens(banks[family], rnd)
            scenario = _weighted(rnd, recipe["prose_scenarios"])
            styles = frozenset(k for k in ("card", "phone", "email", "url") if k == "card" or rnd.random() < 0.5)
        p_hard, lo_hard, hi_hard = recipe["hard"]
        p_near, lo_near, hi_near = recipe["near"]
        added = []
        if rnd.random() < p_hard:
            added += [pick(rnd, hard_bank) for _ in range(rnd.randint(lo_hard, hi_hard))]
        if rnd.random() < p_near:
            added += [pick(rnd, near_bank) for _ in range(rnd.randint(lo_near, hi_near))]
        if rnd.random() < recipe.get("remnants", 0.0):
            added.append(pick(rnd, remnant_bank))
        rnd.shuffle(added)
        if not from_template and rnd.random() < recipe.get("snippets", 0.0) and added:
            tokens = []  # a snippet: the hard negatives and near misses alone, a line each
            for extra in added:
                tokens += extra + [("s", "\n", "\n")]
            tokens = tokens[:-1]
            scenario = "snippet"
        else:
            tokens = _with_extras(tokens, added, rnd)
        if scenario == "published":
            record = _render(tokens, paragraphs, pools, rnd)
            keep = rnd.random() < 0.25
            values = {SPAN_TYPES[k]: record[SPAN_TYPES[k]] for k in MASKABLE if record[SPAN_TYPES[k]] is not None}
            masked = {} if keep else values
        else:
            p_rewrite, rule = _SCENARIOS[scenario]
            rewrites = frozenset(k for k in MASKABLE if rnd.random() < p_rewrite)
            doc = _Document(pools, rnd, styles=styles, rewrites=rewrites)
            record = _render(tokens, paragraphs, pools, rnd, doc=doc)
            planted = [k for k in MASKABLE if record[SPAN_TYPES[k]] is not None]
            kept = _split_planted(planted, rule, rnd)
            if kept is None or (rule == "some" and len(kept) == len(planted) and not rewrites & _kinds_in(tokens)):
                continue
            masked = {SPAN_TYPES[k]: record[SPAN_TYPES[k]] for k in planted if k not in kept}
            keep = bool(kept)
        record["Masked_Text"] = mask_text(record["Text"], masked) if masked else record["Text"]
        record["Binary_Label"] = int(keep)
        return record, key, scenario
    raise RuntimeError("no document satisfied the scenario in 100 draws")  # pragma: no cover


def _kinds_in(tokens: list[_Token]) -> set[str]:
    """The maskable placeholders that appear directly in ``tokens``."""
    return {t[1] for t in tokens if t[0] == "v" and t[1] in MASKABLE}


def _synthesize_mix(n: int, seed: int, mix: str, chosen, include_template: bool) -> pd.DataFrame:
    recipe = _RECIPES[mix]
    faker_seed, row_seed, mask_seed = np.random.SeedSequence([seed, list(MIXES).index(mix)]).generate_state(3)
    pools = _Pools.draw(int(faker_seed), pool_size=min(max(n, 200), 3000))
    rnd = random.Random(int(row_seed))
    paragraphs = _parsed_templates()[1]
    cumulative = list(itertools.accumulate(weight for _, _, weight, _ in chosen))
    banks = _parsed_families(recipe["families"])
    extras = _parsed_extras()
    rows, keys, scenarios = [], [], []
    for _ in range(n):
        record, key, scenario = _mix_row(recipe, chosen, cumulative, paragraphs, banks, extras, pools, rnd)
        rows.append(record)
        keys.append(key)
        scenarios.append(scenario)
    out = pd.DataFrame.from_records(rows, columns=[*PII_COLUMNS, "Text", "True Predictions", "Masked_Text",
                                                   "Binary_Label"])
    labels = out["Binary_Label"].to_numpy(dtype=np.int64)
    draws = np.random.default_rng(int(mask_seed))
    out["Rand"] = draws.integers(1, 5, size=n, dtype=np.int64)
    out["Rand_Print"] = np.where(labels == 1, 1, draws.integers(2, 5, size=n, dtype=np.int64))
    out["Binary_Label"] = labels
    out = out[list(SCHEMA)]
    if include_template:
        out["Template"] = keys
    out["Variant"] = scenarios
    return out
