"""Axis ticks a reader can trust: round values (1, 2, 2.5 or 5 × 10^k apart), evenly spaced,
each on the row of its value.

Left to itself, plotext labels a y axis by cutting its limits into equal parts (5.0, 3.4, 1.8,
−1.3…) and writes each label on the nearest row, so the labels are not round and, on a short
plot, two that round to one row overwrite each other (0.74, 0.62, 0.37, 0.25, 0.00). Here the
ticks come first — round values covering the data — and then the limits, chosen so that every
tick falls exactly on a row of the canvas, with as many rows between each pair.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

NICE = (1.0, 2.0, 2.5, 5.0)
"""A step is one of these times a power of ten."""
MAX_Y_INTERVALS = 6
SPAN_SLACK = 1.15
"""An axis up to this much longer than the tightest may win for having more labels."""
X_LABEL_GAP = 2
"""Columns left blank between two x labels."""
PLAIN_BELOW = 1e5
SMALLEST = 1e-3
"""Labels from `SMALLEST` up to `PLAIN_BELOW` are plain numbers; outside, a multiple of the
step's power of ten (`2e6, 4e6`; `15e-8, 20e-8`)."""


@dataclass(frozen=True)
class Axis:
    ticks: tuple[float, ...]
    labels: tuple[str, ...]
    limits: tuple[float, float]
    """What the plot's limits must be for the ticks to land where they are meant to."""


def nice_steps(span: float, *, integer: bool = False) -> Iterator[float]:
    """Round steps from about `span` / 10 upwards, smallest first; whole numbers only if
    `integer`."""
    exponent = math.floor(math.log10(span)) - 1 if span > 0 else 0
    while True:
        for mantissa in NICE:
            step = mantissa * 10.0**exponent
            if not integer or (step >= 1 and step == int(step)):
                yield step
        exponent += 1


def covering_ticks(low: float, high: float, step: float) -> list[float]:
    """The multiples of `step` from the last at or below `low` to the first at or above `high`."""
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [_clean(i * step) for i in range(first, max(first + 1, last) + 1)]


def inner_ticks(low: float, high: float, step: float) -> list[float]:
    """The multiples of `step` between `low` and `high`."""
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [_clean(i * step) for i in range(first, last + 1)]


def _clean(value: float) -> float:
    """`i * step` without its float dust (0.30000000000000004) and never −0."""
    return round(value, 12) + 0.0


def decimals(step: float) -> int:
    """The decimals that write every multiple of `step` exactly: 0.25 → 2, 5 → 0."""
    for places in range(13):
        if abs(round(step, places) - step) <= 1e-9 * abs(step):
            return places
    return 12


def tick_labels(ticks: list[float], step: float, *, log: bool = False) -> tuple[str, ...]:
    """One number format for every tick (`0.50, 0.75, 1.00`, not `0.5, 0.75, 1`). `log`: the
    ticks are powers of ten, labelled with the value they stand for (`0.01`, `0.1`, `1`)."""
    if log:
        return tuple(f"{10.0**t:g}" if -4 <= t <= 4 else f"1e{int(t)}" for t in ticks)
    largest = max((abs(t) for t in ticks), default=0.0)
    if SMALLEST <= largest < PLAIN_BELOW or largest == 0:
        places = decimals(step)
        return tuple(f"{t:.{places}f}" for t in ticks)
    exponent = math.floor(math.log10(step))
    scale = 10.0**exponent
    places = decimals(step / scale)
    return tuple(f"{t / scale:.{places}f}e{exponent}" for t in ticks)


def padded(low: float, high: float) -> tuple[float, float]:
    """A range with room in it: a flat series gets some either side of its value."""
    if high > low:
        return low, high
    pad = abs(low) * 0.5 or 1.0
    return low - pad, high + pad


def y_axis(low: float, high: float, rows: int, *, log: bool = False) -> Axis:
    """Ticks covering `low`..`high` on a canvas `rows` high and the limits that put each on
    its row. Of the round steps that fit — three labels or more where there is room — those
    whose axis spends about the fewest rows on no data (within `SPAN_SLACK`); of these, the
    one with labels not on every row, then with the most labels. `log`: the values are powers
    of ten (log10 of what is plotted), ticked at whole decades."""
    low, high = padded(low, high)
    most = max(1, min(MAX_Y_INTERVALS, rows - 1))
    candidates = []
    for step in nice_steps((high - low) / most, integer=log):
        ticks = covering_ticks(low, high, step)
        intervals = len(ticks) - 1
        if intervals <= most:
            limits = row_limits(ticks, rows)
            bare = intervals < 2 <= rows - 1  # two labels alone say little of the scale
            candidates.append((bare, limits[1] - limits[0], step, ticks))
        if step >= high - low:  # a larger step only covers more with fewer ticks
            break
    fewest_bare = min(c[0] for c in candidates)
    candidates = [c for c in candidates if c[0] == fewest_bare]
    tightest = min(c[1] for c in candidates)
    near = [c for c in candidates if c[1] <= tightest * SPAN_SLACK + 1e-12]
    _, _, step, ticks = min(
        near, key=lambda c: ((rows - 1) // (len(c[3]) - 1) < 2, -len(c[3]), c[1])
    )
    return Axis(tuple(ticks), tick_labels(ticks, step, log=log), row_limits(ticks, rows))


def row_limits(ticks: list[float], rows: int) -> tuple[float, float]:
    """Limits that put every tick exactly on a row of a canvas `rows` high, the same number of
    rows apart; rows left over are split below the first tick and above the last.

    plotext draws value v on row ⌊½ + (rows − 1)(v − lower)/(upper − lower)⌋ from the bottom.
    """
    intervals = len(ticks) - 1
    if intervals < 1 or rows - 1 < intervals:
        return ticks[0], ticks[-1]
    per = (rows - 1) // intervals
    spare = rows - 1 - intervals * per
    step = (ticks[-1] - ticks[0]) / intervals
    below = spare // 2
    return ticks[0] - step * below / per, ticks[-1] + step * (spare - below) / per


def tick_row(value: float, limits: tuple[float, float], rows: int) -> int:
    """The row plotext draws `value` on, counted from the bottom (its own rounding)."""
    lower, upper = limits
    return math.floor(round(0.5 + (rows - 1) * (value - lower) / (upper - lower), 8))


def x_ticks(
    low: float, high: float, columns: int, *, integer: bool = False, log: bool = False
) -> tuple[list[float], tuple[str, ...]]:
    """Round ticks inside `low`..`high` (the x axis keeps the data's own limits), as many as fit
    `columns` with their labels apart. `integer`: whole numbers only (epochs, steps). `log`:
    the values are powers of ten, ticked at whole decades and labelled with what they stand
    for (1e-6, 0.001, 1)."""
    integer = integer or log
    if high <= low:
        ticks = [low]
        return ticks, tick_labels(ticks, 1.0 if integer else abs(low) or 1.0, log=log)
    for step in nice_steps((high - low) / 10, integer=integer):
        ticks = inner_ticks(low, high, step)
        labels = tick_labels(ticks, step, log=log)
        width = max((len(label) for label in labels), default=0) + X_LABEL_GAP
        if len(ticks) < 2 or columns * step / (high - low) >= width:
            return ticks, labels
    raise AssertionError("unreachable: the steps grow without bound")
