"""Class balance, computed: how many examples each class has, and what dropping the rows with a
missing value does to it (the course drops 203 of house votes' 435 rows and warns about bias).

Every number a sentence here states is counted from the labels it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PCT = "%"
"""Against its number (Rich wraps at any space, a no-break one too): never "54 / %"."""
SHIFT = 2.0
"""Percentage points a class's share must move for the drop to be said to tilt the balance."""


@dataclass(frozen=True)
class ClassCount:
    name: str
    count: int

    def share(self, total: int) -> float:
        """Percent of `total` (0 when there is nothing)."""
        return 100.0 * self.count / total if total else 0.0


def count_classes(labels: Sequence[object], names: Sequence[str] | None = None) -> list[ClassCount]:
    """Each class's count: in the order of `names` (classes with no example count 0), else in
    order of first appearance."""
    counts: dict[str, int] = {str(n): 0 for n in names or ()}
    for label in labels:
        key = str(label)
        counts[key] = counts.get(key, 0) + 1
    return [ClassCount(name, count) for name, count in counts.items()]


def balance_sentence(counts: Sequence[ClassCount], noun: str = "examples") -> str:
    """E.g. "The largest class (1, 563) has 1.2× as many examples as the smallest (5, 455)."."""
    present = [c for c in counts if c.count]
    if len(present) < 2:
        return f"Only one class has {noun}." if present else f"No {noun}."
    big = max(present, key=lambda c: c.count)
    small = min(present, key=lambda c: c.count)
    if big.count == small.count:
        return f"Every class has {big.count:,} {noun}: balanced."
    ratio = big.count / small.count
    verdict = "close to balanced" if ratio < 1.5 else "unbalanced"
    return (
        f"The largest class ({big.name}, {big.count:,}) has {ratio:.1f}× as many {noun} as the "
        f"smallest ({small.name}, {small.count:,}): {verdict}."
    )


@dataclass(frozen=True)
class DropEffect:
    """The class balance of a table before and after dropping every row with a missing value."""

    target: str
    """The column that is the class (party, severity)."""
    before: list[ClassCount]
    after: list[ClassCount]
    missing_word: str = "value"
    """What is missing in a row ("vote", "value")."""

    @property
    def rows_before(self) -> int:
        return sum(c.count for c in self.before)

    @property
    def rows_after(self) -> int:
        return sum(c.count for c in self.after)

    @property
    def dropped(self) -> int:
        return self.rows_before - self.rows_after

    def shifts(self) -> list[tuple[str, float]]:
        """Each class's change of share, in percentage points (after − before)."""
        after = {c.name: c for c in self.after}
        return [
            (c.name, after[c.name].share(self.rows_after) - c.share(self.rows_before))
            for c in self.before
        ]

    def gone(self, name: str) -> float:
        """Percent of the class's rows that the drop removes."""
        before = next(c for c in self.before if c.name == name)
        after = next(c for c in self.after if c.name == name)
        return 100.0 * (before.count - after.count) / before.count if before.count else 0.0

    def sentence(self) -> str:
        """What the drop does, every number counted from the table."""
        if self.dropped == 0:
            return f"No row has a missing {self.missing_word}: dropping them changes nothing."

        def shares(counts: list[ClassCount], total: int) -> str:
            return ", ".join(f"{c.name} {c.count:,} ({c.share(total):.1f}{PCT})" for c in counts)

        said = (
            f"Dropping the {self.dropped:,} rows with a missing {self.missing_word} leaves "
            f"{self.rows_after:,} of {self.rows_before:,} "
            f"({100.0 * self.rows_after / self.rows_before:.0f}{PCT}). By {self.target}, before: "
            f"{shares(self.before, self.rows_before)}; after: "
            f"{shares(self.after, self.rows_after)}."
        )
        if self.rows_after == 0:
            return said + " Nothing is left to train on."
        name, shift = max(self.shifts(), key=lambda s: s[1])
        if shift < SHIFT:
            return said + (
                f" The balance barely moves (no class's share changes by {SHIFT:.0f} points or "
                "more): the missing values are spread evenly over the classes."
            )
        most = max(self.before, key=lambda c: self.gone(c.name)).name
        least = min(self.before, key=lambda c: self.gone(c.name)).name
        return said + (
            f" The missing {self.missing_word}s are not spread evenly: "
            f"{self.gone(most):.0f}{PCT} of the {most} rows go against "
            f"{self.gone(least):.0f}{PCT} of the {least} rows, so the rows kept "
            f"over-represent {name} (+{shift:.1f} points) — "
            "a model trained on them learns from a different population than the whole table."
        )
