"""Inside the model for one input, as text: a convolution's channels as small grey pictures
side by side (half blocks, `digits.render_digit`), a dense layer's units as a strip of bars
with the strongest named, and a filter's kernels as small grids of its weights (their numbers
written in when there is room). numpy and rich only: the UI draws it.

Every picture of a layer is scaled on the layer's own range (its least to its greatest
value over all its channels), so a dim channel looks dim beside a bright one.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from tui_dl.ui.render.digits import append_runs, colour_allowed, render_digit
from tui_dl.ui.render.photos import render_photo, shrink
from tui_dl.ui.render.sparkline import bar_rows

PICKED = Style(reverse=True, bold=True)
NUMBERS_FROM = 120
"""The view's width from which a kernel's weights are written as numbers in their cells."""
MIN_TILE = 6
"""The fewest columns a channel's picture is drawn in (smaller shows nothing)."""
TOP_UNITS = 5
FEW_UNITS = 16
"""A layer of this many units or fewer (a model's answer) is drawn a named bar a line."""
STRIP_LINES = 8
"""The most lines of bars (each two tall) a long layer's strip takes."""
"""The strongest units named under a dense layer's strip."""


def shape_words(shape: tuple[int, ...]) -> str:
    return "×".join(str(d) for d in shape)


def layer_range(output: np.ndarray) -> tuple[float, float]:
    return float(output.min()), float(output.max())


def unit_levels(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values on the layer's range → 0–1 (a layer of one value: all 0)."""
    span = high - low
    if span <= 0:
        return np.zeros_like(values, dtype=np.float32)
    return np.clip((values - low) / span, 0.0, 1.0).astype(np.float32)


def draw_input(image: np.ndarray, width: int, height: int) -> Text:
    """The input the learner picked, as large as fits."""
    if image.ndim == 3:  # in colour, at most two cells a pixel
        rows, columns = image.shape[:2]
        return render_photo(image, min(width, 2 * columns), min(height, rows))
    rows, columns = image.shape
    scale = min(2.0, width / columns, 2 * height / rows)
    small = shrink(
        image.astype(np.float32) / 255.0, max(2, int(rows * scale)), max(1, int(columns * scale))
    )
    return render_digit(small)


def tile_size(shape: tuple[int, int], channels: int, width: int, height: int) -> tuple[int, int]:
    """(columns, pixel rows) of one channel's picture: the largest (never larger than the map,
    never under MIN_TILE columns) that lets every channel, each with its number under it,
    fit `width` × `height` cells."""
    rows, columns = shape
    best = min(columns, MIN_TILE)
    for tile in range(best, columns + 1):
        pixel_rows = max(2, round(rows * tile / columns))
        lines = (pixel_rows + 1) // 2 + 1
        per_row = max(1, width // (tile + 1))
        if -(-channels // per_row) * lines > height:
            break
        best = tile
    pixel_rows = max(2, round(rows * best / columns))
    return best, pixel_rows + pixel_rows % 2


def side_by_side(blocks: list[list[Text]], gap: int = 1) -> list[Text]:
    """Blocks of lines (all the same width within a block) joined line by line."""
    height = max(len(block) for block in blocks)
    lines = []
    for row in range(height):
        line = Text()
        for i, block in enumerate(blocks):
            width = max((cell.cell_len for cell in block), default=0)
            piece = block[row] if row < len(block) else Text("")
            line.append_text(piece)
            line.append(" " * (width - piece.cell_len + (gap if i < len(blocks) - 1 else 0)))
        lines.append(line)
    return lines


def channel_grid(output: np.ndarray, picked: int, width: int, height: int) -> Text:
    """Every channel of an (H, W, C) output as a small picture, numbered under it, `picked`
    marked; as large as lets them all fit `width` × `height` where they can."""
    channels = output.shape[-1]
    low, high = layer_range(output)
    columns, rows = tile_size(output.shape[:2], channels, width, height)
    per_row = max(1, width // (columns + 1))
    text = Text()
    for start in range(0, channels, per_row):
        blocks = []
        for c in range(start, min(channels, start + per_row)):
            level = unit_levels(shrink(output[..., c], rows, columns), low, high)
            picture = render_digit(level).split("\n")
            label = f"{c}".center(columns)[:columns]
            picture.append(Text(label, PICKED if c == picked else Style(dim=True)))
            blocks.append(list(picture))
        for line in side_by_side(blocks):
            text.append_text(line)
            text.append("\n")
    text.rstrip()
    return text


def unit_strip(values: np.ndarray, width: int, names: list[str] | None = None) -> Text:
    """A dense layer's units: few (≤ FEW_UNITS), a named bar each on its own line; more, bars
    two lines tall wrapped at `width` (a layer too long for STRIP_LINES lines: each bar the
    strongest of a group of units, said), then the strongest units named with their values."""
    low, high = layer_range(values)
    base = min(0.0, low)
    top = high - base
    text = Text()
    if len(values) <= FEW_UNITS:
        labels = names if names is not None else [f"unit {u}" for u in range(len(values))]
        room = max(1, width - max(len(label) for label in labels) - 10)
        for label, value in zip(labels, values, strict=True):
            filled = int(round(room * (value - base) / top)) if top > 0 else 0
            text.append(label.rjust(max(len(x) for x in labels)) + " ")
            text.append("█" * filled, style="cyan")
            text.append(f" {value:.3g}\n", style="dim")
    else:
        group = -(-len(values) // (width * STRIP_LINES))
        padded = np.full(-(-len(values) // group) * group, base, np.float64)
        padded[: len(values)] = values
        bars = [float(v - base) for v in padded.reshape(-1, group).max(axis=1)]
        if group > 1:
            text.append(f"each bar the strongest of {group} units\n", style="dim")
        for start in range(0, len(bars), max(1, width)):
            chunk = bars[start : start + width]
            for line in bar_rows(chunk, len(chunk), top, 2):
                text.append(line + "\n", style="cyan")
    order = np.argsort(values)[::-1][:TOP_UNITS]
    text.append("strongest: ", style="dim")
    for rank, unit in enumerate(order):
        name = names[unit] if names is not None else f"unit {unit}"
        text.append(("" if rank == 0 else " · ") + name, style="bold" if rank == 0 else "")
        text.append(f" {values[unit]:.3g}", style="dim")
    return text


def weight_colour(level: float) -> Color:
    """−1 → blue, 0 → black, +1 → red: a weight's sign and size."""
    value = int(round(min(1.0, abs(level)) * 200)) + 30 if level else 30
    return (
        Color.from_rgb(value, 30, 30) if level >= 0 else Color.from_rgb(30, 30 + value // 2, value)
    )


def kernel_grid(weights: np.ndarray, peak: float, numbers: bool) -> list[Text]:
    """One (kh, kw) kernel: a cell a weight, coloured by its sign and size against `peak`;
    with `numbers`, each cell its weight written in."""
    lines = []
    for row in weights:
        cells: list[tuple[str, Style]] = []
        for w in row:
            level = float(w) / peak if peak > 0 else 0.0
            mark = f"{w:+.2f}"[:5].rjust(5) + " " if numbers else "██"
            style = (
                Style(bgcolor=weight_colour(level), color="white")
                if numbers
                else Style(color=weight_colour(level))
            )
            if not colour_allowed():
                mark = f"{w:+.2f} " if numbers else ("+" if w > 0 else "-" if w < 0 else "0") * 2
                style = Style()
            cells.extend((ch, style) for ch in mark)
        line = Text()
        append_runs(line, cells)
        lines.append(line)
    return lines


def kernels_text(kernel: np.ndarray, channel: int, width: int, lines: int) -> tuple[Text, int]:
    """Channel `channel`'s kernels, one grid per input channel, as many as fit `lines` lines
    of `width`; the text and how many it shows."""
    filters = kernel[..., channel]  # (kh, kw, inputs)
    numbers = width >= NUMBERS_FROM
    peak = float(np.abs(filters).max())
    grids = [
        [Text(f"in {i}", Style(dim=True)), *kernel_grid(filters[..., i], peak, numbers)]
        for i in range(filters.shape[-1])
    ]
    grid_width = max(g.cell_len for g in grids[0]) + 2
    per_row = max(1, width // grid_width)
    rows_fit = max(1, lines // (len(grids[0]) + 1))
    shown = grids[: per_row * rows_fit]
    text = Text()
    for start in range(0, len(shown), per_row):
        for line in side_by_side(shown[start : start + per_row], gap=2):
            text.append_text(line)
            text.append("\n")
    text.rstrip()
    return text, len(shown)


def layer_list(
    rows: list[tuple[str, str, str]],
    totals: dict[str, int],
    picked: int,
    width: int,
    height: int | None = None,
) -> Text:
    """The input and every layer (name, shape, the base it sits in), one a line, the picked
    one marked; a base's layers indented under its name, with how many it has in all when
    only some are kept. Cut to `height` lines around the picked one, what is left out said."""
    lines: list[Text] = []
    at = 0
    for i, (name, shape, group) in enumerate(rows):
        if group and (i == 0 or rows[i - 1][2] != group):
            kept = sum(1 for row in rows if row[2] == group)
            total = totals.get(group, kept)
            count = f"{kept} of its {total} layers" if total > kept else f"{kept} layers"
            head = Text("  ▾ ", style="dim").append(group, style="bold")
            if head.cell_len + len(count) + 3 <= width:
                lines.append(head.append(f" · {count}", style="dim"))
            else:  # a narrow list: the count on a line of its own
                head.truncate(width, overflow="ellipsis")
                lines += [head, Text(f"    {count}", style="dim")]
        indent = "  " if group else ""
        room = max(4, width - len(shape) - 3 - len(indent))
        name = name if len(name) <= room else name[: room - 1] + "…"
        line = Text(indent + ("▸ " if i == picked else "  ") + name.ljust(room) + " ")
        line.append(shape, style="dim")
        if i == picked:
            at = len(lines)
            line.stylize(PICKED, len(indent), len(indent) + 2 + len(name))
        lines.append(line)
    if height is not None and len(lines) > height >= 3:
        first = min(max(0, at - height // 2), len(lines) - height)
        window = lines[first : first + height]
        if first:
            window[0] = Text(f"  ↑ {first + 1} more", style="dim")
        if first + height < len(lines):
            window[-1] = Text(f"  ↓ {len(lines) - first - height + 1} more", style="dim")
        lines = window
    return Text("\n").join(lines)
