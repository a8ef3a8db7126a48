"""`--screen attention`: where the network was looking when it answered.

The maps come from an engine job (Grad-CAM on the last convolutional layer, or a gradient
saliency map for a model without one) and are kept in the run folder for next time. A run on
the learner's own pictures (my-images) is drawn in colour, the map over its picture.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from tui_dl.analysis.artifacts import AttentionMaps, load_attention
from tui_dl.analysis.predictions import Predictions
from tui_dl.engine.events import Event
from tui_dl.ui.render.digits import render_digit
from tui_dl.ui.render.photos import render_photo
from tui_dl.ui.screens.run_views.predictions import PredictionsScreen
from tui_dl.ui.widgets.text_field import TextField

METHODS = {
    "grad-cam": "Grad-CAM on {layer}: the last convolutional layer's feature maps, weighted by "
    "how much each raises the class's score.",
    "saliency": "Gradient saliency: this model has no convolutional layer, so the map shows which "
    "pixels change the class's score most.",
}
NO_CONVOLUTION = (
    "Gradient saliency: no convolutional layer of this model could be reached, so the map "
    "shows which pixels change the class's score most."
)
EMPTY = (
    "This map is empty: nothing the layer saw raised this class's score (Grad-CAM keeps only "
    "what raised it)."
)
PICTURE = (28, 14)
"""A picture's columns and rows: a digit's 28×28 pixels, a colour picture shrunk to as many."""


class AttentionScreen(PredictionsScreen):
    TITLE_TEXT = "where it looked"
    BINDINGS = [
        Binding("right,j", "step(1)", "Next"),
        Binding("left,k", "step(-1)", "Previous", show=False),
        Binding("t", "true_class", "True class"),
        Binding("y", "predicted_class", "Its answer"),
        Binding("g", "goto", "Go to image"),
        *[Binding(str(d), f"show_class({d})", show=False) for d in range(10)],
        *PredictionsScreen.BINDINGS,
    ]

    def __init__(self, run_id: str, index: int | None = None) -> None:
        super().__init__(run_id)
        self.attention = AttentionMaps()
        self.maps, self.order = self.attention.maps, self.attention.order
        self.method = ""
        self.conv_layer = ""
        self.pos = 0
        self.cls: int | None = None
        self.wanted = index

    def compose_body(self) -> ComposeResult:
        yield Static("", id="attention-title")
        with Horizontal(id="attention-row"):
            yield Static("", id="attention-plain", classes="digit")
            yield Static("", id="attention-heat", classes="digit")
            yield Static("", id="attention-info")
        yield TextField(
            placeholder="test image number, then enter", id="attention-goto", compact=True
        )
        yield Static("", id="attention-method")

    def show(self, predictions: Predictions, finished: dict) -> None:
        self.query_one("#attention-goto", Input).display = False
        try:
            if not self.load_maps():
                self.run_job("attention", {}, self.job_done)
            else:
                self.start()
        except ValueError as exc:  # a damaged maps file: say so, stay usable
            self.say(f"unreadable: {exc}", True)

    def load_maps(self) -> bool:
        """Every map this run already has (the first job's and any asked for since);
        ValueError (UnreadableArtifact) when a maps file is damaged."""
        try:
            found = load_attention(self.folder, self.attention)  # the owner's, then the viewer's
            if self.notes != self.folder:
                found = load_attention(self.notes, found)
            n, classes = len(self.shown.y_true), self.shown.n_classes
            if any(i >= n or len(self.maps[i]) < classes for i in self.order):
                raise ValueError("attention maps: an image or a class this run does not have")
        except ValueError:
            self.maps.clear()  # nothing to step through: the view's keys do nothing
            self.order.clear()
            raise
        self.method, self.conv_layer = found.method, found.layer
        return bool(self.maps)

    def job_done(self, event: dict) -> None:
        if event["event"] == Event.FAILED:
            self.say(f"Could not compute the maps: {event.get('message', '')}", True)
            return
        try:
            self.load_maps()
        except ValueError as exc:
            self.say(f"unreadable: {exc}", True)
            return
        self.start()

    def start(self) -> None:
        if self.wanted is not None and self.wanted in self.maps:
            self.pos = self.order.index(self.wanted)
        self.display_image()

    def display_image(self) -> None:
        p = self.shown
        index = self.order[self.pos]
        cls = int(p.y_pred[index]) if self.cls is None else self.cls
        names = p.class_names
        true, pred = int(p.y_true[index]), int(p.y_pred[index])
        heat = self.maps[index][cls]
        if p.colour_images is not None:  # the learner's own picture, in colour
            size = self.picture_size(p.colour_images.shape[1:3])
            plain = render_photo(p.colour_images[index], *size)
            over = render_photo(p.colour_images[index], *size, heat=heat)
        else:
            plain, over = render_digit(p.images[index]), render_digit(p.images[index], heat=heat)
        self.query_one("#attention-plain", Static).update(plain)
        self.query_one("#attention-heat", Static).update(over)
        info = Text()
        info.append(f"test image #{index}\n", style="bold")
        info.append(f"true  {names[true]}\n")
        info.append(f"said  {names[pred]}", style="green" if true == pred else "red")
        info.append(f" ({p.confidence[index] * 100:.1f} %)\n\n")
        info.append("map for class ", style="dim")
        info.append(f"{names[cls]}", style="bold")
        info.append(
            " (its answer)\n" if cls == pred else " (the true one)\n" if cls == true else "\n",
            style="dim",
        )
        info.append(f"\n{self.pos + 1} of {len(self.order)}\n", style="dim")
        keys = f"0–{min(p.n_classes, 10) - 1}"
        info.append(f"{keys} map another class\ng go to any test image", style="dim")
        self.query_one("#attention-info", Static).update(info)
        self.query_one("#attention-title", Static).update(
            "Left: the image. Right: where it looked — brighter mattered more."
        )
        method = METHODS[self.method] if self.method in METHODS else self.method
        if self.method == "saliency" and p.colour_images is not None:
            method = NO_CONVOLUTION
        method = method.format(layer=self.conv_layer) if self.method in METHODS else method
        if self.method == "grad-cam" and not np.any(heat):
            method = f"{EMPTY} {method}"
        if self.attention.note:  # the layer's name and the note are the run's: plain text
            method = f"{method} Note: {self.attention.note}."
        self.query_one("#attention-method", Static).update(Text(method))

    def picture_size(self, shape: tuple[int, int]) -> tuple[int, int]:
        """A colour picture's columns and rows: every pixel of it where the screen has room
        (200×60), a digit's size where it does not (80×24); the boxes sized to match."""
        height, width = shape
        columns, rows = PICTURE
        if self.app.size.width >= 2 * width + 60 and self.app.size.height >= height // 2 + 16:
            columns, rows = width, (height + 1) // 2
        for box in ("#attention-plain", "#attention-heat"):
            widget = self.query_one(box)
            widget.styles.width, widget.styles.height = columns + 1, rows
        self.query_one("#attention-row").styles.height = rows + 1
        return columns, rows

    def on_resize(self) -> None:
        if self._ready() and self.shown.colour_images is not None:
            self.display_image()

    def _ready(self) -> bool:
        return bool(self.order) and self.predictions is not None

    def action_step(self, step: int) -> None:
        if self._ready():
            self.pos = (self.pos + step) % len(self.order)
            self.display_image()

    def action_show_class(self, cls: int) -> None:
        if self._ready() and cls < self.shown.n_classes:
            self.cls = cls
            self.display_image()

    def action_true_class(self) -> None:
        if self._ready():
            self.cls = int(self.shown.y_true[self.order[self.pos]])
            self.display_image()

    def action_predicted_class(self) -> None:
        if self._ready():
            self.cls = None
            self.display_image()

    def action_goto(self) -> None:
        box = self.query_one("#attention-goto", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#attention-goto")
    def goto_submitted(self, event: Input.Submitted) -> None:
        box = event.input
        n = len(self.predictions.y_true) if self.predictions is not None else 0
        try:
            index = int(event.value.strip())
            if not 0 <= index < n:
                raise ValueError
        except ValueError:
            self.notify(f"Type a test image number from 0 to {n - 1}.", severity="error")
            return
        box.display = False
        box.value = ""
        self.wanted = index
        if index in self.maps:
            self.start()
        else:
            self.run_job("attention", {"indices": [index], "index": index}, self.job_done)
