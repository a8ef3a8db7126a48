"""A generative model's samples as they form: the same noise drawn after every epoch.

The grid of the latest epoch (live while the run trains: it is re-read every two seconds);
←→ step back through the earlier epochs — the course's "blobs at epoch 0, shirts by epoch
8" — and the epoch's losses beside it (VAE: total, reconstruction, KL; GAN: D loss, D
accuracy on real and on fake, G loss).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from tui_dl.analysis.artifacts import GenerativeSamples, load_samples
from tui_dl.engine.events import LIVE, Event
from tui_dl.ui.render.digits import render_digit, resize_nearest
from tui_dl.ui.screens.app_screen import AppScreen

POLL_S = 2.0
LOSS_NAMES = {
    "loss": "total",
    "reconstruction_loss": "reconstruction",
    "kl_loss": "KL",
    "d_loss": "D loss",
    "d_acc_real": "D right on real",
    "d_acc_fake": "D right on fake",
    "g_loss": "G loss",
}


def grid_text(images: np.ndarray, width: int, height: int) -> Text:
    """As many of `images` as fit in `width` × `height` characters, full size (28 × 14) when
    at least two rows of four fit, else half size."""
    size = 28 if width >= 4 * 29 and height >= 2 * 15 else 14
    per_row = max(1, width // (size + 1))
    rows = max(1, height // (size // 2 + 1))
    shown = images[: per_row * rows]
    pictures = [
        render_digit(image if size == 28 else resize_nearest(image, (14, 14))).split()
        for image in shown
    ]
    text = Text(no_wrap=True, overflow="crop")
    for start in range(0, len(pictures), per_row):
        group = pictures[start : start + per_row]
        for line in range(size // 2):
            if start or line:
                text.append("\n")
            for picture in group:
                text.append_text(picture[line])
                text.append(" ")
        text.append("\n")
    return text


class SamplesScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("left", "epoch(-1)", "Earlier"),
        Binding("right", "epoch(1)", "Later"),
        Binding("home", "first", "Epoch 0"),
        Binding("end", "last", "Latest"),
    ]
    CSS = """
    #samples-info { height: auto; padding: 0 1; }
    #samples-grid { padding: 0 1; }
    """

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.samples: GenerativeSamples | None = None
        self.epoch: int | None = None  # None: follow the latest
        self.epoch_logs: list[dict[str, float | None]] = []
        self.run_dir: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the run's samples…", id="samples-info")
        with Vertical():
            yield Static(id="samples-grid")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Samples as they form"
        self.sub_title = f"run {self.run_id}"
        self.load()
        self.set_interval(POLL_S, self.load)

    @work(thread=True, exclusive=True, group="samples")
    def load(self) -> None:
        try:
            info = self.app.source.info(self.run_id)
            samples = load_samples(info.run_dir)
        except (LookupError, OSError, ValueError, KeyError) as exc:
            self.from_thread(self.say, f"Nothing to show yet: {exc}")
            return
        logs = [e.get("logs", {}) for e in info.events if e.get("event") == Event.EPOCH_END]
        self.from_thread(self.loaded, samples, logs, info.status in LIVE)

    def loaded(self, samples: GenerativeSamples, logs: list[dict], live: bool) -> None:
        self.samples, self.epoch_logs = samples, logs
        self.sub_title = f"run {self.run_id}" + (" · training" if live else "")
        self.redraw()

    def shown_epoch(self) -> int:
        assert self.samples is not None
        latest = len(self.samples.grids) - 1
        return latest if self.epoch is None else max(0, min(latest, self.epoch))

    def redraw(self) -> None:
        if self.samples is None:
            return
        epoch = self.shown_epoch()
        info = Text()
        info.append(f"Epoch {epoch} of {len(self.samples.grids) - 1}", "bold")
        info.append("  (0: before training) · the same noise every epoch · ←→ epochs", "dim")
        if epoch and epoch <= len(self.epoch_logs):
            logs = self.epoch_logs[epoch - 1]
            parts = [
                f"{label} {logs[key]:.3g}"
                for key, label in LOSS_NAMES.items()
                if isinstance(logs.get(key), int | float)
            ]
            info.append("\n" + " · ".join(parts))
        self.query_one("#samples-info", Static).update(info)
        width = max(20, self.size.width - 2)
        height = max(8, self.size.height - 6)
        grid = grid_text(self.samples.grids[epoch], width, height)
        self.query_one("#samples-grid", Static).update(grid)

    def on_resize(self) -> None:
        self.redraw()

    def action_epoch(self, step: int) -> None:
        if self.samples is None:
            return
        self.epoch = self.shown_epoch() + step
        if self.epoch >= len(self.samples.grids) - 1:
            self.epoch = None  # back at the latest: follow it again
        self.redraw()

    def action_first(self) -> None:
        self.epoch = 0
        self.redraw()

    def action_last(self) -> None:
        self.epoch = None
        self.redraw()

    def action_back(self) -> None:
        self.app.pop_screen()

    def say(self, text: str) -> None:
        self.query_one("#samples-info", Static).update(text)
