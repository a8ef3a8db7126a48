"""The sweep's form: the experiment, one or two axes — any setting the engine can sweep
(`axis_params`, the list `tui-dl sweep` takes), its values a comma list — the seeds each cell
runs with, how long each cell trains, the device and the cluster.

It checks as the engine checks (`parse_values`, `seeds_count`, then `plan_sweep` for the whole
grid): each bad field is marked and named with its value, and nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from tui_dl.engine.experiments import EXPERIMENTS, Experiment, get_experiment
from tui_dl.engine.sweeps.grid import (
    MAX_AXES,
    axis_params,
    length_param,
    parse_values,
    plan_sweep,
    seeds_count,
    starting_values,
    sweep_experiments,
    values_text,
)
from tui_dl.ui.widgets.run.run_form import CPU_CHOICE, put_value
from tui_dl.ui.widgets.text_field import TextField

NO_AXIS = "-"
"""The second axis's "none": a sweep along one setting."""
FIRST_AXES = ("learning_rate", "batch_size")
"""The axes a new sweep starts with: the course's rates × batch sizes."""
LISTS = {"learning_rate": "learning_rates", "batch_size": "batch_sizes"}
"""sweep.json's own lists of the two classic settings (a sweep before axes has only them)."""


@dataclass(frozen=True)
class SweepRequest:
    """The form, checked: what the run source starts."""

    experiment: str
    params: dict[str, Any]
    """The length setting (epochs, steps) unless it is an axis."""
    axes: dict[str, list[Any]]
    """Setting → values, in the form's order (one value: every cell shares it)."""
    seeds: int
    device: str


class SweepForm(Vertical):
    def compose(self) -> ComposeResult:
        names = sweep_experiments()
        experiment = get_experiment(names[0])
        with Horizontal():
            yield Label("Model")
            yield Select([(n, n) for n in names], value=names[0], allow_blank=False,
                         compact=True, id="sweep-experiment")  # fmt: skip
        for index, name in enumerate(FIRST_AXES, start=1):
            with Horizontal():
                yield Label(f"Axis {index}")
                yield Select(self._axis_options(experiment, index), value=name,
                             allow_blank=False, compact=True, id=f"sweep-axis-{index}")  # fmt: skip
            with Horizontal(id=f"sweep-values-{index}-row"):
                yield Label("Values")
                text = values_text(starting_values(experiment.param(name)))
                yield TextField(
                    text, compact=True, id=f"sweep-values-{index}", select_on_focus=False
                )
        with Horizontal():
            yield Label("Seeds")
            yield TextField("1", compact=True, id="sweep-seeds", select_on_focus=False)
        length = length_param(experiment.name)
        with Horizontal(id="sweep-length-row"):
            yield Label(length.label if length else "Epochs", id="sweep-length-label")
            yield TextField(str(length.default if length else ""), compact=True, id="sweep-length",
                            select_on_focus=False)  # fmt: skip
        with Horizontal():
            yield Label("Device")
            yield Select([CPU_CHOICE], value="cpu", allow_blank=False, compact=True,
                         id="sweep-device")  # fmt: skip
        with Horizontal():
            yield Label("Cluster")
            yield TextField(placeholder="this machine", compact=True, id="sweep-cluster",
                            select_on_focus=False)  # fmt: skip

    def on_mount(self) -> None:
        self._show_rows()

    @staticmethod
    def _axis_options(experiment: Experiment, index: int) -> list[tuple[str, str]]:
        options = [(param.label, param.name) for param in axis_params(experiment)]
        return options + ([("none", NO_AXIS)] if index > 1 else [])

    @property
    def experiment(self) -> Experiment:
        return get_experiment(str(self.query_one("#sweep-experiment", Select).value))

    def picked(self) -> list[tuple[int, str]]:
        """(axis number, setting) of each axis in use."""
        chosen = [(i, str(self.query_one(f"#sweep-axis-{i}", Select).value))
                  for i in range(1, MAX_AXES + 1)]  # fmt: skip
        return [(i, name) for i, name in chosen if name != NO_AXIS]

    def preview(self) -> dict[str, Any]:
        """The grid's shape as picked so far (its axes, its seeds), for the table's columns
        before the sweep starts."""
        names = list(dict.fromkeys(name for _, name in self.picked()))
        try:
            seeds = seeds_count(self.query_one("#sweep-seeds", Input).value)
        except ValueError:
            seeds = 1
        return {"axes": [{"name": name, "values": []} for name in names], "seeds": seeds}

    # ----- the learner's picks -------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        select_id = event.select.id or ""
        if select_id == "sweep-experiment":
            self._offer_axes(str(event.value))
            self.show_length(str(event.value))
        elif select_id.startswith("sweep-axis-"):
            index, name = select_id.removeprefix("sweep-axis-"), str(event.value)
            if name != NO_AXIS:
                values = starting_values(self.experiment.param(name))
                put_value(self.query_one(f"#sweep-values-{index}", Input), values_text(values))
        self._show_rows()

    def _offer_axes(self, experiment: str) -> None:
        """This experiment's settings in both axis lists, each keeping its pick (and values)
        where the experiment has that setting too."""
        exp = get_experiment(experiment)
        for index in range(1, MAX_AXES + 1):
            select = self.query_one(f"#sweep-axis-{index}", Select)
            before = str(select.value)
            options = self._axis_options(exp, index)
            with self.prevent(Select.Changed):
                select.set_options(options)
                if before in [value for _, value in options]:
                    select.value = before
                else:
                    select.value = FIRST_AXES[index - 1]
                    values = values_text(starting_values(exp.param(FIRST_AXES[index - 1])))
                    put_value(self.query_one(f"#sweep-values-{index}", Input), values)

    def _show_rows(self) -> None:
        """A second axis's values only when it has one; the length field unless it is an axis."""
        names = [name for _, name in self.picked()]
        second = str(self.query_one("#sweep-axis-2", Select).value) != NO_AXIS
        self.query_one("#sweep-values-2-row").display = second
        length = length_param(self.experiment.name)
        self.query_one("#sweep-length-row").display = (
            length is not None and length.name not in names
        )
        for index, name in self.picked():
            param = self.experiment.param(name)
            field = self.query_one(f"#sweep-values-{index}", Input)
            field.tooltip = Text(f"{param.label}, separated by commas: {param.describe()}")

    def show_length(self, experiment: str, value: Any = None) -> None:
        """The run-length field of this experiment (epochs, steps), at `value` or its
        default; hidden for one without."""
        length = length_param(experiment) if experiment in EXPERIMENTS else None
        if length is not None:
            self.query_one("#sweep-length-label", Label).update(length.label)
            put_value(self.query_one("#sweep-length", Input),
                      str(length.default if value is None else value))  # fmt: skip
        self._show_rows()

    # ----- reading and filling -------------------------------------------------------------
    def read(self) -> SweepRequest:
        """The form checked as the engine checks it; ValueError names each bad field's
        setting and value (and focuses the first)."""
        experiment = self.experiment
        errors: list[tuple[Input, str]] = []
        axes: dict[str, list[Any]] = {}

        def check(field: Input, parse) -> Any:
            try:
                value = parse(field.value)
            except ValueError as exc:
                field.add_class("-invalid")
                errors.append((field, str(exc)))
                return None
            field.remove_class("-invalid")
            return value

        for index, name in self.picked():
            field = self.query_one(f"#sweep-values-{index}", Input)
            if name in axes:
                label = experiment.param(name).label
                field.add_class("-invalid")
                errors.append((field, f"Axis {index} is {label} again: pick another, or none"))
                continue
            axes[name] = check(field, lambda text, n=name: parse_values(experiment, n, text))
        seeds = check(self.query_one("#sweep-seeds", Input), lambda t: seeds_count(t, "Seeds"))
        length = length_param(experiment.name)
        params: dict[str, Any] = {}
        if length is not None and length.name not in axes:
            params[length.name] = check(self.query_one("#sweep-length", Input), length.parse)
        if errors:
            errors[0][0].focus()
            raise ValueError("; ".join(message for _, message in errors))
        plan_sweep(experiment.name, params, axes, seeds)  # the whole grid: its size, each cell
        device = str(self.query_one("#sweep-device", Select).value)
        return SweepRequest(experiment.name, params, axes, seeds, device)

    def fill(self, spec: dict[str, Any]) -> None:
        """Show a sweep's spec (a past sweep's sweep.json, a lesson's or a code's grid): its
        experiment, axes, seeds and length — without the experiment's change resetting them.
        A sweep.json's axes are those with two values or more: the settings it fixed away
        from their defaults fill the rest (a sweep made before axes: its rate and batch lists)."""
        name = str(spec.get("experiment", ""))
        if name in sweep_experiments():
            with self.prevent(Select.Changed):
                self.query_one("#sweep-experiment", Select).value = name
            self._offer_axes(name)
        experiment = self.experiment
        known = {param.name for param in axis_params(experiment)}
        rows = [(axis["name"], axis["values"]) for axis in spec.get("axes") or []]
        for setting, values in _fixed(spec, experiment):
            if len(rows) < MAX_AXES and setting in known and setting not in dict(rows):
                rows.append((setting, values))
        for index in range(1, MAX_AXES + 1):
            select = self.query_one(f"#sweep-axis-{index}", Select)
            setting, values = rows[index - 1] if index <= len(rows) else (NO_AXIS, [])
            if setting != NO_AXIS and setting not in known:
                continue  # a setting this experiment no longer has: the form keeps its own
            if setting == NO_AXIS and index == 1:
                continue
            with self.prevent(Select.Changed):
                select.value = setting
            put_value(self.query_one(f"#sweep-values-{index}", Input), values_text(values))
        put_value(self.query_one("#sweep-seeds", Input), str(spec.get("seeds", 1)))
        length = length_param(name) if name in EXPERIMENTS else None
        if length is not None:
            self.show_length(name, (spec.get("params") or {}).get(length.name))
        self._show_rows()

    def set_editable(self, editable: bool) -> None:
        for widget in self.query("Input, Select"):
            widget.disabled = not editable

    def offer_devices(self, options: list[tuple[str, str]]) -> None:
        self.query_one("#sweep-device", Select).set_options(options)


def _fixed(spec: dict[str, Any], experiment: Experiment) -> list[tuple[str, list[Any]]]:
    """What a sweep.json set besides its axes, as one-value rows: its rate and batch lists,
    then its shared settings, each where it is not the experiment's default — and both lists
    as they are for a sweep made before axes (they are its axes)."""
    lists = [(setting, spec[key]) for setting, key in LISTS.items() if key in spec]
    if spec.get("axes") is None:
        return lists
    length = length_param(experiment.name)
    shared = [(k, [v]) for k, v in (spec.get("params") or {}).items()
              if length is None or k != length.name]  # fmt: skip
    defaults = {param.name: param.default for param in experiment.params}
    return [(k, v) for k, v in lists + shared if k in defaults and v != [defaults[k]]]
