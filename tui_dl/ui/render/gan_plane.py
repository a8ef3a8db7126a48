"""The GAN Lab's picture as text: the plane [−1, 1]² with the discriminator's verdict behind,
the generator's manifold over it, and the real and fake points on top.

Colours as GAN Lab's: green is real, purple is fake. The verdict D(x) shades the plane from
pale purple (D says fake) through white (it cannot tell) to pale green (D says real); the
manifold — where the generator sends a regular grid of noise — is a mesh of grey-violet lines;
real points are dark green, fakes dark purple. Each character is two pixels (`▀`, the upper
as foreground, the lower as background), and a point is one pixel, so points sit twice as
fine vertically as characters would allow. With the gradient arrows on, each fake point is an
arrow (`↗`…) the way the generator's loss pushes it.

Without colour (NO_COLOR) each character says what it holds: `o` a real point, `x` a fake,
`*` both, `·` the manifold, and the verdict as a shade — blank where D says fake, `░` where
it cannot tell, `▒` where it says real.
"""

from __future__ import annotations

import math

import numpy as np

from tui_dl.ui.render.boundary import Run, rgb_tuple, styled
from tui_dl.ui.render.digits import UPPER_HALF, colour_allowed

UNSURE = np.array([247, 247, 247], dtype=float)
SAYS_REAL = np.array([166, 219, 160], dtype=float)
SAYS_FAKE = np.array([206, 180, 218], dtype=float)
REAL = np.array([27, 120, 55], dtype=float)
FAKE = np.array([118, 42, 131], dtype=float)
MESH = np.array([160, 150, 175], dtype=float)
ARROWS = "→↗↑↖←↙↓↘"
"""One per eighth of a turn, counter-clockwise from east."""
MONO_VERDICT = (" ", "░", "▒")
"""Without colour: D says fake (below 0.4), cannot tell, says real (0.6 and above)."""
MONO_REAL, MONO_FAKE, MONO_BOTH, MONO_MESH = "o", "x", "*", "·"
LEVELS = 10
"""The verdict's shades each side of ½: coarse enough that neighbours share a colour and a
picture is mostly runs, fine enough to read as a gradient."""
MAX_SEGMENT_PIXELS = 400
"""A manifold segment longer than this is cut short (a generator flung far off the plane)."""


def verdict_colours(verdict: np.ndarray) -> np.ndarray:
    """D(x) in [0, 1] → RGB (…, 3), rounded to LEVELS steps so styles repeat."""
    v = np.round((np.clip(np.nan_to_num(verdict, nan=0.5), 0, 1) * 2 - 1) * LEVELS) / LEVELS
    toward = np.where(v[..., None] < 0, SAYS_FAKE, SAYS_REAL)
    return UNSURE + (toward - UNSURE) * np.abs(v)[..., None]


def to_pixels(xy: np.ndarray, columns: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The (column, row) pixel of each point on [−1, 1]² that falls inside the picture (a
    fake off the plane is not drawn at its edge: it is not there)."""
    col, row, inside = _placed(xy, columns, rows)
    return col[inside], row[inside]


def _placed(xy: np.ndarray, columns: int, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every point's pixel, and which of them fall inside."""
    with np.errstate(invalid="ignore"):
        col = np.floor(np.nan_to_num((xy[:, 0] + 1) / 2 * columns, nan=-1, posinf=-1, neginf=-1))
        row = np.floor(np.nan_to_num((1 - xy[:, 1]) / 2 * rows, nan=-1, posinf=-1, neginf=-1))
    inside = (col >= 0) & (col < columns) & (row >= 0) & (row < rows)
    return col.astype(int), row.astype(int), inside


def trace(lines: np.ndarray, columns: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The pixels a set of polylines (lines, points, 2) passes through: each segment sampled
    at least once a pixel along its length."""
    scale = np.array([columns / 2, rows / 2])
    starts = lines[:, :-1].reshape(-1, 2)
    ends = lines[:, 1:].reshape(-1, 2)
    keep = np.isfinite(starts).all(axis=1) & np.isfinite(ends).all(axis=1)
    starts, ends = starts[keep], ends[keep]
    if not len(starts):
        return np.empty(0, int), np.empty(0, int)
    length = np.abs((ends - starts) * scale).max(axis=1)
    samples = np.clip(np.ceil(length), 1, MAX_SEGMENT_PIXELS).astype(int) + 1
    which = np.repeat(np.arange(len(starts)), samples)
    offsets = np.arange(len(which)) - np.repeat(np.cumsum(samples) - samples, samples)
    t = (offsets / np.repeat(samples - 1, samples))[:, None]
    points = starts[which] + t * (ends[which] - starts[which])
    return to_pixels(points, columns, rows)


def arrow(push: np.ndarray) -> str:
    """The arrow nearest to the direction of `push` (x right, y up)."""
    angle = math.atan2(float(push[1]), float(push[0]))
    return ARROWS[int(round(angle / (math.pi / 4))) % len(ARROWS)]


def plane_rows(
    verdict: np.ndarray,
    real: np.ndarray,
    fake: np.ndarray,
    manifold: np.ndarray | None,
    push: np.ndarray | None = None,
    *,
    colour: bool | None = None,
) -> list[list[Run]]:
    """`verdict`: D(x) over the plane, (2·rows, columns) pixels, row 0 at the top; `real`,
    `fake`: (n, 2) points; `manifold`: (lines, points, 2) or None to leave it out; `push`:
    each fake's push, to draw the fakes as arrows (or None)."""
    colour = colour_allowed() if colour is None else colour
    height, columns = verdict.shape
    rows = height // 2
    arrows: dict[tuple[int, int], str] = {}
    if push is not None:
        cols, pixel_rows, inside = _placed(fake, columns, height)
        for c, r, p in zip(cols[inside], pixel_rows[inside], push[inside], strict=True):
            arrows[(int(r) // 2, int(c))] = arrow(p)
    if not colour:
        return _mono_rows(verdict, real, fake, manifold, arrows, rows, columns)
    rgb = verdict_colours(verdict)
    if manifold is not None:
        c, r = trace(manifold, columns, height)
        rgb[r, c] = MESH
    for points, tint in ((real, REAL), (fake, FAKE)):
        c, r = to_pixels(points, columns, height)
        rgb[r, c] = tint
    return _colour_rows(rgb, verdict_colours(verdict), arrows, rows, columns)


def _colour_rows(
    rgb: np.ndarray,
    background: np.ndarray,
    arrows: dict[tuple[int, int], str],
    rows: int,
    columns: int,
) -> list[list[Run]]:
    """Half-blocks, a run of equal neighbours appended at once (as the Playground's map)."""
    q = rgb.astype(np.int64)
    packed = (q[..., 0] << 16) | (q[..., 1] << 8) | q[..., 2]
    keys = (packed[0::2] << 24) | packed[1::2]
    glyphs = {index: glyph for index, glyph in enumerate(sorted(set(arrows.values())))}
    codes = {glyph: -1 - index for index, glyph in glyphs.items()}
    for (r, c), glyph in arrows.items():
        keys[r, c] = codes[glyph]
    lines: list[list[Run]] = []
    for r in range(rows):
        line: list[Run] = []
        lines.append(line)
        row = keys[r]
        starts = [0, *(np.flatnonzero(row[1:] != row[:-1]) + 1).tolist(), columns]
        for begin, stop in zip(starts, starts[1:], strict=False):
            key = int(row[begin])
            if key < 0:
                behind = rgb_tuple((background[2 * r, begin] + background[2 * r + 1, begin]) / 2)
                style = styled(rgb_tuple(FAKE), behind, True)
                line.append((glyphs[-1 - key] * (stop - begin), style))
            else:
                style = styled(rgb_tuple(rgb[2 * r, begin]), rgb_tuple(rgb[2 * r + 1, begin]))
                line.append((UPPER_HALF * (stop - begin), style))
    return lines


def _mono_rows(
    verdict: np.ndarray,
    real: np.ndarray,
    fake: np.ndarray,
    manifold: np.ndarray | None,
    arrows: dict[tuple[int, int], str],
    rows: int,
    columns: int,
) -> list[list[Run]]:
    """One character a cell, by what it holds: a point, else the manifold, else the verdict."""
    cell = (verdict[0::2] + verdict[1::2]) / 2
    shade = np.digitize(np.nan_to_num(cell, nan=0.5), [0.4, 0.6])
    grid = np.asarray(MONO_VERDICT, dtype=object)[shade]
    height = 2 * rows
    if manifold is not None:
        c, r = trace(manifold, columns, height)
        grid[r // 2, c] = MONO_MESH
    c, r = to_pixels(real, columns, height)
    grid[r // 2, c] = MONO_REAL
    c, r = to_pixels(fake, columns, height)
    for ch, rh in zip(c.tolist(), (r // 2).tolist(), strict=True):
        grid[rh, ch] = MONO_BOTH if grid[rh, ch] in (MONO_REAL, MONO_BOTH) else MONO_FAKE
    for (r_, c_), glyph in arrows.items():
        grid[r_, c_] = glyph
    return [[("".join(grid[r_]), None)] for r_ in range(rows)]
