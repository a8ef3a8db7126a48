"""Where a run is: its phase, a progress bar, epoch, samples/s and time left."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from tui_dl.engine.events import Event
from tui_dl.engine.tf_start import STARTING
from tui_dl.text import duration, sentence
from tui_dl.ui.tf_start import WAITING


class RunProgress(Vertical):
    DEFAULT_CSS = """
    RunProgress { height: auto; }
    RunProgress #phase { height: auto; max-height: 2; }
    RunProgress ProgressBar { height: 1; }
    RunProgress #stats { height: auto; max-height: 2; color: $text-muted; }
    """

    starting = WAITING
    """What "starting TensorFlow" is said as: with how long it usually takes here, once the
    screen has measured it (ui/tf_start.py)."""

    def compose(self) -> ComposeResult:
        yield Static("No run yet.", id="phase")
        yield ProgressBar(total=None, show_eta=False, id="bar")
        yield Static("", id="stats")

    def on_mount(self) -> None:
        self.reset()

    def reset(self, phase: str = "No run yet.") -> None:
        """Idle: no bar at all (an empty one would pulse, and promise something)."""
        self.query_one("#phase", Static).update(Text(phase))
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = phase != "No run yet."
        self.query_one("#stats", Static).update("")

    def set_starting(self, words: str) -> None:
        """The measured words for the start, shown at once if the start is on screen."""
        phase = self.query_one("#phase", Static)
        if str(phase.content) == self.starting:
            phase.update(Text(words))
        self.starting = words

    def apply(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        phase = self.query_one("#phase", Static)
        bar = self.query_one("#bar", ProgressBar)
        stats = self.query_one("#stats", Static)
        if kind in (Event.PHASE, Event.FINISHED, Event.FAILED, Event.CANCELLED):
            stats.update("")  # the speed and ETA were the training's: not after it
        if kind == Event.PHASE:
            starting = event["phase"] == STARTING
            words = self.starting if starting else sentence(event["phase"]) + "…"
            phase.update(Text(words))  # the run folder's words
            if event["phase"] == "training":
                bar.update(total=event["epochs"] * event["steps"], progress=0)
        elif kind == Event.PROGRESS:
            done = (event["epoch"] - 1) * event["steps"] + event["batch"]
            if bar.total is None:
                bar.update(total=event["epochs"] * event["steps"])
            bar.update(progress=done)
            phase.update(
                Text(
                    f"Training — epoch {event['epoch']} of {event['epochs']}, "
                    f"batch {event['batch']}/{event['steps']}"
                )
            )
            stats.update(
                Text(
                    f"{event['samples_per_s']:,.0f} samples/s · "
                    f"ETA {duration(event.get('eta_s'))} · "
                    f"{duration(event.get('elapsed_s'))} so far"
                )
            )
        elif kind == Event.FINISHED:
            if bar.total is not None:
                bar.update(progress=bar.total)
            took = event.get("duration_s")
            phase.update(
                f"Finished in {duration(took)}." if isinstance(took, int | float) else "Finished."
            )
        elif kind == Event.FAILED:
            phase.update("Failed.")
        elif kind == Event.CANCELLED:
            phase.update("Cancelled.")
