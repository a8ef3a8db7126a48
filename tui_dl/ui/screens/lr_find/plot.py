"""The finder's curve: the smoothed loss against the learning rate on a log axis (ticks at
whole decades, labelled with the rates), drawn as the pass reports its steps, the suggested
rate marked by a vertical line when it ends."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tui_dl.analysis.lrfind import END, START
from tui_dl.ui.widgets.axis_plot import AxisPlot

if TYPE_CHECKING:
    from tui_dl.analysis.lrfind import LrFindResult, Suggestion

SUGGESTED = "green"
LOWEST = "orange"
"""plotext's colours of the two lines; `LEGEND` has the same as rich styles."""
LEGEND = {SUGGESTED: "green", LOWEST: "dark_orange"}


class LrPlot(AxisPlot):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.x_log = True

    def on_mount(self) -> None:
        super().on_mount()
        self.plt.theme(self._get_plotext_theme_name(self.app.theme))
        self.show(None)  # its title while the pass runs

    def show(self, result: LrFindResult | None) -> None:
        """The finished pass's curve and its suggestion (None: an empty plot, its title)."""
        if result is None:
            self.draw([], [])
            return
        self.draw(result["rates"], result["smoothed"], result["suggestion"])

    def draw(
        self,
        rates: list[float],
        smoothed: list[float],
        suggestion: Suggestion | None = None,
        live: bool = False,
    ) -> None:
        """The smoothed loss so far against the rate: while the pass runs (`live`), the
        points it has reported on the whole range of rates it will try; when it ends, with
        the suggested rate and the lowest loss marked."""
        plt = self.plt
        plt.clear_data()
        plt.title("loss against learning rate (log scale)")
        self.y_span = None
        self.x_span = (math.log10(START), math.log10(END)) if live else None
        if rates:
            self.y_span = y_span(smoothed)
            x = [math.log10(r) for r in rates]
            # no legend while the pass runs: its first steps are drawn where it would sit
            plt.plot(x, smoothed, marker="braille", label=None if live else "smoothed loss")
            if suggestion is not None:
                plt.vline(x[suggestion["index"]], SUGGESTED)
                plt.vline(x[suggestion["minimum_index"]], LOWEST)
        self.refresh()


def y_span(smoothed: list[float]) -> tuple[float, float]:
    """From the lowest loss to as far above the first as the first is above the lowest: the
    fall fills the plot, and a blow-up runs off its top instead of flattening the rest."""
    low, first = min(smoothed), smoothed[0]
    spread = max(first - low, 0.05 * abs(first), 1e-6)
    return low - 0.1 * spread, min(max(smoothed), first + spread)
