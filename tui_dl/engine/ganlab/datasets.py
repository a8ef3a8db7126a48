"""The real points a GAN Lab generator learns to imitate: a ring (hard: a closed curve from a
square of noise), a line (easy), two blobs, or a learner's own CSV of x,y rows.

Everything lives on the plane [−1, 1]², as GAN Lab's does on its unit square: the networks'
starting weights suit inputs of about that size, and the picture is always that square. A
learner's points are moved and scaled into it (their bounding box centred, its longer side
0.8·2 wide); the factor is kept, to say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_dl.engine.points_csv import DataError, csv_rows, is_number

DATASETS = ("ring", "line", "blobs")
POINTS = 1200
"""How many real points a built-in shape has (each step draws its batch from them)."""
MIN_ROWS = 10
FIT = 0.8
"""A learner's points fill [−FIT, FIT] along their longer side."""
RING_RADIUS, RING_WIDTH = 0.6, 0.03
LINE_ENDS = np.array([[-0.7, -0.45], [0.7, 0.45]])
BLOB_CENTRES, BLOB_SPREAD = np.array([[-0.45, 0.4], [0.45, -0.4]]), 0.09


@dataclass
class RealPoints:
    xy: np.ndarray
    """(n, 2) on the plane [−1, 1]²."""
    name: str
    """`ring`, `line`, `blobs`, or the CSV's file name."""
    scale: float = 1.0
    """What a learner's coordinates were multiplied by to fit (1 for the built-in shapes)."""


def generate(name: str, rng: np.random.Generator, count: int = POINTS) -> RealPoints:
    if name == "ring":
        angle = rng.uniform(0.0, 2 * math.pi, count)
        radius = RING_RADIUS + rng.normal(0.0, RING_WIDTH, count)
        xy = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    elif name == "line":
        start, end = LINE_ENDS
        along = rng.uniform(0.0, 1.0, (count, 1))
        xy = start + along * (end - start) + rng.normal(0.0, 0.005, (count, 2))
    elif name == "blobs":
        which = rng.integers(0, len(BLOB_CENTRES), count)
        xy = BLOB_CENTRES[which] + rng.normal(0.0, BLOB_SPREAD, (count, 2))
    else:
        raise DataError(f"no dataset {name!r}; one of {', '.join(DATASETS)}, or a CSV file")
    return RealPoints(xy, name)


def distance_to_line(xy: np.ndarray) -> np.ndarray:
    """Each point's distance to the line dataset's segment (for its tests and the CLI)."""
    start, end = LINE_ENDS
    direction = end - start
    along = np.clip((xy - start) @ direction / (direction @ direction), 0.0, 1.0)
    return np.linalg.norm(xy - (start + along[:, None] * direction), axis=1)


def load_csv(path: str | Path) -> RealPoints:
    """Two numeric columns, x and y, one point a row; a header row is allowed. What is wrong
    is said with the line it is on."""
    path = Path(path).expanduser()
    rows = csv_rows(path)  # a plain file within POINTS_CSV_LIMIT
    if rows and len(rows[0][1]) == 2 and not any(is_number(cell) for cell in rows[0][1]):
        rows = rows[1:]  # a header
    xy = [_point(path, number, cells) for number, cells in rows]
    if len(xy) < MIN_ROWS:
        raise DataError(f"{path}: {len(xy)} rows of x,y; the GAN Lab needs at least {MIN_ROWS}")
    points = np.asarray(xy)
    low, high = points.min(axis=0), points.max(axis=0)
    half = float((high - low).max()) / 2
    if half == 0:
        raise DataError(f"{path}: every row is the same point; nothing to learn the shape of")
    scale = FIT / half
    return RealPoints((points - (low + high) / 2) * scale, path.name, scale)


def _point(path: Path, number: int, cells: list[str]) -> tuple[float, float]:
    if len(cells) != 2:
        raise DataError(f"{path}: line {number} has {len(cells)} columns; expected 2 (x,y)")
    x, y = (cell.strip() for cell in cells)
    if not (is_number(x) and is_number(y)):
        raise DataError(f"{path}: line {number}: x and y must be numbers, got {x!r}, {y!r}")
    point = (float(x), float(y))
    if not all(math.isfinite(v) for v in point):
        raise DataError(f"{path}: line {number}: x and y must be finite, got {x!r}, {y!r}")
    return point
