"""A generative model's samples as they form: the same noise drawn after every epoch.

The grid of the latest epoch (live while the run trains: it is re-read every two seconds);
←→ step back through the earlier epochs — the course's "blobs at epoch 0, shirts by epoch
8" — and the epoch's losses above it (VAE: total, reconstruction, KL; GAN: D loss, D
accuracy on real and on fake, G loss, and how varied its samples are). The curves of those
figures stand beside the grid on a wide terminal; on a small one `c` swaps grid and curves.
When a GAN's variety falls well below its best, the screen says what mode collapse is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tui_dl.analysis.artifacts import GenerativeSamples, load_samples
from tui_dl.engine.experiments.course_lines import course_line
from tui_dl.ui.render.digits import render_digit, resize_nearest
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen
from tui_dl.ui.widgets.run.series_plot import Series, SeriesPlot

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

SIDE_BY_SIDE = 150
"""From this many columns on, the curves stand beside the grid; below, `c` swaps them."""
VAE, GAN = "fashion-vae", "fashion-gan"
"""The experiments whose runs draw samples."""
PLOTS: dict[str, tuple[tuple[str, tuple[Series, ...]], ...]] = {
    VAE: (
        ("Loss", (Series("loss", "total"), Series("reconstruction_loss", "reconstruction"))),
        ("KL divergence", (Series("kl_loss", "KL"),)),
    ),
    GAN: (
        ("Losses", (Series("d_loss", "D"), Series("g_loss", "G"))),
        ("D right", (Series("d_acc_real", "on real"), Series("d_acc_fake", "on fake"))),
        ("Variety", (Series("classes", "classes ÷ 10", 0.1), Series("spread", "pixel spread"))),
    ),
}


def plots_of(experiment: str) -> tuple[tuple[str, tuple[Series, ...]], ...]:
    """The curves beside a run's samples: its model's figures (a VAE's for any other)."""
    return PLOTS.get(experiment, PLOTS[VAE])


COLLAPSE = 0.6
"""A GAN's variety below this share of its best so far reads as mode collapse."""
LOSS_NAMES = {
    "loss": "total",
    "reconstruction_loss": "reconstruction",
    "kl_loss": "KL",
    "d_loss": "D loss",
    "d_acc_real": "D right on real",
    "d_acc_fake": "D right on fake",
    "g_loss": "G loss",
    "classes": "classes",
    "spread": "spread",
}


def collapse_note(logs: Sequence[Mapping[str, object]], upto: int) -> str:
    """The course's warning, when the samples of epochs 1..upto have lost their variety."""
    classes = [v for log in logs[:upto] if isinstance(v := log.get("classes"), int | float)]
    if len(classes) < 2:
        return ""
    best = max(classes)
    peak = classes.index(best) + 1
    if classes[-1] >= COLLAPSE * best:
        return ""
    return (
        f"Mode collapse? The samples now span {classes[-1]:.1f} classes' worth of the ten "
        f"(they spanned {best:.1f} at epoch {peak}): the generator has found a few kinds of "
        "image that fool the discriminator and makes mostly those — the course's GAN made "
        "mostly dresses and shirts. GANs are unstable; a lower generator learning rate, more "
        "discriminator steps or another seed may bring the variety back."
    )


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


class SamplesScreen(RunViewScreen[GenerativeSamples]):
    BINDINGS = [
        BACK,
        Binding("left", "epoch(-1)", "Earlier"),
        Binding("right", "epoch(1)", "Later"),
        Binding("home", "first", "Epoch 0"),
        Binding("end", "last", "Latest"),
        Binding("c", "swap", "Curves"),
    ]
    CSS = """
    #samples-info { height: auto; padding: 0 1; }
    #samples-grid { padding: 0 1; }
    #samples-grid-box { width: 1fr; }
    #samples-curves { width: 60; }
    #samples-curves SeriesPlot { height: 1fr; }
    #samples-body.-narrow #samples-curves { display: none; }
    #samples-body.-narrow.-curves #samples-curves { display: block; width: 1fr; }
    #samples-body.-narrow.-curves #samples-grid-box { display: none; }
    """
    TITLE_TEXT = "Samples as they form"
    MESSAGE = "samples-info"
    FOLLOWS = True

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.epoch: int | None = None  # None: follow the latest
        self.epoch_logs: list[dict[str, float | None]] = []
        self.experiment = ""
        """The run's experiment, once read: which model's figures the curves show."""

    def compose_body(self) -> ComposeResult:
        yield Static("Loading the run's samples…", id=self.MESSAGE)
        with Horizontal(id="samples-body"):
            with Vertical(id="samples-grid-box"):
                yield Static(id="samples-grid")
            yield Vertical(id="samples-curves")  # its plots once the run's model is known

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#samples-body").set_class(self.app.size.width < SIDE_BY_SIDE, "-narrow")

    def read(self, info: RunInfo) -> GenerativeSamples:
        return load_samples(info.run_dir)

    def loaded(self, found: GenerativeSamples, info: RunInfo) -> None:
        self.epoch_logs = info.history()
        if not self.experiment:  # the curves of the run's model, now that it is known
            self.experiment = info.experiment
            plots = [
                SeriesPlot(title, series, id=f"samples-plot-{index}")
                for index, (title, series) in enumerate(plots_of(info.experiment))
            ]
            data = (info.final("started") or {}).get("data_source")
            for plot in plots:  # the course's figure beside the curve it reports on
                lines = (course_line(info.experiment, s.key, data) for s in plot.series)
                plot.course = next((line for line in lines if line), None)
            self.query_one("#samples-curves").mount_all(plots)
        self.redraw()

    @property
    def samples(self) -> GenerativeSamples | None:
        return self.found

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
        note = collapse_note(self.epoch_logs, epoch) if self.experiment == GAN else ""
        if note:
            info.append("\n" + note, "yellow")
        self.query_one("#samples-info", Static).update(info)
        narrow = self.app.size.width < SIDE_BY_SIDE
        width = max(20, self.app.size.width - (2 if narrow else 64))
        height = max(8, self.app.size.height - 5 - info.plain.count("\n"))
        grid = grid_text(self.samples.grids[epoch], width, height)
        self.query_one("#samples-grid", Static).update(grid)
        for plot in self.query(SeriesPlot):
            plot.set_history(self.epoch_logs, mark=epoch or None)

    def on_resize(self) -> None:
        self.query_one("#samples-body").set_class(self.app.size.width < SIDE_BY_SIDE, "-narrow")
        self.redraw()

    def action_swap(self) -> None:
        self.query_one("#samples-body").toggle_class("-curves")

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
