"""A number as a person types it, and how it was read.

`0.5`, `.5`, `-0.5` (or `−0.5`), `1e-3`, `50 %`, `50%`, `1/2`, `1,000`: each is read into a
`Reading` that keeps the form it was written in, so a verdict can say "read 1/2 as 0.5".
A comma only ever separates thousands (`1,000`, `12,345.5`); `0,5` is refused rather than
guessed at, as is anything else that is not one of these forms — with what was expected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
EXPECTED = "a number such as 0.5, .5, 50 %, 1/2 or 1,000"
"""What a refusal says was expected."""


@dataclass(frozen=True)
class Reading:
    """A typed number: its value, and the form it was written in."""

    value: float
    form: str = "number"
    """'number', 'percent' (`50 %`) or 'fraction' (`1/2`)."""
    text: str = ""
    """What was typed, trimmed."""

    @property
    def shown(self) -> str:
        """The value as a sentence shows it: '0.5', or '50 % = 0.5' for a percentage."""
        return format_value(self.value)

    def describe(self) -> str:
        """How it was read: 'read 1/2 as 0.5', 'read 1,000 as 1000', or '' when the text is
        the value as written ('0.5')."""
        if self.text.replace("−", "-") == self.shown:
            return ""
        return f"read {self.text} as {self.shown}"


def format_value(value: float) -> str:
    """'0.5', '1000', '0.000977' — short, never in e-notation for everyday sizes."""
    if value == 0:
        return "0"
    if 1e-6 <= abs(value) < 1e15:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
        significant = f"{value:.6g}"
        return significant if "e" not in significant and len(significant) < len(text) else text
    return f"{value:g}"


def format_percent(value: float) -> str:
    """0.5 → '50 %'."""
    return f"{format_value(value * 100)} %"


def read_reading(text: str) -> Reading:
    """`text` read as a number; ValueError saying what was expected otherwise."""
    typed = " ".join(text.split())
    if not typed:
        raise ValueError(f"nothing typed: type {EXPECTED}")
    cleaned = typed.replace("−", "-").replace("_", "")
    if cleaned.endswith("%"):
        value = _plain(cleaned[:-1].strip(), typed) / 100
        return Reading(_finite(value, typed), "percent", typed)
    if "/" in cleaned:
        top, _, bottom = (part.strip() for part in cleaned.partition("/"))
        if "/" in bottom:
            raise ValueError(f"{typed!r} has two '/': type one fraction such as 1/2")
        numerator, denominator = _plain(top, typed), _plain(bottom, typed)
        if denominator == 0:
            raise ValueError(f"{typed!r} divides by zero: type a fraction such as 1/2")
        return Reading(_finite(numerator / denominator, typed), "fraction", typed)
    return Reading(_finite(_plain(cleaned, typed), typed), "number", typed)


def read_number(text: str) -> float:
    """A typed number's value (see `read_reading`)."""
    return read_reading(text).value


def _plain(part: str, typed: str) -> float:
    """One number without % or /: digits, a point, a sign, an exponent, thousands commas."""
    if "," in part:
        if not THOUSANDS.match(part):
            raise ValueError(
                f"{typed!r}: a comma only separates thousands (1,000); "
                "for a decimal, type a point (0.5)"
            )
        part = part.replace(",", "")
    if not PLAIN.match(part):
        raise ValueError(f"{typed!r} is not a number: type {EXPECTED}")
    return float(part)


def _finite(value: float, typed: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{typed!r} is not a finite number")
    return value
