"""Five optimisers on the same 2-D surface: plain SGD, momentum, Nesterov, RMSProp and Adam.

Each is written as Keras writes it (the defaults too), on a flat numpy vector, so the lesson's
claims can be checked by hand on the first steps:

- SGD:       p ← p − η·g
- momentum:  v ← β·v − η·g;  p ← p + v                      (β = 0.9)
- Nesterov:  v ← β·v − η·g(p + β·v);  p ← p + v              (the gradient where it is heading)
- RMSProp:   s ← ρ·s + (1 − ρ)·g²;  p ← p − η·g / (√s + ε)  (ρ = 0.9)
- Adam:      m ← β₁·m + (1 − β₁)·g;  s ← β₂·s + (1 − β₂)·g²;
             p ← p − η·m̂ / (√ŝ + ε), with m̂ = m/(1 − β₁ᵗ), ŝ = s/(1 − β₂ᵗ)  (0.9, 0.999)

The surfaces: a long narrow valley, 40 times steeper across than along (plain descent zigzags
across and crawls along), and a saddle, where the start sits almost on the ridge and the
gradient that leads off it is tiny (plain descent lingers; the adaptive ones scale it up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Gradient = Callable[[np.ndarray], np.ndarray]
EPSILON = 1e-7
"""Keras's ε for RMSProp and Adam: keeps a zero gradient from dividing by zero."""


class Optimizer:
    """One optimiser's rule and its memory (velocity, averages), reset for a new race."""

    name = "optimizer"
    letter = "?"

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.reset()

    def reset(self) -> None:
        self.steps = 0

    def step(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        """The next position; `gradient` is asked where the rule needs it."""
        self.steps += 1
        return self.move(np.asarray(position, dtype=float), gradient)

    def move(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        raise NotImplementedError


class SGD(Optimizer):
    name, letter = "SGD", "S"

    def move(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        return position - self.rate * gradient(position)


class Momentum(Optimizer):
    name, letter = "momentum", "M"

    def __init__(self, rate: float, beta: float = 0.9) -> None:
        self.beta = beta
        super().__init__(rate)

    def reset(self) -> None:
        super().reset()
        self.velocity: np.ndarray | float = 0.0

    def move(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        self.velocity = self.beta * self.velocity - self.rate * gradient(position)
        return position + self.velocity


class Nesterov(Momentum):
    name, letter = "Nesterov", "N"

    def move(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        ahead = position + self.beta * self.velocity
        self.velocity = self.beta * self.velocity - self.rate * gradient(ahead)
        return position + self.velocity


class RMSProp(Optimizer):
    name, letter = "RMSProp", "R"

    def __init__(self, rate: float, rho: float = 0.9) -> None:
        self.rho = rho
        super().__init__(rate)

    def reset(self) -> None:
        super().reset()
        self.square: np.ndarray | float = 0.0

    def move(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        g = gradient(position)
        self.square = self.rho * self.square + (1.0 - self.rho) * g**2
        return position - self.rate * g / (np.sqrt(self.square) + EPSILON)


class Adam(Optimizer):
    name, letter = "Adam", "A"

    def __init__(self, rate: float, beta1: float = 0.9, beta2: float = 0.999) -> None:
        self.beta1, self.beta2 = beta1, beta2
        super().__init__(rate)

    def reset(self) -> None:
        super().reset()
        self.mean: np.ndarray | float = 0.0
        self.square: np.ndarray | float = 0.0

    def move(self, position: np.ndarray, gradient: Gradient) -> np.ndarray:
        g = gradient(position)
        self.mean = self.beta1 * self.mean + (1.0 - self.beta1) * g
        self.square = self.beta2 * self.square + (1.0 - self.beta2) * g**2
        mean = self.mean / (1.0 - self.beta1**self.steps)
        square = self.square / (1.0 - self.beta2**self.steps)
        return position - self.rate * mean / (np.sqrt(square) + EPSILON)


OPTIMIZERS: tuple[type[Optimizer], ...] = (SGD, Momentum, Nesterov, RMSProp, Adam)


# ----- the surfaces -------------------------------------------------------------------------
@dataclass(frozen=True)
class Surface:
    name: str
    title: str
    loss: Callable[[np.ndarray], np.ndarray]
    """The height at points (…, 2)."""
    gradient: Gradient
    start: tuple[float, float]
    span: tuple[float, float] = (4.0, 2.0)
    """The view: x in ±span[0], y in ±span[1]."""
    minima: tuple[tuple[float, float], ...] = ((0.0, 0.0),)
    saddles: tuple[tuple[float, float], ...] = ()


def _valley_loss(p):
    p = np.asarray(p, dtype=float)
    return 0.05 * p[..., 0] ** 2 + 2.0 * p[..., 1] ** 2


def _valley_gradient(p):
    p = np.asarray(p, dtype=float)
    return np.stack([0.1 * p[..., 0], 4.0 * p[..., 1]], axis=-1)


def _saddle_loss(p):
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2


def _saddle_gradient(p):
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    return np.stack([x, y**3 - y], axis=-1)


VALLEY = Surface(
    "valley",
    "loss 0.05x² + 2y²",
    _valley_loss,
    _valley_gradient,
    start=(-3.5, 1.5),
)
SADDLE = Surface(
    "saddle",
    "loss ½x² + ¼y⁴ − ½y²",
    _saddle_loss,
    _saddle_gradient,
    start=(-3.5, 0.001),
    minima=((0.0, -1.0), (0.0, 1.0)),
    saddles=((0.0, 0.0),),
)
SURFACES = (VALLEY, SADDLE)


# ----- the race -----------------------------------------------------------------------------
LIMIT = 1e6
"""A racer that leaves ±LIMIT (or stops being a finite number) has diverged and stops."""


@dataclass
class Racer:
    optimizer: Optimizer
    path: list[np.ndarray]
    diverged: bool = False

    @property
    def position(self) -> np.ndarray:
        return self.path[-1]


@dataclass
class Race:
    """Every optimiser from the same start on the same surface, one step each at a time."""

    surface: Surface = VALLEY
    rate: float = 0.1
    racers: list[Racer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self, surface: Surface | None = None) -> None:
        self.surface = surface or self.surface
        start = np.array(self.surface.start)
        self.racers = [Racer(kind(self.rate), [start.copy()]) for kind in OPTIMIZERS]

    @property
    def steps(self) -> int:
        return len(self.racers[0].path) - 1

    def set_rate(self, rate: float) -> None:
        """From the next step on (memories kept), as changing it mid-training would."""
        self.rate = rate
        for racer in self.racers:
            racer.optimizer.rate = rate

    def step(self) -> None:
        for racer in self.racers:
            if racer.diverged:
                racer.path.append(racer.position)
                continue
            with np.errstate(over="ignore", invalid="ignore"):
                new = racer.optimizer.step(racer.position, self.surface.gradient)
            if not np.all(np.isfinite(new)) or np.any(np.abs(new) > LIMIT):
                racer.diverged = True
                new = racer.position
            racer.path.append(new)

    def loss(self, racer: Racer) -> float:
        return float(self.surface.loss(racer.position))

    def leader(self) -> Racer:
        """The racer lowest on the surface now (of those still running)."""
        running = [r for r in self.racers if not r.diverged] or self.racers
        return min(running, key=self.loss)
