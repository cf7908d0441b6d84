"""Seeded draws shared by the document generators (``synthesis``, ``decoys``): fast equivalents
of ``random.Random``'s methods that consume one float per draw, so that a seed gives the same
documents on every machine."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["pick", "between", "digits", "luhn_complete", "slug"]


def pick(rnd: random.Random, seq: Sequence[Any]) -> Any:
    """``rnd.choice(seq)``, faster (one float per draw)."""
    return seq[int(rnd.random() * len(seq))]


def between(rnd: random.Random, low: int, high: int) -> int:
    """``rnd.randrange(low, high)``, faster; fine for ranges far below 2**53."""
    return low + int(rnd.random() * (high - low))


def digits(rnd: random.Random, count: int) -> str:
    """``count`` random decimal digits (leading zeros kept)."""
    if count > 9:
        return digits(rnd, 9) + digits(rnd, count - 9)
    return f"{int(rnd.random() * 10 ** count):0{count}d}"


def luhn_complete(partial: str) -> str:
    """``partial`` followed by the check digit that makes its Luhn checksum hold."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


def slug(text: str) -> str:
    """``text`` lowercased with everything but ``a-z0-9`` removed."""
    return re.sub(r"[^a-z0-9]", "", text.lower())
