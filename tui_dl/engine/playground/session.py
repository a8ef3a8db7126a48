"""One Playground: a state, its points, its network, and training it an epoch at a time.

What the screen, the command line and the tests all drive. Nothing here knows about Textual;
the screen trains in a worker thread and reads `snapshot()`s.
"""

from __future__ import annotations

import copy
import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from tui_dl.engine.playground.datasets import Points, generate, load_csv
from tui_dl.engine.playground.network import Network
from tui_dl.engine.playground.rng import SeededRandom
from tui_dl.engine.playground.state import PlaygroundState

DOMAIN = 6.0
"""The boundary is drawn over [−6, 6]², as on the web."""
FEATURE_FUNCTIONS = {
    "x": lambda x, y: x,
    "y": lambda x, y: y,
    "xSquared": lambda x, y: x * x,
    "ySquared": lambda x, y: y * y,
    "xTimesY": lambda x, y: x * y,
    "sinX": lambda x, y: np.sin(x),
    "sinY": lambda x, y: np.sin(y),
}


def features(state: PlaygroundState, xy: np.ndarray) -> np.ndarray:
    x, y = xy[:, 0], xy[:, 1]
    return np.stack([FEATURE_FUNCTIONS[name](x, y) for name in state.features], axis=1)


def grid_points(columns: int, rows: int) -> np.ndarray:
    """The (x, y) of each cell of a picture over [−6, 6]², row by row from the top (y = +6),
    left (x = −6) to right: (rows × columns, 2)."""
    gx, gy = np.meshgrid(np.linspace(-DOMAIN, DOMAIN, columns), np.linspace(DOMAIN, -DOMAIN, rows))
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def load_points(state: PlaygroundState) -> tuple[Points, SeededRandom]:
    """The state's points, and the seeded stream where drawing them left it (the weights are
    drawn from there, as on the web)."""
    rng = SeededRandom(state.seed)
    if state.csv:
        points = load_csv(state.csv, state.regression, state.seed, state.percTrainData, rng)
    elif state.regression:
        points = generate(state.regDataset, state.seed, state.noise, state.percTrainData, 0, rng)
    else:
        name, classes = state.dataset, state.classes
        points = generate(name, state.seed, state.noise, state.percTrainData, classes, rng)
    return points, rng


@dataclass
class Metrics:
    train_loss: float
    test_loss: float
    train_accuracy: float | None  # None for regression
    test_accuracy: float | None
    confusion: np.ndarray | None  # test points: rows true class, columns predicted


@dataclass
class Snapshot:
    """What a screen draws, copied out of the training thread."""

    epoch: int
    metrics: Metrics
    history: list[tuple[float, float]]
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    grid: list[np.ndarray]  # per layer (rows, columns, neurons), inputs first
    stopped: str = ""


@dataclass
class Playground:
    state: PlaygroundState
    points: Points = field(init=False)
    network: Network = field(init=False)
    epoch: int = 0
    history: list[tuple[float, float]] = field(default_factory=list)
    stopped: str = ""
    """Why training stopped by itself: a stop condition met, or the loss blew up."""

    def __post_init__(self) -> None:
        self.points, self._after_points = load_points(self.state)
        self.reset()

    # ----- set-up -----------------------------------------------------------------------------
    @property
    def classes(self) -> int:
        return self.points.classes

    def reset(self) -> None:
        """A fresh network on the same points (the web's reset): its weights are drawn from the
        seed's stream after the points, so a state opened fresh here or there starts alike."""
        state = self.state
        rng = copy.deepcopy(self._after_points)
        loss = state.output_loss
        classes = self.points.classes
        outputs = classes if loss == "xent" else 1
        activation = "softmax" if loss == "xent" else ("linear" if state.regression else "tanh")
        self.network = Network.build(
            len(state.features),
            state.networkShape,
            state.layer_activations(),
            outputs,
            activation,
            rng,
            regularization=state.regularization,
            dropout=state.layer_dropout(),
            init_zero=state.initZero,
        )
        self.dropout_rng = np.random.default_rng(zlib.crc32(state.seed.encode()))
        self.epoch = 0
        self.stopped = ""
        self.train_x = features(state, self.points.train_xy)
        self.test_x = features(state, self.points.test_xy)
        self.train_t = self.targets(self.points.train_y)
        self.test_t = self.targets(self.points.test_y)
        self.history = [self._losses()]

    def targets(self, labels: np.ndarray) -> np.ndarray:
        if self.state.regression:
            return labels.reshape(-1, 1)
        if self.network.output_activation == "softmax":
            return np.eye(self.classes)[labels.astype(int)]
        return (2 * labels - 1).reshape(-1, 1)  # classes 0/1 as the web's −1/+1

    # ----- training ---------------------------------------------------------------------------
    def step(self) -> bool:
        """One epoch, the web's way: the training points in their order, an update every
        `batchSize` of them. False once training has stopped (a stop condition, or NaN)."""
        if self.stopped:
            return False
        net, size = self.network, self.state.batchSize
        x, t = self.train_x, self.train_t
        for start in range(0, len(x), size):
            net.accumulate(x[start : start + size], t[start : start + size], self.dropout_rng)
            if start + size <= len(x):
                net.update(self.state.learningRate, self.state.regularizationRate)
        self.epoch += 1
        losses = self._losses()
        self.history.append(losses)
        if not all(math.isfinite(v) for v in losses):
            self.stopped = (
                f"the loss blew up at epoch {self.epoch} (learning rate "
                f"{self.state.learningRate:g} is too high for this network): reset to start again"
            )
        elif self.state.stopEpochs and self.epoch >= self.state.stopEpochs:
            self.stopped = f"stopped after {self.epoch} epochs, as set"
        elif self.state.stopLoss and losses[1] <= self.state.stopLoss:
            self.stopped = f"test loss {losses[1]:.3f} reached {self.state.stopLoss:g}"
        return not self.stopped

    def train(self, epochs: int) -> None:
        for _ in range(epochs):
            if not self.step():
                break

    # ----- what it shows ----------------------------------------------------------------------
    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            out = self.network.predict(x)
            if self.network.output_activation == "softmax":
                p = np.clip((out * t).sum(axis=1), 1e-12, 1.0)
                return float(-np.log(p).mean())
            return float((0.5 * (out - t) ** 2).sum(axis=1).mean())

    def _losses(self) -> tuple[float, float]:
        return self.loss(self.train_x, self.train_t), self.loss(self.test_x, self.test_t)

    def predicted_class(self, out: np.ndarray) -> np.ndarray:
        if out.shape[1] > 1:
            return out.argmax(axis=1)
        return (out[:, 0] > 0).astype(int)

    def metrics(self) -> Metrics:
        train_loss, test_loss = self.history[-1]
        if self.state.regression:
            return Metrics(train_loss, test_loss, None, None, None)
        with np.errstate(all="ignore"):
            train = self.predicted_class(self.network.predict(self.train_x))
            test = self.predicted_class(self.network.predict(self.test_x))
        truth_train = self.points.train_y.astype(int)
        truth_test = self.points.test_y.astype(int)
        confusion = np.zeros((self.classes, self.classes), dtype=int)
        np.add.at(confusion, (truth_test, test), 1)
        return Metrics(
            train_loss,
            test_loss,
            float((train == truth_train).mean()) if len(train) else math.nan,
            float((test == truth_test).mean()) if len(test) else math.nan,
            confusion,
        )

    def grid(self, columns: int, rows: int) -> list[np.ndarray]:
        """Every neuron's output over [−6, 6]² (row 0 at the top, y = +6): inputs first, one
        array (rows, columns, neurons) per layer."""
        inputs = features(self.state, grid_points(columns, rows))
        with np.errstate(all="ignore"):
            fwd = self.network.forward(inputs)
        return [a.reshape(rows, columns, -1) for a in fwd.a]

    def value(self, out: np.ndarray) -> np.ndarray:
        """The output as one number in [−1, 1] per point for a two-colour picture: the web's
        tanh output, p(blue) − p(orange) under softmax, the value itself for regression."""
        if out.shape[-1] == 2 and self.network.output_activation == "softmax":
            return out[..., 1] - out[..., 0]
        return out[..., 0]

    def snapshot(self, columns: int, rows: int) -> Snapshot:
        return Snapshot(
            self.epoch,
            self.metrics(),
            list(self.history),
            [w.copy() for w in self.network.weights],
            [b.copy() for b in self.network.biases],
            self.grid(columns, rows),
            self.stopped,
        )
