"""One test image as text, with what the model said about it."""

from __future__ import annotations

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui_dl.analysis.predictions import Predictions
from tui_dl.text import bar
from tui_dl.ui.render.digits import render_digit

CARD_WIDTH = 40
CARD_HEIGHT = 15


def card(
    p: Predictions, index: int, heat: np.ndarray | None = None, colour: bool | None = None
) -> Table:
    """28-column image, and beside it: number, true, predicted, confidence, top 3 as bars."""
    names = p.class_names
    true, pred = int(p.y_true[index]), int(p.y_pred[index])
    info = Text()
    info.append(f"#{index}\n", style="dim")
    info.append("true ", style="dim")
    info.append(f"{names[true][:6]}\n", style="bold")
    info.append("said ", style="dim")
    info.append(f"{names[pred][:6]}\n", style="bold green" if pred == true else "bold red")
    info.append(f"conf {p.confidence[index] * 100:.1f}%\n\n")
    for cls, prob in p.top(index):
        info.append(f"{names[cls][:1]} ")
        info.append(bar(prob, 4), style="green" if cls == true else "red")
        info.append(f"{prob * 100:4.0f}%\n")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=28, no_wrap=True)
    grid.add_column(width=11, no_wrap=True)
    grid.add_row(render_digit(p.images[index], heat=heat, colour=colour), info)
    return grid


class DigitCard(Static):
    DEFAULT_CSS = f"""
    DigitCard {{ width: {CARD_WIDTH}; height: {CARD_HEIGHT}; }}
    """
