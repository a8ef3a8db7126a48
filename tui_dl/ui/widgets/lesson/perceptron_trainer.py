"""A perceptron learning AND, OR or XOR one example at a time, its line drawn over the square.

The plot shades (and dots) where the unit fires; its decision line is drawn with line
characters, the four corners as ● (should fire) and ○ (should not), ✗ beside a corner it gets
wrong, ▸ before the example just shown. Everything is told apart by characters as well as by
colour, so it reads the same under NO_COLOR. The maths is `tui_dl.lessons.widgets.perceptron`.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui_dl.lessons.widgets.perceptron import (
    GATES,
    HIDDEN_BIASES,
    HIDDEN_WEIGHTS,
    POINTS,
    Perceptron,
)
from tui_dl.ui.widgets.player import Player

GATE_NAMES = tuple(GATES)
LOW, HIGH = -0.5, 1.5
"""Both axes show [−0.5, 1.5]: the unit square with a margin round it."""
PLAY_S = 0.3
"""Seconds between examples while playing: slow enough to read each update."""
KEYS = "a/o/x AND/OR/XOR · s step · e epoch · space play · r reset · h hidden layer"
SHOWN_EPOCHS = 14
FIRE = Style(color="rgb(90,170,110)", bgcolor="rgb(25,55,35)")
LINE = Style(color="rgb(240,200,60)", bold=True)
HIDDEN_LINE = Style(color="rgb(120,150,230)", bold=True)


def number(value: float) -> str:
    """2, 0.5, −1.5: whole numbers without a point, minus signs as minus signs."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.3g}"
    return text.replace("-", "−") if text not in ("-0", "0") else "0"


def weighted_sum(weights, bias: float, names: tuple[str, str]) -> str:
    """'2·x₁ − 1·x₂ + 0': the unit's sum as a learner would write it."""
    text = f"{number(weights[0])}·{names[0]}"
    for value, name in ((weights[1], f"·{names[1]}"), (bias, "")):
        text += f" {'−' if value < 0 else '+'} {number(abs(value))}{name}"
    return text


def line_char(weights, cell_w: float, cell_h: float) -> str:
    """The box-drawing character closest to the slope of w₁x₁ + w₂x₂ + b = 0 on screen."""
    dcol, drow = -weights[1] / cell_w, -weights[0] / cell_h  # along it; rows count down
    if abs(drow) <= 0.414 * abs(dcol):
        return "─"
    if abs(dcol) <= 0.414 * abs(drow):
        return "│"
    return "╲" if dcol * drow > 0 else "╱"


class PerceptronPlot(Widget):
    """x₁ across, x₂ up; where the unit fires, its line, and the four corners."""

    DEFAULT_CSS = """
    PerceptronPlot {
        width: 1fr; max-width: 64; min-width: 20; height: 1fr; max-height: 30;
        border: round $panel-lighten-2; border-title-color: $text-muted;
    }
    """

    def __init__(self, model: Perceptron, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = model
        self.border_title = "x₂ ↑  x₁ →"
        self.border_subtitle = "● fire ○ not ✗ wrong"

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        width, height = self.size
        cols = LOW + (np.arange(width) + 0.5) / max(1, width) * (HIGH - LOW)
        rows = HIGH - (np.arange(height) + 0.5) / max(1, height) * (HIGH - LOW)
        return cols, rows

    def cell_of(self, point) -> tuple[int, int]:
        width, height = self.size
        col = int((point[0] - LOW) / (HIGH - LOW) * width)
        row = int((HIGH - point[1]) / (HIGH - LOW) * height)
        return min(max(col, 0), width - 1), min(max(row, 0), height - 1)

    def lines(self) -> list[tuple[np.ndarray, float, Style]]:
        """(weights, bias, style) of every line to draw on the input square."""
        if self.model.hidden:
            return [(HIDDEN_WEIGHTS[:, j], float(HIDDEN_BIASES[j]), HIDDEN_LINE) for j in (0, 1)]
        if not np.any(self.model.weights):
            return []
        return [(self.model.weights, self.model.bias, LINE)]

    def marks(self) -> dict[tuple[int, int], tuple[str, Style]]:
        model = self.model
        wrong = set(model.wrong())
        marks: dict[tuple[int, int], tuple[str, Style]] = {}
        width, _ = self.size
        for index, (point, target) in enumerate(zip(POINTS, model.targets, strict=True)):
            col, row = self.cell_of(point)
            bad = index in wrong
            colour = "bold #ff7070" if bad else "bold green"
            marks[(col, row)] = ("●" if target else "○", Style.parse(colour))
            if bad and col + 1 < width:
                marks[(col + 1, row)] = ("✗", Style.parse("bold #ff7070"))
            if model.last is not None and model.last.example == index and col > 0:
                marks[(col - 1, row)] = ("▸", Style.parse("bold"))
        return marks

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if y == 0 or not hasattr(self, "_marks"):
            self._marks = self.marks()
        cols, rows = self.cell_centres()
        cell_w, cell_h = (HIGH - LOW) / max(1, width), (HIGH - LOW) / max(1, height)
        inputs = np.stack([cols, np.full_like(cols, rows[min(y, height - 1)])], axis=1)
        firing = self.model.predict(inputs)
        drawn = [" "] * width
        styles = [Style() for _ in range(width)]
        for x in range(width):
            if firing[x]:
                drawn[x], styles[x] = "·", FIRE
        for weights, bias, style in self.lines():
            totals = inputs @ weights + bias
            near = np.abs(totals) <= 0.5 * max(abs(weights[0]) * cell_w, abs(weights[1]) * cell_h)
            char = line_char(weights, cell_w, cell_h)
            for x in np.flatnonzero(near).tolist():
                drawn[x], styles[x] = char, styles[x] + style
        for (x, row), (char, style) in self._marks.items():
            if row == y:
                drawn[x], styles[x] = char, styles[x] + style
        return Strip([Segment(c, s) for c, s in zip(drawn, styles, strict=True)], width)


class PerceptronTrainer(Player, can_focus=True):
    """The keys drive a `Perceptron`; the readout shows every update with its numbers."""

    DEFAULT_CSS = """
    PerceptronTrainer { layout: horizontal; }
    PerceptronTrainer:focus { background: $boost; }
    #perceptron-readout { width: 48; height: auto; padding: 0 1; }
    """
    PLAY_S = PLAY_S
    BINDINGS = [
        Binding("a", "gate(0)", "AND", show=False),
        Binding("o", "gate(1)", "OR", show=False),
        Binding("x", "gate(2)", "XOR", show=False),
        Binding("g", "next_gate", "Gate"),
        Binding("s,full_stop", "step", "Step"),
        Binding("e", "epoch", "Epoch"),
        Binding("space", "play", "Play/pause"),
        Binding("r", "reset", "Reset"),
        Binding("h", "hidden", "Hidden layer"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = Perceptron()

    def compose(self) -> ComposeResult:
        yield PerceptronPlot(self.model, id="perceptron-plot")
        yield Static(id="perceptron-readout")

    def on_mount(self) -> None:
        self.redraw()

    @property
    def finished(self) -> bool:
        return self.model.converged_at is not None or self.model.gave_up

    def advance(self) -> None:
        self.model.step()

    def played_out(self) -> bool:
        return self.finished and self.model.presented % len(POINTS) == 0

    def replay(self) -> None:
        if self.finished:
            self.model.reset()

    # ----- keys -------------------------------------------------------------------------------
    def action_gate(self, index: int) -> None:
        self.pause()
        self.model.gate = GATE_NAMES[index]
        self.model.reset()
        self.redraw()

    def action_next_gate(self) -> None:
        self.action_gate((GATE_NAMES.index(self.model.gate) + 1) % len(GATE_NAMES))

    def action_epoch(self) -> None:
        self.pause()
        self.model.epoch()
        self.redraw()

    def action_reset(self) -> None:
        self.pause()
        self.model.reset()
        self.redraw()

    def action_hidden(self) -> None:
        self.pause()
        self.model.hidden = not self.model.hidden
        self.model.reset()
        self.redraw()

    # ----- drawing ----------------------------------------------------------------------------
    def redraw(self) -> None:
        self.query_one(PerceptronPlot).refresh()
        self.query_one("#perceptron-readout", Static).update(self.readout())

    def readout(self) -> Text:
        model = self.model
        text = Text()
        kind = "hidden layer (2-2-1)" if model.hidden else "one perceptron"
        text.append(f"{model.gate} · {kind} · rate {number(model.rate)}\n", "bold")
        if model.hidden:
            text.append("h₁ OR:  x₁ + x₂ − 0.5 > 0 (set by hand)\n", "blue")
            text.append("h₂ AND: x₁ + x₂ − 1.5 > 0 (set by hand)\n", "blue")
        a, b = ("h₁", "h₂") if model.hidden else ("x₁", "x₂")
        w1, w2 = (number(w) for w in model.weights)
        text.append(f"w = ({w1}, {w2})  b = {number(model.bias)}", "bold yellow")
        text.append(f"  on {a}, {b}\n")
        text.append(f"fires when {weighted_sum(model.weights, model.bias, (a, b))} > 0\n")
        text.append_text(self.last_update())
        shown = model.errors[-SHOWN_EPOCHS:]
        skipped = "… " if len(model.errors) > SHOWN_EPOCHS else ""
        errors = " ".join(str(e) for e in shown) or "none yet"
        text.append(f"errors per epoch: {skipped}{errors}\n")
        text.append_text(self.verdict())
        text.append(KEYS, "dim")
        return text

    def last_update(self) -> Text:
        model, text = self.model, Text()
        last = model.last
        if last is None:
            text.append("s shows the first example, (0,0)\n", "dim")
            return text
        x1, x2 = (number(v) for v in POINTS[last.example])
        seen = ",".join(number(v) for v in last.inputs)
        text.append(f"({x1},{x2})")
        if model.hidden:
            text.append(f" → h ({seen})")
        text.append(f": sum {number(last.total)} → fires {last.output}, wanted {last.target}")
        if not last.wrong:
            text.append(" ✓\n", "bold green")
            return text
        sign = "+" if last.delta_bias > 0 else "−"
        text.append(" ✗\n", "bold #ff7070")
        text.append(f"  w {sign}= {number(model.rate)}·({seen})  b {sign}= {number(model.rate)}\n")
        return text

    def verdict(self) -> Text:
        model = self.model
        if model.converged_at is not None:
            return Text(
                f"✓ epoch {model.converged_at} had no mistakes: {model.gate} learned\n",
                "bold green",
            )
        if model.gave_up:
            return Text(
                f"✗ {model.epochs} epochs, never a clean pass: no straight line "
                f"separates {model.gate}{' — try h' if not model.hidden else ''}\n",
                "bold #ff7070",
            )
        example = model.presented % len(POINTS) + 1
        playing = " · playing…" if self.playing else ""
        return Text(f"epoch {model.epochs + 1}, example {example} of 4 next{playing}\n")
