"""`--screen activations --run ID` (`A` on a finished run in Runs, the lab and its views):
inside the model for one input — CNN Explainer in the terminal. ←→ step through the run's
test images (ctrl+o takes a picture of the learner's), ↑↓ pick a layer: a convolution's
channels are small pictures, a dense layer's units a strip of bars with the strongest named,
and `[` `]` pick a channel, whose kernels are drawn as grids of their weights. A pretrained
base inside the model (my-images' network, transfer-digits' convolutions, a model nested in
another) has its layers listed under its name; a deep one's cut to a selection, the rest counted.

The outputs are computed by a short job (TensorFlow stays out of the app) and kept in the
viewer's notes for the run, one file an input: an input seen before is read, not computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui_dl.analysis.activations.files import (
    Activations,
    find_activations,
    picture_file,
    test_image_file,
)
from tui_dl.analysis.layers.available import no_model
from tui_dl.analysis.predictions import Predictions, load_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.engine.workshop.seats import notes_dir
from tui_dl.ui.render.activations import (
    channel_grid,
    draw_input,
    kernels_text,
    layer_list,
    shape_words,
    unit_strip,
)
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen
from tui_dl.ui.screens.run_views.jobs import RunJobs

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

LIST_WIDTH = 30
"""The layer list's columns (the view's right side gets the rest)."""


class ActivationsScreen(RunJobs, RunViewScreen[Predictions]):
    TITLE_TEXT = "inside the model"
    BINDINGS = [
        Binding("right", "step(1)", "Next image"),
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("down,j", "layer(1)", "Next layer"),
        Binding("up,k", "layer(-1)", "Previous layer", show=False),
        Binding("right_square_bracket", "channel(1)", "Channel", key_display="]"),
        Binding("left_square_bracket", "channel(-1)", "Previous channel", show=False),
        Binding("ctrl+o", "picture", "Your picture"),
        Binding("pagedown", "page(1)", "Scroll down", show=False),
        Binding("pageup", "page(-1)", "Scroll up", show=False),
        BACK,
    ]

    def __init__(self, run_id: str, index: int | None = None) -> None:
        super().__init__(run_id)
        self.index = index or 0
        """The test image shown (or last shown, under a picture of the learner's)."""
        self.inside: Activations | None = None
        self.row = 0
        """The picked row: 0 the input, then the model's layers."""
        self.channel = 0
        self.wanted: tuple[str, dict] | None = None
        """The input asked for last: (its file's name, the job's arguments)."""
        self.computing = False
        self.showing_test = False
        """Whether the input shown is test image `index` (not a picture of the learner's)."""
        self.start = Path.cwd()
        """Where the picture picker opens."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="act-head")
        with Horizontal(id="act-row"):
            yield Static("", id="act-layers")
            with VerticalScroll(id="act-body", can_focus=False):  # its keys are the screen's
                yield Static("", id="act-view")
        yield Static("Reading the run…", id=self.MESSAGE)

    def on_mount(self) -> None:
        super().on_mount()
        self.measure_job_start()

    def read(self, info: RunInfo) -> Predictions:
        """The run's test images; a run with no model (or none kept as model.keras): why."""
        why = no_model(info, notes_dir(info.run_dir, info.spec))
        if why:
            raise LookupError(why)
        experiment = EXPERIMENTS.get(info.experiment)
        if experiment is None or runfiles.PREDICTIONS not in experiment.writes:
            raise LookupError(
                f"run {info.run_id} is a {info.experiment} run: it keeps no test pictures to "
                "look inside the model with"
            )
        if not (info.run_dir / runfiles.MODEL).is_file():
            raise LookupError(f"run {info.run_id} has no {runfiles.MODEL} to look inside")
        return load_predictions(info.run_dir)

    def loaded(self, found: Predictions, info: RunInfo) -> None:
        self.index = min(self.index, len(found.y_true) - 1)
        self.show_test_image()

    # ----- the input: read when seen before, else computed ------------------------------------
    def show_test_image(self) -> None:
        self.ask(test_image_file(self.index), {"index": self.index})

    def ask(self, name: str, args: dict) -> None:
        self.wanted = (name, args)
        self.fetch(name, args)  # a file is read at once, even while a job computes another

    @work(thread=True, exclusive=True, group="inside")
    def fetch(self, name: str, args: dict, after_job: bool = False) -> None:
        """Read the input's file; not there, have a job compute it (once: a job that finished
        without writing it is said, not started again)."""
        try:
            found = find_activations(self.folder, self.notes, name)
        except FileNotFoundError:
            if after_job:
                self.from_thread(
                    self.say, "The job finished but left no outputs: see its log.", True
                )
            else:
                self.from_thread(self.compute, name, args)
            return
        except ValueError as exc:  # a damaged file: said, the view stays
            self.from_thread(self.say, f"unreadable: {exc}", True)
            return
        self.from_thread(self.got, name, found)

    def compute(self, name: str, args: dict) -> None:
        if self.wanted is None or self.wanted[0] != name or self.computing:
            return  # the learner moved on meanwhile; or a job runs: this input's comes after it
        self.computing = True
        self.run_job("activations", args, lambda event: self.computed(name, args, event))

    def computed(self, name: str, args: dict, event: dict) -> None:
        self.computing = False
        if event["event"] == Event.FAILED:
            self.say(f"The layers could not be read: {event.get('message', '')}", True)
            return
        wanted = self.wanted or (name, args)
        self.fetch(*wanted, after_job=wanted[0] == name)  # this input, or one asked for since

    def got(self, name: str, found: Activations) -> None:
        if self.wanted is not None and self.wanted[0] != name:
            return
        self.say("")
        self.inside = found
        self.showing_test = name == test_image_file(self.index)
        self.refresh_bindings()
        self.row = min(self.row, len(found.layers))
        self.draw()

    # ----- drawing ----------------------------------------------------------------------------
    def head_text(self) -> Text:
        inside, p = self.inside, self.found
        text = Text()
        if inside is None:
            return text
        text.append(inside.source, style="bold")
        if p is not None and self.showing_test:
            names, true, said = p.class_names, int(p.y_true[self.index]), int(p.y_pred[self.index])
            text.append(f" of {len(p.y_true):,} · true {names[true]} · it said ")
            text.append(names[said], style="green" if true == said else "red")
            text.append(f" ({p.confidence[self.index] * 100:.1f} %)")
        text.append(f" · {len(inside.layers)} layers", style="dim")
        for group, total in inside.groups.items():
            kept = sum(1 for layer in inside.layers if layer.group == group)
            rest = f", {total - kept} more not kept" if total > kept else ""
            text.append(f" · {kept} inside {group}{rest}", style="dim")
        return text

    def draw(self) -> None:
        inside = self.inside
        if inside is None:
            return
        rows = [
            ("input", shape_words(inside.image.shape), ""),
            *((lay.name, shape_words(lay.output.shape), lay.group) for lay in inside.layers),
        ]
        list_width = min(LIST_WIDTH, max(16, self.size.width // 3))
        self.query_one("#act-head", Static).update(self.head_text())
        layers = self.query_one("#act-layers", Static)
        layers.styles.width = list_width
        tall = max(3, self.size.height - 5)
        layers.update(layer_list(rows, inside.groups, self.row, list_width - 1, tall))
        width = max(10, self.size.width - list_width - 3)
        height = max(4, self.size.height - 6)
        self.query_one("#act-view", Static).update(self.body_text(width, height))

    def body_text(self, width: int, height: int) -> Text:
        assert self.inside is not None
        if self.row == 0:
            text = Text("What the model was given:\n", style="dim")
            text.append_text(draw_input(self.inside.image, width, height - 1))
            return text
        layer = self.inside.layers[self.row - 1]
        text = Text().append(f"{layer.group} › " if layer.group else "", style="bold")
        text.append(f"{layer.name} · {layer.type} · {shape_words(layer.output.shape)}\n")
        low, high = float(layer.output.min()), float(layer.output.max())
        if not layer.is_map:
            names = self.class_names(layer.output.size)
            text.append(
                f"its {layer.output.size:,} units, one bar each ({low:.3g} to {high:.3g}):\n",
                style="dim",
            )
            text.append_text(unit_strip(layer.output.reshape(-1), width, names))
            return text
        self.channel = min(self.channel, layer.channels - 1)
        text.append(
            f"its {layer.channels} channels, brighter = stronger ({low:.3g} to {high:.3g}); "
            f"] [ pick one:\n",
            style="dim",
        )
        room = height - 2 if layer.kernel is None else max(6, height // 2)
        text.append_text(channel_grid(layer.output, self.channel, width, room))
        if layer.kernel is not None:
            kernel = layer.kernel
            grids, shown = kernels_text(kernel, self.channel, width, max(4, height // 2))
            inputs = kernel.shape[2]
            more = f", the first {shown}" if shown < inputs else ""
            text.append(
                f"\n\nchannel {self.channel}'s kernel: {kernel.shape[0]}×{kernel.shape[1]} "
                f"weights on each of its {inputs} input channel(s){more} (red +, blue −):\n",
                style="dim",
            )
            text.append_text(grids)
        return text

    def class_names(self, units: int) -> list[str] | None:
        """The class names, for the model's last layer (as many units as classes)."""
        if self.inside is None or self.row != len(self.inside.layers) or self.found is None:
            return None
        names = list(self.found.class_names)
        return names if len(names) == units else None

    def on_resize(self) -> None:
        self.draw()

    # ----- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("step", "picture"):
            return self.found is not None
        if action == "channel":
            return (
                self.inside is not None and self.row > 0 and self.inside.layers[self.row - 1].is_map
            )
        return action == "back" or self.inside is not None

    def action_step(self, step: int) -> None:
        if self.found is None:
            return
        self.index = (self.index + step) % len(self.found.y_true)
        self.show_test_image()

    def action_page(self, step: int) -> None:
        body = self.query_one("#act-body", VerticalScroll)
        (body.scroll_page_down if step > 0 else body.scroll_page_up)(animate=False)

    def action_layer(self, step: int) -> None:
        if self.inside is not None:
            self.row = (self.row + step) % (len(self.inside.layers) + 1)
            self.channel = 0
            self.draw()
            self.refresh_bindings()

    def action_channel(self, step: int) -> None:
        if self.inside is not None and self.row > 0:
            layer = self.inside.layers[self.row - 1]
            if layer.is_map:
                self.channel = (self.channel + step) % layer.channels
                self.draw()

    def action_picture(self) -> None:
        from tui_dl.ui.dialogs.picture_picker import PicturePicker

        picker = PicturePicker(self.start, "A picture to look inside the model with")

        def picked(path: Path | None) -> None:
            if path is None:
                return
            path = Path(path)
            if path.is_dir():
                self.say(f"{path} is a folder: pick one picture in it (enter on a file)", True)
                return
            self.start = path.parent
            self.ask(picture_file(path), {"path": str(path)})

        self.app.push_screen(picker, picked)
