"""The learning-rate finder (issue 27 §3, as fast.ai's `lr_find`): the lab's model with its
settings trained for one short pass while the rate rises from 1e-7 to 10, the loss against
the rate plotted, and a suggested rate that enter takes into the lab's form.

The pass is the engine's "lr-find" job in a child process (TensorFlow never enters the app):
its steps are said here as they come and their points drawn on the curve as the pass goes;
its result, with the suggestion, is read from its folder when it ends.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.analysis.lrfind import END, START, LrFindResult, how_chosen, load_result, rate_text
from tui_dl.engine.events import Event
from tui_dl.engine.tf_start import STARTING
from tui_dl.text import sentence
from tui_dl.ui.screens.app_screen import SCREENS_CSS, AppScreen
from tui_dl.ui.screens.lr_find.plot import LEGEND, LOWEST, SUGGESTED, LrPlot
from tui_dl.ui.widgets.keys_footer import KeysFooter

Take = Callable[[float], None]
"""What enter does with the suggested rate (the lab puts it into its form)."""


class LrFindScreen(AppScreen):
    CSS_PATH = [SCREENS_CSS, "lr_find.tcss"]
    BINDINGS = [
        Binding("enter", "take", "Use this rate"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        experiment: str,
        params: dict[str, Any],
        device: str = "cpu",
        take: Take | None = None,
        folder: Path | None = None,
    ) -> None:
        """Start a finder on `experiment` with `params`; or, given a finder's `folder`, show
        what it found."""
        super().__init__()
        self.experiment = experiment
        self.params = params
        self.device = device
        self.take = take
        self.folder = folder
        self.result: LrFindResult | None = None
        self.running = False
        self.rates: list[float] = []
        self.smoothed: list[float] = []
        """The points the pass has reported so far (each step's rate and smoothed loss)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text(
                f"One short pass of {self.experiment} with your settings, the learning rate "
                f"rising from {rate_text(START)} to {rate_text(END)} step by step: where the "
                "loss falls fastest is a rate that learns; where it blows up, one too high."
            ),
            id="lr-about",
        )
        yield Static(Text("Starting…"), id="lr-progress")
        yield LrPlot(id="lr-plot")
        yield Static("", id="lr-how")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl learning-rate finder"
        self.sub_title = self.experiment
        if self.folder is not None:
            self.read_result(self.folder)
        else:
            self.running = True
            self.start()

    def say(self, words: str) -> None:
        self.query_one("#lr-progress", Static).update(Text(words))

    @work(thread=True, exit_on_error=False, group="lr-find")
    def start(self) -> None:
        """Off the screen's thread: the launch makes a folder and a process."""
        try:
            folder = self.app.source.start_lr_find(self.experiment, self.params, self.device)
        except (OSError, ValueError) as exc:
            self.from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self.follow, folder)

    def follow(self, folder: Path) -> None:
        self.folder = folder
        if not self.is_attached:  # left while it was starting: nobody will read it
            self.app.source.stop_lr_find(folder)
            return
        reader = self.app.source.job_reader(folder)

        def poll() -> None:
            drawn = len(self.rates)
            for event in reader.read_new():
                kind = event.get("event")
                if kind == Event.PHASE and event.get("phase") == STARTING:
                    self.say("Starting TensorFlow in a child process…")
                elif kind == Event.PHASE:
                    self.say(sentence(str(event.get("phase", ""))) + "…")
                    self.add_points(event.get("points") or [])
                elif kind == Event.FINISHED:
                    timer.stop()
                    self.read_result(folder)
                elif kind == Event.FAILED:
                    timer.stop()
                    self.failed(str(event.get("message", "the finder failed")))
            if self.running and len(self.rates) > drawn:  # new points: the curve so far
                self.query_one(LrPlot).draw(self.rates, self.smoothed, live=True)

        timer = self.set_interval(0.2, poll)

    def add_points(self, points: list) -> None:
        """A report's steps ([rate, loss, smoothed] each), those that are numbers kept."""
        for point in points:
            if (
                isinstance(point, list)
                and len(point) == 3
                and all(isinstance(v, int | float) and math.isfinite(v) for v in point)
                and point[0] > 0
            ):
                self.rates.append(float(point[0]))
                self.smoothed.append(float(point[2]))

    def failed(self, message: str) -> None:
        self.running = False
        self.say(f"The finder stopped: {message}")
        self.refresh_bindings()

    @work(thread=True, exit_on_error=False, group="lr-find")
    def read_result(self, folder: Path) -> None:
        try:
            result = load_result(folder)
        except (OSError, UnreadableArtifact) as exc:
            self.from_thread(self.failed, f"its result cannot be read ({exc})")
            return
        self.from_thread(self.show, result)

    def show(self, result: LrFindResult) -> None:
        self.running = False
        self.result = result
        n, steps = len(result["rates"]), result["steps"]
        stopped = (
            f"stopped after {n} of {steps} steps when the loss blew up"
            if result["stopped"] == "diverged"
            else f"{n} steps"
        )
        last = f", up to {rate_text(result['rates'][-1])}" if n else ""
        self.say(f"Done: {stopped}{last}.")
        self.query_one(LrPlot).show(result)
        how = Text(how_chosen(result))
        if result["suggestion"] is not None:
            how.append("\n│ ", style=LEGEND[SUGGESTED]).append("suggested  ")
            how.append("│ ", style=LEGEND[LOWEST]).append("lowest loss  ")
            how.append("enter puts the suggestion in the lab's form", style="bold")
        self.query_one("#lr-how", Static).update(how)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take":
            return self.take is not None and self.suggested is not None
        return True

    @property
    def suggested(self) -> float | None:
        s = self.result["suggestion"] if self.result is not None else None
        return None if s is None else float(f"{s['rate']:.2g}")

    def action_take(self) -> None:
        rate = self.suggested
        if rate is None or self.take is None:
            return
        self.take(rate)
        self.app.pop_screen()

    def action_back(self) -> None:
        if self.running and self.folder is not None:
            self.app.source.stop_lr_find(self.folder)
        self.app.pop_screen()
