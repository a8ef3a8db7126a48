"""A tiny RNN read step by step, then the gradient flowing back through time, tanh vs LSTM.

Time runs left to right, one column per step. First the cell reads x_1 … x_T and its state
fills in (each unit's value as a signed digit: +7 is 0.7); then the gradient ‖∂h_T/∂h_t‖
travels back from t = T, drawn as bars on a log scale. A plain tanh cell's bars shrink
geometrically to the left; an LSTM whose forget gate stays open keeps them tall.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.binding import Binding

from tui_dl.lessons.widgets.recurrent import (
    CELLS,
    FORGET_BIASES,
    LENGTHS,
    SCALES,
    Cell,
    Unrolled,
    sequence,
)
from tui_dl.ui.render.digits import colour_allowed
from tui_dl.ui.widgets.player import Player

LOG_LOW, LOG_HIGH = -6.0, 1.0
"""The bars' log10 range: 1e−6 (an empty bar) to 10 (a full one)."""
BLOCKS = " ▁▂▃▄▅▆▇█"
LABEL = 7
"""Columns for the row names on the left."""
PLAY_S = 0.15
NAMES = {"tanh": "plain tanh cell", "lstm": "LSTM"}
KEYS = "space play · s step · c cell · ↑↓ W scale · [ ] T · f gate · x new x · r reset"
POSITIVE, NEGATIVE = (230, 120, 30), (40, 110, 230)
BAR_COLOURS = {"tanh": "rgb(120,170,255)", "lstm": "rgb(255,170,60)"}


class RecurrentGradients(Player, can_focus=True):
    DEFAULT_CSS = "RecurrentGradients { height: 1fr; padding: 0 1; }"
    PLAY_S = PLAY_S
    BINDINGS = [
        Binding("space", "play", "Play/pause"),
        Binding("s,full_stop", "step", "Step"),
        Binding("c", "cell", "Cell"),
        Binding("up,k", "scale(1)", "W scale up", key_display="↑", show=False),
        Binding("down,j", "scale(-1)", "W scale down", key_display="↓", show=False),
        Binding("right_square_bracket", "length(1)", "Longer", show=False),
        Binding("left_square_bracket", "length(-1)", "Shorter", show=False),
        Binding("f", "forget", "Forget bias", show=False),
        Binding("x", "inputs", "New inputs", show=False),
        Binding("r", "reset", "Reset", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cell_index = self.scale_index = self.length_index = self.forget_index = 0
        self.seed = self.shown = 0
        self.action_reset()

    # ----- the model -----------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return CELLS[self.cell_index]

    @property
    def length(self) -> int:
        return LENGTHS[self.length_index]

    def unrolled(self, kind: str) -> Unrolled:
        cell = Cell(kind, SCALES[self.scale_index], FORGET_BIASES[self.forget_index])
        return Unrolled(cell, sequence(self.length, self.seed))

    def _rebuild(self) -> None:
        self.run = self.unrolled(self.kind)
        self.norms = self.run.gradient_norms()
        other = "lstm" if self.kind == "tanh" else "tanh"
        self.other_first = float(self.unrolled(other).gradient_norms()[0])
        self.shown = min(self.shown, 2 * self.length) if self.shown else 2 * self.length
        self.refresh()

    @property
    def total(self) -> int:
        """Steps of the animation: T forward (reading), then T backward (the gradient)."""
        return 2 * self.length

    # ----- keys ----------------------------------------------------------------------------
    def advance(self) -> None:
        self.shown = min(self.total, self.shown + 1)

    def played_out(self) -> bool:
        return self.shown >= self.total

    def replay(self) -> None:
        if self.shown >= self.total:
            self.shown = 0

    def action_step(self) -> None:
        """One step on; from the end, the first step again."""
        self.pause()
        self.shown = 1 if self.shown >= self.total else self.shown + 1
        self.refresh()

    def action_cell(self) -> None:
        self.cell_index = (self.cell_index + 1) % len(CELLS)
        self._rebuild()

    def action_scale(self, direction: int) -> None:
        self.scale_index = max(0, min(len(SCALES) - 1, self.scale_index + direction))
        self._rebuild()

    def action_length(self, direction: int) -> None:
        self.length_index = max(0, min(len(LENGTHS) - 1, self.length_index + direction))
        self.shown = 2 * self.length
        self._rebuild()

    def action_forget(self) -> None:
        self.forget_index = (self.forget_index + 1) % len(FORGET_BIASES)
        self._rebuild()

    def action_inputs(self) -> None:
        self.seed += 1
        self._rebuild()

    def action_reset(self) -> None:
        self.pause()
        self.cell_index, self.scale_index = 0, SCALES.index(0.8)
        self.length_index, self.forget_index = LENGTHS.index(20), FORGET_BIASES.index(3.0)
        self.seed, self.shown = 0, 0
        self._rebuild()

    # ----- drawing -------------------------------------------------------------------------
    def render(self) -> Text:
        width, height = self.size
        colour = colour_allowed()
        T = self.length
        step_width = 3 if LABEL + 3 * T <= width else 2
        extra = height >= 15
        bars = max(2, min(16, height - 9 - (1 if extra else 0)))
        read = min(self.shown, T)
        back = max(0, self.shown - T)
        lines = [self._title(read, back)]
        if extra:
            lines.append(self._row("t", [str(t) for t in range(1, T + 1)], step_width))
        lines.append(self._values("x_t", self.run.inputs, T, step_width, colour))
        hidden = self.run.hidden()
        for unit in range(hidden.shape[1]):
            lines.append(self._values(f"h{unit + 1}", hidden[:, unit], read, step_width, colour))
        lines.append(self._gate_row(read, step_width, colour))
        lines += self._bars(back, bars, step_width, colour)
        lines.append(self._summary(back))
        lines.append(Text(KEYS, "dim"))
        text = Text("\n").join(lines)
        text.no_wrap, text.overflow = True, "crop"
        return text

    def _title(self, read: int, back: int) -> Text:
        text = Text()
        text.append(NAMES[self.kind], "bold")
        text.append(f" · W scale {SCALES[self.scale_index]:g}")
        if self.kind == "lstm":
            text.append(f" · forget bias {FORGET_BIASES[self.forget_index]:g}")
        text.append(f" · T {self.length} · ")
        if back:
            text.append(f"backward: reached t = {self.length - back + 1}", "cyan")
        elif read < self.length:
            text.append(f"forward: read x_{read}" if read else "space plays", "cyan")
        else:
            text.append("forward done, s: backward", "cyan")
        return text

    def _row(self, label: str, cells: list[str], step_width: int) -> Text:
        return Text(f"{label:<{LABEL}}" + "".join(f"{c:>{step_width}}" for c in cells), "dim")

    def _values(self, label, values, shown: int, step_width: int, colour: bool) -> Text:
        """Signed values −1 … 1 as a sign and a digit (+7 = 0.7), shaded by size and sign."""
        text = Text()
        text.append(f"{label:<{LABEL}}", "bold")
        for t, value in enumerate(values):
            if t >= shown:
                text.append(f"{'·':>{step_width}}", "dim")
                continue
            digit = min(9, int(abs(value) * 10))
            cell = f"{'+' if value >= 0 else '-'}{digit}"
            style = Style()
            if colour:
                base = POSITIVE if value >= 0 else NEGATIVE
                level = min(1.0, abs(float(value)))
                bg = Color.from_rgb(*(int(20 + level * (c - 20)) for c in base))
                style = Style(bgcolor=bg, color="white")
            text.append(" " * (step_width - 2))
            text.append(cell, style)
        return text

    def _gate_row(self, shown: int, step_width: int, colour: bool) -> Text:
        """LSTM: the mean forget gate per step (95 = 0.95 of the memory kept). tanh: the mean
        of 1 − h², tanh's slope, which multiplies the gradient at every step back."""
        if self.kind == "lstm":
            label, values = "f_t %", self.run.forget_gates()
        else:
            label, values = "1−h² %", 1.0 - self.run.hidden() ** 2
            values = values.mean(axis=1)
        assert values is not None
        text = Text()
        text.append(f"{label:<{LABEL}}", "bold")
        for t, value in enumerate(values):
            if t >= shown:
                text.append(f"{'·':>{step_width}}", "dim")
                continue
            cell = f"{min(99, int(value * 100)):>{step_width}}"
            text.append(cell, "green" if colour and value > 0.9 else "")
        return text

    def _bars(self, back: int, rows: int, step_width: int, colour: bool) -> list[Text]:
        """‖∂h_T/∂h_t‖ for the steps the backward pass has reached, bottom-up, log scale."""
        T = self.length
        levels = np.clip((np.log10(np.maximum(self.norms, 1e-300)) - LOG_LOW), 0, None)
        eighths = np.round(levels / (LOG_HIGH - LOG_LOW) * rows * 8).astype(int)
        style = BAR_COLOURS[self.kind] if colour else ""
        lines = []
        one = int(-LOG_LOW / (LOG_HIGH - LOG_LOW) * rows)
        """The row a bar of height 1 (10⁰) ends in."""
        for row in range(rows - 1, -1, -1):
            label = {rows - 1: f"1e{LOG_HIGH:+.0f}", 0: f"1e{LOG_LOW:+.0f}"}.get(row, "")
            if rows >= 5 and row == one:
                label = "1 ─"
            text = Text()
            text.append(f"{label:<{LABEL}}", "dim")
            for t in range(T):
                if t < T - back:
                    text.append(" " * step_width)
                    continue
                fill = int(np.clip(eighths[t] - row * 8, 0, 8))
                text.append(" " * (step_width - 2 + 1) + BLOCKS[fill], style)
            lines.append(text)
        return lines

    def _summary(self, back: int) -> Text:
        text = Text()
        text.append("‖∂h_T/∂h_t‖", "bold")
        if back < self.length:
            text.append(" (log scale) fills in from t = T, right to left")
            return text
        other = "LSTM" if self.kind == "tanh" else "tanh"
        text.append(f" at t = 1: {self.norms[0]:.1e}")
        text.append(f" (the {other}: {self.other_first:.1e})", "dim")
        text.append(f" · at t = T−1: {self.norms[-2]:.2f}" if self.length > 1 else "")
        return text
