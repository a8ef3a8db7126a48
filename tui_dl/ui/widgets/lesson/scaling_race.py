"""Normalising inputs, live: the features before and after standardising, and the same
logistic regression trained by gradient descent on raw and on standardised inputs, each at the
largest learning rate it survives.

The data is the mammogram project's (age, shape, margin, density → malignant), read from the
learner's data folder; without it, or with `d`, the course's age-and-income example. Space
plays, `s` takes ten steps, `r` starts again.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import work
from textual.binding import Binding

from tui_dl.lessons.widgets.scaling import (
    Column,
    Descent,
    age_and_income,
    describe,
    largest_stable_rate,
    standardise,
)
from tui_dl.ui.render.sparkline import spark
from tui_dl.ui.widgets.offered import follow_keys
from tui_dl.ui.widgets.player import Player

KEYS = "space play · s 10 steps · r reset · d data"
STEPS_PER_TICK = 5
MAX_STEPS = 2000


def _number(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}"


class ScalingRace(Player, can_focus=True):
    DEFAULT_CSS = "ScalingRace { height: auto; padding: 0 1; }"
    BINDINGS = [
        Binding("space", "play", "Play"),
        Binding("s", "steps", "10 steps"),
        Binding("r", "reset", "Reset"),
        Binding("d", "switch_data", "Data"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mammogram: tuple[np.ndarray, np.ndarray, list[str], str] | None = None
        self.use_mammogram = True
        self.note = "reading the mammogram file…"
        self.raw: Descent | None = None
        self.scaled: Descent | None = None
        self.columns: list[Column] = []
        self.names: list[str] = []
        self.source = ""

    def on_mount(self) -> None:  # the Player's own on_mount sets its paused timer
        self.read_mammogram()

    @work(thread=True, exclusive=True, group="scaling")
    def read_mammogram(self) -> None:
        from tui_dl.analysis.mammogram import FEATURES, ProjectDataError, prepare
        from tui_dl.data.registry import DatasetUnavailable
        from tui_dl.data.sources import locate

        data_dir = getattr(self.app, "data_dir", None)
        try:
            where = locate("mammographic-masses", data_dir, allow_download=False)
            kept = prepare(where.path, where.label).kept
            assert kept is not None  # prepare() keeps the complete rows or raises
        except (DatasetUnavailable, ProjectDataError, OSError, ValueError) as exc:
            self.app.call_from_thread(self._no_mammogram, str(exc))
            return
        x = kept[FEATURES].to_numpy(dtype=float)
        y = kept["severity"].to_numpy(dtype=float)
        found = (x, y, list(FEATURES), f"the mammogram masses, {len(y)} complete rows")
        self.app.call_from_thread(self._got_mammogram, found)

    def _got_mammogram(self, found: tuple[np.ndarray, np.ndarray, list[str], str]) -> None:
        self.mammogram, self.note = found, ""
        self.action_reset()

    def _no_mammogram(self, reason: str) -> None:
        self.note = f"No mammogram file here ({reason}); the course's age-and-income example."
        self.use_mammogram = False
        self.action_reset()

    # ----- keys ---------------------------------------------------------------------------
    def action_reset(self) -> None:
        if self.use_mammogram and self.mammogram is not None:
            x, y, names, source = self.mammogram
        else:
            x, y, names = age_and_income()
            source = "age and income of 200 made-up borrowers"
        self.names, self.source = names, source
        self.columns = describe(x, names)
        z = standardise(x)
        self.raw = Descent(x, y, largest_stable_rate(x, y))
        self.scaled = Descent(z, y, largest_stable_rate(z, y))
        self.pause()
        self.refresh(layout=True)

    def action_steps(self) -> None:
        self._advance(10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """d once the mammogram file was found; r once there is a race to reset."""
        if action == "switch_data":
            return self.mammogram is not None
        if action == "reset":
            return self.playing or (self.raw is not None and len(self.raw.losses) > 1)
        return True

    def action_switch_data(self) -> None:
        if self.mammogram is None:
            self.app.bell()
            return
        self.use_mammogram = not self.use_mammogram
        self.action_reset()

    # ----- the Player's moves -------------------------------------------------------------
    def advance(self) -> None:
        self._advance(STEPS_PER_TICK)

    def played_out(self) -> bool:
        return self.raw is None or len(self.raw.losses) > MAX_STEPS

    def _advance(self, steps: int) -> None:
        if self.raw is None or self.scaled is None:
            return
        if len(self.raw.losses) > MAX_STEPS:
            self.pause()
        else:
            self.raw.step(steps)
            self.scaled.step(steps)
        self.refresh()

    # ----- drawing ------------------------------------------------------------------------
    def rows_needed(self) -> int:
        """Its lines at its width: the lesson gives it these, the text the rest."""
        width = self.size.width or self.app.size.width - 2  # not laid out yet: the screen's
        return self.get_content_height(self.size, self.size, width)

    def render(self) -> Text:
        follow_keys(self, (self.check_action("switch_data", ()), self.check_action("reset", ())))
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.raw is None or self.scaled is None:
            text.append(self.note or "…", "dim")
            return text
        text.append(f"Data: {self.source}\n", "bold")
        if self.note:
            text.append(self.note + "\n", "dim")
        text.append(f"{'feature':<9}{'mean':>9}{'std':>9}{'min':>8}{'max':>10}   scaled\n", "dim")
        for column in self.columns:
            text.append(
                f"{column.name:<9}{_number(column.mean):>9}{_number(column.std):>9}"
                f"{_number(column.low):>8}{_number(column.high):>10}   0 ± 1\n"
            )
        text.append("\nGradient descent, logistic regression, each side at the\n", "dim")
        text.append("largest learning rate it survives:\n", "dim")
        width = max(8, self.size.width - 44)
        # Drawn from just under the lowest loss either side reached: the fall is what shows.
        floor = 0.9 * min(min(self.raw.losses), min(self.scaled.losses))
        top = max(self.raw.losses[0], self.scaled.losses[0]) - floor
        for label, run, style in (("raw", self.raw, "yellow"), ("scaled", self.scaled, "cyan")):
            text.append(f"{label:<7} rate {run.rate:<8.3g} loss ")
            text.append(f"{run.losses[-1]:.3f}", "bold")
            text.append("  ")
            text.append(spark([v - floor for v in run.losses], width, top), style)
            text.append("\n")
        text.append(f"step {len(self.raw.losses) - 1}", "bold")
        text.append("  (▶ playing)" if self.playing else "", "green")
        text.append(f"\n{KEYS}", "dim")
        return text
