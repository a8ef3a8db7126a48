"""The settings form shown before a run: one compact row per setting, plus the device."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Input, Label, Select

from tui_dl.engine.devices import Gpu
from tui_dl.engine.experiments import ChoiceParam, Experiment, FolderParam
from tui_dl.ui.serve.seat_files import confine_value
from tui_dl.ui.widgets.text_field import TextField

CPU_CHOICE = ("CPU", "cpu")
FOLDER_VIEW = "my-images-data"
"""The page ctrl+l opens on a form's folder (my-images', the one experiment with folders)."""


def put_value(field: Input, text: str) -> None:
    """Fill a text field as if the learner had typed `text`: its cursor at the end. (Textual
    keeps the cursor where it was, so a field that held "0" and is filled with "14000" has it
    after the "1", and one backspace leaves "4000".) Every value the app writes into a field —
    ctrl+t, a try key, a share code, a picked file — goes through here."""
    field.value = text
    field.cursor_position = len(text)


def read_cluster(field: Input) -> str | None:
    """A form's cluster field (the lab's, the sweep's): blank for this machine, else a Ray
    address (checked here)."""
    from tui_dl.engine.cluster import check_address

    text = field.value.strip()
    return check_address(text) if text else None


class RunForm(Grid):
    """Reads as a form, validates as the engine does (the same `Param.parse`).

    A grid of label and field, not a row container per setting: each container is one more
    widget to style, and a form of a dozen settings opened half as fast with one per row.
    """

    DEFAULT_CSS = """
    RunForm { height: auto; grid-size: 2; grid-columns: 15 1fr; grid-rows: 1; }
    RunForm Label { width: 15; color: $text-muted; }
    RunForm Input, RunForm Select { width: 1fr; }
    RunForm Input.-invalid { color: $error; }
    """

    BINDINGS = [
        Binding("ctrl+o", "pick_folder", "Pick folder"),
        Binding("ctrl+l", "look_at_folder", "Look at data"),
    ]

    def __init__(self, experiment: Experiment, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.experiment = experiment
        self.folder_params = [p for p in experiment.params if isinstance(p, FolderParam)]
        """The settings ctrl+o fills by picking a folder (my-images' pictures and its other
        folder): the focused one, else the first."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_folder":  # only on a form with a folder to name, and editable
            return bool(self.folder_params) and not self.field(self.folder_params[0].name).disabled
        if action == "look_at_folder":  # also while a run shows: its folder is in the form
            return bool(self.folder_params)
        return True

    def picking_for(self) -> FolderParam:
        """The folder setting ctrl+o fills: the one being typed in, else the first."""
        focused = self.app.focused
        chosen = (p for p in self.folder_params if self.field(p.name) is focused)
        return next(chosen, self.folder_params[0])

    def action_pick_folder(self) -> None:
        """A folder picked by keyboard into a folder setting (typing its path works too)."""
        from tui_dl.ui.dialogs.folder_picker import FolderPicker

        if not self.folder_params:
            return
        param = self.picking_for()
        field = self.field(param.name)
        typed = Path(str(field.value)).expanduser() if field.value else None
        start = typed.parent if typed is not None and typed.parent.is_dir() else Path.cwd()

        def picked(path: Path | None) -> None:
            if path is not None and isinstance(field, Input):
                put_value(field, str(path))
                field.remove_class("-invalid")
                field.focus()

        self.app.push_screen(FolderPicker(start, f"{param.label}: choose"), picked)

    def action_look_at_folder(self) -> None:
        """The data view of the folder in the form (and its other folder, counted as the class
        "other"): the pictures looked at before a network does."""
        from tui_dl.ui import registry

        try:  # as a launch reads them (a seat's folders checked), or why not
            folder, *others = (
                p.parse(confine_value(p, str(self.field(p.name).value))) for p in self.folder_params
            )
        except ValueError as exc:
            self.app.notify(
                f"{exc}. ctrl+o picks a folder; ctrl+l then shows its pictures.",
                title="Look at data",
                severity="warning",
            )
            return
        view = registry.entry(FOLDER_VIEW).load()
        self.app.push_screen(view(folder, other=next((o for o in others if o), None)))

    def compose(self) -> ComposeResult:
        for param in self.experiment.params:
            yield Label(param.label, classes="field-label")
            if isinstance(param, ChoiceParam):
                yield Select(
                    [(c, c) for c in param.choices],
                    value=param.default,
                    allow_blank=False,
                    compact=True,
                    id=f"field-{param.name}",
                )
            else:
                yield TextField(
                    str(param.default),
                    compact=True,
                    id=f"field-{param.name}",
                    select_on_focus=False,
                )
        yield Label("Device", classes="field-label")
        yield Select([CPU_CHOICE], value="cpu", allow_blank=False, compact=True, id="field-device")

    def set_gpus(self, gpus: list[Gpu]) -> None:
        """Offer each GPU nvidia-smi reported; default to the first one when there is one."""
        select = self.query_one("#field-device", Select)
        select.set_options([CPU_CHOICE] + [(Text(g.label), f"gpu:{g.index}") for g in gpus])
        select.value = f"gpu:{gpus[0].index}" if gpus else "cpu"

    def field(self, name: str) -> Input | Select[Any]:
        """The input of one setting: a text box, or a list for a setting with choices."""
        widget = self.query_one(f"#field-{name}")
        if not isinstance(widget, (Input, Select)):
            raise TypeError(f"#field-{name} is a {type(widget).__name__}")
        return widget

    def raw_values(self) -> dict[str, str]:
        values = {}
        for param in self.experiment.params:
            widget = self.field(param.name)
            values[param.name] = str(widget.value)
        return values

    def read(self, quiet: bool = False) -> tuple[dict[str, Any], str]:
        """(validated settings, device); raises ValueError naming the first bad field. Not
        `quiet`: bad fields are marked and the first is focused."""
        errors = []
        values = self.raw_values()
        for param in self.experiment.params:
            widget = self.field(param.name)
            try:  # at a browser seat, a file only from the seat's own folder
                values[param.name] = confine_value(param, values[param.name])
                param.parse(values[param.name])
                if not quiet:
                    widget.remove_class("-invalid")
            except ValueError as exc:
                if not quiet:
                    widget.add_class("-invalid")
                errors.append((widget, str(exc)))
        if errors:
            if not quiet:
                errors[0][0].focus()
            raise ValueError("; ".join(message for _, message in errors))
        device = str(self.query_one("#field-device", Select).value)
        return self.experiment.validate(values), device

    def fill(self, params: dict[str, Any], device: str | None = None) -> None:
        """Show a past run's settings (for a re-run with the same values)."""
        for param in self.experiment.params:
            if param.name in params:
                widget = self.field(param.name)
                if isinstance(widget, Input):
                    put_value(widget, str(params[param.name]))
                else:
                    widget.value = params[param.name]
        if device:
            select = self.query_one("#field-device", Select)
            try:
                select.value = device
            except Exception:  # noqa: BLE001 — that GPU is not here now: keep the default
                pass

    @staticmethod
    def first_field(experiment: Experiment) -> str:
        """The selector of the form's first field (the lab focuses it as it opens)."""
        return f"#field-{experiment.params[0].name}"

    def focus_first(self) -> None:
        self.query_one(self.first_field(self.experiment)).focus()

    def set_editable(self, editable: bool) -> None:
        for widget in self.query("Input, Select"):
            widget.disabled = not editable
