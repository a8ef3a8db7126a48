"""Backpropagation one node at a time on a 2-2-1 network, each gradient beside its check.

Left: the nodes — each one's sum z and output a on the way forward, then ∂L/∂a and
δ = ∂L/∂z on the way back — and the formula of the node being worked on, with its numbers.
Right: the nine edges (and biases) — weight, the chain rule's gradient, and the finite
difference that checks it without calculus. A value not yet computed shows as `·`; the node
and the edges of the current step are marked ▶. The maths is `tui_dl.lessons.widgets.backprop`.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from tui_dl.lessons.widgets.backprop import (
    PARAMETERS,
    STAGES,
    START,
    agrees,
    backward,
    finite_difference,
    forward,
    random_problem,
    update,
)
from tui_dl.ui.widgets.offered import follow_keys

RATE = 1.0
KEYS = "→/space next · ← back · r first step · u update · x new example"
NOT_YET = "·"
RULES = """the chain rule on this network
  forward  z = Σ weight × input + bias   a = σ(z)   L = ½(ŷ − t)²
  output   ∂L/∂ŷ = ŷ − t                 δ = ∂L/∂ŷ · ŷ(1 − ŷ)
  hidden   ∂L/∂hⱼ = δ of ŷ × vⱼ          δⱼ = ∂L/∂hⱼ · hⱼ(1 − hⱼ)
  edges    ∂L/∂w = δ of the node it enters × its input (1 for a bias)
  check    finite Δ = (L(w + ε) − L(w − ε)) / 2ε, ε = 0.00001
  update   w ← w − rate × ∂L/∂w, every parameter at once"""
ROOM_FOR_RULES = 22
"""Rows from which the rules fit below the tables and above the keys."""
STAGE_KEYS = tuple(key for key, _ in STAGES)
EDGES_AT = {"back-out": (6, 7, 8), "back-h1": (0, 1, 2), "back-h2": (3, 4, 5)}
"""Which parameters' gradients each backward step computes."""


def signed(value: float, width: int = 8, digits: int = 4) -> str:
    return f"{value:+.{digits}f}".replace("-", "−").rjust(width)


class BackpropSteps(Widget, can_focus=True):
    DEFAULT_CSS = """
    BackpropSteps:focus { background: $boost; }
    #backprop-top { height: auto; }
    #backprop-nodes { width: 42; height: auto; padding: 0 1; }
    #backprop-edges { width: 38; height: auto; padding: 0 1; }
    #backprop-rules { height: auto; padding: 1 1 0 1; color: $text-muted; }
    #backprop-hint { dock: bottom; height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("right,space,s", "move(1)", "Next step", key_display="→"),
        Binding("left,b", "move(-1)", "Back", key_display="←"),
        Binding("r", "first", "First step"),
        Binding("u", "update", "Update"),
        Binding("x", "new", "New example"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rng = np.random.default_rng(35)
        self.stage = 0
        self.updates = 0
        self.last_update: tuple[float, float] | None = None
        params, x, target = START
        self.load(params.copy(), x.copy(), target)

    def load(self, params: np.ndarray, x: np.ndarray, target: float) -> None:
        """A network and an example: both passes and the finite differences, worked out now;
        the steps only reveal them."""
        self.params, self.x, self.target = params, x, target
        self.fwd = forward(params, x, target)
        self.bwd = backward(params, self.fwd)
        self.numeric = finite_difference(params, x, target)

    def compose(self) -> ComposeResult:
        with Horizontal(id="backprop-top"):
            yield Static(id="backprop-nodes")
            yield Static(id="backprop-edges")
        yield Static(RULES, id="backprop-rules")
        yield Static(KEYS, id="backprop-hint")

    def start_with(self, words: tuple[str, ...]) -> None:
        """A page's start (`@widget backprop loss`): the walk already at that step."""
        if len(words) != 1 or words[0] not in STAGE_KEYS:
            raise ValueError(f"backprop starts at one step: {', '.join(STAGE_KEYS)}")
        self.stage = STAGE_KEYS.index(words[0])

    def on_mount(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        """The rules of the whole walk, where there is room for them below the tables."""
        self.query_one("#backprop-rules").display = self.size.height >= ROOM_FOR_RULES

    def pause(self) -> None:
        """Nothing plays here; the lesson screen calls this on every widget."""

    @property
    def key(self) -> str:
        return STAGE_KEYS[self.stage]

    def reached(self, key: str) -> bool:
        return self.stage >= STAGE_KEYS.index(key)

    # ----- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":
            return 0 <= self.stage + int(str(parameters[0])) < len(STAGES)
        if action == "first":
            return self.stage > 0
        return True

    def action_move(self, step: int) -> None:
        self.stage = max(0, min(len(STAGES) - 1, self.stage + step))
        self.redraw()

    def action_first(self) -> None:
        self.stage = 0
        self.redraw()

    def action_update(self) -> None:
        """One step of gradient descent on this example; then its forward pass from the top."""
        before = self.fwd.loss
        self.load(update(self.params, self.bwd.gradient, RATE), self.x, self.target)
        self.last_update = (before, self.fwd.loss)
        self.updates += 1
        self.stage = 0
        self.redraw()

    def action_new(self) -> None:
        self.load(*random_problem(self.rng))
        self.stage, self.updates, self.last_update = 0, 0, None
        self.redraw()

    # ----- drawing ----------------------------------------------------------------------------
    def redraw(self) -> None:
        follow_keys(self, self.stage)  # → at the last step, ← and r at the first: not offered
        self.query_one("#backprop-nodes", Static).update(self.nodes())
        self.query_one("#backprop-edges", Static).update(self.edges())

    def nodes(self) -> Text:
        fwd, bwd = self.fwd, self.bwd
        text = Text()
        text.append(f"  {'node':<4}{'z':>7}{'a':>7}{'∂L/∂a':>8}{'δ':>8}\n", "dim")
        x1, x2 = (short(v) for v in self.x)
        text.append("▶ " if self.key == "inputs" else "  ", "bold yellow")
        text.append(f"x₁ = {x1}, x₂ = {x2}, target t = {self.target:g}\n")
        rows = (
            ("h1", "back-h1", "h₁", fwd.z_hidden[0], fwd.hidden[0], bwd.d_hidden[0],
             bwd.delta_hidden[0]),
            ("h2", "back-h2", "h₂", fwd.z_hidden[1], fwd.hidden[1], bwd.d_hidden[1],
             bwd.delta_hidden[1]),
            ("out", "back-out", "ŷ", fwd.z_out, fwd.out, bwd.d_out, bwd.delta_out),
        )  # fmt: skip
        for ahead, back, name, z, a, d_a, delta in rows:
            current = self.key in (ahead, back)
            text.append("▶ " if current else "  ", "bold yellow")
            text.append(f"{name:<4}", "bold" if current else "")
            for value, shown, width in ((z, ahead, 7), (a, ahead, 7), (d_a, back, 8),
                                        (delta, back, 8)):  # fmt: skip
                ready = self.reached(shown)
                text.append(signed(value, width, 3) if ready else NOT_YET.rjust(width))
            text.append("\n")
        text.append("▶ " if self.key == "loss" else "  ", "bold yellow")
        loss = f"{dec(fwd.loss)}" if self.reached("loss") else NOT_YET
        text.append(f"L = ½(ŷ − t)² = {loss}\n")
        index = STAGE_KEYS.index(self.key)
        text.append(f"step {index + 1}/{len(STAGES)}, {STAGES[index][1]}\n", "bold")
        text.append("\n".join(self.explain()))
        return text

    def explain(self) -> list[str]:
        """The current step's formulas, with its numbers (lines of at most 40 characters)."""
        fwd, bwd, key = self.fwd, self.bwd, self.key
        if key == "inputs":
            return ["the inputs go in; t is the answer wanted", "→ next: h₁'s sum and output"]
        if key in ("h1", "h2"):
            j = 0 if key == "h1" else 1
            w1, w2, b = self.params[3 * j : 3 * j + 3]
            return [
                f"z = {terms((w1, w2, b), ('x₁', 'x₂', ''))} = {dec(fwd.z_hidden[j], 3)}",
                f"a = σ(z) = 1/(1 + e^−z) = {dec(fwd.hidden[j], 3)}",
            ]
        if key == "out":
            return [
                f"z = {terms(self.params[6:], ('h₁', 'h₂', ''))} = {dec(fwd.z_out, 3)}",
                f"ŷ = σ(z) = {dec(fwd.out, 3)}",
            ]
        if key == "loss":
            return [
                f"L = ½({dec(fwd.out, 3)} − {self.target:g})² = {dec(fwd.loss)}",
                "→ next: backwards, from the loss",
            ]
        if key == "back-out":
            return [
                f"∂L/∂ŷ = ŷ − t = {dec(bwd.d_out)}",
                f"δ = ∂L/∂ŷ · ŷ(1 − ŷ) = {dec(bwd.delta_out)}",
                "each edge in: δ × its input (h, or 1)",
            ]
        j = 0 if key == "back-h1" else 1
        name = ("h₁", "h₂")[j]
        return [
            f"∂L/∂{name} = δŷ·v = {dec(bwd.delta_out)}×{short(self.params[6 + j])}"
            f" = {dec(bwd.d_hidden[j])}",
            f"δ = ∂L/∂{name} · {name}(1 − {name}) = {dec(bwd.delta_hidden[j])}",
            "each edge in: δ × its input (x, or 1)",
        ]

    def status(self) -> Text:
        if not self.last_update:
            return Text(f"u: each w −= {RATE:g}·∂L/∂w", "dim")
        before, after = self.last_update
        lower = after < before
        text = Text(f"update {self.updates}: ", "bold")
        text.append(f"L {dec(before)} → {dec(after)}", "green" if lower else "#ff7070")
        text.append(" ✓" if lower else " ✗", "green" if lower else "bold #ff7070")
        return text

    def edges(self) -> Text:
        text = Text()
        text.append(f"  {'edge':<6}{'w':>6}{'∂L/∂w':>9}{'finite Δ':>10}\n", "dim")
        current = EDGES_AT.get(self.key, ())
        done = {i for key, edges in EDGES_AT.items() if self.reached(key) for i in edges}
        for i, name in enumerate(PARAMETERS):
            text.append("▶ " if i in current else "  ", "bold yellow")
            text.append(f"{name:<6}", "bold" if i in current else "")
            text.append(signed(self.params[i], 6, 2))
            if i not in done:
                text.append(f"{NOT_YET:>9}{NOT_YET:>10}\n")
                continue
            analytic, numeric = float(self.bwd.gradient[i]), float(self.numeric[i])
            ok = agrees(analytic, numeric)
            text.append(signed(analytic, 9))
            text.append(signed(numeric, 10))
            text.append(" ✓\n" if ok else " ✗\n", "green" if ok else "bold #ff7070")
        text.append_text(self.status())
        return text


def dec(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}f}".replace("-", "−")


def short(value: float) -> str:
    """0.5, −0.3, 0.523: at most three significant digits, a real minus sign."""
    return f"{value:.3g}".replace("-", "−")


def terms(values, names: tuple[str, str, str]) -> str:
    """'0.5·x₁ − 0.3·x₂ + 0.1': a weighted sum written out."""
    text = ""
    for value, name in zip(values, names, strict=True):
        part = f"{short(abs(value))}{'·' + name if name else ''}"
        if not text:
            text = ("−" if value < 0 else "") + part
        else:
            text += f" {'−' if value < 0 else '+'} {part}"
    return text
