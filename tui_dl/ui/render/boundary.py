"""The Playground's pictures as text: a decision boundary (or one neuron's output) over
[−6, 6]², with the points on top, in half-block characters.

Colour as on the web: orange for −1 (class 0), a pale grey at 0, blue for +1 (class 1), and
three more hues for classes 2–4; the shade says how sure. Each character is two pixels (`▀`,
the upper as foreground, the lower as background); a character holding a point shows the
point's mark instead. Without colour (NO_COLOR) the regions are told apart by characters —
blank, `·`, `░`, `▒`, `▓` for the classes, or a density ramp for a value — and the points by
their marks: `o` class 0, `+` class 1, `x`, `*`, `#`; test points as their capitals or `⊕`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from tui_dl.ui.render.digits import UPPER_HALF, colour_allowed

NEUTRAL = np.array([232, 234, 235], dtype=float)
CLASS_COLOURS = np.array(
    [
        [245, 147, 34],  # the web's orange (−1)
        [8, 119, 189],  # the web's blue (+1)
        [44, 160, 44],
        [148, 103, 189],
        [214, 39, 40],
    ],
    dtype=float,
)
TRAIN_MARKS = "o+x*#"
TEST_MARKS = "O⊕X✱▣"
REGION_GLYPHS = " ·░▒▓"
RAMP = " .:-=+*#%@"
LEVELS = 24
"""Colours are rounded to this many steps of confidence, so styles repeat and cache."""


def value_colours(values: np.ndarray, discretize: bool = False) -> np.ndarray:
    """Values in [−1, 1] → RGB (…, 3): orange through grey to blue."""
    v = np.clip(np.nan_to_num(values), -1, 1)
    if discretize:
        v = np.where(v >= 0, 1.0, -1.0)
    v = np.round(v * LEVELS) / LEVELS
    toward = np.where(v[..., None] < 0, CLASS_COLOURS[0], CLASS_COLOURS[1])
    return NEUTRAL + (toward - NEUTRAL) * np.abs(v)[..., None]


def class_colours(probabilities: np.ndarray, discretize: bool = False) -> np.ndarray:
    """Class probabilities (…, K) → RGB: the likeliest class's hue, paler when unsure."""
    k = probabilities.shape[-1]
    best = probabilities.argmax(axis=-1)
    sure = (probabilities.max(axis=-1) - 1 / k) / (1 - 1 / k)
    sure = np.ones_like(sure) if discretize else np.round(np.clip(sure, 0, 1) * LEVELS) / LEVELS
    return NEUTRAL + (CLASS_COLOURS[best] - NEUTRAL) * sure[..., None]


@lru_cache(maxsize=4096)
def styled(fg: tuple[int, int, int], bg: tuple[int, int, int], bold: bool = False) -> Style:
    return Style(color=Color.from_rgb(*fg), bgcolor=Color.from_rgb(*bg), bold=bold or None)


def rgb_tuple(colour: np.ndarray) -> tuple[int, int, int]:
    r, g, b = (int(c) for c in colour)
    return (r, g, b)


def _mark_colour(label: int) -> tuple[int, int, int]:
    return rgb_tuple(CLASS_COLOURS[label] * 0.55)  # darker than its region, so it stands out


def place_points(
    xy: np.ndarray, columns: int, rows: int, domain: float = 6.0
) -> tuple[np.ndarray, np.ndarray]:
    """Each point's character cell (column, row) on a map of `columns` × `rows` characters."""
    col = np.floor((xy[:, 0] + domain) / (2 * domain) * columns).astype(int)
    row = np.floor((domain - xy[:, 1]) / (2 * domain) * rows).astype(int)
    return col.clip(0, columns - 1), row.clip(0, rows - 1)


Run = tuple[str, Style | None]


def boundary_text(
    pixels: np.ndarray,
    points: list[tuple[np.ndarray, np.ndarray, bool]],
    *,
    classes: int,
    discretize: bool = False,
    colour: bool | None = None,
) -> Text:
    """The picture as one Rich Text (see `boundary_rows`)."""
    text = Text(no_wrap=True, overflow="crop")
    for index, row in enumerate(
        boundary_rows(pixels, points, classes=classes, discretize=discretize, colour=colour)
    ):
        if index:
            text.append("\n")
        for chunk, style in row:
            text.append(chunk, style)
    return text


def boundary_rows(
    pixels: np.ndarray,
    points: list[tuple[np.ndarray, np.ndarray, bool]],
    *,
    classes: int,
    discretize: bool = False,
    colour: bool | None = None,
) -> list[list[Run]]:
    """`pixels`: (2·rows, columns) values in [−1, 1], or (2·rows, columns, K) probabilities;
    `points`: (xy, labels, is_test) groups, drawn in order (test points last, on top).
    Regression labels are values: their marks are by sign."""
    colour = colour_allowed() if colour is None else colour
    rows, columns = pixels.shape[0] // 2, pixels.shape[1]
    marks: dict[tuple[int, int], tuple[int, bool]] = {}
    for xy, labels, is_test in points:
        if not len(xy):
            continue
        cols, rws = place_points(xy, columns, rows)
        if classes:
            kinds = labels.astype(int)
        else:
            kinds = (labels >= 0).astype(int)
        for c, r, k in zip(cols.tolist(), rws.tolist(), kinds.tolist(), strict=True):
            marks[(r, c)] = (k, is_test)
    if pixels.ndim == 3:
        rgb = class_colours(pixels, discretize)
        region = pixels.argmax(axis=-1)
        level = None
    else:
        rgb = value_colours(pixels, discretize)
        region = (pixels >= 0).astype(int)
        level = np.clip(np.nan_to_num(pixels), -1, 1)
    if colour:
        return _colour_rows(rgb, marks, rows, columns)
    lines: list[list[Run]] = []
    for r in range(rows):
        top, bottom = 2 * r, 2 * r + 1
        line = []
        for c in range(columns):
            mark = marks.get((r, c))
            if mark is not None:
                kind, is_test = mark
                line.append((TEST_MARKS if is_test else TRAIN_MARKS)[kind])
            elif level is not None and classes == 0:  # regression: a density ramp of the value
                mean = (level[top, c] + level[bottom, c]) / 2
                line.append(RAMP[int(round((mean + 1) / 2 * (len(RAMP) - 1)))])
            else:
                line.append(REGION_GLYPHS[int(region[top, c]) % len(REGION_GLYPHS)])
        lines.append([("".join(line), None)])
    return lines


def _colour_rows(
    rgb: np.ndarray, marks: dict[tuple[int, int], tuple[int, bool]], rows: int, columns: int
) -> list[list[Run]]:
    """Half-blocks, a run of equal neighbours appended at once (colours are rounded to
    LEVELS steps, so most of a smooth picture is runs): a large map costs a few ms, not 30."""
    q = rgb.astype(np.int64)
    packed = (q[..., 0] << 16) | (q[..., 1] << 8) | q[..., 2]
    keys = (packed[0::2] << 24) | packed[1::2]  # (rows, columns): upper and lower pixel
    for (r, c), (kind, is_test) in marks.items():
        keys[r, c] = -1 - (2 * kind + int(is_test))
    lines: list[list[Run]] = []
    for r in range(rows):
        line: list[Run] = []
        lines.append(line)
        row = keys[r]
        starts = [0, *(np.flatnonzero(row[1:] != row[:-1]) + 1).tolist(), columns]
        for begin, stop in zip(starts, starts[1:], strict=False):
            key = int(row[begin])
            if key < 0:
                kind, test = divmod(-1 - key, 2)
                glyph = (TEST_MARKS if test else TRAIN_MARKS)[kind]
                middle = rgb_tuple((rgb[2 * r, begin] + rgb[2 * r + 1, begin]) / 2)
                line.append((glyph * (stop - begin), styled(_mark_colour(kind), middle, True)))
            else:
                upper = rgb_tuple(rgb[2 * r, begin])
                lower = rgb_tuple(rgb[2 * r + 1, begin])
                line.append((UPPER_HALF * (stop - begin), styled(upper, lower)))
    return lines


def thumbnail_text(pixels: np.ndarray, colour: bool | None = None) -> Text:
    """A neuron's output, small: (2·rows, columns) values, without points. A neuron's output is
    not a class: tanh/linear values as the web colours them, ReLU outputs as they come."""
    colour = colour_allowed() if colour is None else colour
    rgb = value_colours(pixels)
    text = Text(no_wrap=True, overflow="crop")
    for r in range(pixels.shape[0] // 2):
        if r:
            text.append("\n")
        for c in range(pixels.shape[1]):
            if colour:
                text.append(
                    UPPER_HALF, styled(rgb_tuple(rgb[2 * r, c]), rgb_tuple(rgb[2 * r + 1, c]))
                )
            else:
                mean = float(np.clip((pixels[2 * r, c] + pixels[2 * r + 1, c]) / 2, -1, 1))
                text.append(RAMP[int(round((mean + 1) / 2 * (len(RAMP) - 1)))])
    return text


def weight_style(weight: float, strongest: float = 2.0) -> Style:
    """A weight as the web draws a link: orange negative, blue positive, deeper when larger."""
    share = min(1.0, abs(weight) / strongest)
    hue = CLASS_COLOURS[1] if weight >= 0 else CLASS_COLOURS[0]
    return Style(
        color=Color.from_rgb(*rgb_tuple(NEUTRAL + (hue - NEUTRAL) * (0.25 + 0.75 * share)))
    )


def downsample(grid: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Nearest pixels of a (H, W, …) grid at a smaller size."""
    r = (np.arange(rows) * grid.shape[0] // rows).clip(0, grid.shape[0] - 1)
    c = (np.arange(columns) * grid.shape[1] // columns).clip(0, grid.shape[1] - 1)
    return grid[np.ix_(r, c)]
