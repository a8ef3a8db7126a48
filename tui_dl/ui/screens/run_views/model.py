"""`--screen model --run ID` (`M` on a finished run in the lab and in Runs): the run's model
layer by layer — each layer's type, output shape and parameters, trainable and frozen, and a
bar of its share of the whole. A nested model (my-images' pretrained base) is one row that
opens to show its own layers, indented under it.

The summary is counted where Keras is: written beside model.keras when the run saved it, or,
for an older run or a model-zoo run, by a short job that keeps it in the viewer's notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from tui_dl.analysis.layers.available import no_model
from tui_dl.analysis.layers.summary import (
    ModelSummary,
    children,
    find_summary,
    nested,
    visible,
)
from tui_dl.engine.events import Event
from tui_dl.engine.workshop.seats import notes_dir
from tui_dl.ui.render.layers import layer_table, picked_text, totals_text
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen
from tui_dl.ui.screens.run_views.jobs import RunJobs

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

HEADER_LINES = 2
"""The table's heading and the rule under it, above its first row."""


class ModelScreen(RunJobs, RunViewScreen["ModelSummary | None"]):
    TITLE_TEXT = "the model, layer by layer"
    BINDINGS = [
        Binding("down,j", "move(1)", "Next layer"),
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("enter,space", "open_close", "Open/close"),
        Binding("e", "toggle_all", "Open/close all"),
        BACK,
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.summary: ModelSummary | None = None
        self.opened: set[int] = set()
        """The nested models whose layers are shown."""
        self.cursor = 0
        """The picked row's place among the rows shown."""
        self.asked = False
        """Whether the model job was started (once: a job that wrote nothing is said)."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="model-totals")
        with VerticalScroll(id="model-body", can_focus=False):  # its keys are the screen's
            yield Static("", id="model-table")
        yield Static("", id="model-picked")
        yield Static("Reading the model's summary…", id=self.MESSAGE)

    def on_mount(self) -> None:
        super().on_mount()
        self.measure_job_start()

    def read(self, info: RunInfo) -> ModelSummary | None:
        """The summary; None when a job must count it first. A run with no model: why."""
        notes = notes_dir(info.run_dir, info.spec)
        why = no_model(info, notes)
        if why:
            raise LookupError(why)
        try:
            return find_summary(info.run_dir, notes)
        except FileNotFoundError:
            return None

    def loaded(self, found: ModelSummary | None, info: RunInfo) -> None:
        if found is None and self.asked:
            self.say("The model job finished but left no summary: see its log.", True)
            return
        if found is None:
            self.asked = True
            self.run_job("model", {}, self.job_done)
            return
        self.say("")
        self.summary = found
        self.draw()

    def job_done(self, event: dict) -> None:
        if event["event"] == Event.FAILED:
            self.say(f"The model could not be read: {event.get('message', '')}", True)
        else:
            self.load()

    # ----- the table --------------------------------------------------------------------------
    @property
    def rows(self) -> list[int]:
        return visible(self.summary, self.opened) if self.summary else []

    def draw(self) -> None:
        if self.summary is None:
            return
        rows = self.rows
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        picked = rows[self.cursor] if rows else None
        self.query_one("#model-totals", Static).update(totals_text(self.summary))
        table = layer_table(self.summary, rows, self.opened, picked, self.size.width)
        self.query_one("#model-table", Static).update(table)
        picked_line = picked_text(self.summary, picked) if picked is not None else ""
        self.query_one("#model-picked", Static).update(picked_line)
        body = self.query_one("#model-body", VerticalScroll)
        line = Region(0, HEADER_LINES + self.cursor, 1, 1)
        self.call_after_refresh(body.scroll_to_region, line, animate=False)

    def on_resize(self) -> None:
        self.draw()  # the bar's width follows the screen's

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_close", "toggle_all"):
            return bool(self.summary and nested(self.summary))
        return action == "back" or self.summary is not None

    def action_move(self, step: int) -> None:
        self.cursor += step
        self.draw()

    def action_open_close(self) -> None:
        """Open the picked nested model (or close the one the picked layer is in)."""
        if self.summary is None:
            return
        picked = self.rows[self.cursor]
        inner = nested(self.summary)
        if picked in inner:
            self.opened ^= {picked}
        else:
            around = [i for i in inner if picked in children(self.summary, i)]
            if not around:
                return
            self.opened.discard(around[-1])
            self.cursor = self.rows.index(around[-1])
        self.draw()

    def action_toggle_all(self) -> None:
        if self.summary is None:
            return
        picked = self.rows[self.cursor]
        inner = set(nested(self.summary))
        self.opened = set() if self.opened >= inner else inner
        rows = self.rows
        while picked not in rows:  # its model closed: the row that holds it
            picked -= 1
        self.cursor = rows.index(picked)
        self.draw()
