"""The sweep: one experiment over one or two of its settings (learning rates × batch sizes to
start with), each cell run once or with several seeds, the grid filling in live.

The screen only listens: it polls the sweep's tracker (the sweep's events and its cells'
run events, through the RunSource) four times a second, fills the table on every change and
redraws the plot when a cell finishes an epoch. Opening it again shows the latest sweep,
running or done, rebuilt from its files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Header, Input, Select, Static

from tui_dl.engine.devices import Gpu
from tui_dl.engine.sweeps.grid import MAX_CELLS, axis_label, values_text
from tui_dl.engine.sweeps.preset import SEEDS
from tui_dl.engine.sweeps.state import SweepState
from tui_dl.ui.follow import SweepFollower
from tui_dl.ui.render import sweep_rows
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.render.sweep_text import status_line, summary_text
from tui_dl.ui.screens.following import FollowingScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.run.run_form import CPU_CHOICE, read_cluster
from tui_dl.ui.widgets.run.sweep_form import SweepForm
from tui_dl.ui.widgets.run.sweep_plot import SweepPlot, cell_colour

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared


class SweepScreen(FollowingScreen):
    BINDINGS = [
        Binding("ctrl+r", "start", "Start sweep", priority=True),
        Binding("c", "cancel", "Cancel sweep"),
        Binding("n", "new_sweep", "New sweep"),
        Binding("v", "toggle_plot", "Loss/acc"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        sweep_id: str | None = None,
        preset: dict[str, Any] | None = None,
        origin: str = "the lesson",
    ) -> None:
        super().__init__()
        self.sweep_id = sweep_id
        self.preset = preset
        """A grid the form opens with (a lesson's, the course map's, a share code's), said as
        coming from `origin`; a running sweep is shown instead."""
        self.origin = origin
        self.state: SweepState | None = None
        self._epochs_seen = -1
        self._columns: list[tuple[str, str]] = []
        self.follower = SweepFollower(self, self.show_state)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sweep"):
            with VerticalScroll(id="sweep-settings") as settings:
                settings.border_title = "Sweep"
                yield SweepForm(id="sweep-form")
                yield Button("Start  ctrl+r", id="sweep-start", variant="primary", compact=True)
                yield Static("", id="sweep-error")
                yield Static("", id="sweep-summary")
            with Vertical(id="sweep-run"):
                yield Static("", id="sweep-status")
                yield TextTable(id="sweep-table", cursor_type="row", zebra_stripes=False)
                yield SweepPlot(id="sweep-plot")
                yield Static("", id="sweep-legend")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl sweep"
        self.preview_columns()
        self.load_gpus()
        sweep_id = self.sweep_id or self.source.latest_sweep()
        if sweep_id:
            self.attach(sweep_id)
        else:
            self._idle_text()
            self.query_one("#sweep-values-1", Input).focus()
        if self.preset is not None:  # once the form has settled from the sweep shown
            self.call_after_refresh(self.take_preset, self.preset)

    def take_preset(self, spec: dict[str, Any]) -> None:
        """The preset grid in a new sweep's form, unless a sweep is running (then that one)."""
        if self.running:
            self.notify(
                f"A sweep is running: here it is. n, once it ends, for {self.origin}'s grid."
            )
            return
        if self.state is not None:  # the last sweep is shown: a new one, with these lists
            self.action_new_sweep()
        self.query_one(SweepForm).fill(spec)
        self.preview_columns()
        self.notify(f"From {self.origin}: {grid_words(spec)}. ctrl+r starts.")

    def _idle_text(self) -> None:
        self.query_one("#sweep-status", Static).update(
            "Pick one or two settings to sweep and their values (commas), then ctrl+r: one "
            f"run per cell and seed, one after another (at most {MAX_CELLS})."
        )
        self.query_one("#sweep-summary", Static).update(
            "Watch for the course's lessons: too high a rate overshoots, too small crawls; "
            "large batches can settle in a worse minimum."
        )

    def offer_gpus(self, gpus: list[Gpu]) -> None:
        self.query_one(SweepForm).offer_devices(
            [CPU_CHOICE] + [(g.label, f"gpu:{g.index}") for g in gpus]
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        self.preview_columns()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "sweep-seeds":
            self.preview_columns()

    def preview_columns(self) -> None:
        """Before a sweep starts, the table's columns are those of the grid picked so far."""
        if self.state is None:
            preview = self.query_one(SweepForm).preview()
            self._set_columns(sweep_rows.columns(SweepState("", preview, [])))

    # ----- actions -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.state is not None and not self.state.done

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return self.state is None
        if action == "cancel":
            return self.running
        if action == "new_sweep":
            return self.state is not None and not self.running
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sweep-start":
            self.action_start()

    def share_target(self) -> Shared | None:
        """ctrl+s: this grid (experiment, its axes and values, seeds, its length setting)."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target

        try:
            request = self.query_one(SweepForm).read()
        except ValueError as exc:
            self.notify(f"Fix the grid first: {exc}")
            return None
        settings = [
            (name, ",".join(str(v) for v in values)) for name, values in request.axes.items()
        ]
        if request.seeds > 1:
            settings.append((SEEDS, str(request.seeds)))
        settings += [(k, str(v)) for k, v in request.params.items()]
        return Shared(Target("sweep", request.experiment, tuple(settings)))

    def action_start(self) -> None:
        error = self.query_one("#sweep-error", Static)
        try:
            request = self.query_one(SweepForm).read()
            cluster = read_cluster(self.query_one("#sweep-cluster", Input))
            sweep_id = self.source.start_sweep(
                request.experiment, request.params, request.axes, request.device,
                cluster=cluster, seeds=request.seeds,
            )  # fmt: skip
        except (OSError, ValueError) as exc:
            error.update(Text(str(exc), style="red"))
            self.notify(str(exc), title="Check the sweep", severity="error")
            return
        error.update("")
        self.attach(sweep_id)

    def action_cancel(self) -> None:
        if self.running and self.sweep_id:
            self.query_one("#sweep-status", Static).update("Cancelling the sweep…")
            self.cancel_in_background(self.source.cancel_sweep, self.sweep_id)

    def action_new_sweep(self) -> None:
        """Back to the form, keeping the last sweep's lists for a tweak-and-rerun."""
        self.follower.stop()
        self.sweep_id, self.state = None, None
        self._set_editable(True)
        self.query_one(DataTable).clear()
        self.preview_columns()
        self.query_one(SweepPlot).show([], None)
        self.query_one("#sweep-legend", Static).update("")
        self._idle_text()
        self.sub_title = ""
        self.query_one("#sweep-values-1", Input).focus()
        self.refresh_bindings()

    def action_toggle_plot(self) -> None:
        self.query_one(SweepPlot).toggle()

    # ----- following a sweep ---------------------------------------------------------------
    def attach(self, sweep_id: str) -> None:
        self.follower.stop()
        try:
            tracker = self.source.sweep_tracker(sweep_id)
        except (KeyError, OSError, ValueError) as exc:
            self.notify(str(exc), title="Cannot open that sweep", severity="error")
            return
        self.sweep_id, self.state = sweep_id, tracker.state
        self._epochs_seen = -1
        self.sub_title = f"sweep {sweep_id}"
        self.query_one(SweepForm).fill(tracker.state.spec)
        self._set_editable(False)
        self.follower.follow(tracker)
        self.refresh_bindings()

    def _set_editable(self, editable: bool) -> None:
        self.query_one(SweepForm).set_editable(editable)
        self.query_one("#sweep-start", Button).disabled = not editable

    def show_state(self, state: SweepState) -> None:
        self.state = state
        if state.done:
            self.refresh_bindings()
        self._fill_table(state)
        self.query_one("#sweep-status", Static).update(status_line(state))
        self.query_one("#sweep-summary", Static).update(summary_text(state))
        epochs = sum(len(c.history) for c in state.cells)
        if epochs != self._epochs_seen:
            self._epochs_seen = epochs
            plot = self.query_one(SweepPlot)
            plot.show(state.cells, state.best, state.seeds, state.experiment)
            self.query_one("#sweep-legend", Static).update(plot.legend())

    def _set_columns(self, columns: list[tuple[str, str]]) -> None:
        """The table's columns: one per axis of the sweep shown, then its results'."""
        if columns == self._columns:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label, key in columns:
            table.add_column(label, key=key)
        self._columns = columns

    def _fill_table(self, state: SweepState) -> None:
        table = self.query_one(DataTable)
        columns = sweep_rows.columns(state)
        self._set_columns(columns)
        for key, row in sweep_rows.rows(state, cell_colour):
            if key in table.rows:
                for (_, column), value in zip(columns, row, strict=True):
                    table.update_cell(key, column, value)
            else:
                table.add_row(*row, key=key)


def grid_words(spec: dict[str, Any]) -> str:
    """A preset grid in words: 'rate 0.1, 0.01 × batch 32, 256', with its seeds."""
    axes = " × ".join(f"{axis_label(a['name'])} {values_text(a['values'])}" for a in spec["axes"])
    seeds = int(spec.get("seeds", 1))
    return axes + (f", {seeds} seeds per cell" if seeds > 1 else "")
