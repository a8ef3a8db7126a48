"""Every cell of a sweep on one plot: its validation curve per epoch, one colour per cell.

Runs with no validation per epoch (a k-fold run scores each fold once, when it ends) have their
training curve drawn instead, and the legend says so and why, naming the experiment."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text

from tui_dl.engine import runfiles
from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.engine.sweeps.grid import value_text
from tui_dl.engine.sweeps.spread import group_cells
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
TRAINING = {"loss": ("loss", "training loss"), "accuracy": ("accuracy", "training accuracy")}
"""What is drawn when no cell has the validation series but some have these."""


@dataclass(frozen=True)
class Band:
    """One epoch of a grid point's runs: their mean, lowest and highest."""

    epoch: int
    mean: float
    low: float
    high: float


def epoch_bands(histories: list[list[dict]], key: str) -> list[Band | None]:
    """Per epoch, the mean and range of `key` over the runs that reached it with a finite
    value (None where none did)."""
    bands: list[Band | None] = []
    for epoch in range(max((len(h) for h in histories), default=0)):
        values = [h[epoch].get(key) for h in histories if len(h) > epoch]
        finite = [v for v in values if v is not None and math.isfinite(v)]
        if finite:
            mean = sum(finite) / len(finite)
            bands.append(Band(epoch + 1, mean, min(finite), max(finite)))
        else:
            bands.append(None)
    return bands


def without_validation(experiment: str) -> str:
    """Why the training curves are drawn, naming the experiment."""
    exp = EXPERIMENTS.get(experiment)
    if exp is not None and runfiles.KFOLD_REPORT in exp.writes:
        return (
            f"{experiment} has no validation per epoch: each fold is scored once, at its end "
            "(the table's result). Drawn: training curves, mean over folds."
        )
    name = f"{experiment} runs" if experiment else "These runs"
    return f"{name} report no validation per epoch. Drawn: the training curves."


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
        self.seeds = 1
        """Runs per grid point: above 1, one curve per point (the mean of its runs) and
        its range (lowest and highest of its runs, dotted) each epoch."""
        self.experiment = ""

    def on_mount(self) -> None:
        super().on_mount()
        self.replot()

    def show(
        self, cells: list[CellState], best: int | None, seeds: int = 1, experiment: str = ""
    ) -> None:
        self.cells, self.best, self.seeds, self.experiment = cells, best, seeds, experiment
        self.replot()

    def toggle(self) -> str:
        self.metric = "accuracy" if self.metric == "loss" else "loss"
        self.replot()
        return self.metric

    def series(self) -> tuple[str, str, bool]:
        """(key, title, training): the validation series of the metric shown, or its training
        series where no cell has the validation one but some have that."""
        key, title = SERIES[self.metric]
        logs = [h for cell in self.cells for h in cell.history]
        train_key, train_title = TRAINING[self.metric]
        if any(key in h for h in logs) or not any(train_key in h for h in logs):
            return key, title, False
        return train_key, train_title, True

    def curves(self, key: str) -> list[tuple[int, list[tuple[int, float]], list[Band]]]:
        """(colour index, points, range) per curve: a cell's own, or a grid point's mean over
        its runs with the lowest and highest of them each epoch."""
        if self.seeds <= 1:
            order = sorted(range(len(self.cells)), key=lambda i: i == self.best)  # best on top
            found = [(i, _downsample([h.get(key) for h in self.cells[i].history])) for i in order]
            return [(i, points, []) for i, points in found if points]
        out: list[tuple[int, list[tuple[int, float]], list[Band]]] = []
        for index, group in enumerate(group_cells(self.cells)):
            bands = epoch_bands([self.cells[i].history for i in group.members], key)
            means = _downsample([b.mean if b else None for b in bands])
            if means:
                out.append((index, means, [b for b in bands if b is not None]))
        return out

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        key, title, _ = self.series()
        curves = self.curves(key)
        values = [p[1] for _, points, _ in curves for p in points if math.isfinite(p[1])]
        values += [v for *_, bands in curves for b in bands for v in (b.low, b.high)]
        # A rate that overshoots can end 10,000 times higher than the rest: then a log scale,
        # so the other cells do not lie flat along the bottom.
        self.y_log = (
            self.metric == "loss"
            and bool(values)
            and max(values) >= LOG_SPREAD * max(min(values), FLOOR)
        )

        def y(value: float) -> float:
            return math.log10(max(value, FLOOR)) if self.y_log else value

        for index, points, bands in curves:
            colour = cell_colour(index)
            plt.plot(
                [p[0] for p in points],
                [y(p[1]) for p in points],
                marker="hd" if index == self.best and self.seeds <= 1 else "braille",
                color=colour,
            )
            spread = [b for b in bands if b.high > b.low]
            for ends in ([b.low for b in spread], [b.high for b in spread]):
                if spread:
                    plt.scatter([b.epoch for b in spread], [y(v) for v in ends],
                                marker="·", color=colour)  # fmt: skip
        scale = " (log scale)" if self.y_log else ""
        pooled = f", mean of {self.seeds} seeds · lowest–highest" if self.seeds > 1 else ""
        plt.title(f"{title} per epoch{pooled}{scale}" if curves else f"{title} — no epochs yet")
        self.refresh()

    def legend(self) -> Text:
        """One coloured swatch per cell that has a curve, the best one starred; below, why
        the training curve is drawn where it is."""
        text = self.swatches()
        if self.series()[2]:
            text.append("\n" + without_validation(self.experiment), style="italic")
        return text

    def swatches(self) -> Text:
        text = Text()
        if self.seeds > 1:
            for index, group in enumerate(group_cells(self.cells)):
                if any(self.cells[i].history for i in group.members):
                    r, g, b = cell_colour(index)
                    text.append("━━", style=f"bold rgb({r},{g},{b})")
                    label = "/".join(value_text(v) for v in group.settings.values())
                    text.append(f" {label or 'cell'}  ")
            return text
        for index, cell in enumerate(self.cells):
            if not cell.history:
                continue
            r, g, b = cell_colour(index)
            star = "★" if index == self.best else ""
            text.append("━━", style=f"bold rgb({r},{g},{b})")
            text.append(f" {star}{cell_label(cell)}  ")
        return text
