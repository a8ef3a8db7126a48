"""A page of pictures side by side as text: a contact sheet of thumbnails, each in a box of
the same cells, the learner's own pictures at a glance.

Each thumbnail is drawn as `photos.py` draws a photo — `▀` with the upper pixel as its
foreground and the lower as its background, in true colour — or, under NO_COLOR, as its
brightness on the density ramp. Runs of one style are one span (`digits.append_runs`), so a
page of flat-coloured pictures stays a few spans a row.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from tui_dl.ui.render.digits import UPPER_HALF, append_runs, colour_allowed
from tui_dl.ui.render.photos import LUMA, fit, photo_cells, ramp_rows, shrink

GAP = 1
"""Blank columns between two thumbnails."""
BLANK = Style()


def _thumbnail(image: np.ndarray, columns: int, rows: int, colour: bool) -> list[list]:
    """One picture as `rows` rows of exactly `columns` (character, style) cells, centred."""
    used_columns, used_rows = fit(image.shape[:2], columns, rows)
    if colour:
        rgb = np.rint(photo_cells(image, used_columns, used_rows) * 255).astype(int)
        drawn = [
            [
                (
                    UPPER_HALF,
                    Style(
                        color=Color.from_rgb(*rgb[top, col]),
                        bgcolor=Color.from_rgb(*rgb[top + 1, col]),
                    ),
                )
                for col in range(used_columns)
            ]
            for top in range(0, used_rows * 2, 2)
        ]
    else:
        grey = shrink(np.asarray(image, np.float32) / 255.0 @ LUMA, used_rows * 2, used_columns)
        drawn = [[(char, BLANK) for char in row] for row in ramp_rows(grey)]
    left = (columns - used_columns) // 2
    top = (rows - used_rows) // 2
    blank_row = [(" ", BLANK)] * columns
    cells = [list(blank_row) for _ in range(top)]
    for row in drawn:
        cells.append([(" ", BLANK)] * left + row + [(" ", BLANK)] * (columns - left - len(row)))
    cells += [list(blank_row) for _ in range(rows - len(cells))]
    return cells


def contact_sheet(
    images: list[np.ndarray],
    columns: int,
    rows: int,
    across: int,
    colour: bool | None = None,
) -> Text:
    """`images` ((H, W, 3) 0–255, any sizes) in a grid `across` thumbnails wide, each in a box
    of `columns` × `rows` cells, `GAP` blank columns apart."""
    colour = colour_allowed() if colour is None else colour
    text = Text()
    thumbnails = [_thumbnail(image, columns, rows, colour) for image in images]
    for start in range(0, len(thumbnails), across):
        line_of = thumbnails[start : start + across]
        if start:
            text.append("\n\n")  # a blank row between two lines of thumbnails
        for row in range(rows):
            cells: list = []
            for i, thumbnail in enumerate(line_of):
                if i:
                    cells += [(" ", BLANK)] * GAP
                cells += thumbnail[row]
            append_runs(text, cells)
            if row + 1 < rows:
                text.append("\n")
    return text


def grid(width: int, height: int) -> tuple[int, int, int, int]:
    """(columns, rows, across, down) of square thumbnails that fill width × height cells, one
    blank row under each line: 12 columns wide, 16 where there is room (a wide terminal)."""
    columns = max(4, min(12 if width < 100 or height < 30 else 16, width))
    rows = max(2, columns // 2)
    across = max(1, (width + GAP) // (columns + GAP))
    down = max(1, (height + 1) // (rows + 1))
    return columns, rows, across, down
