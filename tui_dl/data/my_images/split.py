"""The train / validation / test split of a scanned folder: stratified, seeded, and checked
before anything trains.

Each class is split on its own (scikit-learn's `train_test_split`, twice, with sizes computed
here), so every part holds every class in the folder's proportions. Validation and test get
their fraction of the class rounded to the nearest picture but never fewer than one, and
training keeps the rest: a class of 3 gives one picture to each part. That is what makes "how
many pictures a class needs" one exact number, said before launch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_dl.data.my_images.problems import FolderProblem

if TYPE_CHECKING:
    from tui_dl.data.my_images.scan import Folder

PARTS = ("train", "validation", "test")
LARGEST_CHECKED = 10_000
"""`needed` looks this far for a class size whose split leaves training nothing."""


@dataclass(frozen=True)
class SplitSettings:
    """The split's fractions (each above 0, adding up to 1) and its seed."""

    train: float = 0.7
    validation: float = 0.15
    test: float = 0.15
    seed: int = 0
    """The same seed on the same folder gives the same parts."""

    def __post_init__(self) -> None:
        fractions = (self.train, self.validation, self.test)
        if any(not 0 < f < 1 for f in fractions) or not math.isclose(sum(fractions), 1):
            raise ValueError(
                f"the split's fractions must each be between 0 and 1 and add up to 1, not "
                f"{self.train}/{self.validation}/{self.test}"
            )

    def describe(self) -> str:
        """E.g. "70/15/15 (train/validation/test)"."""
        shares = "/".join(f"{100 * f:g}" for f in (self.train, self.validation, self.test))
        return f"{shares} (train/validation/test)"


@dataclass(frozen=True)
class Split:
    """Each part as indices into the folder's `images`, ascending (the trainer shuffles)."""

    train: list[int]
    validation: list[int]
    test: list[int]


def _round(x: float) -> int:
    return math.floor(x + 0.5)


def part_sizes(count: int, settings: SplitSettings) -> tuple[int, int, int]:
    """How a class of `count` pictures is split: (train, validation, test); train may be < 1
    where the class is too small (see `needed`)."""
    test = max(1, _round(settings.test * count))
    validation = max(1, _round(settings.validation * count))
    return count - validation - test, validation, test


def needed(settings: SplitSettings) -> int:
    """The fewest pictures a class needs so that each part gets at least one, at that size and
    every size above."""
    too_small = [c for c in range(1, LARGEST_CHECKED) if part_sizes(c, settings)[0] < 1]
    return max(too_small) + 1


def split_sizes(counts: dict[str, int], settings: SplitSettings) -> dict[str, tuple[int, int, int]]:
    """Class → (train, validation, test) sizes, for the lab to show before launch."""
    return {name: part_sizes(count, settings) for name, count in counts.items()}


def split_problems(counts: dict[str, int], settings: SplitSettings) -> list[str]:
    """One sentence per class too small for the split (none: the split can go ahead)."""
    need = needed(settings)
    return [
        f"{name} has {count:,} picture{'s' if count != 1 else ''}; a "
        f"{settings.describe()} split needs at least {need} in every class, so that each part "
        "gets one of each."
        for name, count in counts.items()
        if min(part_sizes(count, settings)) < 1
    ]


def split_folder(folder: Folder, settings: SplitSettings | None = None) -> Split:
    """The folder's pictures split by `settings` (defaults: 70/15/15, seed 0).

    Raises `FolderProblem` naming every class too small for it.
    """
    settings = settings or SplitSettings()
    problems = split_problems(folder.counts(), settings)
    if problems:
        raise FolderProblem(f"{folder.root}: a class is too small to split. " + " ".join(problems))
    import numpy as np  # here, so that the sizes above cost no scikit-learn import
    from sklearn.model_selection import train_test_split

    members: dict[str, list[int]] = {name: [] for name in folder.classes}
    for i, image in enumerate(folder.images):
        members[image.label].append(i)
    random_state = np.random.RandomState(settings.seed)
    parts: dict[str, list[int]] = {part: [] for part in PARTS}
    for name in folder.classes:
        train, validation, test = part_sizes(len(members[name]), settings)
        rest, tested = train_test_split(members[name], test_size=test, random_state=random_state)
        trained, validated = train_test_split(rest, test_size=validation, random_state=random_state)
        parts["train"] += trained
        parts["validation"] += validated
        parts["test"] += tested
    return Split(*(sorted(parts[part]) for part in PARTS))
