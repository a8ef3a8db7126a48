"""A plotext plot whose axes are labelled at round values, each y label on the row of its value
(`tui_dl.ui.render.axis`). Every plot of the app with axes is one of these.

The ticks depend on the canvas's size, known only when the widget renders, so they are set
there: after a resize as after new data. A plot says what it must show through `y_span` and
`x_span` (not plotext's `ylim`/`xlim`, which its build overwrites), else the data's range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from tui_dl.ui.render.axis import padded, x_ticks, y_axis


def _finite(values: Iterable[object]) -> list[float]:
    return [
        float(v)
        for v in values
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    ]


class AxisPlot(PlotextPlot):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.y_span: tuple[float, float] | None = None
        """The y range the plot must show; None: the data's."""
        self.x_span: tuple[float, float] | None = None
        """The x range the plot shows; None: the data's."""
        self.y_log = False
        """The y values are log10 of what they stand for: ticks at whole decades, labelled with
        the values (0.01, 0.1, 1)."""
        self.x_log = False
        """The x values are log10 of what they stand for (learning rates): ticks at whole
        decades, labelled with the values."""
        self.x_labels = True
        """False: no x labels (a picture whose x needs none)."""

    def render(self) -> RenderResult:
        self.fit_axes(self.size.width, self.size.height)
        return super().render()

    def fit_axes(self, width: int, height: int) -> None:
        """Round ticks on both axes for a plot `width` × `height`, and the y limits that put
        each y tick on its row."""
        plt = self.plt
        # plotext keeps a plot's data and settings in its figure's monitor (no public reader).
        monitor: Any = plt.monitor  # type: ignore[attr-defined]
        ys = _finite(v for signal in monitor.y for v in signal)
        ys += _finite([*monitor.hcoord[0], *monitor.ty])
        xs = _finite(v for signal in monitor.x for v in signal)
        xs += _finite([*monitor.vcoord[0], *monitor.tx])
        if not ys or not xs:  # nothing drawn: no labels, none left from the last data
            monitor.yticks, monitor.ylabels = [None, None], [None, None]
            monitor.xticks, monitor.xlabels = [None, None], [None, None]
            return
        rows = height - canvas_margin(monitor, x_labels=self.x_labels)
        y_low, y_high = self.y_span or (min(ys), max(ys))
        if rows >= 2:
            axis = y_axis(y_low, y_high, rows, log=self.y_log)
            plt.ylim(*axis.limits)
            plt.yticks(list(axis.ticks), list(axis.labels))
            label_width = max(len(label) for label in axis.labels)
        else:
            label_width = 0
        x_low, x_high = padded(*(self.x_span or (min(xs), max(xs))))
        plt.xlim(x_low, x_high)
        if not self.x_labels:
            plt.xticks([])
            return
        columns = width - label_width - sum(bool(a) for a in monitor.yaxes)
        # Whole numbers only where every x is one (epochs, steps), even padded around one.
        integer = all(float(x).is_integer() for x in (*xs, *(self.x_span or ())))
        ticks, labels = x_ticks(x_low, x_high, columns, integer=integer, log=self.x_log)
        plt.xticks(ticks, list(labels))


def canvas_margin(monitor: Any, *, x_labels: bool) -> int:
    """The rows of a plotext plot that are not its canvas: the x axes' lines, the x labels' row,
    the title's row and the bottom label's row (plotext's `build_plot` takes the same away)."""
    top = monitor.title is not None or monitor.xlabel[1] is not None
    bottom = any(label is not None for label in (*monitor.ylabel, monitor.xlabel[0]))
    return sum(bool(a) for a in monitor.xaxes) + int(x_labels) + int(top) + int(bottom)
