"""The convolution widget's three pictures, drawn as character cells two pixels tall.

With colour a cell is `▀` (upper pixel as foreground, lower as background, `▄` or a blank
where a pixel is outside the picture); without colour (NO_COLOR) it is the mean of its two
pixels on a density ramp. Marks are told apart by characters there: digits 0–9 are the
pixels under the kernel (their brightness ÷ 10), `◆` the output being computed, `░▒▓█`
negative values. Each picture is a `Panel`: per pixel a value and a mark, drawn by `cells`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.style import Style

from tui_dl.ui.render.digits import RAMP

Cell = tuple[str, Style]
NEGATIVE_RAMP = " ░▒▓█"
"""NO_COLOR: how negative a value is (positive ones use the density ramp)."""
CURRENT = "◆"
PENDING = Color.from_rgb(40, 40, 52)
"""An output the kernel has not reached yet."""
NOW_COLOUR = (255, 255, 80)
WINDOW = (255, 200, 0)
"""The kernel's (or the pooling's) window is tinted this yellow."""
POSITIVE, NEGATIVE = (255, 150, 40), (70, 150, 255)
NONE, NORMAL, MARKED, NOW = 0, 1, 2, 3
"""Marks: outside the picture, a plain pixel, inside the window, the current output."""


@dataclass
class Panel:
    """A picture on the widget's pixel grid: values (NaN = not computed yet) and marks."""

    values: np.ndarray
    marks: np.ndarray
    signed: bool
    """Grey 0–1 (the digit) or signed, scaled by `scale` (feature and pooled maps)."""
    scale: float = 1.0


def digit_panel(image: np.ndarray, window: tuple[int, int, int, int] | None) -> Panel:
    marks = np.full(image.shape, NORMAL)
    if window:
        r0, r1, c0, c1 = window
        marks[r0:r1, c0:c1] = MARKED
    return Panel(np.asarray(image, dtype=float), marks, signed=False)


def map_panel(
    values: np.ndarray,
    scale: float,
    frame: int = 0,
    window: tuple[int, int, int, int] | None = None,
    current: tuple[int, int] | None = None,
) -> Panel:
    """A map placed inside `frame` empty pixels, so that map row r sits beside digit row
    r + 1: the centre of the kernel's window."""
    rows, cols = values.shape
    shown = np.full((rows + 2 * frame, cols + 2 * frame), np.nan)
    marks = np.full(shown.shape, NONE)
    shown[frame : frame + rows, frame : frame + cols] = values
    marks[frame : frame + rows, frame : frame + cols] = NORMAL
    if window:
        r0, r1, c0, c1 = window
        marks[frame + r0 : frame + r1, frame + c0 : frame + c1] = MARKED
    if current:
        marks[frame + current[0], frame + current[1]] = NOW
    return Panel(shown, marks, signed=True, scale=scale)


def zoomed(panel: Panel, factor: int) -> Panel:
    """Each pixel as factor × factor pixels: the same picture, bigger."""
    grow = lambda a: np.repeat(np.repeat(a, factor, axis=0), factor, axis=1)  # noqa: E731
    return Panel(grow(panel.values), grow(panel.marks), panel.signed, panel.scale)


def cells(panel: Panel, top: int, rows: int, colour: bool) -> list[list[Cell]]:
    """`rows` text rows of the panel from pixel row `top`; pixels past the end are empty."""
    height, width = panel.values.shape
    if colour:
        packed = _colours(panel)
        blank = [-1] * width
        return [
            [
                _half_block(upper, lower)
                for upper, lower in zip(
                    packed[r] if r < height else blank,
                    packed[r + 1] if r + 1 < height else blank,
                    strict=True,
                )
            ]
            for r in range(top, top + 2 * rows, 2)
        ]
    lines = []
    for upper in range(top, top + 2 * rows, 2):
        pairs = [
            [(r, col) if r < height else None for r in (upper, upper + 1)] for col in range(width)
        ]
        lines.append([_plain_cell(panel, pair) for pair in pairs])
    return lines


def _colours(panel: Panel) -> list[list[int]]:
    """Each pixel's colour packed as 0xRRGGBB, −1 outside the picture: numpy does the
    colouring, and equal pairs of colours share one cached cell."""
    values, marks = panel.values, panel.marks
    known = np.nan_to_num(values)
    if panel.signed:
        level = np.clip(np.abs(known) / (panel.scale or 1.0), 0.0, 1.0)
        base = np.where((known >= 0)[..., None], POSITIVE, NEGATIVE)
        rgb = level[..., None] * base
    else:
        rgb = np.repeat(np.clip(known, 0.0, 1.0)[..., None] * 255, 3, axis=-1)
    rgb = np.where(np.isnan(values)[..., None], PENDING.get_truecolor(), rgb)
    rgb = np.where((marks == MARKED)[..., None], 0.5 * rgb + 0.5 * np.array(WINDOW), rgb)
    rgb = np.where((marks == NOW)[..., None], NOW_COLOUR, rgb)
    rgb = np.rint(rgb).astype(int)
    packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    return np.where(marks == NONE, -1, packed).tolist()


@lru_cache(maxsize=4096)
def _half_block(upper: int, lower: int) -> Cell:
    """Two packed colours (−1: no pixel) as one character cell."""
    if upper < 0 and lower < 0:
        return " ", Style()
    if upper < 0:
        return "▄", Style(color=_colour(lower))
    if lower < 0:
        return "▀", Style(color=_colour(upper))
    return "▀", Style(color=_colour(upper), bgcolor=_colour(lower))


def _colour(packed: int) -> Color:
    return Color.from_rgb(packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF)


def _plain_cell(panel: Panel, pair) -> Cell:
    inside = [w for w in pair if w is not None and panel.marks[w] != NONE]
    if not inside:
        return " ", Style()
    marks = [panel.marks[w] for w in inside]
    values = [panel.values[w] for w in inside if not np.isnan(panel.values[w])]
    if NOW in marks:
        return CURRENT, Style(bold=True)
    if not values:
        return " ", Style()
    value = float(np.mean(values))
    level = value if not panel.signed else (abs(value) / panel.scale if panel.scale else 0.0)
    level = float(np.clip(level, 0.0, 1.0))
    if MARKED in marks:
        return str(min(9, int(level * 10))), Style(bold=True)
    if panel.signed and value < 0:
        return NEGATIVE_RAMP[int(round(level * (len(NEGATIVE_RAMP) - 1)))], Style()
    index = int(round(level * (len(RAMP) - 1)))
    return RAMP[max(1, index) if panel.signed else index], Style()
