"""The finder's curve: the smoothed loss against the learning rate on a log axis (ticks at
whole decades, labelled with the rates), the suggested rate marked by a vertical line."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tui_dl.ui.widgets.axis_plot import AxisPlot

if TYPE_CHECKING:
    from tui_dl.analysis.lrfind import LrFindResult

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
        plt = self.plt
        plt.clear_data()
        plt.title("loss against learning rate (log scale)")
        self.y_span = None
        if result is not None and result["rates"]:
            self.y_span = y_span(result["smoothed"])
            x = [math.log10(r) for r in result["rates"]]
            plt.plot(x, result["smoothed"], marker="braille", label="smoothed loss")
            s = result["suggestion"]
            if s is not None:
                plt.vline(x[s["index"]], SUGGESTED)
                plt.vline(x[s["minimum_index"]], LOWEST)
        self.refresh()


def y_span(smoothed: list[float]) -> tuple[float, float]:
    """From the lowest loss to as far above the first as the first is above the lowest: the
    fall fills the plot, and a blow-up runs off its top instead of flattening the rest."""
    low, first = min(smoothed), smoothed[0]
    spread = max(first - low, 0.05 * abs(first), 1e-6)
    return low - 0.1 * spread, min(max(smoothed), first + spread)
