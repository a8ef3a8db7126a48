"""The views of a finished run's test-set predictions (the confusion matrix, the wrong digits,
where it looked, the probe): the keys between them, a line under the view for what it cannot
show, and the engine jobs (maps, probes) they start and watch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.widgets import Header, Static

from tui_dl.analysis.predictions import Predictions, load_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.tf_start import STARTING
from tui_dl.text import sentence
from tui_dl.ui import registry
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen
from tui_dl.ui.tf_start import WAITING, measure_start
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from pathlib import Path

    from tui_dl.engine.store import RunInfo


class PredictionsScreen(RunViewScreen[Predictions]):
    """Subclasses compose their body in `compose_body` and fill it in `show`."""

    BINDINGS = [
        BACK,
        *registry.view_keys("app.open_insight", runfiles.PREDICTIONS, everywhere=True),
        # The views kept to some experiments (predict: my-images runs), there where the run is
        # one of theirs; out of the footer, where they would push out a view's own keys (? lists
        # them).
        *[
            replace(key, show=False)
            for key in registry.view_keys("open_view", runfiles.PREDICTIONS, everywhere=False)
        ],
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.starting = WAITING
        """What a job's wait on TensorFlow is said as, measured from the runs here."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Static("Loading the run's predictions…", id=self.MESSAGE)
        yield KeysFooter()

    def on_mount(self) -> None:
        super().on_mount()
        measure_start(self, self._measured_start)

    def _measured_start(self, words: str) -> None:
        self.starting = words

    def read(self, info: RunInfo) -> Predictions:
        return load_predictions(info.run_dir)

    def loaded(self, found: Predictions, info: RunInfo) -> None:
        self.say("")
        self.show(found, info.final(Event.FINISHED) or {})

    def show(self, predictions: Predictions, finished: dict) -> None:
        raise NotImplementedError

    @property
    def predictions(self) -> Predictions | None:
        return self.found

    @property
    def shown(self) -> Predictions:
        """The predictions on screen; a view's own code runs only once they are here."""
        if self.found is None:
            raise LookupError(f"run {self.run_id}: its predictions are not loaded")
        return self.found

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the predictions are here (or when there are none to show), a view's own keys
        do nothing: only escape, and the keys to the other views."""
        if action == "open_view":
            view = registry.entry(str(parameters[0]))
            return not view.shows(self) and view in registry.views_of(self.experiment)
        return self.found is not None or action == "back"

    @property
    def experiment(self) -> str:
        """The run's experiment, once it was read ('' before)."""
        return str(self.spec.get("experiment", "")) if self.found is not None else ""

    def action_open_view(self, kind: str) -> None:
        self.app.open_insight(kind)

    # ----- engine jobs (maps, probes): started here, watched here ----------------------------
    def run_job(self, kind: str, args: dict, done: Callable[[dict], None]) -> None:
        """Start a job and follow its events; `done` gets its finished or failed event."""
        self.say(self.starting)
        self._start_job(kind, args, done)

    @work(thread=True, exit_on_error=False, group="job")
    def _start_job(self, kind: str, args: dict, done: Callable[[dict], None]) -> None:
        """Off the screen's thread: a spare still importing TensorFlow takes seconds to
        answer the hand-over, and the view's keys go on meanwhile."""
        try:
            job_dir = self.app.source.start_job(self.run_id, kind, args)
        except (OSError, ValueError) as exc:
            self.from_thread(done, {"event": Event.FAILED, "message": str(exc)})
            return
        self.from_thread(self._follow_job, job_dir, done)

    def _follow_job(self, job_dir: Path, done: Callable[[dict], None]) -> None:
        reader = self.app.source.job_reader(job_dir)

        def poll() -> None:
            if not self.is_attached:  # the learner has left this view; the job goes on
                timer.stop()
                return
            for event in reader.read_new():
                if event["event"] == Event.PHASE and event["phase"] == STARTING:
                    self.say(self.starting)
                elif event["event"] == Event.PHASE:
                    self.say(sentence(event["phase"]) + "…")
                elif event["event"] in (Event.FINISHED, Event.FAILED):
                    timer.stop()
                    self.say("")
                    done(event)

        timer = self.set_interval(0.2, poll)
