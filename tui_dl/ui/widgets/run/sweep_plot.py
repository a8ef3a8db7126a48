"""Every cell of a sweep on one plot: its validation curve per epoch, one colour per cell."""

from __future__ import annotations

import math

from rich.text import Text

from tui_dl.engine.sweeps.state import CellState
from tui_dl.ui.render.sweep_text import cell_label
from tui_dl.ui.widgets.axis_plot import AxisPlot

MAX_POINTS = 200
PALETTE = (
    (86, 156, 214),
    (230, 159, 0),
    (0, 190, 120),
    (220, 80, 80),
    (190, 120, 230),
    (240, 228, 66),
    (86, 220, 220),
    (230, 130, 180),
)
"""RGB, so the legend's colours are the plot's (named colours differ between terminals)."""
LOG_SPREAD = 10.0
"""Losses drawn on a log scale once the largest is this many times the smallest."""
FLOOR = 1e-7
"""A loss of 0 is drawn at this (a log scale has no 0)."""
SERIES = {"loss": ("val_loss", "validation loss"), "accuracy": ("val_accuracy", "val accuracy")}


def cell_colour(index: int) -> tuple[int, int, int]:
    return PALETTE[index % len(PALETTE)]


def _downsample(values: list[float | None]) -> list[tuple[int, float]]:
    points = [(i + 1, v) for i, v in enumerate(values) if v is not None]
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    picks = sorted({int(i * step) for i in range(MAX_POINTS)} | {len(points) - 1})
    return [points[i] for i in picks]


class SweepPlot(AxisPlot):
    """Redrawn when a cell finishes an epoch (the screen decides), never per batch."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metric = "loss"
        self.cells: list[CellState] = []
        self.best: int | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.replot()

    def show(self, cells: list[CellState], best: int | None) -> None:
        self.cells, self.best = cells, best
        self.replot()

    def toggle(self) -> str:
        self.metric = "accuracy" if self.metric == "loss" else "loss"
        self.replot()
        return self.metric

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        key, title = SERIES[self.metric]
        curves = []
        order = sorted(range(len(self.cells)), key=lambda i: i == self.best)  # best on top
        for index in order:
            points = _downsample([h.get(key) for h in self.cells[index].history])
            if points:
                curves.append((index, points))
        values = [p[1] for _, points in curves for p in points if math.isfinite(p[1])]
        # A rate that overshoots can end 10,000 times higher than the rest: then a log scale,
        # so the other cells do not lie flat along the bottom.
        self.y_log = (
            self.metric == "loss"
            and bool(values)
            and max(values) >= LOG_SPREAD * max(min(values), FLOOR)
        )
        for index, points in curves:
            ys = [math.log10(max(p[1], FLOOR)) if self.y_log else p[1] for p in points]
            plt.plot(
                [p[0] for p in points],
                ys,
                marker="hd" if index == self.best else "braille",
                color=cell_colour(index),
            )
        scale = " (log scale)" if self.y_log else ""
        plt.title(f"{title} per epoch{scale}" if curves else f"{title} — no epochs yet")
        self.refresh()

    def legend(self) -> Text:
        """One coloured swatch per cell that has a curve; the best one starred."""
        text = Text()
        for index, cell in enumerate(self.cells):
            if not cell.history:
                continue
            r, g, b = cell_colour(index)
            star = "★" if index == self.best else ""
            text.append("━━", style=f"bold rgb({r},{g},{b})")
            text.append(f" {star}{cell_label(cell)}  ")
        return text
