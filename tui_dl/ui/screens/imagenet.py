"""`--screen imagenet`: someone else's model names what is in your photo, and where it looked.

Nothing trains here: the run loads a pretrained keras.applications network in its own
process, and this screen follows its phases, then reads the run's imagenet.json (the top
guesses) and imagenet.npz (the photo as the network saw it, one Grad-CAM map per guess).
Reading those files again is all it takes to show an old run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option

from tui_dl.analysis.artifacts import load_imagenet
from tui_dl.engine.devices import Gpu
from tui_dl.engine.events import TERMINAL_EVENTS, Event, Status
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.tf_start import STARTING
from tui_dl.text import duration, sentence
from tui_dl.ui.dialogs.file_picker import FilePicker
from tui_dl.ui.follow import RunFollower
from tui_dl.ui.screens.app_screen import SCREENS_CSS
from tui_dl.ui.screens.following import FollowingScreen
from tui_dl.ui.screens.imagenet_text import guess_prompt, result_notes, strip
from tui_dl.ui.tf_start import WAITING, measure_start
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.run.photo_view import PhotoView
from tui_dl.ui.widgets.run.run_form import RunForm, put_value

EXPERIMENT = "transfer-imagenet"
WIDE = 120
"""From this many columns on, the photo and its heatmap stand side by side."""
TALL = 44
"""From this many rows on (and wide), every guess's map is shown small beneath them."""


class ImageNetScreen(FollowingScreen):
    CSS_PATH = [SCREENS_CSS, "imagenet.tcss"]
    BINDINGS = [
        Binding("ctrl+r", "start", "Name it", priority=True),
        Binding("ctrl+o", "pick_image", "Pick image"),
        Binding("c", "cancel", "Cancel"),
        Binding("h", "toggle_heat", "Heatmap"),
        Binding("M", "model", "Model"),
        *[Binding(str(d), f"guess({d})", show=False) for d in range(1, 10)],
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, experiment: str = EXPERIMENT, run_id: str | None = None) -> None:
        super().__init__()
        self.experiment = get_experiment(experiment)
        self.run_id = run_id
        self.status: str | None = None
        self.result: dict[str, Any] | None = None
        self.image: np.ndarray | None = None
        self.maps: np.ndarray | None = None
        self.chosen = 0
        self.heat_on = True
        self.follower = RunFollower(self, self.apply)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="zoo"):
            with VerticalScroll(id="zoo-side") as side:
                side.border_title = "Your photo, their network"
                yield RunForm(self.experiment, id="zoo-form")
                yield Button("Name it  ctrl+r", id="zoo-start", variant="primary", compact=True)
                yield Static("No run yet.", id="zoo-phase")
                yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="zoo-bar")
                yield Static("", id="zoo-error")
                yield Static("", id="zoo-weights")
                yield OptionList(id="zoo-guesses", compact=True)
                yield Static("", id="zoo-notes")
            with Vertical(id="zoo-view"):
                yield Static("", id="zoo-caption")
                with Horizontal(id="zoo-pictures"):
                    yield PhotoView(id="zoo-plain")
                    yield PhotoView(self._intro(), id="zoo-heat")
                yield Static("", id="zoo-strip")
                yield Static("", id="zoo-legend")
        yield KeysFooter()

    def _intro(self) -> Text:
        return Text.assemble(
            f"{self.experiment.summary}\n\n",
            (f"The course: {self.experiment.reference.text}.", "dim"),
            "\n\nName a photo of your own (ctrl+o picks one), choose a network, then "
            "ctrl+r. The weights come from the Keras cache or a download; with Weights none "
            "the same network runs untrained.",
        )

    def on_mount(self) -> None:
        self.title = "tui-dl model zoo"
        self.sub_title = self.experiment.title
        self.query_one("#zoo-guesses").display = False
        self.query_one("#zoo-bar").display = False
        self.starting = WAITING
        """What the wait on TensorFlow is said as, measured from the runs here."""
        measure_start(self, self._measured_start)
        self.load_gpus()
        if self.run_id:
            self.attach(self.run_id)
        else:
            self.query_one(RunForm).focus_first()
        self.layout_pictures()

    def on_resize(self) -> None:
        self.layout_pictures()

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE

    def layout_pictures(self) -> None:
        self.refresh_bindings()
        self.set_class(self.wide, "-wide")
        self.set_class(self.wide and self.size.height >= TALL, "-tall")
        self.query_one("#zoo-plain").display = self.result is not None and self.wide
        if self.result is not None:
            self.show_guesses()

    @on(Select.Changed, "#field-model, #field-weights")
    def settings_changed(self) -> None:
        """Say before launch where the weights will come from (a few file stats: no worker)."""
        from tui_dl.data.sources import missing

        model = str(self.query_one("#field-model", Select).value)
        text = Text("")
        if self.query_one("#field-weights", Select).value != "none":
            absent = missing((f"{model}-weights",), self.app.data_dir)
            size = (absent[0].count or "").rpartition(", ")[2] if absent else ""
            text = Text(
                f"{absent[0].title}: not here — a run downloads {size}, online only."
                if absent
                else "Weights: on this machine.",
                style="yellow" if absent else "dim",
            )
        hint = self.query_one("#zoo-weights", Static)
        hint.update(text)
        hint.display = bool(text.plain) and self.result is None  # a result needs the room

    def offer_gpus(self, gpus: list[Gpu]) -> None:
        if self.run_id is None:
            self.query_one(RunForm).set_gpus(gpus)

    # ----- actions -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run_id is not None and self.status is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "pick_image"):
            return not self.running and not self.launching
        if action == "cancel":
            return self.running
        if action == "toggle_heat":  # wide, the photo stands beside its heatmap anyway
            return self.result is not None and not self.wide
        if action == "guess":
            return self.result is not None
        if action == "model":
            return self.status == Status.FINISHED
        return True

    def action_model(self) -> None:
        """The network's layers (built from its name in a short job, if the run is older)."""
        self.app.open_insight("model", self.run_id)

    @on(Button.Pressed, "#zoo-start")
    def start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if self.running or self.launching:
            return
        try:
            params, device = self.query_one(RunForm).read()
        except (OSError, ValueError) as exc:
            self.say_error(str(exc))
            return
        self.say_error("")
        self.launch_in_background(self.experiment.name, params, device)

    def not_launched(self, problem: Exception) -> None:
        self.say_error(str(problem))

    def say_error(self, message: str) -> None:
        """A setting that cannot work, in red under the form (nothing was launched)."""
        error = self.query_one("#zoo-error", Static)
        error.update(Text(message, style="red"))
        error.display = bool(message)

    def action_pick_image(self) -> None:
        def picked(path: Path | None) -> None:
            if path is not None:
                put_value(self.query_one("#field-image", Input), str(path))
                self.say_error("")
                self.preview(path)

        self.app.push_screen(FilePicker(Path.cwd(), "Choose a photo"), picked)

    @work(thread=True, exclusive=True, group="preview")
    def preview(self, path: Path) -> None:
        """The picked photo at once, as the network will see it (Pillow only, no TensorFlow)."""
        from PIL import Image, ImageOps

        try:
            with Image.open(path) as image:
                size = image.size
                pixels = np.asarray(
                    ImageOps.exif_transpose(image).convert("RGB").resize((224, 224)), np.uint8
                )
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            self.from_thread(self.say_error, f"{path.name}: not a picture ({exc})")
            return
        self.from_thread(self._show_preview, pixels, f"{path.name} ({size[0]}×{size[1]})")

    def _show_preview(self, pixels: np.ndarray, name: str) -> None:
        if self.running:
            return
        self.result, self.image, self.maps = None, pixels, None
        self.query_one("#zoo-guesses").display = False
        self.query_one("#zoo-notes", Static).update("")
        self.query_one("#zoo-strip", Static).update("")
        self.query_one("#zoo-heat", PhotoView).show(pixels)
        self.query_one("#zoo-plain").display = False
        self.query_one("#zoo-caption", Static).update(Text(f"Your photo: {name}"))
        legend = Text("ctrl+r: what does the network say it is?", style="dim")
        self.query_one("#zoo-legend", Static).update(legend)
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self.running:
            self.cancel_in_background(self.source.cancel, self.run_id)

    def action_toggle_heat(self) -> None:
        self.heat_on = not self.heat_on
        self.show_picture()

    def action_guess(self, number: int) -> None:
        if self.result is not None and number <= len(self.result["top"]):
            self.query_one("#zoo-guesses", OptionList).highlighted = number - 1

    @on(OptionList.OptionHighlighted, "#zoo-guesses")
    def guess_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.chosen = event.option_index
        self.show_picture()

    # ----- following a run -----------------------------------------------------------------
    def attach(self, run_id: str) -> None:
        """Show a run from its first event: rebuilt from its files, then live if it still is."""
        found = self.open_run(run_id)
        if found is None:
            return
        run_id, info = found
        self.run_id, self.status, self.result, self.image, self.maps = (
            run_id,
            None,
            None,
            None,
            None,
        )
        self.sub_title = f"run {run_id}"
        self.query_one(RunForm).fill(info.spec.get("params", {}), info.spec.get("device"))
        self.say_error("")
        self.query_one("#zoo-notes", Static).update("")
        self.query_one("#zoo-guesses").display = False
        self.query_one("#zoo-caption", Static).update("")
        self.query_one("#zoo-legend", Static).update("")
        self.query_one("#zoo-heat", PhotoView).say("")
        self.query_one("#zoo-phase", Static).update(self.starting)
        self.query_one("#zoo-bar").display = True
        self.follower.follow(run_id)
        self.layout_pictures()
        self.refresh_bindings()

    def _measured_start(self, words: str) -> None:
        phase = self.query_one("#zoo-phase", Static)
        if str(phase.content) == self.starting:
            phase.update(words)
        self.starting = words

    def apply(self, events: list[dict[str, Any]]) -> None:
        phase = self.query_one("#zoo-phase", Static)
        for event in events:
            kind = event.get("event")
            if kind == Event.PHASE and event["phase"] == STARTING:
                phase.update(self.starting)
            elif kind == Event.PHASE:
                phase.update(Text(sentence(event["phase"]) + "…"))
            elif kind == Event.STARTED:
                model, image = event.get("model", {}), event.get("image", {})
                self.query_one("#zoo-caption", Static).update(
                    Text(f"{model.get('name', '')} looks at {image.get('name', 'your photo')}…")
                )
            elif kind in TERMINAL_EVENTS:
                self.status = kind
                phase.update(
                    f"Done in {duration(event.get('duration_s'))}."
                    if kind == Event.FINISHED
                    else kind.capitalize() + "."
                )
                if kind == Event.FAILED:
                    self.failed(event.get("message", "The run failed."))
                elif kind == Event.CANCELLED:
                    self.query_one("#zoo-heat", PhotoView).say("Cancelled.")
        if self.status is not None:
            self.query_one("#zoo-bar").display = False
            if self.status == Status.FINISHED:
                self.load_result()
            else:
                self.query_one(RunForm).focus_first()  # change something and try again
            self.refresh_bindings()

    def failed(self, message: str) -> None:
        self.query_one("#zoo-caption", Static).update("")
        self.query_one("#zoo-heat", PhotoView).say(
            Text.assemble(("The run failed.", "red"), "\n\n", message)
        )

    # ----- the result ----------------------------------------------------------------------
    def load_result(self) -> None:
        if self.run_id is None:
            return
        run_dir = self.app.source.info(self.run_id).run_dir
        try:
            found = load_imagenet(run_dir)
        except (OSError, ValueError, KeyError) as exc:
            self.failed(f"The run's result cannot be read: {exc}")
            return
        self.image, self.maps = found.image, found.maps
        result = self.result = found.result
        self.chosen, self.heat_on = 0, True
        self.query_one("#zoo-weights").display = False
        self.query_one("#zoo-notes", Static).update(result_notes(result))
        self.layout_pictures()
        guesses = self.query_one("#zoo-guesses", OptionList)
        guesses.display = True
        guesses.highlighted = 0
        guesses.focus()
        self.show_picture()

    def show_guesses(self) -> None:
        if self.result is None:
            return
        top = self.result["top"]
        guesses = self.query_one("#zoo-guesses", OptionList)
        width = self.query_one("#zoo-side").content_size.width - 2
        guesses.clear_options()
        guesses.add_options([Option(guess_prompt(g, max(20, width))) for g in top])
        guesses.highlighted = min(self.chosen, len(top) - 1)

    def show_picture(self) -> None:
        if self.result is None or self.image is None or self.maps is None:
            return
        guess = self.result["top"][self.chosen]
        heat = self.maps[self.chosen] if self.heat_on or self.wide else None
        self.query_one("#zoo-heat", PhotoView).show(self.image, heat)
        self.query_one("#zoo-plain", PhotoView).show(self.image)
        if heat is None:
            caption = Text(f"What {self.result['model']} saw: 224×224")
        else:
            who = self.result["model"] if self.wide else "it"
            caption = Text(f"Where {who} looked for ")
            caption.append(guess["label"], style="bold")
        self.query_one("#zoo-caption", Static).update(caption)
        legend = f"1–{len(self.result['top'])} ↑↓ other guesses" + (
            "" if self.wide else " · h photo/heat"
        )
        if heat is not None and not guess.get("looked", True):
            legend = "Nothing in the last block raised this score: no map. " + legend
        self.query_one("#zoo-legend", Static).update(Text(legend, style="dim"))
        if self.has_class("-tall"):
            width = self.query_one("#zoo-view").content_size.width
            self.query_one("#zoo-strip", Static).update(
                strip(self.image, self.maps, self.result["top"], self.chosen, width)
            )
