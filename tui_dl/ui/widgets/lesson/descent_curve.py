"""Gradient descent on a 1-D loss curve with a local and a global minimum (plotext)."""

from __future__ import annotations

import numpy as np
from textual.widget import Widget

from tui_dl.lessons.maths import CURVE_RANGE, Descent, curve_gradient, curve_loss
from tui_dl.ui.widgets.axis_plot import AxisPlot
from tui_dl.ui.widgets.lesson.descent_controls import DescentControls, short_number

START = 3.2
"""Starts in the worse valley: plain descent settles there, momentum can roll out."""
GRID = np.linspace(*CURVE_RANGE, 141)
BLUE, YELLOW, RED = (80, 140, 255), (235, 195, 50), (235, 70, 70)
TRAIL = 25
"""Only the last steps are drawn: the path stays readable and the redraw cheap."""


class DescentCurve(DescentControls):
    """A ball on a loss curve: the learner steps it, plays it, changes its learning rate."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Descent(curve_loss, curve_gradient, np.array([START]), rate=0.1), id=id)

    def make_view(self) -> Widget:
        return AxisPlot(id="descent-plot")

    def random_start(self, rng: np.random.Generator) -> np.ndarray:
        return np.array([rng.uniform(CURVE_RANGE[0] + 0.3, CURVE_RANGE[1] - 0.3)])

    def describe_position(self) -> str:
        return f"x {short_number(float(self.run.position[0]))}"

    def redraw(self) -> None:
        plot = self.query_one("#descent-plot", AxisPlot)
        plt = plot.plt
        plt.clear_data()
        plt.title("loss(x): a local minimum on the right, the global one on the left")
        plt.plot(GRID.tolist(), curve_loss(GRID).tolist(), marker="braille", color=BLUE)
        low, high = CURVE_RANGE
        xs = np.clip([float(p[0]) for p in self.run.path[-TRAIL:]], low, high)
        xs = np.nan_to_num(xs, nan=high)
        if len(xs) > 1:
            plt.scatter(xs[:-1].tolist(), curve_loss(xs[:-1]).tolist(), marker="•", color=YELLOW)
        plt.scatter([float(xs[-1])], [float(curve_loss(xs[-1]))], marker="●", color=RED)
        plot.x_span = CURVE_RANGE
        plot.y_span = (-4.5, 5.0)
        plot.refresh()
        super().redraw()
