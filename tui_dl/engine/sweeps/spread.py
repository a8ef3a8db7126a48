"""A sweep run with several seeds per cell: each cell's runs pooled into mean ± spread.

The spread is the sample standard deviation (n − 1) of the cell's finished runs' results;
the lowest and highest are kept beside it (the plot draws that range). Pure: the CLI, the
screen and the tests pool the same way. The course: "large batches … give inconsistent
results from run to run" — `most_varied` says which cell varied most, from these numbers.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from tui_dl.engine.events import Status
from tui_dl.engine.sweeps.state import CellState


@dataclass
class Group:
    """One point of the grid and the runs (seeds) that trained it."""

    settings: dict[str, Any]
    members: list[int] = field(default_factory=list)
    """Indices of its cells in the sweep."""
    results: list[float] = field(default_factory=list)
    """The finished runs' results (finite ones)."""

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.results) if self.results else None

    @property
    def sd(self) -> float | None:
        """Sample standard deviation; None with fewer than two results."""
        return statistics.stdev(self.results) if len(self.results) >= 2 else None

    @property
    def low(self) -> float | None:
        return min(self.results) if self.results else None

    @property
    def high(self) -> float | None:
        return max(self.results) if self.results else None


def group_cells(cells: list[CellState]) -> list[Group]:
    """The cells pooled by their axis values, in the order the points first run."""
    groups: dict[tuple[tuple[str, Any], ...], Group] = {}
    for index, cell in enumerate(cells):
        key = tuple(cell.settings.items())
        group = groups.setdefault(key, Group(dict(cell.settings)))
        group.members.append(index)
        finished = cell.status == Status.FINISHED and cell.metric is not None
        if finished and math.isfinite(cell.metric or 0.0):
            group.results.append(float(cell.metric or 0.0))
    return list(groups.values())


def best_group(groups: list[Group], higher_is_better: bool = True) -> int | None:
    """The group with the best mean; None until one has a result."""
    scored = [(i, g.mean) for i, g in enumerate(groups) if g.mean is not None]
    if not scored:
        return None
    pick = max if higher_is_better else min
    return pick(scored, key=lambda pair: pair[1] or 0.0)[0]


def most_varied(groups: list[Group]) -> tuple[Group, Group] | None:
    """(the group whose runs varied most, the one that varied least), once two groups have
    a spread and their spreads differ; None otherwise."""
    spread = [g for g in groups if g.sd is not None]
    if len(spread) < 2:
        return None
    most = max(spread, key=lambda g: g.sd or 0.0)
    least = min(spread, key=lambda g: g.sd or 0.0)
    if most.sd == least.sd:
        return None
    return most, least
