"""Activation functions and their slopes, with a cursor to read values off the curve.

The derivative is what gradient descent gets to work with, so it is one key away: the step
function's is flat zero, ReLU's switches between 0 and 1, the smooth ones fade out at the ends.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from tui_dl.lessons.maths import activation, derivative
from tui_dl.ui.widgets.axis_plot import AxisPlot

FUNCTIONS = {
    "step": ("step", "flat everywhere: its slope is 0, so gradient descent gets no hint"),
    "sigmoid": ("sigmoid", "smooth 0..1; the slope fades at both ends, so deep nets learn slowly"),
    "tanh": ("tanh", "smooth −1..1 and centred on 0; still fades at the ends"),
    "relu": ("ReLU", "0 below 0, x above: cheap, and the usual good default"),
    "leaky-relu": ("leaky ReLU", "a small slope below 0, so a unit never goes quiet for good"),
    "elu": ("ELU", "smooth below 0 down to −1; often learns faster than ReLU"),
}
"""name in `maths.ACTIVATIONS` → (label, what to notice)."""
NAMES = tuple(FUNCTIONS)
X = np.linspace(-4.0, 4.0, 161)
CURSOR_STEP = 0.25
KEYS = "↑↓ or 1-6 function · ←→ cursor · d derivative"
BLUE, YELLOW, RED = (80, 140, 255), (235, 195, 50), (235, 70, 70)
"""RGB, not colour names: names go through the terminal's palette and may not match the title."""


class ActivationPlot(Widget, can_focus=True):
    BINDINGS = [
        Binding("up,k", "choose(-1)", "Previous", show=False),
        Binding("down,j", "choose(1)", "Next", show=False),
        Binding("left,h", "move(-1)", "Cursor ←", key_display="←"),
        Binding("right,l", "move(1)", "Cursor →", key_display="→"),
        Binding("d", "derivative", "Derivative"),
        *(Binding(str(i + 1), f"pick({i})", show=False) for i in range(len(NAMES))),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = 0
        self.cursor = -1.5
        self.show_derivative = True

    @property
    def function(self) -> str:
        return NAMES[self.index]

    def compose(self) -> ComposeResult:
        yield AxisPlot(id="activation-chart")
        yield Static(id="activation-readout", classes="activation-readout")

    def on_mount(self) -> None:
        self.redraw()

    def action_choose(self, direction: int) -> None:
        self.index = (self.index + direction) % len(NAMES)
        self.redraw()

    def action_pick(self, index: int) -> None:
        self.index = index
        self.redraw()

    def action_move(self, direction: int) -> None:
        self.cursor = float(np.clip(self.cursor + direction * CURSOR_STEP, X[0], X[-1]))
        self.redraw()

    def action_derivative(self) -> None:
        self.show_derivative = not self.show_derivative
        self.redraw()

    def redraw(self) -> None:
        name = self.function
        plot = self.query_one(AxisPlot)
        plt = plot.plt
        plt.clear_data()
        label, _ = FUNCTIONS[name]
        extra = "  ⣿ derivative (yellow)" if self.show_derivative else ""
        plt.title(f"{label} (blue){extra}")
        plt.plot(X.tolist(), activation(name, X).tolist(), marker="braille", color=BLUE)
        if self.show_derivative:
            plt.plot(X.tolist(), derivative(name, X).tolist(), marker="braille", color=YELLOW)
        plt.vline(self.cursor, RED)
        plt.scatter([self.cursor], [float(activation(name, self.cursor))], marker="●", color=RED)
        plot.x_span = (float(X[0]), float(X[-1]))
        plot.y_span = (-1.0, 4.0)  # every function and slope lies within
        plot.refresh()
        self.query_one("#activation-readout", Static).update(self.readout())

    def readout(self) -> Text:
        name = self.function
        label, note = FUNCTIONS[name]
        value, slope = float(activation(name, self.cursor)), float(derivative(name, self.cursor))
        text = Text()
        text.append(f"{self.index + 1}/{len(NAMES)} {label}", "bold")
        text.append(f" at x = {self.cursor:+.2f}:  f(x) = {value:.3f}   f′(x) = {slope:.3f}\n")
        text.append(note + "\n")
        text.append(KEYS, "dim")
        return text
