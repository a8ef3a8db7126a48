"""The Playground's data: its six generators (the same draws in the same order as the web
Playground's dataset.ts, so one seed gives the same points), the shuffle and the train/test
split, and the two-feature CSVs a learner brings.

Labels are class numbers (0 the web's orange −1, 1 its blue +1, then 2–4 for the extra classes
of gauss and spiral) for classification, and the value in [−1, 1] for regression.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_dl.engine.playground.rng import SeededRandom
from tui_dl.engine.points_csv import POINTS_CSV_LIMIT as POINTS_CSV_LIMIT  # its old home
from tui_dl.engine.points_csv import DataError, csv_rows, is_number

CLASSIFY_SAMPLES = 500
REGRESS_SAMPLES = 1200
CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
REGRESSION = ("reg-plane", "reg-gauss")
MANY_CLASSES = ("gauss", "spiral")
"""The generators that also make 3–5 classes (more blobs, more arms); circle and xor are two."""
MAX_CLASSES = 5
MIN_ROWS = 10

Point = tuple[float, float, float]  # x, y, label


@dataclass
class Points:
    """A dataset split as the Playground splits it: shuffled, then the first share to train."""

    train_xy: np.ndarray  # (n, 2)
    train_y: np.ndarray  # (n,) class numbers or values
    test_xy: np.ndarray
    test_y: np.ndarray
    classes: int  # 0 for regression

    @property
    def regression(self) -> bool:
        return self.classes == 0


# ----- the generators (dataset.ts), with the web's ±1 labels -----------------------------------
def circle(rng: SeededRandom, n: int, noise: float, classes: int = 2) -> list[Point]:
    radius = 5.0
    points: list[Point] = []

    def label(x: float, y: float) -> float:
        return 1.0 if math.hypot(x, y) < radius * 0.5 else -1.0

    for low, high in ((0.0, radius * 0.5), (radius * 0.7, radius)):
        for _ in range(n // 2):
            r = rng.uniform(low, high)
            angle = rng.uniform(0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            noise_x = rng.uniform(-radius, radius) * noise
            noise_y = rng.uniform(-radius, radius) * noise
            points.append((x, y, label(x + noise_x, y + noise_y)))
    return points


def xor(rng: SeededRandom, n: int, noise: float, classes: int = 2) -> list[Point]:
    points: list[Point] = []
    padding = 0.3
    for _ in range(n):
        x = rng.uniform(-5, 5)
        x += padding if x > 0 else -padding
        y = rng.uniform(-5, 5)
        y += padding if y > 0 else -padding
        noise_x = rng.uniform(-5, 5) * noise
        noise_y = rng.uniform(-5, 5) * noise
        points.append((x, y, 1.0 if (x + noise_x) * (y + noise_y) >= 0 else -1.0))
    return points


def gauss(rng: SeededRandom, n: int, noise: float, classes: int = 2) -> list[Point]:
    variance = 0.5 + noise / 0.5 * 3.5  # noise 0–50 % → variance 0.5–4
    if classes == 2:
        centres = [(2.0, 2.0, 1.0), (-2.0, -2.0, -1.0)]
    else:  # more blobs on the same circle, a class each
        r = math.hypot(2, 2)
        centres = [
            (r * math.cos(a), r * math.sin(a), float(k))
            for k, a in enumerate(math.pi / 4 + 2 * math.pi * k / classes for k in range(classes))
        ]
    points: list[Point] = []
    for cx, cy, label in centres:
        for _ in range(math.ceil(n / len(centres))):
            points.append((rng.normal(cx, variance), rng.normal(cy, variance), label))
    return points


def spiral(rng: SeededRandom, n: int, noise: float, classes: int = 2) -> list[Point]:
    arms = [(0.0, 1.0), (math.pi, -1.0)]
    if classes != 2:
        arms = [(2 * math.pi * k / classes, float(k)) for k in range(classes)]
    per_arm = n // len(arms)
    points: list[Point] = []
    for delta, label in arms:
        for i in range(per_arm):
            r = i / per_arm * 5
            t = 1.75 * i / per_arm * 2 * math.pi + delta
            x = r * math.sin(t) + rng.uniform(-1, 1) * noise
            y = r * math.cos(t) + rng.uniform(-1, 1) * noise
            points.append((x, y, label))
    return points


def _regression(
    rng: SeededRandom, n: int, noise: float, label: Callable[[float, float], float]
) -> list[Point]:
    radius = 6.0
    points: list[Point] = []
    for _ in range(n):
        x, y = rng.uniform(-radius, radius), rng.uniform(-radius, radius)
        noise_x = rng.uniform(-radius, radius) * noise
        noise_y = rng.uniform(-radius, radius) * noise
        points.append((x, y, label(x + noise_x, y + noise_y)))
    return points


def reg_plane(rng: SeededRandom, n: int, noise: float, classes: int = 0) -> list[Point]:
    return _regression(rng, n, noise, lambda x, y: (x + y) / 10)


GAUSSIANS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def reg_gauss(rng: SeededRandom, n: int, noise: float, classes: int = 0) -> list[Point]:
    def label(x: float, y: float) -> float:  # the strongest of six signed bumps
        best = 0.0
        for cx, cy, sign in GAUSSIANS:
            value = sign * min(1.0, max(0.0, 1 - math.hypot(x - cx, y - cy) / 2))
            if abs(value) > abs(best):
                best = value
        return best

    return _regression(rng, n, noise, label)


GENERATORS: dict[str, Callable[[SeededRandom, int, float, int], list[Point]]] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "reg-plane": reg_plane,
    "reg-gauss": reg_gauss,
}


def generate(
    dataset: str,
    seed: str,
    noise_percent: float,
    train_percent: float,
    classes: int = 2,
    rng: SeededRandom | None = None,
) -> Points:
    """The Playground's `generateData`: seed, draw, shuffle, split. `rng`: the seeded stream
    to draw from (it is left where the web's is when it goes on to draw the weights)."""
    rng = rng or SeededRandom(seed)
    regression = dataset in REGRESSION
    n = REGRESS_SAMPLES if regression else CLASSIFY_SAMPLES
    points = GENERATORS[dataset](rng, n, noise_percent / 100, classes)
    rng.shuffle(points)
    return split(points, train_percent, 0 if regression else classes)


def split(points: list[Point], train_percent: float, classes: int) -> Points:
    array = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    labels = array[:, 2]
    if classes == 2 and labels.min(initial=0) < 0:  # the web's ±1 as class numbers 0, 1
        labels = (labels > 0).astype(np.float64)
    cut = math.floor(len(array) * train_percent / 100)
    return Points(array[:cut, :2], labels[:cut], array[cut:, :2], labels[cut:], classes)


# ----- a learner's own points -----------------------------------------------------------------
def load_csv(
    path: str | Path,
    regression: bool,
    seed: str,
    train_percent: float,
    rng: SeededRandom | None = None,
) -> Points:
    """x1,x2,label (classes: 2–5 distinct labels, any names) or x1,x2,y (regression: numbers,
    scaled to [−1, 1] as the Playground's own targets are). A header row is allowed. The rows
    are shuffled with the state's seed, then split."""
    path = Path(path).expanduser()
    rows = csv_rows(path)
    if rows and not is_number(rows[0][1][0]):
        rows = rows[1:]  # a header
    what = "x1,x2,y" if regression else "x1,x2,label"
    xy: list[tuple[float, float]] = []
    raw_labels: list[str] = []
    for number, row in rows:
        if len(row) != 3:
            raise DataError(f"{path}: line {number} has {len(row)} columns; expected 3 ({what})")
        a, b, c = (cell.strip() for cell in row)
        if not (is_number(a) and is_number(b)):
            raise DataError(f"{path}: line {number}: x1 and x2 must be numbers, got {a!r}, {b!r}")
        xy.append((float(a), float(b)))
        raw_labels.append(c)
    if len(xy) < MIN_ROWS:
        raise DataError(f"{path}: {len(xy)} rows; the Playground needs at least {MIN_ROWS}")
    points_xy = np.asarray(xy)
    if not np.isfinite(points_xy).all():
        raise DataError(f"{path}: x1 and x2 hold NaN or infinite values")
    if regression:
        bad = [v for v in raw_labels if not is_number(v) or not math.isfinite(float(v))]
        if bad:
            raise DataError(f"{path}: y must be a number in every row, got {bad[0]!r}")
        values = np.asarray([float(v) for v in raw_labels])
        scale = np.abs(values).max() or 1.0
        labels = values / scale
        classes = 0
    else:
        names = sorted(set(raw_labels), key=lambda v: (not is_number(v), _sort_key(v)))
        if len(names) < 2:
            raise DataError(f"{path}: every row has the label {names[0]!r}; two classes at least")
        if len(names) > MAX_CLASSES:
            raise DataError(
                f"{path}: {len(names)} different labels; the Playground takes at most "
                f"{MAX_CLASSES} classes"
            )
        if any(name.lower() == "nan" for name in names):
            raise DataError(f"{path}: a label is NaN")
        index = {name: i for i, name in enumerate(names)}
        labels = np.asarray([index[v] for v in raw_labels], dtype=np.float64)
        classes = len(names)
    order = list(range(len(xy)))
    (rng or SeededRandom(seed)).shuffle(order)
    cut = math.floor(len(order) * train_percent / 100)
    train, test = np.asarray(order[:cut], dtype=int), np.asarray(order[cut:], dtype=int)
    return Points(points_xy[train], labels[train], points_xy[test], labels[test], classes)


def _sort_key(value: str) -> float | str:
    return float(value) if is_number(value) else value
