"""The sweep: one experiment over learning rates × batch sizes, the grid filling in live.

The screen only listens: it polls the sweep's tracker (the sweep's events and its cells'
run events, through the RunSource) four times a second, fills the table on every change and
redraws the plot when a cell finishes an epoch. Opening it again shows the latest sweep,
running or done, rebuilt from its files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Header, Input, Label, Select, Static

from tui_dl.engine.devices import Gpu
from tui_dl.engine.experiments import EXPERIMENTS, get_experiment
from tui_dl.engine.sweeps.grid import (
    DEFAULT_BATCHES,
    DEFAULT_RATES,
    MAX_CELLS,
    length_param,
    parse_values,
    sweep_experiments,
)
from tui_dl.engine.sweeps.state import SweepState
from tui_dl.ui.follow import SweepFollower
from tui_dl.ui.render import sweep_rows
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.render.sweep_text import status_line, summary_text
from tui_dl.ui.screens.following import FollowingScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.run.run_form import CPU_CHOICE, put_value, read_cluster
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
        names = sweep_experiments()
        yield Header()
        with Horizontal(id="sweep"):
            with VerticalScroll(id="sweep-settings") as settings:
                settings.border_title = "Sweep"
                with Vertical(id="sweep-form"):
                    with Horizontal():
                        yield Label("Model")
                        yield Select(
                            [(n, n) for n in names],
                            value=names[0],
                            allow_blank=False,
                            compact=True,
                            id="sweep-experiment",
                        )
                    length = length_param(names[0])
                    for label, value, id_ in (
                        ("Rates", rates_text(DEFAULT_RATES), "sweep-rates"),
                        ("Batches", batches_text(DEFAULT_BATCHES), "sweep-batches"),
                        (
                            length.label if length else "Epochs",
                            str(length.default if length else ""),
                            "sweep-length",
                        ),
                    ):
                        with Horizontal():
                            yield Label(label, id=f"{id_}-label")
                            yield Input(value, compact=True, id=id_, select_on_focus=False)
                    with Horizontal():
                        yield Label("Device")
                        yield Select(
                            [CPU_CHOICE], value="cpu", allow_blank=False, compact=True,
                            id="sweep-device",
                        )  # fmt: skip
                    with Horizontal():
                        yield Label("Cluster")
                        yield Input(placeholder="this machine", compact=True,
                                    id="sweep-cluster", select_on_focus=False)  # fmt: skip
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
        self._set_columns(sweep_rows.columns(SweepState("", {}, [])))
        self.load_gpus()
        sweep_id = self.sweep_id or self.source.latest_sweep()
        if sweep_id:
            self.attach(sweep_id)
        else:
            self._idle_text()
            self.query_one("#sweep-rates", Input).focus()
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
        self.fill_form(spec)
        rates, batches = rates_text(spec["learning_rates"]), batches_text(spec["batch_sizes"])
        self.notify(f"From {self.origin}: rates {rates} × batches {batches}. ctrl+r starts.")

    def _idle_text(self) -> None:
        self.query_one("#sweep-status", Static).update(
            "Pick rates and batch sizes (commas), then ctrl+r: one run per pair, "
            f"one after another (at most {MAX_CELLS})."
        )
        self.query_one("#sweep-summary", Static).update(
            "Watch for the course's lessons: too high a rate overshoots, too small crawls; "
            "large batches can settle in a worse minimum."
        )

    def offer_gpus(self, gpus: list[Gpu]) -> None:
        options = [CPU_CHOICE] + [(g.label, f"gpu:{g.index}") for g in gpus]
        self.query_one("#sweep-device", Select).set_options(options)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "sweep-experiment" and self.state is None:
            self.show_length(str(event.value))

    def show_length(self, experiment: str, value: Any = None) -> None:
        """The run-length field of this experiment (epochs, steps), at `value` or its
        default; hidden for one without."""
        length = length_param(experiment) if experiment in EXPERIMENTS else None
        field = self.query_one("#sweep-length", Input)
        field.display = length is not None
        self.query_one("#sweep-length-label", Label).display = length is not None
        if length is not None:
            self.query_one("#sweep-length-label", Label).update(length.label)
            put_value(field, str(length.default if value is None else value))

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

    def read_form(self) -> tuple[str, dict[str, Any], list[float], list[int], str]:
        """The form's values, checked as the engine checks them; ValueError names the bad one."""
        experiment = get_experiment(str(self.query_one("#sweep-experiment", Select).value))
        fields = {
            "sweep-rates": lambda text: parse_values(experiment, "learning_rate", text),
            "sweep-batches": lambda text: parse_values(experiment, "batch_size", text),
        }
        length = length_param(experiment.name)
        if length is not None:
            fields["sweep-length"] = length.parse
        values, errors = {}, []
        for id_, parse in fields.items():
            widget = self.query_one(f"#{id_}", Input)
            try:
                values[id_] = parse(widget.value)
                widget.remove_class("-invalid")
            except ValueError as exc:
                widget.add_class("-invalid")
                errors.append((widget, str(exc)))
        if errors:
            errors[0][0].focus()
            raise ValueError("; ".join(message for _, message in errors))
        rates, batches = values["sweep-rates"], values["sweep-batches"]
        if len(rates) * len(batches) > MAX_CELLS:
            raise ValueError(
                f"{len(rates)} rates × {len(batches)} batch sizes = "
                f"{len(rates) * len(batches)} runs; at most {MAX_CELLS} in one sweep"
            )
        device = str(self.query_one("#sweep-device", Select).value)
        params = {length.name: values["sweep-length"]} if length is not None else {}
        return experiment.name, params, rates, batches, device

    def share_target(self) -> Shared | None:
        """ctrl+s: this grid (experiment, both lists, its length setting)."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target

        try:
            experiment, params, rates, batches, _ = self.read_form()
        except ValueError as exc:
            self.notify(f"Fix the grid first: {exc}")
            return None
        settings = [
            ("learning_rates", ",".join(f"{r:g}" for r in rates)),
            ("batch_sizes", ",".join(str(b) for b in batches)),
            *((k, str(v)) for k, v in params.items()),
        ]
        return Shared(Target("sweep", experiment, tuple(settings)))

    def action_start(self) -> None:
        error = self.query_one("#sweep-error", Static)
        try:
            experiment, params, rates, batches, device = self.read_form()
            cluster = read_cluster(self.query_one("#sweep-cluster", Input))
            sweep_id = self.source.start_sweep(
                experiment, params, rates, batches, device, cluster=cluster
            )
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
        self._set_columns(sweep_rows.columns(SweepState("", {}, [])))
        self.query_one(SweepPlot).show([], None)
        self.query_one("#sweep-legend", Static).update("")
        self._idle_text()
        self.sub_title = ""
        self.query_one("#sweep-rates", Input).focus()
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
        self.fill_form(tracker.state.spec)
        self._set_editable(False)
        self.follower.follow(tracker)
        self.refresh_bindings()

    def fill_form(self, spec: dict[str, Any]) -> None:
        """Show a sweep's spec in the form (a past sweep's, or a lesson's grid): experiment,
        lists and run length, without the experiment's change resetting the length."""
        experiment = self.query_one("#sweep-experiment", Select)
        name = str(spec.get("experiment", ""))
        if name in sweep_experiments():
            with self.prevent(Select.Changed):
                experiment.value = name
        rates = rates_text(spec.get("learning_rates", []))
        put_value(self.query_one("#sweep-rates", Input), rates)
        batches = batches_text(spec.get("batch_sizes", []))
        put_value(self.query_one("#sweep-batches", Input), batches)
        length = length_param(name) if name in EXPERIMENTS else None
        if length is not None:
            self.show_length(name, spec.get("params", {}).get(length.name))

    def _set_editable(self, editable: bool) -> None:
        for widget in self.query("#sweep-form Input, #sweep-form Select"):
            widget.disabled = not editable
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
            plot.show(state.cells, state.best, state.seeds)
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


def rates_text(rates: Iterable[float]) -> str:
    """A list of learning rates as the form shows it: '0.1, 0.01, 0.001'."""
    return ", ".join(f"{rate:g}" for rate in rates)


def batches_text(batches: Iterable[int]) -> str:
    return ", ".join(str(batch) for batch in batches)
