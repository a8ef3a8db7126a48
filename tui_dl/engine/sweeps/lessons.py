"""What each cell of a sweep teaches, from its epoch losses: the course's lessons, live.

Pure functions over plain numbers, so the rules can be read and tested on their own:

- a loss that became NaN, or rose from the first epoch to the last, overshot (rate too high);
- a cell whose final loss is clearly worse than the best cell with the same batch size
  overshoots if its rate is higher, crawls if its rate is lower;
- at the same rate, a larger batch whose final validation loss is clearly worse than the
  smallest batch's settled higher (in a worse minimum, or not yet down in one).

"Clearly worse" is a ratio of losses (CLEARLY_WORSE, SETTLED_HIGHER), not a significance
test: a sweep this small is a demonstration, not a study.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tui_dl.engine.events import Status

CLEARLY_WORSE = 1.25
"""Final loss at least this many times the best cell's (same batch size): a rate problem."""
SETTLED_HIGHER = 1.10
"""Final validation loss at least this many times the smallest batch's (same rate)."""


@dataclass(frozen=True)
class CellResult:
    """What the rules need of one cell: its settings and its losses per epoch."""

    learning_rate: float
    batch_size: int
    status: str
    """pending, starting, running, finished, failed or cancelled."""
    losses: list[float | None] = field(default_factory=list)
    """Training loss per epoch (None where it was NaN or inf)."""
    val_losses: list[float | None] = field(default_factory=list)
    """Validation loss per epoch, when the experiment reports one."""
    metric: float | None = None
    """The experiment's key result (test accuracy, say) once finished."""
    error_type: str = ""


@dataclass(frozen=True)
class Verdict:
    code: str
    """best, ok, diverged, overshoots, crawls, settled-higher, failed, or '' (too early)."""
    text: str
    """A few words for the table."""


NONE = Verdict("", "")
LESSONS = {
    "diverged": "Too high a rate overshoots: each step jumped past the valley, further every "
    "time, until the loss was no longer a number.",
    "overshoots": "Too high a rate overshoots: the steps jump across the valley instead of "
    "down into it, so the loss stays high or rises.",
    "crawls": "Too small a rate crawls: every step is right but tiny, and the epochs run out "
    "before the loss comes down.",
    "settled-higher": "A large batch takes fewer, smoother steps: it can settle in a worse "
    "minimum (or not reach one yet) where small, noisy batches would have found a better one.",
}
"""The course's lesson behind each verdict, for the screen and the CLI."""


def _final(values: list[float | None]) -> float | None:
    return values[-1] if values and values[-1] is not None else None


def _final_loss(cell: CellResult) -> float | None:
    """Validation loss if there is one (what generalises), else training loss."""
    return _final(cell.val_losses) if cell.val_losses else _final(cell.losses)


def _diverged(cell: CellResult) -> bool:
    if cell.error_type == "NaNLoss":
        return True
    return any(v is None or not math.isfinite(v) for v in cell.losses)


def best_cell(cells: list[CellResult], higher_is_better: bool = True) -> int | None:
    """Index of the finished cell with the best metric; None until one has finished."""
    scored = [
        (i, c.metric)
        for i, c in enumerate(cells)
        if c.status == Status.FINISHED and c.metric is not None and math.isfinite(c.metric)
    ]
    if not scored:
        return None
    pick = max if higher_is_better else min
    return pick(scored, key=lambda pair: pair[1] or 0.0)[0]


def _lowest_loss(cells: list[CellResult], keep) -> CellResult | None:
    """The cell with the lowest final loss among those `keep` accepts (and that have one)."""
    candidates = [c for c in cells if keep(c) and not _diverged(c) and _final_loss(c) is not None]
    return min(candidates, key=_loss_for_ranking, default=None)


def _loss_for_ranking(cell: CellResult) -> float:
    loss = _final_loss(cell)
    return math.inf if loss is None else loss


def verdict(cell: CellResult, cells: list[CellResult], best: int | None) -> Verdict:
    """One cell's lesson, compared with the others as far as they have got."""
    if _diverged(cell):
        return Verdict("diverged", "diverged (NaN)")
    if cell.status == Status.FAILED:
        return Verdict("failed", "failed")
    if cell.status == Status.UNREADABLE:
        return Verdict("failed", "unreadable")
    if not cell.losses:
        return NONE
    first, last = cell.losses[0], _final(cell.losses)
    if len(cell.losses) >= 2 and first is not None and last is not None and last > first:
        return Verdict("overshoots", "overshoots")
    if best is not None and cells[best] is cell:
        return Verdict("best", "best")
    mine = _final_loss(cell)
    peer = _lowest_loss(cells, lambda c: c.batch_size == cell.batch_size)
    theirs = _final_loss(peer) if peer is not None else None
    if peer is not None and peer is not cell and mine is not None and theirs is not None:
        if mine >= CLEARLY_WORSE * theirs:
            if cell.learning_rate > peer.learning_rate:
                return Verdict("overshoots", "overshoots")
            if cell.learning_rate < peer.learning_rate:
                return Verdict("crawls", "crawls")
    small = _lowest_batch(cells, cell)
    smallest = _final_loss(small) if small is not None else None
    if mine is not None and smallest is not None:
        if mine >= SETTLED_HIGHER * smallest:
            return Verdict("settled-higher", "settled higher")
    return Verdict("ok", "ok")


def _lowest_batch(cells: list[CellResult], cell: CellResult) -> CellResult | None:
    """The smallest-batch cell at the same rate, if smaller than this one and healthy."""
    same_rate = [
        c
        for c in cells
        if c.learning_rate == cell.learning_rate
        and c.batch_size < cell.batch_size
        and c.losses
        and not _diverged(c)
    ]
    return min(same_rate, key=lambda c: c.batch_size, default=None)


def verdicts(cells: list[CellResult], higher_is_better: bool = True) -> list[Verdict]:
    best = best_cell(cells, higher_is_better)
    return [verdict(cell, cells, best) for cell in cells]
