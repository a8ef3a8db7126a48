"""A VAE's latent space: where the test images land, and what the decoder makes of each point.

The plane on the left is the latent plane (the first two dimensions, [−3, 3]²): the latent
means of 2,000 test images coloured by class — the course's "clusters nobody labelled" — or,
with `m`, the decoded manifold, a grid of the decoder's images over the same plane. The arrows
move a cursor across it and the decoder's image at that point shows at once beside it (the
child decoded a fine grid after the latest epoch, so nothing here needs TensorFlow). `[` and
`]` pick a real test image: its encoding is marked on the plane (`enter` takes the cursor there)
and its reconstruction stands beside it. Re-read every two seconds while the run trains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tui_dl.analysis.artifacts import LatentSpace, load_latent
from tui_dl.data.images import FASHION_CLASSES
from tui_dl.ui.render.digits import render_digit, resize_nearest
from tui_dl.ui.render.scatter import Plane, legend_text, scatter_text
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

TILE = 9
"""Pixels per decoded image, at least, in the manifold: smaller ones are no longer clothes."""
WIDE = 150
"""From this many columns on, the images beside the plane are drawn full size."""


def manifold_image(latent: LatentSpace, size: int, cursor: tuple[int, int]) -> np.ndarray:
    """The decoded grid as one grey picture `size` pixels square: as many of its images as fit
    at TILE pixels or more, the one under the cursor in negative."""
    cells = latent.manifold.shape[0]
    count = max(2, min(cells, size // TILE))
    tile = max(1, size // count)
    picks = [round(i * (cells - 1) / (count - 1)) for i in range(count)]
    near = (
        min(range(count), key=lambda i: abs(picks[i] - cursor[0])),
        min(range(count), key=lambda i: abs(picks[i] - cursor[1])),
    )
    mosaic = np.zeros((count * tile, count * tile), dtype=np.uint8)
    for i, row in enumerate(picks):
        for j, column in enumerate(picks):
            image = resize_nearest(latent.manifold[row, column], (tile, tile))
            if (i, j) == near:
                image = 255 - image
            mosaic[i * tile : (i + 1) * tile, j * tile : (j + 1) * tile] = image
    return mosaic


class LatentScreen(RunViewScreen[LatentSpace]):
    BINDINGS = [
        BACK,
        Binding("up", "move(-1, 0)", "Move", show=False),
        Binding("down", "move(1, 0)", "Move", show=False),
        Binding("left", "move(0, -1)", "Move", show=False),
        Binding("right", "move(0, 1)", "Move", show=False),
        Binding("m", "toggle_manifold", "Manifold"),
        Binding("left_square_bracket", "pick(-1)", "Prev"),
        Binding("right_square_bracket", "pick(1)", "Next image"),
        Binding("enter", "go_to_pick", "Go"),
        Binding("c", "clear_pick", "Clear", show=False),
    ]
    CSS = """
    #latent-info { height: auto; padding: 0 1; }
    #latent-plane { width: auto; padding: 0 1; }
    #latent-side { width: 1fr; padding: 0 1; }
    #latent-side Static { height: auto; margin-bottom: 1; }
    """
    TITLE_TEXT = "Latent space"
    MESSAGE = "latent-info"
    FOLLOWS = True

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.cursor: tuple[int, int] | None = None  # (row, column) on the decoded grid
        self.manifold = False
        self.picked: int | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Loading the run's latent space…", id=self.MESSAGE)
        with Horizontal():
            yield Static(id="latent-plane")
            with Vertical(id="latent-side"):
                yield Static(id="latent-decoded")
                yield Static(id="latent-real")
                yield Static(id="latent-legend")

    def read(self, info: RunInfo) -> LatentSpace:
        return load_latent(info.run_dir)

    def loaded(self, found: LatentSpace, info: RunInfo) -> None:
        if self.cursor is None:
            middle = found.manifold.shape[0] // 2
            self.cursor = (middle, middle)
        self.redraw()

    @property
    def latent(self) -> LatentSpace | None:
        return self.found

    # ----- drawing ----------------------------------------------------------------------------
    def plane_size(self) -> int:
        """Rows of the plane: as many as the screen has, leaving the side its width."""
        rows = max(6, self.size.height - 5)
        room = self.size.width - (60 if self.size.width >= WIDE else 34)
        return max(6, min(rows, room // 2))

    def redraw(self) -> None:
        latent, cursor = self.latent, self.cursor
        if latent is None or cursor is None:
            return
        rows = self.plane_size()
        plane = Plane(latent.span, 2 * rows, rows)
        x, y = latent.cell(*cursor)
        info = Text()
        info.append(f"Epoch {latent.epoch}", "bold")
        dims = latent.means.shape[1]
        info.append(
            f"  {len(latent.means):,} test images · "
            + ("the decoded manifold" if self.manifold else "latent means by class")
            + (f" · dimensions 1–2 of {dims} (the rest at 0)" if dims > 2 else ""),
            "dim",
        )
        self.query_one("#latent-info", Static).update(info)
        mark = None
        if self.picked is not None:
            px, py = latent.means[self.picked][:2]
            mark = plane.cell(float(px), float(py) if dims > 1 else 0.0)
        if self.manifold:
            picture = render_digit(manifold_image(latent, 2 * rows, cursor))
        else:
            points = latent.means if dims > 1 else _with_zero(latent.means)
            picture = scatter_text(points, latent.labels, plane, plane.cell(x, y), mark)
        self.query_one("#latent-plane", Static).update(picture)
        full = self.size.width >= WIDE
        decoded = Text()
        decoded.append(f"At ({x:+.2f}, {y:+.2f})", "bold")
        decoded.append("  ↑↓←→ move\n", "dim")
        decoded.append_text(_image(latent.manifold[cursor], full))
        self.query_one("#latent-decoded", Static).update(decoded)
        self.query_one("#latent-real", Static).update(self.real_text(full))
        self.query_one("#latent-legend", Static).update(_legend(full))

    def real_text(self, full: bool) -> Text:
        latent = self.latent
        assert latent is not None
        text = Text()
        if self.picked is None:
            text.append("[ ] pick a real image: where it encodes, and its reconstruction", "dim")
            return text
        i = self.picked
        label = int(latent.labels[i])
        where = latent.means[i][:2]
        text.append(f"Real image {i + 1} of {len(latent.images)}", "bold")
        place = ", ".join(f"{v:+.2f}" for v in where)
        text.append(f" · {FASHION_CLASSES[label]} · encoded at ({place}), marked @", "dim")
        text.append(" · enter goes there\n", "dim")
        real = _image(latent.images[i], full).split()
        rebuilt = _image(latent.reconstructions[i], full).split()
        text.append("real".ljust(len(real[0]) + 2) + "reconstructed\n", "dim")
        for line, (left, right) in enumerate(zip(real, rebuilt, strict=True)):
            if line:
                text.append("\n")
            text.append_text(left)
            text.append("  ")
            text.append_text(right)
        return text

    def on_resize(self) -> None:
        self.redraw()

    # ----- keys -------------------------------------------------------------------------------
    def action_move(self, rows: int, columns: int) -> None:
        if self.latent is None or self.cursor is None:
            return
        last = self.latent.manifold.shape[0] - 1
        row, column = self.cursor
        self.cursor = (min(last, max(0, row + rows)), min(last, max(0, column + columns)))
        self.redraw()

    def action_toggle_manifold(self) -> None:
        self.manifold = not self.manifold
        self.redraw()

    def action_pick(self, step: int) -> None:
        if self.latent is None or not len(self.latent.images):
            return
        count = len(self.latent.images)
        if self.picked is None:
            self.picked = 0 if step > 0 else count - 1
        else:
            self.picked = (self.picked + step) % count
        self.redraw()

    def action_go_to_pick(self) -> None:
        latent = self.latent
        if latent is None or self.picked is None:
            return
        x, y = (list(latent.means[self.picked][:2]) + [0.0])[:2]
        cells = latent.manifold.shape[0]
        step = 2 * latent.span / (cells - 1)
        column = round((float(x) + latent.span) / step)
        row = round((latent.span - float(y)) / step)
        self.cursor = (min(cells - 1, max(0, row)), min(cells - 1, max(0, column)))
        self.redraw()

    def action_clear_pick(self) -> None:
        self.picked = None
        self.redraw()


def _with_zero(means: np.ndarray) -> np.ndarray:
    """A one-dimensional latent space, drawn on the line y = 0."""
    return np.column_stack([means[:, 0], np.zeros(len(means))])


def _image(image: np.ndarray, full: bool) -> Text:
    return render_digit(image if full else resize_nearest(image, (14, 14)))


def _legend(full: bool) -> Text:
    if full:
        return legend_text(FASHION_CLASSES)
    # two columns of five on a small screen
    left = legend_text(FASHION_CLASSES[:5]).split()
    right = legend_text(FASHION_CLASSES[5:], first=5).split()
    text = Text()
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        if index:
            text.append("\n")
        text.append_text(a)
        text.append(" " * max(1, 17 - len(a)))
        text.append_text(b)
    return text
