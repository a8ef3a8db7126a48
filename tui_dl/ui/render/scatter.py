"""Points of ten classes over a square of the plane, in half-block characters: the VAE's latent
means coloured by class, with a cursor and a marked point on top.

Each character is two pixels (`▀`: the upper as foreground, the lower as background); a pixel
holding points takes the colour of the class most of them belong to. Without colour (NO_COLOR)
each character shows that class's digit, `·` where there is nothing; the cursor is `+` and the
marked point `@` either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text

from tui_dl.ui.render.digits import UPPER_HALF, append_runs, colour_allowed

PALETTE = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)
"""Ten colours that stay apart (matplotlib's tab10), class 0 first."""
EMPTY = (28, 28, 28)
CURSOR = "+"
MARK = "@"


@dataclass(frozen=True)
class Plane:
    """The square [−span, span]² drawn in `columns` × `rows` characters (2·rows pixels high)."""

    span: float
    columns: int
    rows: int

    def cell(self, x: float, y: float) -> tuple[int, int]:
        """The character (row, column) that a point falls in, clipped to the square."""
        column = (x + self.span) / (2 * self.span) * self.columns
        pixel = (self.span - y) / (2 * self.span) * 2 * self.rows
        return (
            int(np.clip(pixel // 2, 0, self.rows - 1)),
            int(np.clip(column, 0, self.columns - 1)),
        )


def majority_pixels(points: np.ndarray, labels: np.ndarray, plane: Plane) -> np.ndarray:
    """(2·rows, columns) of the most common class in each pixel, −1 where none fell."""
    height, width = 2 * plane.rows, plane.columns
    if not len(points):
        return np.full((height, width), -1)
    column = ((points[:, 0] + plane.span) / (2 * plane.span) * width).astype(int)
    row = ((plane.span - points[:, 1]) / (2 * plane.span) * height).astype(int)
    inside = (column >= 0) & (column < width) & (row >= 0) & (row < height)
    counts = np.zeros((height, width, 10), dtype=np.int32)
    np.add.at(counts, (row[inside], column[inside], labels[inside] % 10), 1)
    found = counts.argmax(axis=2)
    return np.where(counts.sum(axis=2) > 0, found, -1)


def scatter_text(
    points: np.ndarray,
    labels: np.ndarray,
    plane: Plane,
    cursor: tuple[int, int] | None = None,
    mark: tuple[int, int] | None = None,
    colour: bool | None = None,
) -> Text:
    """The points (their first two coordinates) over the plane; `cursor` and `mark` are
    character cells (row, column)."""
    colour = colour_allowed() if colour is None else colour
    pixels = majority_pixels(np.asarray(points, dtype=float)[:, :2], np.asarray(labels), plane)
    text = Text(no_wrap=True, overflow="crop")
    plain = Style()
    for row in range(plane.rows):
        if row:
            text.append("\n")
        cells: list[tuple[str, Style]] = []
        for column in range(plane.columns):
            upper, lower = pixels[2 * row, column], pixels[2 * row + 1, column]
            special = CURSOR if (row, column) == cursor else MARK if (row, column) == mark else ""
            if not colour:
                found = upper if upper >= 0 else lower
                cells.append((special or (str(found) if found >= 0 else "·"), plain))
            elif special:
                shade = _rgb(upper if upper >= 0 else lower)
                cells.append((special, Style(color="#ffffff", bgcolor=shade, bold=True)))
            else:
                cells.append((UPPER_HALF, Style(color=_rgb(upper), bgcolor=_rgb(lower))))
        append_runs(text, cells)
    return text


def legend_text(names: list[str], colour: bool | None = None, first: int = 0) -> Text:
    """One line per class (`names` from class `first` on): its colour (or its digit, without
    colour) and its name."""
    colour = colour_allowed() if colour is None else colour
    text = Text()
    for index, name in enumerate(names, start=first):
        if index > first:
            text.append("\n")
        if colour:
            text.append("██", Style(color=_rgb(index)))
        else:
            text.append(f"{index} ")
        text.append(f" {name}")
    return text


def _rgb(label: int) -> str:
    red, green, blue = PALETTE[label] if label >= 0 else EMPTY
    return f"#{red:02x}{green:02x}{blue:02x}"
