"""The confusion matrix as a grid of cells the arrow keys walk over."""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui_dl.analysis.predictions import ConfusionReport
from tui_dl.ui.render.digits import colour_allowed

CELL = 6
LABEL = 6


class ConfusionGrid(Widget, can_focus=True):
    DEFAULT_CSS = """
    ConfusionGrid { height: auto; width: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("enter", "choose", "Show these digits"),
        Binding("n", "toggle_rates", "Counts/rates"),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    rates: reactive[bool] = reactive(False)

    @dataclass
    class CellChosen(Message):
        true: int
        pred: int

    @dataclass
    class CellMoved(Message):
        true: int
        pred: int

    def __init__(self, report: ConfusionReport, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        self.colour = colour_allowed()

    @property
    def size_n(self) -> int:
        return self.report.matrix.shape[0]

    def action_move(self, rows: int, cols: int) -> None:
        r, c = self.cursor
        self.cursor = ((r + rows) % self.size_n, (c + cols) % self.size_n)

    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        self.post_message(self.CellMoved(*cursor))

    def action_choose(self) -> None:
        self.post_message(self.CellChosen(*self.cursor))

    def action_toggle_rates(self) -> None:
        self.rates = not self.rates

    def render(self) -> Text:
        n = self.size_n
        text = Text(" " * LABEL + "predicted →\n", style="dim")
        text.append("true ↓".ljust(LABEL), style="dim")
        for col in range(n):
            text.append(str(col).rjust(CELL - 1) + " ", style="bold")
        text.append("  recall\n", style="bold")
        for row in range(n):
            text.append(str(row).rjust(3).ljust(LABEL), style="bold")
            for col in range(n):
                text.append(*self._cell(row, col))
            text.append(f"  {self.report.recall[row] * 100:5.1f} %\n")
        text.append("prec.".ljust(LABEL), style="bold")
        for col in range(n):
            text.append(f"{self.report.precision[col] * 100:5.0f}%")
        return text

    def _cell(self, row: int, col: int, width: int = CELL) -> tuple[str, Style]:
        count = int(self.report.matrix[row, col])
        rate = float(self.report.rates[row, col])
        if self.rates:
            value = "·" if count == 0 else ("<1%" if rate < 0.005 else f"{rate * 100:.0f}%")
        else:
            value = "·" if count == 0 else str(count)
        selected = (row, col) == self.cursor
        body = f"[{value}]" if selected else value
        cell = body.rjust(width - (0 if selected else 1)) + ("" if selected else " ")
        style = Style(bold=row == col)
        if self.colour and count:
            style += Style(bgcolor=_shade(rate, row == col), color="white")
        if selected:
            style += Style(reverse=self.colour, bold=True)
        return cell, style


def _shade(rate: float, diagonal: bool) -> Color:
    """Right answers in green by share of their class; mistakes in red, visible when few."""
    if diagonal:
        level = 0.25 + 0.55 * rate
        return Color.from_rgb(20, int(40 + 120 * level), 40)
    level = min(1.0, rate * 4)
    return Color.from_rgb(int(60 + 150 * level), 30, 30)
