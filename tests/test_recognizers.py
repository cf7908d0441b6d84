"""The PII recognizers: the plain-Python rules on hand-written cases, the kernel held to the rules
(str and Arrow input, one and two threads, hypothesis, arbitrary bytes under bounds checking),
spans as character offsets on Unicode text, and redaction against the masking of generated rows."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastscratch import data
from fastscratch.data import decoys
from fastscratch.data.masking import mask_text
from fastscratch.data.schema import MASK_TOKENS as MASK_COLUMNS
from fastscratch.kernels import recognize as kernel
from fastscratch.text import pii
from fastscratch.text import recognizers as rules
from fastscratch.text.utf8 import readonly

FUZZ = settings(max_examples=300, deadline=None)


def found(text):
    """``[(type, value), ...]`` by the plain-Python rules."""
    return [(s.type, text[s.start:s.end]) for s in rules.find_spans(text)]


# ----------------------------------------------------------------------------- the rules, by hand

POSITIVES = [
    # e-mail: a local part, @, a domain with a dot and a known TLD
    ("write to amy47@example.com today", [("email", "amy47@example.com")]),
    ("mail a.b+tag@mail.ex-ample.co.uk.", [("email", "a.b+tag@mail.ex-ample.co.uk")]),
    ("<JOHN.DOE@EXAMPLE.IO>", [("email", "JOHN.DOE@EXAMPLE.IO")]),
    # URL: a scheme or www., a valid host, a path less its trailing punctuation
    ("see https://www.smith-jones.net/ and www.lee.com.", [("url", "https://www.smith-jones.net/"),
                                                           ("url", "www.lee.com")]),
    ("(http://10.0.0.1:8080/x?y=1).", [("url", "http://10.0.0.1:8080/x?y=1")]),
    ("HTTPS://Portal.Acme.DE/path/To#top, then", [("url", "HTTPS://Portal.Acme.DE/path/To#top")]),
    # SSN: ddd-dd-dddd in issued ranges
    ("SSN 575-74-7674.", [("ssn", "575-74-7674")]),
    ("ssn:899-99-9999", [("ssn", "899-99-9999")]),
    # phone: +CC and 7-12 digits, +1 and 10, the North American formats
    ("call +91 1472004612 now", [("phone", "+91 1472004612")]),
    ("+55-265-248-7640, +91 (147) 200-4612", [("phone", "+55-265-248-7640"), ("phone", "+91 (147) 200-4612")]),
    ("+911472004612", [("phone", "+911472004612")]),
    ("+44 20 7946 0958 or +1 (212) 555-0123", [("phone", "+44 20 7946 0958"), ("phone", "+1 (212) 555-0123")]),
    ("+1 555 234 5678 12 items", [("phone", "+1 555 234 5678")]),
    ("(415) 555-2671, 212-555-0147, 917.555.0133, 1-800-555-0199",
     [("phone", "(415) 555-2671"), ("phone", "212-555-0147"), ("phone", "917.555.0133"), ("phone", "1-800-555-0199")]),
    # cards: Luhn and a brand, contiguous or grouped; the block with expiry and security code
    ("Card 4539 1488 0343 6467 ok", [("credit_card", "4539 1488 0343 6467")]),
    ("5555555555554444 and 3714 496353 98431", [("credit_card", "5555555555554444"),
                                                ("credit_card", "3714 496353 98431")]),
    ("4111-1111-1111-1111 exp", [("credit_card", "4111-1111-1111-1111")]),
    ("4111 1111 1111 1111 123 is the card", [("credit_card", "4111 1111 1111 1111")]),
    ("Maestro 501812345673, not 501812345678; 5018 0000 0009", [("credit_card", "501812345673"),
                                                                ("credit_card", "5018 0000 0009")]),
    ("card 6011000990139424 12/27 CVV: 123 done", [("credit_card", "6011000990139424 12/27 CVV: 123")]),
    ("paid with VISA 16 digit\nAmy Lee\n4730099819249559 12/25\nCVC: 351\n was fine",
     [("credit_card", "VISA 16 digit\nAmy Lee\n4730099819249559 12/25\nCVC: 351\n")]),
    ("Diners Club / Carte Blanche\nJo O'Neil-Smith\n30569309025904 01/31\nCVC: 002\n",
     [("credit_card", "Diners Club / Carte Blanche\nJo O'Neil-Smith\n30569309025904 01/31\nCVC: 002\n")]),
    ("American Express\r\nAmy Lee\r\n378282246310005 10/29\nCID: 1234\n",
     [("credit_card", "American Express\r\nAmy Lee\r\n378282246310005 10/29\nCID: 1234\n")]),
    ("Card on file\nAmy Lee\n4730099819249559 12/25\n", [("credit_card", "4730099819249559 12/25")]),
    # a mix, in order
    ("a@b.io 575-74-7674 www.x.de", [("email", "a@b.io"), ("ssn", "575-74-7674"), ("url", "www.x.de")]),
]

NEAR_MISSES = [
    "Card 4111 1111 1111 1112 declined",  # Luhn fails
    "the reference 9123456789012345 is printed",  # Luhn holds, no brand starts with 9
    "the tail of 5580 5873 8188 8177",  # "5873 8188 8177" alone is a valid Maestro number
    "file logo@2x.png, the handle @jsmith and report.final.docx",  # no TLD, no local part, no @
    "mail admin@localhost and ops@build-server bounced",  # a domain without a dot
    "www.example",  # no TLD
    "http://intranet/builds and http://localhost:8080/",  # hosts without a TLD
    "SSNs 000-12-3456, 666-12-3456, 900-12-3456, 123-00-4567, 123-45-0000",  # never issued
    "1123-45-6789 and 123-45-67890 and 12-123-45-6789",  # cut out of longer numbers
    "dial +44 20 (too few digits) or +1 555 1234",  # a + with too few digits
    "+999 1234567",  # no such country code
    "555-123-4567 and (055) 234-5678",  # exchange or area starting with 1 or 0
    "Order 4829137730, claim #CLM4829137730, INV-2024-00871, PO-448812, ZIP 94103-1234",
    "v2.14.3, section 4.2.1, room 4.12, 12/25/2024, 10:30, $1,234.56, 4.5%",
    "XXX-XX-6789, j***@example.com, (***) ***-4612, XXXX-XXXX-XXXX-4242",
    "Conference ID 834 2291 7765, meeting 482 9137#",
    "user@exam_ple.com and a..b@example.com and .a@example.com",
]


@pytest.mark.parametrize("text, want", POSITIVES)
def test_rules_find_the_values(text, want):
    assert found(text) == want


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_rules_leave_near_misses_alone(text):
    assert found(text) == []


def test_mask_tokens_are_counted_per_type_in_any_case():
    text = "[EMAIL] [email], [PHONE][SSN] [url] [Credit_Card] [CREDIT_CARD] [EMAIL"
    assert rules.count_masks(text) == [2, 1, 1, 1, 2]
    assert rules.counts("a@b.io [SSN] 575-74-7674") == [1, 0, 1, 0, 0, 0, 0, 1, 0, 0]


def test_validations():
    assert rules.luhn_valid("4539148803436467") and not rules.luhn_valid("4539148803436468")
    assert rules.card_brand("378282246310005") == "amex" and rules.card_brand("37828224631000") is None
    assert rules.card_brand("060412345678") == "maestro"  # Faker's 12-digit Maestro prefix 0604
    assert rules.ssn_issued(1, 1, 1) and not rules.ssn_issued(666, 1, 1) and not rules.ssn_issued(900, 1, 1)
    assert "com" in rules.TLDS and "uk" in rules.TLDS and "png" not in rules.TLDS and "zip" not in rules.TLDS
    assert all(len(t) <= 8 for t in rules.TLDS)


def test_non_ascii_characters_are_punctuation_to_the_rules():
    """Only ASCII has a class: a non-ASCII letter ends an e-mail's local part, and ASCII-only case
    folding keeps the Kelvin sign (which ``str.lower()`` turns into ``k``) out of a match."""
    assert found("jürgen@beispiel.de") == [("email", "rgen@beispiel.de")]
    assert found("\u212aa@b.io") == [("email", "a@b.io")]
    assert rules.count_masks("[EMA\u0130L]") == [0, 0, 0, 0, 0]


# ----------------------------------------------------------------------------- the kernel, held to the rules


def kernel_spans(texts):
    return [[(s.type, s.start, s.end) for s in doc] for doc in pii.find(texts).lists()]


def rule_spans(texts):
    return [[(s.type, s.start, s.end) for s in rules.find_spans(t)] for t in texts]


UNICODE = [
    "é@x.com café a@b.com [Email] [ssn]",
    "\U0001F600 +44 20 7946 0958 \U0001F642 x@y.io",
    "İstanbul: 575-74-7674 — Ünïcödé www.ä.de www.a.de",
    "日本語のテキスト amy@example.jp 電話 +81 3 1234 5678",
    "\ud800 lone surrogate, then 4111 1111 1111 1111",
    "\u00a0575-74-7674\u2028a@b.io\u3000",
    "",
]


@pytest.fixture(scope="module")
def corpus():
    """Generated documents of every mix (raw and masked), the hand-written cases, Unicode text."""
    texts = list(UNICODE) + [t for t, _ in POSITIVES] + NEAR_MISSES
    for k, mix in enumerate(data.MIXES):
        frame = data.synthesize(150, 70 + k, mix=mix)
        texts += frame["Text"].tolist() + frame["Masked_Text"].tolist()
    return texts


def test_kernel_equals_the_rules_on_str_input(corpus):
    assert kernel_spans(corpus) == rule_spans(corpus)


def test_kernel_equals_the_rules_on_arrow_input(corpus):
    pa = pytest.importorskip("pyarrow")
    clean = [t for t in corpus if "\ud800" not in t]  # Arrow holds valid UTF-8 only
    chunked = pa.chunked_array([pa.array(clean[:100]), pa.array(clean[100:])])
    assert kernel_spans(chunked) == rule_spans(clean)
    large = pa.array(clean[5:60], type=pa.large_string()).slice(3)
    assert kernel_spans(large) == rule_spans(clean[8:60])


def test_spans_are_character_offsets_into_the_str():
    for text in UNICODE:
        spans = pii.find([text])[0]
        assert [text[s.start:s.end] for s in spans] == [text[s.start:s.end] for s in rules.find_spans(text)]
    text = "\U0001F600 +44 20 7946 0958 \U0001F642 x@y.io"
    assert [(s.type, text[s.start:s.end]) for s in pii.find([text])[0]] == [("phone", "+44 20 7946 0958"),
                                                                            ("email", "x@y.io")]


@pytest.mark.parametrize("threads", [1, 2])
def test_the_thread_count_changes_nothing(corpus, threads):
    if numba.config.NUMBA_NUM_THREADS < threads:
        pytest.fail(f"this test needs NUMBA_NUM_THREADS >= {threads}")
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        assert kernel_spans(corpus * 3) == rule_spans(corpus) * 3
    finally:
        numba.set_num_threads(previous)


ALPHABET = st.sampled_from(list("0123456789" * 4 + "-. ()+@:/#[]\n" * 2 + "abcwxhtpsWH" + "éß\u00a0\U0001F600")
                           + ["www.", "http://", "https://", ".com", ".io", "@example.org", "[EMAIL]", "[ssn]",
                              "4111 1111 1111 1111", "575-74-7674", "+1 ", "CVC: ", "VISA 16 digit\n", "Amy Lee\n"])


@FUZZ
@given(st.lists(st.lists(ALPHABET, max_size=40).map("".join), min_size=1, max_size=8))
def test_kernel_equals_the_rules_under_hypothesis(texts):
    assert kernel_spans(texts) == rule_spans(texts)
    columns = np.array([rules.counts(t) for t in texts], dtype=np.int64)
    assert (pii.find(texts).counts() == columns[:, :5].sum(axis=1)).all()


@pytest.mark.boundscheck
@FUZZ
@given(raw=st.binary(max_size=120), offsets=st.lists(st.integers(-50, 200), min_size=1, max_size=6))
def test_kernel_is_safe_on_arbitrary_bytes_and_offsets(raw, offsets):
    """Invalid UTF-8, offsets out of range or decreasing: no crash, no read outside the buffer
    (run again with NUMBA_BOUNDSCHECK=1 by make test), counts consistent between the passes."""
    docs = readonly(np.frombuffer(raw, np.uint8))
    offs = readonly(np.array(offsets, np.int64))
    n = len(offs) - 1
    counts = np.empty(n, np.int64)
    kernel.count_spans(docs, offs, counts)
    assert (counts >= 0).all()
    first = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=first[1:])
    starts, ends, types = (np.empty(int(first[-1]), np.int64) for _ in range(3))
    kernel.fill_spans(docs, offs, readonly(first), starts, ends, types)
    assert (starts < ends).all() and ((types >= 0) & (types < 5)).all()


@pytest.mark.boundscheck
def test_kernel_reads_nothing_outside_a_document():
    """A document cut anywhere, at either end, in the middle of values sees only its own bytes:
    its spans are the rules' on the cut text, shifted."""
    raw = "+1 (212) 555-0123 SSN 575-74-7674, a@b.io, www.x.de; 4111 1111 1111 1111 12/25\nCVC: 123\n".encode()
    docs = readonly(np.frombuffer(raw, np.uint8))
    for a in range(len(raw) + 1):
        for b in range(a, len(raw) + 1, 3):
            counts = np.empty(1, np.int64)
            offsets = readonly(np.array([a, b], np.int64))
            kernel.count_spans(docs, offsets, counts)
            first = readonly(np.array([0, counts[0]], np.int64))
            starts, ends, types = (np.empty(int(counts[0]), np.int64) for _ in range(3))
            kernel.fill_spans(docs, offsets, first, starts, ends, types)
            got = [(rules.TYPES[t], s, e) for s, e, t in zip(starts.tolist(), ends.tolist(), types.tolist(), strict=True)]
            assert got == [(sp.type, sp.start, sp.end) for sp in rules.find_spans(raw[a:b].decode())], (a, b)


@FUZZ
@given(st.lists(st.lists(ALPHABET, max_size=40).map("".join), min_size=1, max_size=8))
def test_the_featurizer_counts_equal_the_rules(vectors, texts):
    """The ten recognizer columns of ``embed(pii=True)`` (values found, then mask tokens, per
    type), from str and Arrow input, are the rules' counts."""
    import pyarrow as pa

    want = np.array([rules.counts(t) for t in texts], dtype=np.float32)
    assert np.array_equal(vectors.embed(texts, shapes=64, pii=True)[:, -10:], want)
    clean = [t for t in texts if "\ud800" not in t]
    if clean:
        got = vectors.embed(pa.array(clean), shapes=64, pii=True)[:, -10:]
        assert np.array_equal(got, np.array([rules.counts(t) for t in clean], dtype=np.float32))


@pytest.mark.parametrize("kind", sorted(decoys.DECOYS))
def test_every_decoy_escapes_the_recognizers(kind):
    """The training mix's decoys are built to fail the rules' validations: 2,000 draws of each,
    alone and inside a sentence, find nothing."""
    import random

    rnd = random.Random(kind)
    for _ in range(2000):
        value = decoys.decoy(kind, rnd)
        assert rules.find_spans(value) == [] and rules.find_spans(f"see {value}.") == [], value


def test_missing_documents():
    with pytest.raises(ValueError, match="document 1 is missing"):
        pii.find(["a@b.io", None])
    spans = pii.find(["a@b.io", None, float("nan")], nulls="zero")
    assert spans.counts().tolist() == [1, 0, 0]
    assert pii.redact(["a@b.io", None], nulls="zero") == ["[EMAIL]", None]
    with pytest.raises(TypeError, match="not a single string"):
        pii.find("a@b.io")


# ----------------------------------------------------------------------------- redaction


@pytest.mark.parametrize("mix", list(data.MIXES))
def test_redacting_a_generated_text_gives_its_masked_text(mix):
    """The recognizers find every planted value, whole, and nothing else: redacting ``Text`` is
    the masking of all its values; for the published mix's cleaned rows that is ``Masked_Text``."""
    frame = data.synthesize(300, 90, mix=mix)
    redacted = pii.redact(frame["Text"])
    masked = [mask_text(row["Text"], {c: row[c] for c in MASK_COLUMNS}) for row in frame.to_dict("records")]
    assert redacted == masked
    if mix == "published":
        cleaned = frame["Binary_Label"].to_numpy() == 0
        assert cleaned.sum() > 150
        assert [r for r, c in zip(redacted, cleaned, strict=True) if c] == frame["Masked_Text"][cleaned].tolist()


def test_redact_uses_the_spans_given():
    texts = ["a@b.io and 575-74-7674", "nothing"]
    spans = pii.find(texts)
    assert pii.redact(texts, spans=spans) == ["[EMAIL] and [SSN]", "nothing"]
    with pytest.raises(ValueError, match="spans of 2 documents for 1"):
        pii.redact(texts[:1], spans=spans)


def _flag_spec(doc: bytes, r: int) -> tuple[bool, bool]:
    """``(needed, allowed)`` for position ``r`` of ``doc``: whether ``_collect`` calls a
    recognizer there or counts a mask token (the flag the kernel must set where it reads only the
    document), and whether the byte starts anything at all (a byte of the trigger set; a digit
    only where a run starts: the most the kernel may flag)."""
    def at(k):  # the byte at r + k, "" past the end
        return chr(doc[r + k]) if 0 <= r + k < len(doc) else ""

    def digit(k):
        return at(k) != "" and "0" <= at(k) <= "9"

    c = at(0)
    run_start = digit(0) and not digit(-1)
    allowed = run_start or c in "@+([:."
    if run_start:
        run = 1
        while digit(run):
            run += 1
        sep = at(run)
        separated = sep != "" and sep in "-. "
        needed = (run >= 12
                  or (run == 3 and sep == "-" and digit(5) and at(6) == "-")
                  or (run == 3 and separated and digit(6) and at(7) == sep)
                  or (run == 1 and c == "1" and separated and digit(4))
                  or (run == 4 and sep != "" and sep in " -" and digit(5) and digit(6) and digit(7)))
    else:
        needed = (c in "@+(["
                  or (c == ":" and doc[r + 1:r + 3] == b"//")
                  or (c == "." and r >= 3 and doc[r - 3:r].lower() == b"www"))
    return needed, allowed


@pytest.mark.boundscheck
def test_the_flags_mark_every_position_a_candidate_can_start_from():
    """``_flag_window`` flags each position where a recognizer may start (an SSN, phone or card's
    first digits, ``@ + ( [``, ``://``, ``www.``) and only there where its bytes lie in the document; within 3 bytes
    of the start and 11 of the end, and where the buffer ends, it may also flag any byte that
    starts something. Documents of 0-1,300 bytes (three windows) at every offset into buffers
    with and without bytes around them."""
    from numba import njit

    @njit
    def flags_of(buf, s, e):
        flags = np.zeros(kernel.FLAGS, np.uint8)
        out = np.zeros(e - s, np.uint8)
        for lo in range(s, e, kernel._WINDOW):
            hi = min(lo + kernel._WINDOW, e)
            kernel._flag_window(buf, s, e, lo, hi, flags)
            out[lo - s:hi - s] = flags[:hi - lo]
        return out

    alphabet = np.frombuffer(b"0123456789" * 3 + b"1111-. -. -. @+([:/.wWa x\n\x80\xff", np.uint8)
    rng = np.random.default_rng(0)
    for case in range(600):
        n = int(rng.integers(0, 1300)) if case % 10 == 0 else int(rng.integers(0, 120))
        doc = rng.choice(alphabet, n) if case % 7 else rng.integers(0, 256, n).astype(np.uint8)
        before, after = (int(v) for v in rng.integers(0, 100, 2)) if case % 3 else (0, 0)
        buf = rng.choice(alphabet, before + n + after)
        buf[before:before + n] = doc
        got = flags_of(buf, before, before + n)
        raw = doc.tobytes()
        for r in range(n):
            needed, allowed = _flag_spec(raw, r)
            inside = 3 <= r < n - 11 and before + r >= 3 and before + r + 64 + 11 <= len(buf)
            if inside:
                assert got[r] == needed, (raw, r)
            else:
                assert needed <= got[r] <= allowed, (raw, r)


@pytest.mark.boundscheck
def test_documents_across_windows_and_buffer_growth():
    """Documents of several windows, values at every offset across a window's edge, more
    candidates than the buffers first hold: the rules' spans."""
    values = "575-74-7674 a@b.io (212) 555-0123 4111 1111 1111 1111 www.x.de +44 20 7946 0958 [SSN] "
    texts = ["x" * shift + values * 25 for shift in range(0, 80, 3)]
    texts += ["1" * shift + " 12/25 " + "9" * 600 + " 575-74-7674" for shift in range(500, 520)]
    assert kernel_spans(texts) == rule_spans(texts)
