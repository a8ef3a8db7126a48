"""One test picture of the learner's own classes, in colour, with what the model said about
it: the photo card of a my-images run (a digit run's test images are `digit_card`'s)."""

from __future__ import annotations

import numpy as np
from rich.cells import set_cell_size
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui_dl.analysis.predictions import Predictions
from tui_dl.text import bar, clipped
from tui_dl.ui.render.digits import to_unit
from tui_dl.ui.render.photos import render_photo

PHOTO_COLUMNS = 22
"""The picture's box: 22 columns × 11 rows of half blocks is 22 × 22 square pixels."""
PHOTO_ROWS = 11
INFO_WIDTH = 17
"""Number, true class, answer, confidence and the top 3, beside the picture."""
CARD_WIDTH = PHOTO_COLUMNS + 1 + INFO_WIDTH
CARD_HEIGHT = PHOTO_ROWS + 1
BAR = 4
PERCENT = 5
"""' 87%': the width of a confidence after its bar."""
TOP_NAME = INFO_WIDTH - BAR - PERCENT - 1
"""What is left of the line for a class name in the top 3 (and a space before its bar)."""


def picture(p: Predictions, index: int) -> np.ndarray:
    """The test picture as (H, W, 3) uint8: in colour, or its grey copy where the colour
    ones could not be read."""
    if p.colour_images is not None:
        return p.colour_images[index]
    grey = np.rint(to_unit(p.images[index]) * 255).astype(np.uint8)
    if grey.ndim == 3 and grey.shape[-1] == 3:
        return grey
    if grey.ndim == 3:  # (H, W, 1)
        grey = grey[..., 0]
    return np.repeat(grey[..., None], 3, axis=-1)


def photo_card(p: Predictions, index: int, colour: bool | None = None) -> Table:
    """The picture, and beside it what the model said of it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=PHOTO_COLUMNS, no_wrap=True)
    grid.add_column(width=INFO_WIDTH, no_wrap=True)
    picture_text = render_photo(picture(p, index), PHOTO_COLUMNS, PHOTO_ROWS, colour=colour)
    grid.add_row(picture_text, said(p, index))
    return grid


def said(p: Predictions, index: int) -> Text:
    """Its number, true class, the answer, its confidence and the three most probable
    classes with theirs (green the true class, red the others), INFO_WIDTH wide."""
    names = p.class_names
    true, pred = int(p.y_true[index]), int(p.y_pred[index])
    label = INFO_WIDTH - len("true ")
    info = Text()
    info.append(f"#{index}\n", style="dim")
    info.append("true ", style="dim")
    info.append(f"{clipped(names[true], label)}\n", style="bold")
    info.append("said ", style="dim")
    info.append(
        f"{clipped(names[pred], label)}\n", style="bold green" if pred == true else "bold red"
    )
    info.append(f"conf {p.confidence[index] * 100:.1f}%\n\n")
    for cls, prob in p.top(index):
        info.append(set_cell_size(clipped(names[cls], TOP_NAME), TOP_NAME + 1))
        info.append(bar(prob, BAR), style="green" if cls == true else "red")
        info.append(f"{prob * 100:4.0f}%\n")
    return info


class PhotoCard(Static):
    DEFAULT_CSS = f"""
    PhotoCard {{ width: {CARD_WIDTH}; height: {CARD_HEIGHT}; }}
    """
