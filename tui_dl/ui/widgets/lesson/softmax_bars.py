"""Softmax, live: edit a classifier's raw outputs and watch the probabilities and the loss.

Everything the lesson claims can be tried here: shifting every logit by the same amount
changes nothing; huge logits break the formula as printed but not the stable one; a higher
temperature flattens the bars; a confident wrong answer costs far more than a near miss.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from tui_dl.lessons.maths import (
    cross_entropy,
    cross_entropy_from_logits,
    naive_softmax,
    one_hot,
    softmax,
)
from tui_dl.ui.widgets.offered import follow_keys

CLASSES = ("cat", "dog", "fox", "car")
START = (2.0, 1.0, 0.5, -1.0)
STEP = 0.5
SHIFT = 10.0
LARGE = 500.0
"""`L` scales the logits to about 1000, past where exp() overflows a float64 (~709)."""
TEMPERATURES = (0.25, 0.5, 1.0, 2.0, 4.0)
BAR = 30
KEYS = "↑↓ class · ←→ logit · o target · a/z shift · L ×500 · t/T temp · r reset"


def loss_figure(loss: float) -> str:
    """3 decimals, thousands grouped: 0.417, 1,500.000."""
    return f"{loss:,.3f}"


def clipped_words(true_loss: float, clipped_loss: float) -> str:
    """Said only where clipping changed the figure shown: what a clipped loss would read."""
    if loss_figure(true_loss) == loss_figure(clipped_loss):
        return ""
    return f"clipped at 1e-7 (Keras, from probabilities) it reads {loss_figure(clipped_loss)}"


class SoftmaxBars(Widget, can_focus=True):
    DEFAULT_CSS = "SoftmaxBars { height: auto; padding: 0 1; }"
    BINDINGS = [
        Binding("up,k", "select(-1)", "Class ↑", show=False),
        Binding("down,j", "select(1)", "Class ↓", show=False),
        Binding("right,plus,equals_sign", "nudge(1)", "Logit +", key_display="→"),
        Binding("left,minus", "nudge(-1)", "Logit −", key_display="←"),
        Binding("o", "target", "Target"),
        Binding("a", "shift(1)", "Shift +10"),
        Binding("z", "shift(-1)", "Shift −10"),
        Binding("L", "large", "×500"),
        Binding("t", "temperature(-1)", "Cooler"),
        Binding("T", "temperature(1)", "Hotter"),
        Binding("r", "reset", "Reset"),
    ]
    selected: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.action_reset()

    @property
    def logits(self) -> np.ndarray:
        """What the network would output: the edited values, scaled, plus the common shift."""
        return self.base * self.scale + self.shift

    @property
    def probabilities(self) -> np.ndarray:
        return softmax(self.logits, TEMPERATURES[self.temperature])

    @property
    def loss(self) -> float:
        """The true cross-entropy, from the logits (log-softmax): never clipped."""
        return cross_entropy_from_logits(
            self.logits, one_hot(self.target, len(CLASSES)), TEMPERATURES[self.temperature]
        )

    @property
    def clipped_loss(self) -> float:
        """What it comes to from probabilities clipped at 1e-7 (Keras without from_logits)."""
        return cross_entropy(self.probabilities, one_hot(self.target, len(CLASSES)))

    def at_start(self) -> bool:
        return bool(np.array_equal(self.base, START)) and (
            self.shift,
            self.scale,
            self.target,
            self.temperature,
            self.selected,
        ) == (0.0, 1.0, 0, 2, 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """o where the chosen class is not the target yet; r once something was changed."""
        if action == "target":
            return self.selected != self.target
        if action == "reset":
            return not self.at_start()
        return True

    def action_reset(self) -> None:
        self.base = np.array(START)
        self.shift, self.scale, self.target, self.temperature = 0.0, 1.0, 0, 2
        self.selected = 0
        self.refresh(layout=True)

    def action_select(self, direction: int) -> None:
        self.selected = (self.selected + direction) % len(CLASSES)

    def action_nudge(self, direction: int) -> None:
        self.base[self.selected] += direction * STEP
        self.refresh()

    def action_target(self) -> None:
        self.target = self.selected
        self.refresh()

    def action_shift(self, direction: int) -> None:
        self.shift += direction * SHIFT
        self.refresh()

    def action_large(self) -> None:
        self.scale = 1.0 if self.scale != 1.0 else LARGE
        self.refresh()

    def action_temperature(self, direction: int) -> None:
        self.temperature = max(0, min(len(TEMPERATURES) - 1, self.temperature + direction))
        self.refresh()

    def render(self) -> Text:
        follow_keys(self, (self.selected != self.target, self.at_start()))  # the footer's o, r
        logits, probs = self.logits, self.probabilities
        best = int(np.argmax(probs))
        text = Text()
        text.append(f"  {'class':<6}{'logit':>8}  {'probability':<{BAR + 9}}target\n", "dim")
        for i, name in enumerate(CLASSES):
            chosen = i == self.selected
            filled = round(float(probs[i]) * BAR)
            text.append("▶ " if chosen else "  ", "bold yellow")
            text.append(f"{name:<6}", "bold" if chosen else "")
            text.append(f"{logits[i]:>8.1f}  ", "bold yellow" if chosen else "")
            text.append("█" * filled, "green" if i == best else "blue")
            text.append("░" * (BAR - filled), "dim")
            text.append(f" {probs[i] * 100:5.1f} %  ")
            text.append("1" if i == self.target else "0", "bold" if i == self.target else "dim")
            text.append("  ← argmax" if i == best else "", "green")
            text.append("\n")
        return self._explain(text, best)

    def _explain(self, text: Text, best: int) -> Text:
        target = CLASSES[self.target]
        hot = " ".join("1" if i == self.target else "0" for i in range(len(CLASSES)))
        text.append(f"target {target} [{hot}]   ")
        text.append("cross-entropy ", "bold")
        text.append(f"−log p({target}) = {loss_figure(self.loss)}")
        text.append("  right\n" if best == self.target else "  wrong\n", "dim")
        clipped = clipped_words(self.loss, self.clipped_loss)
        if clipped:
            text.append(clipped + "\n", "yellow")
        text.append(f"temperature {TEMPERATURES[self.temperature]:g}", "bold")
        text.append(f"   probabilities add up to {self.probabilities.sum():.3f}\n")
        if self.shift:
            text.append(f"every logit shifted by {self.shift:+g}: the bars did not move\n")
        naive = naive_softmax(self.logits / TEMPERATURES[self.temperature])
        if not np.all(np.isfinite(naive)):
            text.append("as printed: exp overflows, inf/inf = nan", "red")
            text.append(" · stable: subtract the max first\n")
        text.append(KEYS, "dim")
        return text
