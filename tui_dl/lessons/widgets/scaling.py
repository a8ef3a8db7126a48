"""Why inputs are normalised, in numbers: the features before and after standardising, and
gradient descent on the same logistic regression with raw and with standardised inputs.

Gradient descent can only take steps as large as the steepest direction allows. A feature in
the tens (age) next to features of 1 to 5 (shape, margin, density) makes the loss a long
narrow valley: the rate that keeps the steep direction stable crawls along the shallow ones.
Standardised — each feature minus its mean, over its standard deviation, as scikit-learn's
StandardScaler does — every direction has about the same steepness, and one rate suits all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

RATES = tuple(10.0**e for e in np.arange(1.0, -12.01, -0.5))
"""The learning rates tried, largest first: each side uses the largest that does not blow up."""
PROBE_STEPS = 200


@dataclass(frozen=True)
class Column:
    name: str
    mean: float
    std: float
    low: float
    high: float


def describe(x: np.ndarray, names: list[str]) -> list[Column]:
    return [
        Column(name, float(c.mean()), float(c.std()), float(c.min()), float(c.max()))
        for name, c in zip(names, x.T, strict=True)
    ]


def standardise(x: np.ndarray) -> np.ndarray:
    """(x − mean) / standard deviation per column (the population's, as StandardScaler)."""
    std = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)


def logistic_loss(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Mean binary cross-entropy of sigmoid(x·w + b), computed stably."""
    z = x @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def logistic_gradient(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[np.ndarray, float]:
    p = 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -500, 500)))
    error = p - y
    return x.T @ error / len(y), float(error.mean())


@dataclass
class Descent:
    """Plain gradient descent on one design matrix, its losses kept."""

    x: np.ndarray
    y: np.ndarray
    rate: float
    w: np.ndarray = field(init=False)
    b: float = 0.0
    losses: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.w = np.zeros(self.x.shape[1])
        self.losses = [logistic_loss(self.x, self.y, self.w, self.b)]

    def step(self, steps: int = 1) -> float:
        for _ in range(steps):
            grad_w, grad_b = logistic_gradient(self.x, self.y, self.w, self.b)
            self.w = self.w - self.rate * grad_w
            self.b = self.b - self.rate * grad_b
            self.losses.append(logistic_loss(self.x, self.y, self.w, self.b))
        return self.losses[-1]


def largest_stable_rate(x: np.ndarray, y: np.ndarray) -> float:
    """The largest of RATES whose first PROBE_STEPS steps never raise the loss much: the best
    a learner trying rates by hand would settle on."""
    for rate in RATES:
        run = Descent(x, y, rate)
        run.step(PROBE_STEPS)
        losses = np.asarray(run.losses)
        if np.isfinite(losses).all() and (np.diff(losses) <= 1e-3 * losses[0]).all():
            return rate
    return RATES[-1]


def age_and_income(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The course's example of incomparable features: age in years, income in currency;
    whether a loan was repaid depends on both."""
    rng = np.random.default_rng(seed)
    age = rng.uniform(18, 90, n)
    income = rng.lognormal(10.5, 0.7, n).clip(0, 1_000_000)
    score = 0.04 * (age - 50) + 1.2 * (np.log(income) - 10.5) + rng.normal(0, 0.8, n)
    return np.column_stack([age, income]), (score > 0).astype(float), ["age", "income"]
