"""Values for the detector's training mix: numbers and handles that identify nobody, near misses
of the five PII types, partial masks, and PII written in more formats than Faker's.

Each function takes the document's ``random.Random`` and returns text. A decoy is built so that
it is *not* a value of its look-alike type under the rules of ``fastscratch.text.recognizers``
(a card-length number whose Luhn check digit is wrong, an SSN area never issued, a host without
a top-level domain, ...); the tests check every generated decoy against those rules.
"""

from __future__ import annotations

import random
import string

from fastscratch.data.draws import between, digits, luhn_complete, pick, slug

__all__ = ["DECOYS", "decoy", "card_number", "nanp_phone", "company_email", "company_url"]

_UPPER = string.ascii_uppercase
_CARD_PREFIXES = ("4", "51", "52", "53", "54", "55", "2221", "2720", "34", "37", "6011", "65", "36", "38",
                  "3528", "62")
"""Brands whose numbers are valid only at their full length (not Maestro's: a twelve-digit start
of a longer Maestro number can pass Luhn on its own, and a near miss must never be a card)."""
_CARD_LENGTHS = {"34": 15, "37": 15, "36": 14, "38": 14}
_FILE_EXTENSIONS = ("png", "jpg", "gif", "svg", "pdf", "docx", "xlsx", "csv", "txt", "log", "bak", "tmp")
_FILE_WORDS = ("report", "summary", "backup", "logo", "export", "draft", "notes", "budget", "q3", "icon")
_HANDLE_WORDS = ("team", "support", "news", "dev", "ops", "finance", "hr", "data", "product")
_LOCAL_HOSTS = ("localhost", "intranet", "build-server", "fileserver", "mailhost", "staging")
_COMPANY_TLDS = ("com", "io", "co", "net", "org", "us", "uk", "de", "ca")
_PATHS = ("account", "billing", "docs", "support/ticket", "portal/login", "statements", "help")


def _alnum(rnd: random.Random, n: int) -> str:
    return "".join(pick(rnd, _UPPER + string.digits) for _ in range(n))


def _word_digits(rnd: random.Random, low: int, high: int) -> str:
    """A run of ``low`` to ``high`` digits that does not start with 0."""
    n = between(rnd, low, high + 1)
    return str(between(rnd, 1, 10)) + digits(rnd, n - 1)


def card_number(rnd: random.Random, grouped: bool | None = None) -> str:
    """A valid card number (a brand's prefix and length, Luhn check digit), contiguous or in
    groups of four joined by spaces or hyphens."""
    prefix = pick(rnd, _CARD_PREFIXES)
    length = _CARD_LENGTHS.get(prefix, 16)
    number = luhn_complete(prefix + digits(rnd, length - len(prefix) - 1))
    return _grouped(rnd, number, grouped)


_GROUPS = {14: (4, 6, 4), 15: (4, 6, 5), 16: (4, 4, 4, 4)}
"""How each length is grouped on a card: Diners 4-6-4, Amex 4-6-5, the others by four."""


def _grouped(rnd: random.Random, number: str, grouped: bool | None) -> str:
    if grouped is None:
        grouped = rnd.random() < 0.5
    if not grouped:
        return number
    parts, at = [], 0
    for size in _GROUPS[len(number)]:
        parts.append(number[at:at + size])
        at += size
    return pick(rnd, (" ", "-")).join(parts)


def _bad_card(rnd: random.Random) -> str:
    """A brand's prefix and a card's length, with a wrong check digit."""
    good = card_number(rnd, grouped=False)
    check = (int(good[-1]) + between(rnd, 1, 10)) % 10
    return _grouped(rnd, good[:-1] + str(check), None)


def _luhn_free(rnd: random.Random) -> str:
    """16 digits with a valid check digit and no brand's prefix (9 starts none)."""
    return luhn_complete("9" + digits(rnd, 14))


def nanp_phone(rnd: random.Random) -> str:
    """A North American number: ``(AAA) EEE-SSSS``, ``AAA-EEE-SSSS`` or ``AAA.EEE.SSSS``."""
    area = f"{between(rnd, 2, 10)}{digits(rnd, 2)}"
    exchange = f"{between(rnd, 2, 10)}{digits(rnd, 2)}"
    line = digits(rnd, 4)
    shape = between(rnd, 0, 3)
    if shape == 0:
        return f"({area}) {exchange}-{line}"
    sep = "-" if shape == 1 else "."
    return f"{area}{sep}{exchange}{sep}{line}"


def company_email(rnd: random.Random, first: str, last: str, company: str) -> str:
    """``first.last@company.tld`` (or ``flast@``, ``first@``)."""
    first, last = slug(first), slug(last)
    local = pick(rnd, (f"{first}.{last}", f"{first[:1]}{last}", first, f"{first}_{last}"))
    return f"{local}@{slug(company)[:20] or 'example'}.{pick(rnd, _COMPANY_TLDS)}"


def company_url(rnd: random.Random, company: str) -> str:
    """``https://portal.company.tld/path/123`` and simpler forms."""
    host = f"{pick(rnd, ('www.', 'portal.', 'my.', ''))}{slug(company)[:20] or 'example'}.{pick(rnd, _COMPANY_TLDS)}"
    path = f"/{pick(rnd, _PATHS)}/{digits(rnd, 5)}" if rnd.random() < 0.6 else ""
    return f"{pick(rnd, ('https://', 'http://', 'https://'))}{host}{path}"


def _bad_ssn(rnd: random.Random) -> str:
    """``ddd-dd-dddd`` in a range the SSA never issues."""
    area, group, serial = f"{between(rnd, 1, 900):03d}", f"{between(rnd, 1, 100):02d}", f"{between(rnd, 1, 10000):04d}"
    if area == "666":
        area = "665"
    broken = between(rnd, 0, 5)
    if broken == 0:
        area = "000"
    elif broken == 1:
        area = "666"
    elif broken == 2:
        area = str(between(rnd, 900, 1000))
    elif broken == 3:
        group = "00"
    else:
        serial = "0000"
    return f"{area}-{group}-{serial}"


def _masked_email(rnd: random.Random) -> str:
    return f"{pick(rnd, string.ascii_lowercase)}***@{pick(rnd, ('example.com', 'example.org', 'mail.com'))}"


def _masked_phone(rnd: random.Random) -> str:
    return pick(rnd, (f"+1 ***-***-{digits(rnd, 4)}", f"(***) ***-{digits(rnd, 4)}", f"xxx-xxx-{digits(rnd, 4)}"))


def _masked_ssn(rnd: random.Random) -> str:
    return pick(rnd, (f"XXX-XX-{digits(rnd, 4)}", f"***-**-{digits(rnd, 4)}"))


def _masked_card(rnd: random.Random) -> str:
    return pick(rnd, (f"XXXX-XXXX-XXXX-{digits(rnd, 4)}", f"**** **** **** {digits(rnd, 4)}",
                      f"ending in {digits(rnd, 4)}"))


def _time(rnd: random.Random) -> str:
    hour = between(rnd, 0, 24)
    return f"{hour:02d}:{pick(rnd, ('00', '15', '30', '45'))}"


DECOYS = {
    # identifiers and numbers that identify nobody
    "order_no": lambda r: pick(r, (_word_digits(r, 8, 10), f"#{_word_digits(r, 6, 9)}", f"ORD-{digits(r, 7)}")),
    "claim_no": lambda r: pick(r, (f"#CLM{digits(r, 10)}", f"CLM-{between(r, 2015, 2027)}-{digits(r, 6)}")),
    "invoice_no": lambda r: pick(r, (f"INV-{digits(r, 6)}", f"INV-{between(r, 2015, 2027)}-{digits(r, 5)}")),
    "po_no": lambda r: pick(r, (f"PO-{digits(r, 6)}", f"PO{digits(r, 8)}")),
    "ticket_no": lambda r: pick(r, (f"#{digits(r, 6)}", f"TKT-{digits(r, 7)}", f"INC{digits(r, 7)}")),
    "policy_no": lambda r: pick(r, (f"POL-{digits(r, 8)}", f"{_alnum(r, 2)}{digits(r, 9)}")),
    "long_digits": lambda r: pick(r, (_word_digits(r, 8, 11), _word_digits(r, 20, 24))),
    "acct_ref": lambda r: pick(r, (f"****{digits(r, 4)}", f"ACCT-{digits(r, 10)}")),
    "tracking": lambda r: f"1Z{_alnum(r, 6)}{digits(r, 10)}",
    "version": lambda r: pick(r, (f"{between(r, 1, 10)}.{between(r, 0, 30)}.{between(r, 0, 20)}", f"v{between(r, 1, 6)}.{between(r, 0, 10)}")),
    "section": lambda r: pick(r, (f"{between(r, 1, 20)}.{between(r, 1, 10)}.{between(r, 1, 10)}", f"{between(r, 1, 30)}(b)")),
    "room": lambda r: pick(r, (f"B-{digits(r, 3)}", f"{between(r, 1, 9)}.{between(r, 10, 40)}", f"{between(r, 100, 999)}")),
    "dialin": lambda r: f"{_word_digits(r, 6, 8)}#",
    "ext": lambda r: digits(r, 4),
    "zip": lambda r: f"{between(r, 501, 99951):05d}",
    "zip_plus_four": lambda r: f"{between(r, 501, 99951):05d}-{digits(r, 4)}",
    "meeting_id": lambda r: f"{digits(r, 3)} {digits(r, 4)} {digits(r, 4)}",
    "build": lambda r: pick(r, (f"{between(r, 2019, 2027)}{digits(r, 4)}.{between(r, 1, 20)}", f"#{digits(r, 4)}")),
    "serial": lambda r: f"SN-{_alnum(r, 10)}",
    "numeric_date": lambda r: pick(r, (f"{between(r, 1, 13):02d}/{between(r, 1, 29):02d}/{between(r, 2015, 2027)}",
                                       f"{between(r, 2015, 2027)}-{between(r, 1, 13):02d}-{between(r, 1, 29):02d}")),
    "timestamp": lambda r: f"{between(r, 2015, 2027)}-{between(r, 1, 13):02d}-{between(r, 1, 29):02d} {_time(r)}:{digits(r, 2)}",
    "case_no": lambda r: digits(r, 6),
    # near misses
    "bad_card": _bad_card,
    "luhn_free": _luhn_free,
    "bad_ssn": _bad_ssn,
    "handle": lambda r: f"@{pick(r, _HANDLE_WORDS)}{pick(r, ('', '_', '.'))}{pick(r, _HANDLE_WORDS)}{digits(r, 2)}",
    "file_at": lambda r: f"{pick(r, _FILE_WORDS)}@{between(r, 2, 4)}x.{pick(r, _FILE_EXTENSIONS)}",
    "file_name": lambda r: f"{pick(r, _FILE_WORDS)}.{pick(r, ('final', 'v2', 'old', 'draft'))}.{pick(r, _FILE_EXTENSIONS)}",
    "tldless_email": lambda r: f"{pick(r, _HANDLE_WORDS)}@{pick(r, _LOCAL_HOSTS)}",
    "bad_url": lambda r: f"http://{pick(r, _LOCAL_HOSTS)}{pick(r, ('', ':8080'))}/{pick(r, _PATHS)}",
    "short_plus": lambda r: f"+{pick(r, ('44', '1', '49', '91'))} {digits(r, 3)}",
    # partial masks
    "masked_email": _masked_email,
    "masked_phone": _masked_phone,
    "masked_ssn": _masked_ssn,
    "masked_card": _masked_card,
    "last_four": lambda r: digits(r, 4),
    "clock": _time,
}
"""Filler kind -> its drawing function (``f(rnd) -> str``)."""


def decoy(kind: str, rnd: random.Random) -> str | None:
    """A value of decoy ``kind`` (a key of ``DECOYS``), or None for another kind."""
    draw = DECOYS.get(kind)
    return None if draw is None else draw(rnd)
