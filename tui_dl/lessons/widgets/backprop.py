"""Backpropagation by hand on the smallest interesting network: 2 inputs, 2 hidden, 1 output.

Sigmoid units everywhere and the squared error L = ½(ŷ − t)² of one example. The forward
pass computes each node's sum z and output a; the backward pass walks the chain rule from
the loss back to every weight:

    ∂L/∂ŷ = ŷ − t                       δ_out = ∂L/∂ŷ · ŷ(1 − ŷ)
    ∂L/∂v_j = δ_out · h_j               ∂L/∂c = δ_out
    ∂L/∂h_j = δ_out · v_j               δ_j = ∂L/∂h_j · h_j(1 − h_j)
    ∂L/∂w_jk = δ_j · x_k                ∂L/∂b_j = δ_j

Each gradient can be checked without calculus by nudging its weight both ways and
measuring the loss: (L(p + ε) − L(p − ε)) / 2ε, the central finite difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PARAMETERS = ("x₁→h₁", "x₂→h₁", "b→h₁", "x₁→h₂", "x₂→h₂", "b→h₂", "h₁→ŷ", "h₂→ŷ", "b→ŷ")
"""The nine parameters in the flat vector's order: each edge (and bias) by where it runs."""
STAGES = (
    ("inputs", "the example"),
    ("h1", "forward: h₁"),
    ("h2", "forward: h₂"),
    ("out", "forward: the output ŷ"),
    ("loss", "forward: the loss"),
    ("back-out", "backward: ŷ"),
    ("back-h1", "backward: h₁"),
    ("back-h2", "backward: h₂"),
)
"""The walk through one example, one node at a time: (key, what happens there)."""
EPSILON = 1e-5


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def unpack(params) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(W, b, v, c): W[j, k] from input k into hidden j, b[j] its bias, v[j] from hidden j
    into the output, c the output's bias."""
    p = np.asarray(params, dtype=float)
    grid = p[:6].reshape(2, 3)
    return grid[:, :2], grid[:, 2], p[6:8], float(p[8])


@dataclass(frozen=True)
class Forward:
    x: np.ndarray
    target: float
    z_hidden: np.ndarray
    hidden: np.ndarray
    z_out: float
    out: float

    @property
    def loss(self) -> float:
        return 0.5 * (self.out - self.target) ** 2


@dataclass(frozen=True)
class Backward:
    d_out: float
    """∂L/∂ŷ."""
    delta_out: float
    """∂L/∂z of the output: ∂L/∂ŷ times the sigmoid's slope there."""
    d_hidden: np.ndarray
    """∂L/∂h_j."""
    delta_hidden: np.ndarray
    """∂L/∂z_j of each hidden unit."""
    gradient: np.ndarray
    """∂L/∂p for the nine parameters, in PARAMETERS' order."""


def forward(params, x, target: float) -> Forward:
    weights, biases, out_weights, out_bias = unpack(params)
    x = np.asarray(x, dtype=float)
    z_hidden = weights @ x + biases
    hidden = sigmoid(z_hidden)
    z_out = float(out_weights @ hidden + out_bias)
    return Forward(x, float(target), z_hidden, hidden, z_out, float(sigmoid(z_out)))


def loss(params, x, target: float) -> float:
    return forward(params, x, target).loss


def backward(params, fwd: Forward) -> Backward:
    _, _, out_weights, _ = unpack(params)
    d_out = fwd.out - fwd.target
    delta_out = d_out * fwd.out * (1.0 - fwd.out)
    d_hidden = delta_out * out_weights
    delta_hidden = d_hidden * fwd.hidden * (1.0 - fwd.hidden)
    into_hidden = np.hstack([np.outer(delta_hidden, fwd.x), delta_hidden[:, None]])
    gradient = np.concatenate([into_hidden.ravel(), delta_out * fwd.hidden, [delta_out]])
    return Backward(d_out, delta_out, d_hidden, delta_hidden, gradient)


def finite_difference(params, x, target: float, epsilon: float = EPSILON) -> np.ndarray:
    """Each parameter nudged by ±ε, the loss measured: the gradient without the chain rule."""
    p = np.asarray(params, dtype=float)
    estimate = np.empty_like(p)
    for i in range(len(p)):
        up, down = p.copy(), p.copy()
        up[i] += epsilon
        down[i] -= epsilon
        estimate[i] = (loss(up, x, target) - loss(down, x, target)) / (2 * epsilon)
    return estimate


def update(params, gradient, rate: float) -> np.ndarray:
    """One step of gradient descent: every parameter moves against its gradient."""
    return np.asarray(params, dtype=float) - rate * np.asarray(gradient, dtype=float)


def agrees(analytic: float, numeric: float, tolerance: float = 1e-6) -> bool:
    """Whether a chain-rule gradient matches its finite difference (relative, or absolute
    near zero)."""
    return abs(analytic - numeric) <= tolerance * max(1.0, abs(analytic), abs(numeric))


def random_problem(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """(params, x, target): weights and inputs rounded to 0.1, so a learner can follow."""
    params = np.round(rng.normal(0.0, 1.0, size=len(PARAMETERS)), 1)
    x = np.round(rng.uniform(-1.0, 1.0, size=2), 1)
    return params, x, float(rng.integers(0, 2))


START = (
    np.array([0.5, -0.3, 0.1, -0.4, 0.8, 0.0, 1.2, -0.7, 0.2]),
    np.array([1.0, 0.5]),
    1.0,
)
"""The example the widget opens on: (params, x, target)."""
