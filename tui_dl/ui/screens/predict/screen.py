"""`--screen predict --run ID`: ask a finished my-images run about pictures it was never shown
(ctrl+o: a picture, or a folder of them), and see it name one of its classes for each — how
sure it was, beside how sure it was of its own test pictures and a few of the pictures it was
taught.

The asking is the engine's "predict" job in a child process (TensorFlow never enters the app);
its answers are kept in the viewer's notes for the run and shown again next time. The
threshold below which it answers "none of these" is this screen's setting: its effect is
recomputed from the kept confidences at once, without asking again.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.analysis.predicted import Predicted, examples_of, load_predicted
from tui_dl.engine.events import Event, Status
from tui_dl.ui.screens.app_screen import SCREENS_CSS
from tui_dl.ui.screens.predict.answers import (
    THUMB,
    answers_table,
    left_out,
    summary,
    taught_sheet,
    the_point,
    thumbnails_of,
)
from tui_dl.ui.screens.run_views.predictions import PredictionsScreen

if TYPE_CHECKING:
    from tui_dl.analysis.predictions import Predictions
    from tui_dl.engine.store import RunInfo

EXPERIMENT = "my-images"
STEP = 5
"""How far + and - move the threshold, in percentage points."""
WIDE = 120
"""From this many columns on, the taught pictures are four a class instead of two."""
INTRO = (
    "Show it pictures it was never taught: ctrl+o picks one (enter on a file; m marks more) "
    "or a whole folder (f), and it names one of its classes for each, with how sure it is."
)


class PredictScreen(PredictionsScreen):
    CSS_PATH = [SCREENS_CSS, "predict.tcss"]
    TITLE_TEXT = "ask it about new pictures"
    BINDINGS = [
        Binding("ctrl+o", "ask", "Pick pictures"),
        Binding("plus,equals_sign", "threshold(1)", "Stricter", key_display="+"),
        Binding("minus", "threshold(-1)", "Looser", key_display="-"),
        # The other views' keys work but are not in the footer: a base's keys come first
        # there, and this screen's own would be the ones left out at 80 columns.
        *[
            replace(b, show=False) if isinstance(b, Binding) and b.action != "back" else b
            for b in PredictionsScreen.BINDINGS
        ],
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.answers: Predicted | None = None
        """The answers shown: the last question's (this session's or one before)."""
        self.thumbnails: list[Text] = []
        """Their pictures, drawn once."""
        self.threshold = 0
        """Below this confidence (in percent) it answers "none of these"; 0: off."""
        self.asking = False
        self.start = Path.cwd()
        """Where the picker opens: beside what was asked about last."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="predict-point")
        with Horizontal(id="predict-body"):
            with VerticalScroll(id="predict-answers") as answers:
                answers.border_title = "What it says"
                yield Static(Text(INTRO), id="predict-intro")
                yield Static("", id="predict-table")
                yield Static("", id="predict-left-out")
            with VerticalScroll(id="predict-taught") as taught:
                taught.border_title = "What it was taught"
                yield Static("", id="predict-examples")
        yield Static("", id="predict-summary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#predict-body").display = False
        self.set_class(self.size.width >= WIDE, "-wide")

    def on_resize(self) -> None:
        wide = self.size.width >= WIDE
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            if self.found is not None:
                self.show_taught()
        if self.found is not None:  # the top classes on one line where they fit
            self.call_after_refresh(self.show_answers)

    # ----- the run, and the answers kept from last time (in the base's thread) --------------
    def read(self, info: RunInfo) -> Predictions:
        if info.experiment != EXPERIMENT:
            raise LookupError(
                f"run {info.run_id} is a {info.experiment} run: this screen asks a my-images "
                "run (one taught your own pictures) about new ones"
            )
        if info.status != Status.FINISHED:
            raise LookupError(f"run {info.run_id} is {info.status_words}: ask a finished run")
        predictions = super().read(info)
        self.answers = self.kept_answers(info, predictions)
        self.thumbnails = [] if self.answers is None else thumbnails_of(self.answers)
        return predictions

    def kept_answers(self, info: RunInfo, predictions: Predictions) -> Predicted | None:
        from tui_dl.engine.workshop.seats import notes_dir

        try:
            kept = load_predicted(notes_dir(info.run_dir, info.spec))
        except FileNotFoundError:
            return None
        except (OSError, UnreadableArtifact) as exc:
            self.from_thread(self.notify, f"Its last answers are unreadable: {exc}", markup=False)
            return None
        if tuple(kept.report["class_names"]) != predictions.class_names:
            return None  # another model's answers (a folder moved in): not this run's
        return kept

    def show(self, predictions: Predictions, finished: dict) -> None:
        threshold = self.spec.get("params", {}).get("threshold", 0.0)
        if isinstance(threshold, (int, float)) and 0 <= threshold <= 1:
            self.threshold = round(threshold * 100)
        self.query_one("#predict-body").display = True
        self.query_one("#predict-point", Static).update(the_point(predictions.class_names))
        self.show_taught()
        self.show_answers()
        self.call_after_refresh(self.show_answers)  # at the width the panel was laid out to

    # ----- what it shows ---------------------------------------------------------------------
    def show_taught(self) -> None:
        names, colour = self.shown.class_names, self.shown.colour_images
        box = self.query_one("#predict-examples", Static)
        if colour is None:
            why = self.shown.colour_problem or "This run kept no colour pictures."
            box.update(Text(why, style="dim"))
            return
        per_row = 4 if self.has_class("-wide") else 2
        examples = examples_of(self.shown.y_true, len(names), per_row)
        box.update(taught_sheet(colour, examples, names, per_row))

    def show_answers(self) -> None:
        found, limit = self.answers, self.threshold / 100
        self.query_one("#predict-intro").display = found is None
        panel = self.query_one("#predict-answers")
        width = panel.content_size.width - panel.styles.scrollbar_size_vertical
        width = width if width > THUMB[0] else 80  # not laid out yet: drawn again once it is
        self.query_one("#predict-table", Static).update(
            "" if found is None else answers_table(found, limit, width, self.thumbnails)
        )
        self.query_one("#predict-left-out", Static).update(
            Text() if found is None else left_out(found)
        )
        self.query_one("#predict-summary", Static).update(
            summary(found, limit, self.shown.confidence)
        )

    # ----- asking ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ask":
            return self.found is not None and not self.asking
        return super().check_action(action, parameters)

    def action_threshold(self, step: int) -> None:
        self.threshold = min(100, max(0, self.threshold + step * STEP))
        self.show_answers()

    def action_ask(self) -> None:
        from tui_dl.ui.dialogs.picture_picker import PicturePicker

        picker = PicturePicker(self.start, "Ask it about pictures or a folder")

        def picked(path: Path | None) -> None:
            if path is not None:
                self.ask(picker.chosen or [path])

        self.app.push_screen(picker, picked)

    def ask(self, paths: list[Path]) -> None:
        """Start the job on these pictures and folders (one that is not there: said)."""
        missing = [p for p in paths if not os.path.lexists(p)]
        if missing:
            self.say(f"{missing[0]}: there is no such file or folder", True)
            return
        first = Path(paths[0])
        self.start = first.parent if first.parent.is_dir() else self.start
        self.asking = True
        self.refresh_bindings()
        self.run_job("predict", {"paths": [str(p) for p in paths]}, self.job_done)

    def job_done(self, event: dict) -> None:
        if event["event"] == Event.FAILED:
            self.asking = False
            self.refresh_bindings()
            self.say(f"Could not ask it: {event.get('message', '')}", True)
            return
        self.say("Reading its answers…")
        self.read_answers()

    @work(thread=True, exclusive=True, group="answers")
    def read_answers(self) -> None:
        try:
            found = load_predicted(self.notes)
        except (OSError, UnreadableArtifact) as exc:
            self.from_thread(self.answered, None, [], f"Its answers cannot be read: {exc}")
            return
        self.from_thread(self.answered, found, thumbnails_of(found), "")

    def answered(self, found: Predicted | None, thumbnails: list[Text], problem: str) -> None:
        self.asking = False
        self.refresh_bindings()
        if found is None or tuple(found.report["class_names"]) != self.shown.class_names:
            self.say(problem or "Its answers name other classes than this run's.", True)
            return
        self.say("")
        self.answers, self.thumbnails = found, thumbnails
        self.show_answers()
        self.query_one("#predict-answers", VerticalScroll).scroll_home(animate=False)
