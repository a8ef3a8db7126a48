"""What the data view and `--json` show of a folder, as plain data: the classes and their
counts, the pictures' sizes and modes, what was skipped and why, the same picture in two
classes, the balance warning and the split's sizes. `FolderSummary.to_dict()` is JSON-able.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from tui_dl.data.my_images.balance import balance
from tui_dl.data.my_images.scan import Folder, ImageFile, Skipped
from tui_dl.data.my_images.split import SplitSettings, needed, split_problems, split_sizes


@dataclass(frozen=True)
class Duplicate:
    """One content (by sha256) found at more than one path."""

    sha256: str
    files: list[tuple[str, str]]
    """(class, path inside the folder) of each copy, in folder order."""

    @property
    def classes(self) -> list[str]:
        """The classes the copies are in, each once."""
        return sorted({label for label, _ in self.files})


@dataclass(frozen=True)
class Sizes:
    """Minimum, median and maximum of the pictures' widths and of their heights, in pixels."""

    width: tuple[int, int, int]
    height: tuple[int, int, int]


@dataclass(frozen=True)
class FolderSummary:
    """Everything the data view needs to say about a folder before training."""

    folder: str
    counts: dict[str, int]
    """Class → usable pictures, in class order."""
    total: int
    sizes: Sizes
    modes: dict[str, int]
    """Pillow mode → pictures, most common first."""
    formats: dict[str, int]
    skipped: list[Skipped]
    skipped_counts: dict[str, int]
    """Kind → skipped files and folders."""
    duplicates: list[Duplicate]
    """The same picture in two classes or more: a label that contradicts itself."""
    repeats: list[Duplicate]
    """The same picture twice in one class: it can land in training and in test."""
    majority_class: str
    majority_share: float
    imbalance: float
    """The largest class's count over the smallest's."""
    balance_warning: str | None
    split: str
    """The split's settings, described: "70/15/15 (train/validation/test)"."""
    split_sizes: dict[str, tuple[int, int, int]]
    """Class → (train, validation, test)."""
    split_needed: int
    split_problems: list[str]
    other: str | None = None
    """The folder the "other" class was read from (`--other`), if any: its count is the
    `counts` entry `other.OTHER`."""

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data (tuples become lists when dumped)."""
        return asdict(self)


def duplicates(images: list[ImageFile]) -> list[Duplicate]:
    """Every content found at more than one path, in folder order."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for image in images:
        found[image.sha256].append((image.label, image.relative))
    return [Duplicate(digest, files) for digest, files in found.items() if len(files) > 1]


def _spread(values: list[int]) -> tuple[int, int, int]:
    return min(values), round(statistics.median(values)), max(values)


def summarize(folder: Folder, settings: SplitSettings | None = None) -> FolderSummary:
    """The summary of a scanned folder, its split by `settings` (default 70/15/15)."""
    settings = settings or SplitSettings()
    counts = folder.counts()
    weighed = balance(counts)
    repeated = duplicates(folder.images)
    return FolderSummary(
        folder=str(folder.root),
        counts=counts,
        total=len(folder.images),
        sizes=Sizes(
            _spread([i.width for i in folder.images]), _spread([i.height for i in folder.images])
        ),
        modes=dict(Counter(i.mode for i in folder.images).most_common()),
        formats=dict(Counter(i.format for i in folder.images).most_common()),
        skipped=list(folder.skipped),
        skipped_counts=folder.skipped_counts(),
        duplicates=[d for d in repeated if len(d.classes) > 1],
        repeats=[d for d in repeated if len(d.classes) == 1],
        majority_class=weighed.largest,
        majority_share=weighed.majority_share,
        imbalance=weighed.ratio,
        balance_warning=weighed.warning,
        split=settings.describe(),
        split_sizes=split_sizes(counts, settings),
        split_needed=needed(settings),
        split_problems=split_problems(counts, settings),
        other=str(folder.other) if folder.other else None,
    )
