"""The views of a finished run's test-set predictions (the confusion matrix, the wrong digits,
where it looked, the probe): the keys between them, a line under the view for what it cannot
show, and the engine jobs (maps, probes) they start and watch."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Header, Static

from tui_dl.analysis.predictions import Predictions, load_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.ui import registry
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen
from tui_dl.ui.screens.run_views.jobs import RunJobs
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo


class PredictionsScreen(RunJobs, RunViewScreen[Predictions]):
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

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Static("Loading the run's predictions…", id=self.MESSAGE)
        yield KeysFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.measure_job_start()

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
