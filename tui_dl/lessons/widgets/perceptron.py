"""Rosenblatt's perceptron learning a logic gate on the four corners of the unit square.

One threshold unit fires when `w·x + b > 0`. Shown one example at a time, it changes its
weights only when it was wrong: `w ← w + rate·(target − output)·x`, `b ← b + rate·(target −
output)`. Started at zero with rate 1 the weights stay whole numbers, so every step can be
checked by hand. On AND and OR it reaches an epoch without a mistake (the convergence theorem
bounds the number of mistakes by (R/γ)²); on XOR no straight line exists and it never does.

With the hidden layer switched on, two more threshold units sit between the inputs and the
output, with weights set by hand as in the 1943 logic-gate neurons: h₁ fires for OR, h₂ for
AND. Only the output unit learns, by the same rule — as in Rosenblatt's own machine, whose
first layer was fixed. Seen through h₁ and h₂, XOR is "OR but not AND": a straight line again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
"""The four inputs (x₁, x₂), shown in this order, epoch after epoch."""
GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
}
"""Each gate's target for the four POINTS."""
HIDDEN_WEIGHTS = np.array([[1.0, 1.0], [1.0, 1.0]])
"""Hand-set: column j holds the weights into hidden unit j (h₁ = OR, h₂ = AND)."""
HIDDEN_BIASES = np.array([-0.5, -1.5])
GIVE_UP = 12
"""After this many epochs without a clean pass, the widget says the gate cannot be learned."""


def fires(total) -> np.ndarray:
    """The threshold: 1 when the weighted sum is above 0, else 0."""
    return (np.asarray(total, dtype=float) > 0).astype(int)


def hidden_layer(x) -> np.ndarray:
    """(h₁, h₂) = (OR, AND) of the inputs: the hand-set hidden units' outputs."""
    return fires(np.asarray(x, dtype=float) @ HIDDEN_WEIGHTS + HIDDEN_BIASES)


@dataclass(frozen=True)
class Update:
    """What one example did: the unit's inputs, its sum and output, and the change it made."""

    example: int
    inputs: np.ndarray
    target: int
    total: float
    output: int
    delta_weights: np.ndarray
    delta_bias: float

    @property
    def wrong(self) -> bool:
        return self.output != self.target


@dataclass
class Perceptron:
    """A threshold unit (or, with `hidden`, the output unit of a 2-2-1 network) and its run."""

    gate: str = "AND"
    rate: float = 1.0
    hidden: bool = False
    weights: np.ndarray = field(default_factory=lambda: np.zeros(2))
    bias: float = 0.0
    presented: int = 0
    """Examples shown so far; `presented % 4` is the next one."""
    errors: list[int] = field(default_factory=list)
    """Mistakes in each finished epoch."""
    epoch_errors: int = 0
    last: Update | None = None
    converged_at: int | None = None
    """The (1-based) epoch of the first pass without a mistake."""

    @property
    def targets(self) -> np.ndarray:
        return np.asarray(GATES[self.gate])

    @property
    def epochs(self) -> int:
        return len(self.errors)

    @property
    def mistakes(self) -> int:
        return sum(self.errors) + self.epoch_errors

    @property
    def gave_up(self) -> bool:
        """GIVE_UP epochs and never a clean pass (what XOR does for ever)."""
        return self.converged_at is None and self.epochs >= GIVE_UP

    def reset(self) -> None:
        self.weights = np.zeros(2)
        self.bias = 0.0
        self.presented = 0
        self.errors = []
        self.epoch_errors = 0
        self.last = None
        self.converged_at = None

    def features(self, x) -> np.ndarray:
        """What the learning unit sees: the inputs, or the hidden units' outputs."""
        x = np.asarray(x, dtype=float)
        return hidden_layer(x).astype(float) if self.hidden else x

    def total(self, x) -> np.ndarray:
        return self.features(x) @ self.weights + self.bias

    def predict(self, x) -> np.ndarray:
        return fires(self.total(x))

    def wrong(self) -> list[int]:
        """The examples the unit gets wrong now."""
        return [
            i
            for i, (y, t) in enumerate(zip(self.predict(POINTS), self.targets, strict=True))
            if y != t
        ]

    def step(self) -> Update:
        """Show the next example and apply the perceptron rule."""
        index = self.presented % len(POINTS)
        inputs = self.features(POINTS[index])
        total = float(inputs @ self.weights + self.bias)
        output = int(fires(total))
        target = int(self.targets[index])
        delta_w = self.rate * (target - output) * inputs
        delta_b = self.rate * (target - output)
        self.weights = self.weights + delta_w
        self.bias = self.bias + delta_b
        self.last = Update(index, inputs, target, total, output, delta_w, delta_b)
        self.presented += 1
        self.epoch_errors += output != target
        if self.presented % len(POINTS) == 0:
            self.errors.append(self.epoch_errors)
            if self.epoch_errors == 0 and self.converged_at is None:
                self.converged_at = self.epochs
            self.epoch_errors = 0
        return self.last

    def epoch(self) -> None:
        """The rest of the current epoch (a whole one at an epoch's start)."""
        self.step()
        while self.presented % len(POINTS):
            self.step()

    def train(self, epochs: int) -> int | None:
        """Up to `epochs` epochs, stopping at the first clean pass; its epoch, or None."""
        while self.converged_at is None and self.epochs < epochs:
            self.epoch()
        return self.converged_at


def mistake_bound(inputs, targets, weights, bias) -> float:
    """Novikoff's bound (R/γ)² on the perceptron's mistakes from zero, for any rate.

    R is the largest input's length and γ the margin of the separating line (weights, bias),
    both with the bias as a third input fixed at 1. A line that does not separate: inf.
    """
    augmented = np.hstack([np.asarray(inputs, dtype=float), np.ones((len(inputs), 1))])
    separator = np.append(np.asarray(weights, dtype=float), bias)
    signs = 2 * np.asarray(targets) - 1
    margin = float(np.min(signs * (augmented @ separator)) / np.linalg.norm(separator))
    if margin <= 0:
        return float("inf")
    radius = float(np.max(np.linalg.norm(augmented, axis=1)))
    return (radius / margin) ** 2


def separable(gate: str, grid: np.ndarray | None = None) -> bool:
    """Whether some line w₁x₁ + w₂x₂ + b = 0 from a grid of candidates separates the gate."""
    values = np.linspace(-3.0, 3.0, 25) if grid is None else grid
    w1, w2, b = np.meshgrid(values, values, values, indexing="ij")
    totals = POINTS[:, 0, None, None, None] * w1 + POINTS[:, 1, None, None, None] * w2 + b
    targets = np.asarray(GATES[gate])[:, None, None, None]
    right = np.where(targets == 1, totals > 0, totals <= 0)
    return bool(np.any(np.all(right, axis=0)))
