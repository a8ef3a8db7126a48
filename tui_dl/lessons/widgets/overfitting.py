"""A network too big for its data: 12 noisy points of a sine, fitted by a 1-64-64-1 network.

The training points are all the network sees; a separate set of points from the same curve
and the same noise is the validation set, measured every epoch and never trained on. Without
dropout the training loss keeps falling towards zero while the validation loss turns and
climbs: the network has begun to learn the noise. Dropout (each hidden unit ignored at random
with probability `DROPOUT` on every training step) makes memorising harder.

Early stopping watches the validation loss: it remembers the best epoch, and stops once
`PATIENCE` epochs have passed without a better one (Keras's EarlyStopping with
`restore_best_weights` then goes back to the best epoch's weights).

The network is the Playground's own numpy network (tanh hidden units, a linear output); it is
trained on the mean squared error, the whole training set every step, by Adam.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tui_dl.engine.playground.network import Network
from tui_dl.lessons.widgets.optimizers import Adam

TRAIN_POINTS = 12
VALIDATION_POINTS = 40
NOISE = 0.3
"""The noise's standard deviation: no model can do better than NOISE² on fresh points."""
HIDDEN = (64, 64)
RATE = 0.01
DROPOUT = 0.3
PATIENCE = 200
MAX_EPOCHS = 4000


def truth(x):
    """The curve behind the points."""
    return np.sin(np.pi * np.asarray(x, dtype=float))


def noisy_points(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) columns: x uniform in [−1, 1] and sorted, y = the curve plus Gaussian noise."""
    x = np.sort(rng.uniform(-1.0, 1.0, count))
    return x[:, None], (truth(x) + rng.normal(0.0, NOISE, count))[:, None]


def mean_squared_error(predicted, target) -> float:
    return float(np.mean((np.asarray(predicted) - np.asarray(target)) ** 2))


@dataclass(frozen=True)
class EarlyStop:
    best: int
    """The (1-based) epoch with the lowest validation loss so far."""
    stop: int | None
    """The epoch early stopping would end training at; None: not yet."""


def early_stopping(validation: Sequence[float] | np.ndarray, patience: int = PATIENCE) -> EarlyStop:
    """Where Keras's EarlyStopping(patience) would stop on these per-epoch losses: the first
    epoch that is `patience` epochs after the best one before it. An epoch counts as better
    only when strictly lower."""
    best, best_value = 0, np.inf
    for epoch, value in enumerate(validation, start=1):
        if value < best_value:
            best, best_value = epoch, value
        elif epoch - best >= patience:
            return EarlyStop(best, epoch)
    return EarlyStop(best, None)


def _flat(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([a.ravel() for a in arrays])


@dataclass
class FitRun:
    """One training run: the data (from `seed`), the network, and the loss of every epoch."""

    seed: int = 0
    dropout: bool = False
    train_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """The same points and the same starting weights again: runs differ only by dropout."""
        rng = np.random.default_rng(self.seed)
        self.train_x, self.train_y = noisy_points(rng, TRAIN_POINTS)
        self.validation_x, self.validation_y = noisy_points(rng, VALIDATION_POINTS)
        net = Network.scaled_normal(1, list(HIDDEN), ["tanh"] * len(HIDDEN), 1, "linear", rng)
        net.dropout = [DROPOUT if self.dropout else 0.0] * len(HIDDEN)
        self.net = net
        self.masks = np.random.default_rng(self.seed + 1)
        self.optimizer = Adam(RATE)
        self.train_loss, self.validation_loss = [], []
        self.best_parameters = self.parameters()
        """The weights of the epoch with the lowest validation loss: what early stopping with
        `restore_best_weights` hands back."""

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    @property
    def done(self) -> bool:
        return self.epochs >= MAX_EPOCHS

    def parameters(self) -> np.ndarray:
        return _flat(self.net.parameters())

    def set_parameters(self, flat: np.ndarray) -> None:
        start = 0
        for array in self.net.parameters():
            array[...] = flat[start : start + array.size].reshape(array.shape)
            start += array.size

    def gradient(self, flat: np.ndarray) -> np.ndarray:
        """∂(mean squared error)/∂parameters on the training set, through fresh dropout."""
        self.set_parameters(flat)
        fwd = self.net.forward(self.train_x, self.masks)
        delta = 2.0 * (fwd.output - self.train_y) / len(self.train_x)
        return _flat(self.net.backward(fwd, delta).parameters())

    def predict(self, x) -> np.ndarray:
        """The network without dropout (as it is used, and as Keras evaluates it)."""
        return self.net.predict(np.asarray(x, dtype=float).reshape(-1, 1))[:, 0]

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """The mean squared error of the network without dropout on points (x, y)."""
        return mean_squared_error(self.predict(x), y[:, 0])

    def train(self, epochs: int = 1) -> None:
        for _ in range(min(epochs, MAX_EPOCHS - self.epochs)):
            self.set_parameters(self.optimizer.step(self.parameters(), self.gradient))
            self.train_loss.append(self.loss(self.train_x, self.train_y))
            validation = self.loss(self.validation_x, self.validation_y)
            if validation < min(self.validation_loss, default=np.inf):
                self.best_parameters = self.parameters()
            self.validation_loss.append(validation)

    def predict_best(self, x) -> np.ndarray:
        """The curve of the best epoch's weights (the network itself is left as it is)."""
        now = self.parameters()
        self.set_parameters(self.best_parameters)
        try:
            return self.predict(x)
        finally:
            self.set_parameters(now)

    def early_stop(self) -> EarlyStop:
        return early_stopping(self.validation_loss)
