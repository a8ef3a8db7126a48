"""A few named series from a run's epoch logs on one plotext plot, the legend in its title:
the generative runs' losses (VAE: total and reconstruction, KL; GAN: D and G losses, D's
accuracy, the samples' variety)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui_dl.ui.widgets.axis_plot import AxisPlot
from tui_dl.ui.widgets.run.metrics_plot import course_mark

MARKERS = ("hd", "braille", "dot", "•")


@dataclass(frozen=True)
class Series:
    key: str
    """The epoch logs' name."""
    label: str
    scale: float = 1.0
    """Drawn as value × scale (the variety's ten classes on the accuracies' 0–1)."""


class SeriesPlot(AxisPlot):
    def __init__(self, title: str, series: tuple[Series, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.series = series
        self.history: list[dict[str, Any]] = []
        self.mark: int | None = None
        self.course: tuple[float, str] | None = None
        """The course's figure for one of these series: (value, label), a level line."""

    def on_mount(self) -> None:
        super().on_mount()
        # The app's colours from now on: PlotextPlot sets them only when it first paints, and
        # the series drawn before then (data given to a plot not painted yet) kept plotext's.
        self.plt.theme(self._get_plotext_theme_name(self.app.theme))
        self.replot()

    def set_history(self, history: list[dict[str, Any]], mark: int | None = None) -> None:
        """`mark`: an epoch to draw a vertical line at (the one shown beside)."""
        if history == self.history and mark == self.mark:
            return
        self.history, self.mark = list(history), mark
        self.replot()

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        drawn = []
        for series, marker in zip(self.series, MARKERS, strict=False):
            points = [
                (epoch, value * series.scale)
                for epoch, logs in enumerate(self.history, start=1)
                if isinstance(value := logs.get(series.key), int | float)
            ]
            if points:
                plt.plot([p[0] for p in points], [p[1] for p in points], marker=marker)
                drawn.append(f"{_symbol(marker)} {series.label}")
        if not drawn:
            plt.title(f"{self.title} — no epochs yet")
        else:
            if self.course is not None:
                course_mark(plt, self.course, 1)
            plt.title(f"{self.title}  " + "  ".join(drawn))
        if self.mark:
            plt.vertical_line(self.mark, color="yellow")
        self.refresh()


def _symbol(marker: str) -> str:
    return {"hd": "▚", "braille": "⣿", "dot": "·"}.get(marker, marker)
