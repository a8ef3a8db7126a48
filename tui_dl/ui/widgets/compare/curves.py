"""Several runs' curves of one metric on one plot: each run drawn with its number (#1 → "1")
in its own colour, so that the legend and the table name the same run, with or without
colour."""

from __future__ import annotations

from typing import Any

from tui_dl.ui.widgets.axis_plot import AxisPlot

MOST = 8
"""Runs on one plot, at most: past eight the curves cannot be told apart."""
COLOURS = (
    (86, 156, 214),
    (230, 145, 56),
    (106, 190, 48),
    (215, 80, 80),
    (180, 120, 220),
    (230, 210, 80),
    (80, 200, 200),
    (200, 200, 200),
)
"""One per run, in the table's order (#1 blue, #2 orange, …)."""


def curve(history: list[dict[str, Any]], key: str) -> list[tuple[int, float]]:
    """(epoch, value) for each epoch whose logs have a finite `key`."""
    return [
        (epoch, float(value))
        for epoch, logs in enumerate(history, start=1)
        if isinstance(value := logs.get(key), int | float) and not isinstance(value, bool)
        if value == value and abs(value) != float("inf")
    ]


class CompareCurves(AxisPlot):
    def __init__(self, metric: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metric = metric
        self.title = title
        self.histories: list[list[dict[str, Any]]] = []
        self.validation = True
        """Each run's validation curve (False: its training curve)."""

    def on_mount(self) -> None:
        super().on_mount()
        self.plt.theme(self._get_plotext_theme_name(self.app.theme))
        self.replot()

    def set_runs(self, histories: list[list[dict[str, Any]]], validation: bool) -> None:
        self.histories = histories[:MOST]
        self.validation = validation
        self.replot()

    def key(self) -> str:
        return f"val_{self.metric}" if self.validation else self.metric

    def drawn(self) -> list[bool]:
        """Which runs have a curve here (a run with no epochs, or no such metric, has none)."""
        return [bool(curve(h, self.key())) for h in self.histories]

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        which = "validation" if self.validation else "training"
        any_drawn = False
        for number, history in enumerate(self.histories, start=1):
            points = curve(history, self.key())
            if points:
                plt.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker=str(number),
                    color=COLOURS[number - 1],
                )
                any_drawn = True
        plt.title(f"{self.title} ({which})" if any_drawn else f"{self.title}: no {which} epochs")
        self.refresh()
