"""The learning-rate finder's arithmetic (as fast.ai's `lr_find`), numpy only.

One short pass of training with the rate rising exponentially, from `START` to `END`, one
step at a time; the loss recorded at every step, smoothed, and the pass stopped as soon as
the smoothed loss blows up (`DIVERGED` times the best so far). The suggestion is read from
the smoothed curve: where, before its lowest point, the loss falls fastest per decade of
rate (its steepest downward slope on the log-rate axis). The lowest point's rate ÷ 10 is
given beside it, the other rule of thumb fast.ai offers. The job writes the whole result as
`lr-find.json` in its folder; `load_result` reads it back believing nothing.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, TypedDict

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
RESULT = "lr-find.json"
"""The job's result, in its folder."""


class Suggestion(TypedDict):
    rate: float
    """The suggested learning rate: the steepest fall of the smoothed loss."""
    index: int
    """The step it was read at."""
    minimum_rate: float
    """The rate where the smoothed loss was lowest."""
    minimum_index: int


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


def suggest(step_rates: list[float] | np.ndarray, smoothed: list[float]) -> Suggestion | None:
    """The steepest downward slope of the smoothed loss against log10(rate), before its lowest
    point; None when there is no fall to read (the lowest point is the first step, or fewer
    than three finite points)."""
    x = np.log10(np.asarray(step_rates, dtype=float))
    y = np.asarray(smoothed, dtype=float)
    finite = np.isfinite(y)
    if finite.sum() < 3:
        return None
    lowest = int(np.nanargmin(np.where(finite, y, np.nan)))
    if lowest < 2:
        return None
    slope = np.gradient(y[: lowest + 1], x[: lowest + 1])
    steepest = int(np.argmin(slope))
    if not slope[steepest] < 0:
        return None
    return {
        "rate": float(step_rates[steepest]),
        "index": steepest,
        "minimum_rate": float(step_rates[lowest]),
        "minimum_index": lowest,
    }


def how_chosen(result: LrFindResult) -> str:
    """One line on the suggestion and how it was read from the curve."""
    s = result["suggestion"]
    if s is None:
        return (
            "No suggestion: the loss never fell as the rate rose (try another optimizer or "
            "check the data)."
        )
    return (
        f"Suggested {rate_text(s['rate'])}: where the smoothed loss fell fastest per decade "
        f"of rate, before its lowest point at {rate_text(s['minimum_rate'])} (lowest ÷ 10 = "
        f"{rate_text(s['minimum_rate'] / 10)})."
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
    if s is not None and not (0 <= s["index"] < n and 0 <= s["minimum_index"] < n):
        raise UnreadableArtifact(f"{RESULT}: a suggestion outside the curve")
    return result
