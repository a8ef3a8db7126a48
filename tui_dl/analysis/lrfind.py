"""The learning-rate finder's arithmetic (as fast.ai's `lr_find`), numpy only.

One short pass of training with the rate rising exponentially, from `START` to `END`, one
step at a time; the loss recorded at every step, smoothed, and the pass stopped as soon as
the smoothed loss blows up (`DIVERGED` times the best so far). The suggestion is read from
the smoothed curve by fast.ai's "valley" rule (see `valley` and `suggest`): the longest
descent of the loss, and a rate two-thirds of the way down it.
The steepest slope, the rule used before, was fooled by batch-to-batch noise on small data:
the first steps' smoothed loss is an average of a few batches and can fall more steeply than
the real descent (a mammogram pass suggested 1e-7). The lowest point's rate ÷ 10 is given
beside it, the other rule of thumb fast.ai offers. The job writes the whole result as
`lr-find.json` in its folder; `load_result` reads it back believing nothing.
"""

# No `from __future__ import annotations` here: Suggestion's NotRequired markers must be real
# at run time (the reader's check of lr-find.json reads them).
import bisect
import math
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import numpy as np

from tui_dl.analysis.artifacts import UnreadableArtifact, load_json, save_json

START = 1e-7
"""The first step's rate."""
END = 10.0
"""The last step's rate (when the loss has not blown up before)."""
STEPS = 100
"""How many steps the pass takes."""
DIVERGED = 4.0
"""The pass stops when the smoothed loss is this many times the best so far."""
BETA = 0.98
"""How much of the smoothed loss is kept at each step (an exponential moving average,
corrected for its start at 0, as fast.ai's)."""
SKIPPED = 10
"""The first 1/SKIPPED of the recorded steps are not read for a suggestion: there the
smoothed loss is still the average of a few batches, as noisy as they are (fast.ai skips
the first tenth too)."""
MIN_VALLEY = 4
"""A valley has this many steps or more, each lower than the one before (rises between
them skipped over); fewer, and the loss did not fall steadily."""
WAY_DOWN = 2 / 3
"""Where in the valley the suggestion is, from its top to its bottom, on the log-rate axis.
Two-thirds, not fast.ai's halfway: the valley takes in the plateau's slow creep before the
real descent (mnist-mlp's: 6e-06 to 0.018), and two-thirds lands in the descent on the
passes at hand (mnist-mlp 0.00076–0.0013, halfway 0.0002–0.0003)."""
RESULT = "lr-find.json"
"""The job's result, in its folder."""


class Suggestion(TypedDict):
    rate: float
    """The suggested learning rate: two-thirds of the way down the valley (`suggest`)."""
    index: int
    """The step it was read at."""
    minimum_rate: float
    """The rate where the smoothed loss was lowest (past the first steps not read)."""
    minimum_index: int
    valley_top: NotRequired[int]
    """The step where the valley starts: the loss at its highest before it falls."""
    valley_bottom: NotRequired[int]
    """The step where the valley ends (absent from results written before the rule)."""


class LrFindResult(TypedDict):
    experiment: str
    params: dict[str, Any]
    rates: list[float]
    losses: list[float]
    """The loss of each step's batch, as measured."""
    smoothed: list[float]
    stopped: str
    """"diverged" (the loss blew up) or "end" (the pass reached `END`)."""
    steps: int
    """The steps the pass was to take."""
    suggestion: Suggestion | None
    """None when the loss never fell."""


def rates(steps: int = STEPS, start: float = START, end: float = END) -> np.ndarray:
    """Each step's rate: `start` to `end`, the same factor from one step to the next."""
    if steps < 2:
        raise ValueError(f"a finder takes 2 steps or more, not {steps}")
    return start * (end / start) ** (np.arange(steps) / (steps - 1))


class Smoother:
    """The smoothed loss step by step, and whether the pass should stop."""

    def __init__(self, beta: float = BETA) -> None:
        self.beta = beta
        self.average = 0.0
        self.count = 0
        self.best = math.inf

    def add(self, loss: float) -> float:
        """The smoothed loss after this step's `loss`."""
        self.count += 1
        self.average = self.beta * self.average + (1 - self.beta) * loss
        smoothed = self.average / (1 - self.beta**self.count)
        if math.isfinite(smoothed):
            self.best = min(self.best, smoothed)
        return smoothed

    def diverged(self, smoothed: float) -> bool:
        """The loss has blown up: not a number any more, or `DIVERGED` × the best so far."""
        return not math.isfinite(smoothed) or smoothed > DIVERGED * self.best


def smooth(losses: list[float] | np.ndarray, beta: float = BETA) -> list[float]:
    smoother = Smoother(beta)
    return [smoother.add(float(loss)) for loss in losses]


def valley(smoothed: list[float] | np.ndarray) -> tuple[int, int, int] | None:
    """The steps (top, bottom) of the smoothed loss's valley, read after its first
    `SKIPPED`th, and the step where the loss was lowest there; None when there is no valley
    (fewer than `MIN_VALLEY` steps, each lower than the one before).

    fast.ai's rule: the longest falling sequence of steps, each lower than the one before it,
    the steps between them skipped over (a blip of noise does not break a descent, as it
    would a run of consecutive falls); it ends at the valley's bottom, and the valley is as
    many steps long as it has, up to the bottom. Longest, not steepest: noise makes short
    steep falls, a real descent is long. The recorded curve ends where the loss blew up (or
    stopped being a number), so the valley lies before that."""
    y = np.asarray(smoothed, dtype=float)
    bad = np.flatnonzero(~np.isfinite(y))
    n = int(bad[0]) if len(bad) else len(y)
    first = n // SKIPPED
    # patience sorting, O(n log n): rises[k] is the highest last loss (negated, so that it
    # rises) of the falling sequences of k + 1 steps found so far
    rises: list[float] = []
    longest, bottom = 0, first
    for step in range(first, n):
        k = bisect.bisect_left(rises, -y[step])
        rises[k : k + 1] = [-y[step]]
        if k + 1 > longest:
            longest, bottom = k + 1, step
    if longest < MIN_VALLEY:
        return None
    return bottom - longest + 1, bottom, first + int(np.argmin(y[first:n]))


def suggest(step_rates: list[float] | np.ndarray, smoothed: list[float]) -> Suggestion | None:
    """A rate `WAY_DOWN` (two-thirds) of the way down the `valley` of the smoothed loss, from
    its top to its bottom on the log10(rate) axis (the recorded step nearest there); None
    when there is no valley (the loss never fell steadily, or too few steps to tell).
    Computed only from the recorded points."""
    found = valley(smoothed)
    if found is None:
        return None
    top, bottom, lowest = found
    x = np.log10(np.asarray(step_rates, dtype=float))
    target = x[top] + WAY_DOWN * (x[bottom] - x[top])
    index = top + int(np.argmin(np.abs(x[top : bottom + 1] - target)))
    return {
        "rate": float(step_rates[index]),
        "index": index,
        "minimum_rate": float(step_rates[lowest]),
        "minimum_index": lowest,
        "valley_top": top,
        "valley_bottom": bottom,
    }


def how_chosen(result: LrFindResult) -> str:
    """One line on the suggestion and how it was read from the curve, or why there is none."""
    s = result["suggestion"]
    if s is None:
        n = len(result["rates"])
        if n - n // SKIPPED < MIN_VALLEY:
            blew_up = result["stopped"] == "diverged"
            why = " (the loss blew up at once: check the data)" if blew_up else ""
            return f"No suggestion: {n} steps recorded, too few to read a valley from{why}."
        return (
            "No suggestion: the smoothed loss never fell steadily as the rate rose (no "
            f"{MIN_VALLEY} steps each lower than the one before, rises between them skipped "
            "over; try another optimizer or check the data)."
        )
    lowest = (
        f"its lowest point at {rate_text(s['minimum_rate'])} (lowest ÷ 10 = "
        f"{rate_text(s['minimum_rate'] / 10)})"
    )
    if "valley_top" not in s or "valley_bottom" not in s:  # a result from before the valley
        return f"Suggested {rate_text(s['rate'])}; {lowest}."
    top, bottom = result["rates"][s["valley_top"]], result["rates"][s["valley_bottom"]]
    return (
        f"Suggested {rate_text(s['rate'])}: two-thirds of the way down the smoothed loss's "
        f"valley, {rate_text(top)} to {rate_text(bottom)} (its longest fall); {lowest}."
    )


def rate_text(rate: float) -> str:
    """A rate in two significant figures, as Python writes it: 1e-07, 0.0032, 0.1, 10."""
    return f"{rate:.2g}"


def save_result(folder: Path, result: LrFindResult) -> str:
    save_json(Path(folder) / RESULT, result)
    return RESULT


def load_result(folder: Path) -> LrFindResult:
    """The job's result (FileNotFoundError when there is none, UnreadableArtifact when it
    cannot be believed: lists of different lengths, a rate not above 0, a loss not finite)."""
    result: LrFindResult = load_json(Path(folder) / RESULT, LrFindResult)
    n = len(result["rates"])
    if not n == len(result["losses"]) == len(result["smoothed"]):
        raise UnreadableArtifact(f"{RESULT}: rates and losses of different lengths")
    values = [*result["rates"], *result["losses"], *result["smoothed"]]
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        raise UnreadableArtifact(f"{RESULT}: a rate or a loss that is not a number")
    if min(result["rates"]) <= 0:
        raise UnreadableArtifact(f"{RESULT}: a rate not above 0")
    s = result["suggestion"]
    if s is not None:
        steps = (s["index"], s["minimum_index"], s.get("valley_top", 0), s.get("valley_bottom", 0))
        if not all(0 <= step < n for step in steps):
            raise UnreadableArtifact(f"{RESULT}: a suggestion outside the curve")
    return result
