"""What the screens about one finished run share: finding it, loading its predictions off
the UI thread, saying clearly when there is nothing to show, and the keys between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.analysis.predictions import NoPredictions, Predictions, load_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.tf_start import STARTING
from tui_dl.text import sentence
from tui_dl.ui import registry
from tui_dl.ui.render.plain import error_text
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.tf_start import WAITING, measure_start
from tui_dl.ui.widgets.keys_footer import KeysFooter


class RunViewScreen(AppScreen):
    """Subclasses compose their body in `compose_body` and fill it in `show`."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        *registry.view_keys("app.open_insight", runfiles.PREDICTIONS),
    ]
    TITLE_TEXT = ""

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.run_dir: Path | None = None
        self.spec: dict = {}
        self.predictions: Predictions | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Static("Loading the run's predictions…", id="view-message")
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = self.TITLE_TEXT
        self.sub_title = f"run {self.run_id}"
        self.starting = WAITING
        """What a job's wait on TensorFlow is said as, measured from the runs here."""
        measure_start(self, self._measured_start)
        self.load()

    def _measured_start(self, words: str) -> None:
        self.starting = words

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            info = self.app.source.info(self.run_id)
            if info.problem:  # a folder that cannot be believed: nothing in it is shown
                raise UnreadableArtifact(info.problem)
            predictions = load_predictions(info.run_dir)
        except UnreadableArtifact as exc:
            self.from_thread(self.say, f"Nothing to show: unreadable: {exc}", True)
            return
        except (NoPredictions, LookupError, OSError, ValueError, KeyError) as exc:
            self.from_thread(self.say, f"Nothing to show: {exc}", True)
            return
        self.run_dir, self.spec = info.run_dir, info.spec
        self.from_thread(self._loaded, predictions, info.final(Event.FINISHED) or {})

    def _loaded(self, predictions: Predictions, finished: dict) -> None:
        self.predictions = predictions
        self.say("")
        self.show(predictions, finished)

    def show(self, predictions: Predictions, finished: dict) -> None:
        raise NotImplementedError

    @property
    def shown(self) -> Predictions:
        """The predictions on screen; a view's own code runs only once they are here."""
        if self.predictions is None:
            raise LookupError(f"run {self.run_id}: its predictions are not loaded")
        return self.predictions

    @property
    def folder(self) -> Path:
        """The run's folder, once the run was found."""
        if self.run_dir is None:
            raise LookupError(f"run {self.run_id}: not found")
        return self.run_dir

    @property
    def notes(self) -> Path:
        """Where this viewer's own work on the run is kept (maps, a probe): the run's folder
        when it is theirs, else a folder of their own — never another's run."""
        from tui_dl.engine.workshop.seats import notes_dir

        return notes_dir(self.folder, self.spec)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the predictions are here (or when there are none to show), a view's own keys
        do nothing: only escape, and the keys to the other views."""
        return self.predictions is not None or action == "back"

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#view-message", Static)
        message.update(error_text(text) if error else Text(text))
        message.display = bool(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    # ----- engine jobs (maps, probes): started here, watched here ----------------------------
    def run_job(self, kind: str, args: dict, done: Callable[[dict], None]) -> None:
        """Start a job and follow its events; `done` gets its finished or failed event."""
        try:
            job_dir = self.app.source.start_job(self.run_id, kind, args)
        except (OSError, ValueError) as exc:
            done({"event": Event.FAILED, "message": str(exc)})
            return
        reader = self.app.source.job_reader(job_dir)
        self.say(self.starting)

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
