"""Photos as text: an RGB picture in half blocks, in true colour, with a heatmap over it.

Each character is two pixels — `▀` with the upper pixel as its foreground colour and the
lower as its background — and terminal cells are about twice as tall as wide, so pixels come
out square. Without colour (NO_COLOR) a picture is its brightness on the density ramp, and
a heatmap is drawn on that ramp instead of the photo. Pure numpy and rich: the UI uses it.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from tui_dl.ui.render.digits import RAMP, UPPER_HALF, colour_allowed, heat_colour

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
"""How bright red, green and blue look (ITU-R 601): a photo's grey for the ramp."""


def fit(shape: tuple[int, int], width: int, height: int) -> tuple[int, int]:
    """(columns, rows) of the largest picture of this pixel shape inside width × height cells."""
    h, w = shape
    columns = max(1, min(width, int(2 * height * w / h)))
    rows = max(1, min(height, round(columns * h / w / 2)))
    return columns, rows


def shrink(pixels: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Area-average (H, W, ...) down to (rows, columns, ...): each cell the mean of its block."""
    h, w = pixels.shape[:2]
    ys = np.linspace(0, h, rows + 1).astype(int)[:-1]
    xs = np.linspace(0, w, columns + 1).astype(int)[:-1]
    if rows > h or columns > w:  # enlarging: the nearest pixel
        return pixels[np.ix_(np.arange(rows) * h // rows, np.arange(columns) * w // columns)]
    summed = np.add.reduceat(np.add.reduceat(pixels.astype(np.float64), ys, 0), xs, 1)
    counts = np.outer(np.diff(np.append(ys, h)), np.diff(np.append(xs, w)))
    if pixels.ndim == 3:
        counts = counts[..., None]
    return summed / counts


def overlay(rgb: np.ndarray, heat: np.ndarray, alpha: float = 0.7) -> np.ndarray:
    """Photo (…, 3) in 0–1 with heat (…) in 0–1 over it: what mattered glows red to yellow,
    what did not is dimmed, so the eye goes where the network's did."""
    heat = heat[..., None]
    hot = np.stack(np.vectorize(heat_colour)(heat[..., 0]), axis=-1)
    base = rgb * (0.35 + 0.65 * heat)
    mix = alpha * heat
    return (1 - mix) * base + mix * hot


def photo_cells(
    image: np.ndarray, columns: int, rows: int, heat: np.ndarray | None = None
) -> np.ndarray:
    """The picture at (2·rows, columns) pixels as 0–1 RGB, the heatmap laid over it if given."""
    rgb = shrink(np.asarray(image, np.float32) / 255.0, rows * 2, columns)
    if heat is not None:
        level = np.asarray(heat, np.float32)
        level = level / 255.0 if level.max() > 1.0 else level
        rgb = overlay(rgb, np.clip(shrink(level, rows * 2, columns), 0.0, 1.0))
    return np.clip(rgb, 0.0, 1.0)


def ramp_rows(levels: np.ndarray) -> list[str]:
    """Brightness 0–1 at (2·rows, columns) → the density ramp, two pixel rows per text row."""
    cells = (levels[0::2] + levels[1::2]) / 2
    index = np.rint(np.clip(cells, 0, 1) * (len(RAMP) - 1)).astype(int)
    return ["".join(RAMP[i] for i in row) for row in index]


def render_photo(
    image: np.ndarray,
    width: int,
    height: int,
    heat: np.ndarray | None = None,
    colour: bool | None = None,
) -> Text:
    """(H, W, 3) uint8 as the largest picture that fits width × height cells.

    With `heat` (H', W' in 0–1 or 0–255, any size): the heatmap over the photo in colour, or
    the heatmap alone on the ramp without colour.
    """
    colour = colour_allowed() if colour is None else colour
    columns, rows = fit(image.shape[:2], width, height)
    if not colour:
        if heat is not None:
            level = np.asarray(heat, np.float32)
            level = level / 255.0 if level.max() > 1.0 else level
            levels = shrink(level, rows * 2, columns)
        else:
            levels = shrink(np.asarray(image, np.float32) / 255.0 @ LUMA, rows * 2, columns)
        return Text("\n".join(ramp_rows(levels)))
    rgb = np.rint(photo_cells(image, columns, rows, heat) * 255).astype(int)
    text = Text()
    styles: dict[tuple[int, ...], Style] = {}
    for top in range(0, rows * 2, 2):
        for col in range(columns):
            key = (*rgb[top, col], *rgb[top + 1, col])
            style = styles.get(key)
            if style is None:
                style = styles[key] = Style(
                    color=Color.from_rgb(*key[:3]), bgcolor=Color.from_rgb(*key[3:])
                )
            text.append(UPPER_HALF, style)
        if top + 2 < rows * 2:
            text.append("\n")
    return text
