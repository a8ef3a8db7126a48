"""A decision threshold the arrow keys move, and what each setting costs in people."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from tui_dl.analysis.kfold import threshold_counts

STEP = 0.05
WIDTH = 40


class ThresholdSlider(Widget, can_focus=True):
    """Above the threshold a mass is called malignant (biopsy); below it, benign (sent home)."""

    DEFAULT_CSS = """
    ThresholdSlider { height: auto; padding: 0 1; }
    ThresholdSlider:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Lower", show=True),
        Binding("right", "move(1)", "Higher", show=True),
        Binding("home", "reset", "0.5", show=False),
    ]

    threshold: reactive[float] = reactive(0.5)

    def __init__(self, y: np.ndarray, probabilities: np.ndarray, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.y, self.probabilities = y, probabilities

    def action_move(self, steps: int) -> None:
        self.threshold = float(np.clip(round(self.threshold + steps * STEP, 2), 0.0, 1.0))

    def action_reset(self) -> None:
        self.threshold = 0.5

    def render(self) -> Text:
        c = threshold_counts(self.y, self.probabilities, self.threshold)
        position = int(round(self.threshold * WIDTH))
        text = Text("benign ")
        text.append("─" * position, style="green")
        text.append("●", style="bold")
        text.append("─" * (WIDTH - position), style="red")
        text.append(f" malignant    threshold {self.threshold:.2f}\n\n")
        total_malignant, total_benign = c["tp"] + c["fn"], c["tn"] + c["fp"]
        text.append(
            f"  missed cancers (false negatives)      {c['fn']:>4} of {total_malignant}",
            style="bold red" if c["fn"] else "",
        )
        text.append(f"   sensitivity {c['sensitivity'] * 100:5.1f} %\n")
        text.append(
            f"  unnecessary biopsies (false positives) {c['fp']:>4} of {total_benign}",
            style="bold yellow" if c["fp"] else "",
        )
        text.append(f"   specificity {c['specificity'] * 100:5.1f} %\n")
        text.append(
            f"  accuracy {c['accuracy'] * 100:.1f} %  ·  ←/→ moves the threshold by {STEP:.2f}",
            style="dim",
        )
        return text
