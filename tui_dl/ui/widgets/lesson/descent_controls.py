"""The keys and the read-out shared by both gradient-descent widgets.

The learner drives a `Descent` (numpy, `tui_dl.lessons.maths`) one step at a time or lets a
timer play it; the subclass only says which surface to descend and how to draw it. Up and
down change the learning rate; left and right stay free so the lesson can turn its pages.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from tui_dl.lessons.maths import Descent
from tui_dl.ui.widgets.player import Player

RATES = (0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0)
"""The learning rates up/down walk through: slow crawl at one end, divergence at the other."""
MOMENTUM = 0.9
NOISE = 3.0
"""How much a 'small batch' gradient wobbles around the true one."""
PLAY_S = 0.12
"""Seconds between steps while playing: slow enough to follow the ball."""
KEYS = "space play · s step · ↑↓ rate · m momentum · b batches · r reset · x restart"


class DescentControls(Player, can_focus=True):
    PLAY_S = PLAY_S
    BINDINGS = [
        Binding("space", "play", "Play/pause"),
        Binding("s,full_stop", "step", "Step"),
        Binding("up,plus,equals_sign", "rate(1)", "Rate up", key_display="↑"),
        Binding("down,minus", "rate(-1)", "Rate down", key_display="↓"),
        Binding("m", "momentum", "Momentum"),
        Binding("b", "noise", "Small batches"),
        Binding("r", "reset", "Reset"),
        Binding("x", "restart", "Random start"),
    ]

    def __init__(self, run: Descent, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.run = run
        self.rate_index = RATES.index(run.rate) if run.rate in RATES else 5
        self.run.rate = RATES[self.rate_index]
        self.restarts = np.random.default_rng(4)

    def compose(self) -> ComposeResult:
        yield self.make_view()
        yield Static(id="descent-readout", classes="descent-readout")

    def make_view(self) -> Widget:
        raise NotImplementedError

    def redraw(self) -> None:
        """Subclasses draw the surface and the path, then call this for the text."""
        self.query_one("#descent-readout", Static).update(self.readout())

    def on_mount(self) -> None:
        self.redraw()

    def advance(self) -> None:
        self.run.step()

    def played_out(self) -> bool:
        return self.run.done

    def replay(self) -> None:
        if self.run.done:
            self.run.reset()

    def action_rate(self, direction: int) -> None:
        self.rate_index = max(0, min(len(RATES) - 1, self.rate_index + direction))
        self.run.rate = RATES[self.rate_index]
        self.redraw()

    def action_momentum(self) -> None:
        self.run.momentum = 0.0 if self.run.momentum else MOMENTUM
        self.redraw()

    def action_noise(self) -> None:
        self.run.noise = 0.0 if self.run.noise else NOISE
        self.run.converged_at = None
        self.redraw()

    def action_reset(self) -> None:
        self.pause()
        self.run.reset()
        self.redraw()

    def action_restart(self) -> None:
        self.pause()
        self.run.reset(self.random_start(self.restarts))
        self.redraw()

    def random_start(self, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def describe_position(self) -> str:
        """Where the ball is, in the surface's own words ("x = 1.20")."""
        raise NotImplementedError

    def readout(self) -> Text:
        run = self.run
        text = Text()
        text.append(f"step {run.steps:<4}", style="bold")
        text.append(f" {self.describe_position()}  loss {short_number(run.current_loss())}")
        text.append(f"  gradient {_vector(run.current_gradient())}\n")
        text.append(f"rate {run.rate:g}", style="bold yellow")
        text.append(f"  momentum {'on' if run.momentum else 'off'}")
        text.append(f"  batches {'small (noisy)' if run.noise else 'whole data'}  ")
        text.append_text(self.verdict())
        text.append("\n" + KEYS, style="dim")
        return text

    def verdict(self) -> Text:
        run = self.run
        if run.diverged:
            return Text("diverged: rate too high (r)", style="bold red")
        if run.converged_at is not None:
            return Text(f"converged in {run.converged_at} steps", style="bold green")
        if self.playing:
            return Text("rolling…", style="cyan")
        return Text("")


def short_number(value: float) -> str:
    return f"{value:.3f}" if np.isfinite(value) and abs(value) < 1e5 else f"{value:.2g}"


def _vector(values: np.ndarray) -> str:
    parts = [short_number(float(v)) for v in np.ravel(values)]
    return parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"
