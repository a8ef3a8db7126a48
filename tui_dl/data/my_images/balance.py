"""How unbalanced the classes are, and what that does, in one plain sentence.

A network trained on unbalanced classes can score the biggest class's share by always answering
that class, without learning anything: the sentence says which class, by how much and that share,
every number computed from the counts.
"""

from __future__ import annotations

from dataclasses import dataclass

UNBALANCED_RATIO = 1.5
"""The largest class this many times the smallest, or more, gets a warning."""


@dataclass(frozen=True)
class Balance:
    """The classes' counts and how far apart they are."""

    counts: dict[str, int]
    largest: str
    """The biggest class (the first in class order where several tie)."""
    smallest: str
    ratio: float
    """Largest count over smallest count."""
    majority_share: float
    """The largest class's share of all pictures: the accuracy of always answering it."""
    warning: str | None
    """One sentence where `ratio` >= the threshold, else None."""


def balance(counts: dict[str, int], threshold: float = UNBALANCED_RATIO) -> Balance:
    """The balance of `counts` (class → pictures: two classes or more, each with a picture, as
    a scan guarantees)."""
    if len(counts) < 2 or min(counts.values()) < 1:
        raise ValueError(f"balance needs two classes or more, each with a picture: {counts}")
    largest = max(counts, key=lambda name: counts[name])
    smallest = min(counts, key=lambda name: counts[name])
    big, small = counts[largest], counts[smallest]
    ratio = big / small
    share = big / sum(counts.values())
    warning = None
    if ratio >= threshold:
        warning = (
            f"Unbalanced classes: {largest} has {big:,} pictures, {ratio:.1f}× as many as "
            f"{smallest} ({small:,}), and is {share:.0%} of all pictures, so a network that "
            f"always answers {largest} scores {share:.0%} without learning anything."
        )
    return Balance(dict(counts), largest, smallest, ratio, share, warning)
