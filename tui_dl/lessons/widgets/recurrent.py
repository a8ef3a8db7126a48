"""A tiny recurrent network over a short sequence, and how much gradient reaches each step.

Backpropagation through time multiplies one Jacobian per step: ∂h_T/∂h_t = J_T ⋯ J_{t+1},
with J_k = ∂s_k/∂s_{k−1} the step's derivative of the new state by the old. For a plain tanh
cell J_k = diag(1 − h_k²)·W, so the product shrinks (or grows) geometrically with the
distance T − t: old inputs fade. An LSTM's memory c_k = f_k⊙c_{k−1} + i_k⊙g_k adds instead of
squashing, and the forget gate f_k (near 1 when it keeps) lets the gradient through almost
unchanged. Everything is seeded, so the same keys always draw the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

UNITS = 4
SCALES = (0.25, 0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0)
"""The recurrent weights' scale: the plain cell's W is a random rotation times this."""
LENGTHS = (5, 10, 15, 20, 25, 30)
FORGET_BIASES = (0.0, 1.0, 3.0)
"""The LSTM forget gate's bias: Keras starts it at 1 (unit_forget_bias); 3 keeps more."""
CELLS = ("tanh", "lstm")


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def rotation(units: int, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal matrix: every direction kept at length 1, so `scale` alone sets
    how much W stretches the state."""
    q, r = np.linalg.qr(rng.normal(size=(units, units)))
    return q * np.sign(np.diag(r))


@dataclass
class Cell:
    """One recurrent cell's weights: W (recurrent), U (input), b. The LSTM's are stacked
    gate by gate: input i, forget f, candidate g, output o (as Keras stacks them)."""

    kind: str
    scale: float = 1.0
    forget_bias: float = 1.0
    units: int = UNITS
    seed: int = 0
    W: np.ndarray = field(init=False)
    U: np.ndarray = field(init=False)
    b: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        if self.kind not in CELLS:
            raise ValueError(f"unknown cell {self.kind!r}; known: {', '.join(CELLS)}")
        rng = np.random.default_rng(self.seed)
        n = self.units
        gates = 1 if self.kind == "tanh" else 4
        self.W = self.scale * np.vstack([rotation(n, rng) for _ in range(gates)])
        self.U = rng.normal(0.0, 1.0, size=(gates * n, 1))
        self.b = rng.normal(0.0, 0.1, size=gates * n)
        if self.kind == "lstm":
            self.b[n : 2 * n] += self.forget_bias

    @property
    def state_size(self) -> int:
        """h alone for the tanh cell; h and c side by side for the LSTM."""
        return self.units if self.kind == "tanh" else 2 * self.units

    def step(self, state: np.ndarray, x: float) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The next state, and what the step computed on the way (for its Jacobian)."""
        n = self.units
        h = state[:n]
        z = self.W @ h + self.U[:, 0] * x + self.b
        if self.kind == "tanh":
            new = np.tanh(z)
            return new, {"h": new}
        c = state[n:]
        i, f, o = _sigmoid(z[:n]), _sigmoid(z[n : 2 * n]), _sigmoid(z[3 * n :])
        g = np.tanh(z[2 * n : 3 * n])
        c_new = f * c + i * g
        h_new = o * np.tanh(c_new)
        parts = {"h": h_new, "c": c_new, "c_old": c, "i": i, "f": f, "g": g, "o": o}
        return np.concatenate([h_new, c_new]), parts

    def jacobian(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """∂(new state)/∂(old state) at one step, from what `step` computed."""
        n, W = self.units, self.W
        if self.kind == "tanh":
            return (1.0 - parts["h"] ** 2)[:, None] * W
        i, f, g, o, c_old, c = (parts[k] for k in ("i", "f", "g", "o", "c_old", "c"))
        Wi, Wf, Wg, Wo = W[:n], W[n : 2 * n], W[2 * n : 3 * n], W[3 * n :]
        dc_dh = (
            (c_old * f * (1 - f))[:, None] * Wf
            + (g * i * (1 - i))[:, None] * Wi
            + (i * (1 - g**2))[:, None] * Wg
        )
        dc_dc = np.diag(f)
        tanh_c = np.tanh(c)
        through_c = (o * (1 - tanh_c**2))[:, None]
        dh_dh = (tanh_c * o * (1 - o))[:, None] * Wo + through_c * dc_dh
        dh_dc = through_c * dc_dc
        return np.block([[dh_dh, dh_dc], [dc_dh, dc_dc]])


@dataclass
class Unrolled:
    """The cell run over a sequence from a zero state: states[t] is s_t (t = 0 … T)."""

    cell: Cell
    inputs: np.ndarray
    states: list[np.ndarray] = field(init=False)
    parts: list[dict[str, np.ndarray]] = field(init=False)

    def __post_init__(self) -> None:
        self.inputs = np.asarray(self.inputs, dtype=float)
        self.states = [np.zeros(self.cell.state_size)]
        self.parts = [{}]
        for x in self.inputs:
            state, parts = self.cell.step(self.states[-1], float(x))
            self.states.append(state)
            self.parts.append(parts)

    @property
    def length(self) -> int:
        return len(self.inputs)

    def hidden(self) -> np.ndarray:
        """h_1 … h_T as a (T, units) array."""
        return np.array([s[: self.cell.units] for s in self.states[1:]])

    def forget_gates(self) -> np.ndarray | None:
        """The LSTM's mean forget gate at each step 1 … T (None for the tanh cell)."""
        if self.cell.kind != "lstm":
            return None
        return np.array([p["f"].mean() for p in self.parts[1:]])

    def gradient(self, t: int) -> np.ndarray:
        """∂h_T/∂s_t: how the final hidden state moves when the state at step t is nudged
        (units × state size), the product of the Jacobians of steps t+1 … T."""
        T, n = self.length, self.cell.units
        grad = np.eye(self.cell.state_size)[:n]
        for k in range(T, t, -1):
            grad = grad @ self.cell.jacobian(self.parts[k])
        return grad

    def gradient_norms(self) -> np.ndarray:
        """‖∂h_T/∂s_t‖ (the largest stretch, the matrix 2-norm) for t = 1 … T; 1 at t = T."""
        norms = np.empty(self.length)
        n = self.cell.units
        grad = np.eye(self.cell.state_size)[:n]
        for t in range(self.length, 0, -1):
            norms[t - 1] = np.linalg.norm(grad, 2)
            grad = grad @ self.cell.jacobian(self.parts[t])
        return norms

    def run_from(self, t: int, state: np.ndarray) -> np.ndarray:
        """h_T when the state at step t is replaced by `state` (for finite differences)."""
        for x in self.inputs[t:]:
            state, _ = self.cell.step(state, float(x))
        return state[: self.cell.units]


def sequence(length: int, seed: int = 0) -> np.ndarray:
    """The inputs x_1 … x_T: seeded, between −1 and 1."""
    return np.random.default_rng(1000 + seed).uniform(-1.0, 1.0, size=length)


def finite_difference_gradient(run: Unrolled, t: int, eps: float = 1e-6) -> np.ndarray:
    """∂h_T/∂s_t by central differences, one state component at a time."""
    base = run.states[t]
    columns = []
    for j in range(len(base)):
        bump = np.zeros_like(base)
        bump[j] = eps
        columns.append((run.run_from(t, base + bump) - run.run_from(t, base - bump)) / (2 * eps))
    return np.stack(columns, axis=1)
