"""Images as text: a 28×28 digit in 28 columns × 14 rows, over SSH, no image protocol.

With colour, each character is two pixels: `▀` with the upper pixel as its foreground
grey and the lower as its background. Without colour (NO_COLOR, a dumb terminal), each
character is the mean of its two pixels on a density ramp. A heatmap (0–1, any size) can
be laid over the digit: in colour as a red-to-yellow tint, without colour beside it.
"""

from __future__ import annotations

import os

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

RAMP = " .:-=+*#%@"
"""Darkest to brightest; index = round(level × 9)."""
UPPER_HALF = "▀"


def colour_allowed() -> bool:
    """The NO_COLOR convention (any non-empty value) turns colour off."""
    return not os.environ.get("NO_COLOR")


def to_unit(image: np.ndarray) -> np.ndarray:
    """0–255 (or any range) → floats 0–1; a constant image becomes all zeros."""
    image = np.asarray(image, dtype=np.float32)
    if image.max() > 1.0:
        image = image / 255.0
    return np.clip(image, 0.0, 1.0)


def resize_nearest(heat: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A 7×7 Grad-CAM map stretched over 28×28 pixels, without scipy."""
    rows = (np.arange(shape[0]) * heat.shape[0] // shape[0]).clip(0, heat.shape[0] - 1)
    cols = (np.arange(shape[1]) * heat.shape[1] // shape[1]).clip(0, heat.shape[1] - 1)
    return heat[np.ix_(rows, cols)]


def heat_colour(level: float) -> tuple[float, float, float]:
    """0 → dark red, 0.5 → red, 1 → yellow: the 'hot' end of a heat scale."""
    return (min(1.0, 0.35 + level * 1.3), max(0.0, level * 2 - 1.0), 0.0)


def ascii_rows(image: np.ndarray) -> list[str]:
    """Density-ramp rows, two pixel rows per text row."""
    pixels = to_unit(image)
    if pixels.shape[0] % 2:
        pixels = np.vstack([pixels, np.zeros((1, pixels.shape[1]), pixels.dtype)])
    cells = (pixels[0::2] + pixels[1::2]) / 2
    index = np.rint(cells * (len(RAMP) - 1)).astype(int)
    return ["".join(RAMP[i] for i in row) for row in index]


def _rgb(grey: float, heat: float | None, alpha: float) -> Color:
    if heat is None:
        value = int(round(grey * 255))
        return Color.from_rgb(value, value, value)
    r, g, b = heat_colour(heat)
    mix = alpha * heat
    return Color.from_rgb(*(int(round(255 * ((1 - mix) * grey + mix * c))) for c in (r, g, b)))


def render_digit(
    image: np.ndarray,
    heat: np.ndarray | None = None,
    colour: bool | None = None,
    alpha: float = 0.75,
) -> Text:
    """The image as Text; with `heat`, the heatmap over it (colour) or beside it (no colour)."""
    colour = colour_allowed() if colour is None else colour
    pixels = to_unit(image)
    if heat is not None:
        heat = to_unit(resize_nearest(np.asarray(heat, np.float32), pixels.shape))
    if not colour:
        rows = ascii_rows(pixels)
        if heat is not None:
            rows = [f"{d} │ {h}" for d, h in zip(rows, ascii_rows(heat), strict=True)]
        return Text("\n".join(rows))
    if pixels.shape[0] % 2:
        pixels = np.vstack([pixels, np.zeros((1, pixels.shape[1]), pixels.dtype)])
        if heat is not None:
            heat = np.vstack([heat, np.zeros((1, heat.shape[1]), heat.dtype)])
    text = Text()
    for top in range(0, pixels.shape[0], 2):
        row = []
        for col in range(pixels.shape[1]):
            upper = _rgb(pixels[top, col], None if heat is None else heat[top, col], alpha)
            lower = _rgb(pixels[top + 1, col], None if heat is None else heat[top + 1, col], alpha)
            row.append((UPPER_HALF, Style(color=upper, bgcolor=lower)))
        append_runs(text, row)
        if top + 2 < pixels.shape[0]:
            text.append("\n")
    return text


def append_runs(text: Text, cells: list[tuple[str, Style]]) -> None:
    """Characters with their styles, appended a run of equal styles at a time: the same
    picture, but one span (and one element of an SVG screenshot) per run, not per character."""
    start = 0
    for end in range(1, len(cells) + 1):
        if end == len(cells) or cells[end][1] != cells[start][1]:
            text.append("".join(char for char, _ in cells[start:end]), cells[start][1])
            start = end
