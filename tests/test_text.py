"""``kernels.text`` against Python's own ``str.split()``, ``str.isspace()``, UTF-8 decoder and
universal newlines, for every byte and every code point; and the rule that kernel modules share
only public names."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import numpy as np
import pytest
from numba import njit

from fastscratch.kernels import text
from fastscratch.text.vectors import unicode_classes

KERNELS = Path(text.__file__).parent


def _splits_on(ch: str) -> bool:
    return ("a" + ch + "b").split() == ["a", "b"]


def _ends_a_line(byte: int) -> bool:
    """Whether the reference's text-mode ``for line in f`` breaks ``a<byte>b`` into two lines."""
    return len(list(io.TextIOWrapper(io.BytesIO(b"a" + bytes([byte]) + b"b"), encoding="latin-1"))) == 2


def test_ascii_whitespace_is_str_split_s():
    assert text.ASCII_WHITESPACE == tuple(b for b in range(128) if _splits_on(chr(b)))
    assert text.ASCII_WHITESPACE == tuple(b for b in range(128) if chr(b).isspace())


def test_byte_predicates_and_tables():
    """Every byte: the predicates, the bit mask and the byte-class table agree with Python."""
    for byte in range(256):
        space = byte < 128 and chr(byte).isspace()
        line_break = _ends_a_line(byte)
        b = np.uint8(byte)
        got = (text.is_whitespace(b), text.is_line_break(b), text.is_field_sep(b))
        assert got == (space, line_break, space and not line_break), byte
        if byte < 64:
            assert bool((int(text.WHITESPACE_BITS) >> byte) & 1) == space, byte
        expected_class = text.BYTE_HIGH if byte >= 128 else (text.BYTE_SPACE if space else text.BYTE_WORD)
        assert text.BYTE_CLASS[byte] == expected_class, byte


def test_line_breaks_are_the_universal_newlines():
    assert text.LINE_BREAKS == tuple(b for b in range(256) if _ends_a_line(b))


@pytest.mark.parametrize(
    "data, start, expected",
    [
        (b"ab\ncd", 0, (2, 3)),
        (b"ab\r\ncd", 0, (2, 4)),
        (b"ab\rcd", 0, (2, 3)),
        (b"ab\r", 0, (2, 3)),  # a \r in the last readable byte: its \n may follow in the next chunk
        (b"ab", 0, (2, 2)),
        (b"\n\n", 1, (1, 2)),
        (b"ab\x0bcd\x1c\n", 0, (6, 7)),  # \v and \x1c separate fields, not lines
    ],
)
def test_next_line(data, start, expected):
    buf = np.frombuffer(data, np.uint8)
    assert text.next_line(buf, start, len(buf)) == expected


def test_unicode_whitespace_is_str_isspace_s():
    assert text.UNICODE_WHITESPACE == tuple(cp for cp in range(0x80, 0x110000) if chr(cp).isspace())
    assert all(_splits_on(chr(cp)) for cp in text.UNICODE_WHITESPACE)


@njit
def _classify_all(buf, starts, classes):
    """``(utf8_len, is_unicode_space, unicode_class, its length)`` of each sequence at ``starts``."""
    n = starts.shape[0] - 1
    out = np.empty((n, 4), np.int64)
    for k in range(n):
        i, e = starts[k], starts[k + 1]
        ln = text.utf8_len(buf, i, e)
        out[k, 0] = ln
        out[k, 1] = text.is_unicode_space(buf, i, ln) if ln else False
        c, cl = text.unicode_class(buf, i, e, classes)
        out[k, 2] = c
        out[k, 3] = cl
    return out


def _encoded(seqs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.zeros(len(seqs) + 1, np.int64)
    starts[1:] = np.cumsum([len(s) for s in seqs])
    return np.frombuffer(b"".join(seqs), np.uint8), starts


def test_every_non_ascii_code_point():
    """Length, whitespace and class of every code point from U+0080 (surrogates excluded: not UTF-8)."""
    cps = [cp for cp in range(0x80, 0x110000) if not 0xD800 <= cp <= 0xDFFF]
    buf, starts = _encoded([chr(cp).encode() for cp in cps])
    got = _classify_all(buf, starts, unicode_classes())
    chars = [chr(cp) for cp in cps]
    np.testing.assert_array_equal(got[:, 0], [len(c.encode()) for c in chars])
    np.testing.assert_array_equal(got[:, 1], [c.isspace() for c in chars])
    expected = [
        text.UNICODE_PYTHON if cp > 0xFFFF
        else text.UNICODE_SPACE if c.isspace()
        else text.UNICODE_PLAIN if c.lower() == c
        else text.UNICODE_PYTHON
        for cp, c in zip(cps, chars)
    ]
    np.testing.assert_array_equal(got[:, 2], expected)
    np.testing.assert_array_equal(got[:, 3], np.where(got[:, 0] == 4, 1, got[:, 0]))  # astral: (PYTHON, 1)


def test_utf8_len_rejects_what_python_rejects():
    """Every lead byte >= 0x80 with every second byte and a few third/fourth bytes, cut at every
    length: the sequence is valid exactly when Python decodes its first ``n`` bytes as one character."""
    seqs, expected = [], []
    for b0 in range(0x80, 0x100):
        for b1 in range(256):
            for tail in (b"\x80\x80", b"\xbf\xbf", b"\x80A", b"A\x80"):
                full = bytes([b0, b1]) + tail
                for size in range(1, 5):
                    seq = full[:size]
                    n = 0
                    for k in range(1, size + 1):
                        try:
                            if len(seq[:k].decode("utf-8")) == 1:
                                n = k
                                break
                        except UnicodeDecodeError:
                            continue
                    seqs.append(seq)
                    expected.append(n)
    buf, starts = _encoded(seqs)
    got = _classify_all(buf, starts, np.zeros(0, np.uint8))
    np.testing.assert_array_equal(got[:, 0], expected)


@pytest.mark.parametrize("seed", range(3))
def test_swar_masks_match_bytewise_definitions(seed):
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 256, (4096, 8), dtype=np.uint8)
    words[:256, 0] = np.arange(256)  # every byte value at least once
    for w in words:
        x = np.uint64(int.from_bytes(w.tobytes(), "little"))
        space = int(text.space_mask(x))
        dots = int(text.eq_mask(x, np.uint64(0x2E2E2E2E2E2E2E2E)))
        for k, b in enumerate(w):
            assert bool(space >> (8 * k + 7) & 1) == (b <= 0x20)
            assert bool(dots >> (8 * k + 7) & 1) == (b == 0x2E)
        assert space & ~int(text.HIGH_BITS) == 0 and dots & ~int(text.HIGH_BITS) == 0


def test_unicode_classes_table_uses_the_kernel_codes():
    t = unicode_classes()
    assert t.dtype == np.uint8 and t.shape == (0x10000,)
    assert set(np.unique(t)) <= {text.UNICODE_PYTHON, text.UNICODE_PLAIN, text.UNICODE_SPACE}
    assert [cp for cp in range(0x10000) if t[cp] == text.UNICODE_SPACE] == list(text.UNICODE_WHITESPACE)


def _kernel_imports():
    for path in sorted(KERNELS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                yield path.name, node.module or "", [a.name for a in node.names]


def test_kernel_modules_import_only_public_names_from_each_other():
    """``_config`` and ``_bits`` are private modules of the package; from any kernel module,
    only names without a leading underscore are imported."""
    private = [(f, m, n) for f, m, names in _kernel_imports() for n in names if n.startswith("_")]
    assert private == []
    assert ("embed.py", "text") in {(f, m) for f, m, _ in _kernel_imports()}
