"""The numbers behind the lesson widgets, in numpy alone.

Kept apart from the widgets so the maths is unit-tested without a terminal, and so a lesson
opens instantly: nothing here loads TensorFlow. Each function is the textbook formula written
the numerically careful way (softmax subtracts the maximum, cross-entropy clips), because the
lessons show *why* those precautions exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# ----- gradient descent ---------------------------------------------------------------------
CURVE_RANGE = (-3.5, 3.5)
"""The 1-D loss curve is drawn, and random restarts land, inside this range of the parameter."""


def curve_loss(x):
    """A 1-D loss with a global minimum near -2.35 and a worse local one near 2.1."""
    x = np.asarray(x, dtype=float)
    return 0.1 * x**4 - x**2 + 0.5 * x


def curve_gradient(x):
    x = np.asarray(x, dtype=float)
    return 0.4 * x**3 - 2.0 * x + 0.5


BOWL_CURVATURE = np.array([1.0, 8.0])
"""The 2-D bowl is steeper along y than along x, so a large rate zigzags across the valley."""


def bowl_loss(p):
    p = np.asarray(p, dtype=float)
    return 0.5 * np.sum(BOWL_CURVATURE * p**2, axis=-1)


def bowl_gradient(p):
    return BOWL_CURVATURE * np.asarray(p, dtype=float)


def stability_bound(curvature: float) -> float:
    """Plain gradient descent on a quadratic converges only for rates below 2 / curvature."""
    return 2.0 / curvature


@dataclass
class Descent:
    """One ball on a loss surface: its position, velocity and the path it took.

    `step` is gradient descent with optional momentum (velocity = β·velocity − rate·gradient)
    and optional noise on the gradient, which is what a small batch sees instead of the true
    gradient of the whole data set.
    """

    loss: Callable
    gradient: Callable
    start: np.ndarray
    rate: float = 0.05
    momentum: float = 0.0
    noise: float = 0.0
    seed: int = 0
    tolerance: float = 1e-3
    """Converged when both the gradient and the last step are smaller than this."""
    limit: float = 1e6
    """Diverged when the parameter leaves ±limit (or stops being a finite number)."""
    path: list[np.ndarray] = field(default_factory=list)
    velocity: np.ndarray = field(init=False)
    converged_at: int | None = None
    diverged: bool = False

    def __post_init__(self) -> None:
        self.start = np.atleast_1d(np.asarray(self.start, dtype=float))
        self.rng = np.random.default_rng(self.seed)
        self.reset(self.start)

    def reset(self, start=None) -> None:
        if start is not None:
            self.start = np.atleast_1d(np.asarray(start, dtype=float))
        self.path = [self.start.copy()]
        self.velocity = np.zeros_like(self.start)
        self.converged_at = None
        self.diverged = False

    @property
    def position(self) -> np.ndarray:
        return self.path[-1]

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def done(self) -> bool:
        return self.diverged or self.converged_at is not None

    def current_loss(self) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.asarray(self.loss(self.position)).reshape(-1)[0])

    def current_gradient(self) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(self.gradient(self.position), dtype=float)

    def step(self) -> None:
        if self.done:
            return
        with np.errstate(over="ignore", invalid="ignore"):
            grad = self.current_gradient()
            if self.noise:
                grad = grad + self.rng.normal(0.0, self.noise, size=grad.shape)
            self.velocity = self.momentum * self.velocity - self.rate * grad
            new = self.position + self.velocity
        self.path.append(new)
        if not np.all(np.isfinite(new)) or np.any(np.abs(new) > self.limit):
            self.diverged = True
            return
        small_step = np.max(np.abs(self.velocity)) < self.tolerance
        flat = np.max(np.abs(self.current_gradient())) < self.tolerance
        if small_step and flat and not self.noise:
            self.converged_at = self.steps


def descend(gradient: Callable, start, rate: float, steps: int, momentum: float = 0.0):
    """Where plain (or momentum) gradient descent is after `steps` steps."""
    run = Descent(lambda p: 0.0, gradient, np.asarray(start), rate=rate, momentum=momentum)
    run.limit, run.tolerance = np.inf, 0.0
    for _ in range(steps):
        run.step()
    return run.position


# ----- softmax and cross-entropy ------------------------------------------------------------
def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """Probabilities from logits; subtracting the maximum first keeps exp() from overflowing."""
    z = np.asarray(logits, dtype=float) / temperature
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def naive_softmax(logits) -> np.ndarray:
    """The formula as printed, to show what goes wrong for large logits (inf / inf = nan)."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(np.asarray(logits, dtype=float))
        return e / np.sum(e)


def one_hot(index: int, classes: int) -> np.ndarray:
    target = np.zeros(classes)
    target[index] = 1.0
    return target


CLIP = 1e-7
"""Cross-entropy clips probabilities to [CLIP, 1 - CLIP] so log(0) never happens."""


def cross_entropy(probabilities, target) -> float:
    """As Keras computes it from probabilities: clipped, so it never exceeds −log(CLIP) ≈ 16.1."""
    p = np.clip(np.asarray(probabilities, dtype=float), CLIP, 1.0 - CLIP)
    return float(-np.sum(np.asarray(target, dtype=float) * np.log(p)))


def log_softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """log(softmax) without leaving log space: z − max − log Σ exp(z − max), finite however
    far a logit lies below the largest (where softmax itself rounds to 0 and its log is −inf)."""
    z = np.asarray(logits, dtype=float) / temperature
    z = z - np.max(z, axis=-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def cross_entropy_from_logits(logits, target, temperature: float = 1.0) -> float:
    """The true cross-entropy, −Σ y · log softmax(z): no clipping needed (Keras's
    `from_logits=True`). At logits ×500 a wrong guess costs about 1,500, not 16.1."""
    return float(-np.sum(np.asarray(target, dtype=float) * log_softmax(logits, temperature)))


# ----- activation functions -----------------------------------------------------------------
LEAK = 0.1
"""Leaky ReLU's slope below zero (drawn larger than Keras's 0.01 default, to be visible)."""
ALPHA = 1.0
"""ELU's α: how far below zero it may go."""


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the same curve, without exp overflow


ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "step": (lambda x: (x >= 0).astype(float), lambda x: np.zeros_like(x)),
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1.0 - np.tanh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float)),
    "leaky-relu": (
        lambda x: np.where(x > 0, x, LEAK * x),
        lambda x: np.where(x > 0, 1.0, LEAK),
    ),
    "elu": (
        lambda x: np.where(x > 0, x, ALPHA * np.expm1(np.minimum(x, 0.0))),
        lambda x: np.where(x > 0, 1.0, ALPHA * np.exp(np.minimum(x, 0.0))),
    ),
}
"""name → (function, derivative). The step's derivative is 0 wherever it exists."""


def activation(name: str, x):
    return ACTIVATIONS[name][0](np.asarray(x, dtype=float))


def derivative(name: str, x):
    return ACTIVATIONS[name][1](np.asarray(x, dtype=float))
