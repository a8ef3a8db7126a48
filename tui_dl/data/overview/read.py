"""Reading a dataset for its view: the images' classes and examples, or a UCI table with its
missing values, `describe()` and the drop's effect on the balance. Called in a worker thread
(numpy and pandas come in here, never before the app's first frame) and by `tui-dl data show`.

Nothing is downloaded: a dataset that is not on this machine raises `DatasetUnavailable`,
whose message says where to get it; a damaged file raises it naming the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_dl.data.overview import VIEWS, view_problem
from tui_dl.data.overview.balance import ClassCount, DropEffect, count_classes
from tui_dl.data.registry import DatasetUnavailable, get_dataset

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from tui_dl.data.sources import Located

Progress = Callable[[str], None]
EXAMPLES = 24
"""Examples kept per class: more than a row of the widest screen shows."""
MAX_TABLE_BYTES = 20_000_000
"""A UCI table is a few tens of kB; a file this large is not one (checked before reading)."""
TARGETS = {"house-votes": ("party", "vote"), "mammographic-masses": ("severity", "value")}
"""Each table's class column, and the word for what a row may miss."""
SEVERITY = {"0": "benign", "1": "malignant"}
PARTIES = {"democrat", "republican"}
VOTES = {"y", "n"}


@dataclass
class ImageOverview:
    name: str
    label: str
    """Where the copy shown was read from (the data screen's words)."""
    class_names: list[str]
    train: list[ClassCount]
    test: list[ClassCount]
    examples: list[np.ndarray] = field(default_factory=list)
    """Per class (in `class_names` order): up to `EXAMPLES` (k, 28, 28) uint8 pictures."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.name,
            "kind": "images",
            "source": self.label,
            "classes": [
                {"class": name, "train": tr.count, "test": te.count}
                for name, tr, te in zip(self.class_names, self.train, self.test, strict=True)
            ],
        }


@dataclass
class TableOverview:
    name: str
    label: str
    path: Path
    frame: pd.DataFrame
    """The table as the file holds it ('?' as NaN), classes by name."""
    missing: dict[str, int]
    """Missing values per column."""
    describe: pd.DataFrame
    """pandas' `describe()` of every column, one row per column of the table."""
    drop: DropEffect

    def describe_rows(self) -> list[tuple[str, int, list[str]]]:
        """`describe()` as text, a row per column of the table: its name, its missing values,
        each statistic to 4 significant digits ('' where pandas has none for it)."""
        rows = []
        for column, row in self.describe.iterrows():
            cells = ["" if v != v else f"{v:.4g}" if isinstance(v, float) else str(v) for v in row]
            rows.append((str(column), self.missing.get(str(column), 0), cells))
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.name,
            "kind": "table",
            "source": self.label,
            "path": str(self.path),
            "rows": len(self.frame),
            "missing": self.missing,
            "describe": {
                str(col): {str(stat): _plain(v) for stat, v in row.items()}
                for col, row in self.describe.iterrows()
            },
            "balance": {
                "target": self.drop.target,
                "before": {c.name: c.count for c in self.drop.before},
                "after_dropping_missing": {c.name: c.count for c in self.drop.after},
                "dropped_rows": self.drop.dropped,
                "sentence": self.drop.sentence(),
            },
        }


def _plain(value: object) -> object:
    """A cell of `describe()` as JSON takes it: numpy numbers as Python's, NaN as null."""
    item = getattr(value, "item", None)
    value = item() if callable(item) else value
    if isinstance(value, float) and value != value:
        return None
    return value


def read_overview(
    name: str,
    data_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> ImageOverview | TableOverview:
    """The view of `name` (one of `VIEWS`); `progress` hears each step in words."""
    problem = view_problem(name)
    if problem is not None:
        raise ValueError(problem)
    say = progress or (lambda _: None)
    if VIEWS[name] == "images":
        return read_images(name, data_dir, say)
    return read_table(name, data_dir, say)


def read_images(name: str, data_dir: str | os.PathLike[str] | None, say: Progress) -> ImageOverview:
    import numpy as np

    from tui_dl.data.images import load_fashion_mnist, load_mnist
    from tui_dl.data.sources import locate

    where = locate(name, data_dir=data_dir, allow_download=False)
    say(f"Reading {where.label}…")
    load = load_mnist if name == "mnist" else load_fashion_mnist
    data = load(data_dir, allow_download=False)
    say("Counting each class…")
    names = data.class_names
    labels = np.concatenate([data.y_train, data.y_test])
    if labels.size and (labels.min() < 0 or labels.max() >= len(names)):
        raise DatasetUnavailable(
            f"The labels in {where.path} are outside 0–{len(names) - 1}: the file may be "
            "damaged; delete it and get a fresh copy.",
            name,
        )
    train = _counts(names, data.y_train)
    test = _counts(names, data.y_test)
    examples = [data.x_train[np.flatnonzero(data.y_train == k)[:EXAMPLES]] for k in range(10)]
    return ImageOverview(name, data.located.label, names, train, test, examples)


def _counts(names: list[str], labels: np.ndarray) -> list[ClassCount]:
    """Each class's count, by index: labels already checked to lie in 0..len(names)-1."""
    import numpy as np

    counts = np.bincount(labels, minlength=len(names)) if labels.size else [0] * len(names)
    return [ClassCount(n, int(c)) for n, c in zip(names, counts, strict=True)]


def read_table(name: str, data_dir: str | os.PathLike[str] | None, say: Progress) -> TableOverview:
    from tui_dl.data.sources import locate
    from tui_dl.data.tables import read_uci_table

    where = locate(name, data_dir=data_dir, allow_download=False)
    _check_size(where)
    say(f"Reading {where.path}…")
    frame, where = read_uci_table(name, data_dir, allow_download=False)
    _check_values(name, frame, where.path)
    target, word = TARGETS[name]
    say("Describing each column…")
    described = frame.describe(include="all").T
    if name == "mammographic-masses":  # 0/1 by name, once described (its mean: the share of 1s)
        frame[target] = frame[target].map(
            lambda v: SEVERITY.get(f"{v:g}", f"{v:g}"), na_action="ignore"
        )
    missing = {str(col): int(n) for col, n in frame.isna().sum().items()}
    known = frame[target].dropna()
    classes = sorted(str(v) for v in known.unique())
    before = count_classes(known, classes)
    after = count_classes(frame.dropna()[target], classes)
    effect = DropEffect(target, before, after, word)
    return TableOverview(name, where.label, where.path, frame, missing, described, effect)


def _check_size(where: Located) -> None:
    try:
        size = where.path.stat().st_size
    except OSError as exc:
        raise DatasetUnavailable(
            f"The file {where.path} cannot be read ({exc}).", where.name
        ) from exc
    if size > MAX_TABLE_BYTES:
        title = get_dataset(where.name).title
        raise DatasetUnavailable(
            f"The file {where.path} is {size:,} bytes: far too large for {title} "
            "(tens of kB). It is not the dataset, or it is damaged.",
            where.name,
        )


def _check_values(name: str, frame: pd.DataFrame, path: Path) -> None:
    """Every value what the dataset's .names file allows: a damaged file is said, by row."""
    import pandas as pd

    title = get_dataset(name).title

    def bad(column: str, row: int, value: object, allowed: str) -> DatasetUnavailable:
        return DatasetUnavailable(
            f"The file {path} does not look like {title}: row {row + 1}, column {column}, "
            f"holds {str(value)[:40]!r} where {allowed} belongs.",
            name,
        )

    if name == "house-votes":
        for column in frame.columns:
            allowed = PARTIES if column == "party" else VOTES
            wrong = frame[column].notna() & ~frame[column].isin(allowed)
            if wrong.any():
                row = int(wrong.to_numpy().argmax())
                raise bad(column, row, frame[column].iloc[row], " or ".join(sorted(allowed)))
        return
    for column in frame.columns:
        numbers = pd.to_numeric(frame[column], errors="coerce")
        wrong = numbers.isna() & frame[column].notna()
        if wrong.any():
            row = int(wrong.to_numpy().argmax())
            raise bad(column, row, frame[column].iloc[row], "a number or '?'")
        frame[column] = numbers
