"""The network as the web Playground draws it: a column per layer, each neuron a picture of
its own output over the plane; the focused neuron's incoming weights with sign and size.

←→ move between layers, ↑↓ between neurons; the screen shows the focused neuron's picture
large in the boundary map. `w` walks the focused neuron's incoming weights and `e` (on the
screen) edits the chosen one. Wide terminals draw bigger pictures and every layer's weights.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui_dl.engine.playground.session import Snapshot
from tui_dl.engine.playground.state import FEATURE_LABELS, PlaygroundState
from tui_dl.ui.render.boundary import downsample, thumbnail_text, weight_style

WIDE = 70
"""From this many columns: bigger pictures and every weight."""
SMALL, LARGE = (3, 1), (8, 4)  # a neuron's picture: columns × rows of characters


class NetworkView(Widget, can_focus=True):
    DEFAULT_CSS = "NetworkView { width: 1fr; height: 1fr; }"
    BINDINGS = [
        Binding("left", "move_layer(-1)", "Layer ←", show=False),
        Binding("right", "move_layer(1)", "Layer →", show=False),
        Binding("up", "move_neuron(-1)", "Neuron ↑", show=False),
        Binding("down", "move_neuron(1)", "Neuron ↓", show=False),
        Binding("w", "next_weight", "Weight"),
    ]
    focus_layer: reactive[int] = reactive(1)  # 0: the inputs; len(shape)+1: the output
    focus_neuron: reactive[int] = reactive(0)
    focus_weight: reactive[int] = reactive(0)

    class Focused(Message):
        """The focused neuron changed (the screen redraws the big picture)."""

    def __init__(self, state: PlaygroundState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.snapshot: Snapshot | None = None

    # ----- where the focus is -------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        outputs = 1 if self.snapshot is None else self.snapshot.grid[-1].shape[-1]
        return [len(self.state.features), *self.state.networkShape, outputs]

    def clamp(self) -> None:
        sizes = self.sizes
        self.focus_layer = max(0, min(len(sizes) - 1, self.focus_layer))
        self.focus_neuron = max(0, min(sizes[self.focus_layer] - 1, self.focus_neuron))
        fan_in = sizes[self.focus_layer - 1] if self.focus_layer else 0
        self.focus_weight = max(0, min(max(fan_in - 1, 0), self.focus_weight))

    @property
    def focused(self) -> tuple[int, int]:
        return self.focus_layer, self.focus_neuron

    def action_move_layer(self, direction: int) -> None:
        self.focus_layer += direction
        self.clamp()
        self.post_message(self.Focused())

    def action_move_neuron(self, direction: int) -> None:
        self.focus_neuron += direction
        self.clamp()
        self.post_message(self.Focused())

    def action_next_weight(self) -> None:
        if self.focus_layer == 0:
            return
        fan_in = self.sizes[self.focus_layer - 1]
        self.focus_weight = (self.focus_weight + 1) % max(fan_in, 1)

    def on_focus(self) -> None:
        self.post_message(self.Focused())
        self.refresh()

    def on_blur(self) -> None:
        self.post_message(self.Focused())
        self.refresh()

    def show(self, state: PlaygroundState, snapshot: Snapshot) -> None:
        self.state, self.snapshot = state, snapshot
        self.clamp()
        self.refresh()

    def watch_focus_weight(self) -> None:
        self.refresh()

    def watch_focus_layer(self) -> None:
        self.refresh()

    def watch_focus_neuron(self) -> None:
        self.refresh()

    # ----- drawing ------------------------------------------------------------------------
    def name_of(self, layer: int, neuron: int) -> str:
        if layer == 0:
            return FEATURE_LABELS[self.state.features[neuron]]
        if layer == len(self.sizes) - 1:
            return "output" if self.sizes[-1] == 1 else f"class {neuron}"
        return f"L{layer}·{neuron + 1}"

    def render(self) -> Text:
        snap = self.snapshot
        if snap is None:
            return Text("")
        wide = self.size.width >= WIDE
        sizes = self.sizes
        cols, rows = LARGE if wide else small(len(sizes) - 2)
        pictures = [
            [
                thumbnail_text(downsample(grid[:, :, n], rows * 2, cols))
                for n in range(grid.shape[-1])
            ]
            for grid in snap.grid
        ]
        cell = cols + (2 if wide else 1)
        text = Text(no_wrap=True, overflow="crop")
        label = Text()
        for layer in range(len(sizes)):
            head = "in" if layer == 0 else ("out" if layer == len(sizes) - 1 else f"L{layer}")
            label.append(f"{head:^{cell}}", "bold" if layer == self.focus_layer else "dim")
        text.append_text(label)
        for n in range(max(sizes)):
            for line in range(rows):
                text.append("\n")
                for layer in range(len(sizes)):
                    if n >= sizes[layer]:
                        text.append(" " * cell)
                        continue
                    here = (layer, n) == self.focused and self.has_focus
                    if layer == 0 and not wide and line == 0:
                        name = FEATURE_LABELS[self.state.features[n]]
                        picture = Text(f"{name:<{cols}}"[:cols])
                    else:
                        picture = pictures[layer][n].split()[line]
                    if wide:
                        text.append("[" if here and line == 0 else " ", "bold")
                    text.append_text(picture)
                    text.append("◂" if here and line == 0 else " ", "bold")
        text.append("\n")
        text.append_text(self.weights_text(wide))
        return self._fitted(text)

    def _fitted(self, text: Text) -> Text:
        """As many lines as the widget has rows: past them, a line says how many more (a
        6-layer network's weights at 80×24), instead of lines hidden under the border."""
        lines = text.split("\n", allow_blank=True)
        rows = self.size.height
        if not rows or len(lines) <= rows:
            return text
        kept = Text("\n").join(lines[: rows - 1])
        kept.append(f"\n… {len(lines) - rows + 1} more lines", "dim")
        return kept

    @staticmethod
    def columns_needed(layers: int) -> int:
        """The columns a network of `layers` hidden layers takes, drawn small (and its
        inputs' and output's columns)."""
        return (small(layers)[0] + 1) * (layers + 2)

    def weights_text(self, wide: bool) -> Text:
        """The focused neuron: its bias and incoming weights; wide, every layer's weights."""
        snap = self.snapshot
        assert snap is not None
        layer, n = self.focused
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"\n{self.name_of(layer, n)}", "bold")
        if layer == 0:
            text.append("  an input: space in the controls turns it on or off", "dim")
            return text
        w, b = snap.weights[layer - 1], snap.biases[layer - 1]
        activation = self.activation_of(layer)
        text.append(f"  {activation}" + ("  bias " if wide else "\nbias "))
        text.append(f"{b[n]:+.3f}", weight_style(float(b[n])))
        if layer <= len(self.state.networkShape):
            rate = self.state.layer_dropout()[layer - 1]
            if rate:
                text.append(f"  dropout {rate:g}")
        for j in range(w.shape[0]):
            chosen = j == self.focus_weight and self.has_focus
            text.append("\n▸ " if chosen else "\n  ", "bold")
            source = self.name_of(layer - 1, j)
            value = float(w[j, n])
            text.append(f"{source:<7} ")
            text.append(f"{value:+7.3f} ", weight_style(value))
            text.append("█" * min(12, int(round(abs(value) * 4))), weight_style(value))
        confusion = snap.metrics.confusion
        if not wide and confusion is not None:  # wide, it is under the losses
            text.append("\n\ntest points: true ↓ predicted →", "dim")
            for k, row in enumerate(confusion):
                text.append(f"\n {k}: " + " ".join(f"{int(v):>4}" for v in row))
        if wide:
            text.append("\n\nevery weight (rows: from, columns: to)", "dim")
            for index, matrix in enumerate(snap.weights, start=1):
                text.append(f"\n{self.name_of(index - 1, 0)[:2]}→L{index}", "dim")
                for row in matrix:
                    text.append("\n ")
                    for value in row:
                        text.append(f"{value:+6.2f}", weight_style(float(value)))
        return text

    def activation_of(self, layer: int) -> str:
        if layer > len(self.state.networkShape):
            loss = self.state.output_loss
            return "softmax" if loss == "xent" else ("linear" if self.state.regression else "tanh")
        return self.state.layer_activations()[layer - 1]

    def neuron_grid(self) -> np.ndarray | None:
        """The focused neuron's output over the plane (for the big picture), if focused."""
        if self.snapshot is None or not self.has_focus:
            return None
        layer, n = self.focused
        grid = self.snapshot.grid[layer]
        return grid[:, :, n] if n < grid.shape[-1] else None


def small(layers: int) -> tuple[int, int]:
    """A neuron's picture on a small terminal: narrower from five hidden layers on, so six
    fit beside the map at 80 columns."""
    return SMALL if layers < 5 else (SMALL[0] - 1, SMALL[1])
