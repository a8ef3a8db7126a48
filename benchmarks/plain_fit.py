"""The plain-Keras baseline for `engine_vs_keras.py`: the course's MLP, one `model.fit`, no engine.

Run as its own child process (`python benchmarks/plain_fit.py --epochs 5 ...`) so that it pays
the same process start as an engine run and shares no TensorFlow state with it. It uses the
engine's own data loader, model factory and preprocessing, the same seed and the same fit
arguments (validation on the test set, verbose=0); the only callback is a timer that overrides
`on_epoch_begin`/`on_epoch_end` (not a batch hook, so it disables nothing in Keras).
Prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import time

import keras

from tui_dl.data import load_mnist
from tui_dl.engine.experiments import MNIST_MLP
from tui_dl.engine.trainers.mnist_mlp import build_model, prepare


class EpochTimer(keras.callbacks.Callback):
    """Per-epoch wall times, taken where the engine's EventReporter takes them."""

    def __init__(self) -> None:
        super().__init__()
        self.durations: list[float] = []
        self.ends: list[float] = []
        self._begin = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._begin = time.monotonic()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        now = time.monotonic()
        self.durations.append(now - self._begin)
        self.ends.append(time.time())


def main() -> None:
    defaults = MNIST_MLP.defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=defaults["batch_size"])
    parser.add_argument("--train-limit", type=int, default=0)
    args = parser.parse_args()

    keras.utils.set_random_seed(defaults["seed"])
    data = load_mnist(None, allow_download=True)
    x_train, y_train = data.x_train, data.y_train
    if args.train_limit:
        x_train, y_train = x_train[: args.train_limit], y_train[: args.train_limit]
    model = build_model(
        defaults["hidden_units"],
        defaults["dropout"],
        defaults["optimizer"],
        defaults["learning_rate"],
    )
    x_test = prepare(data.x_test)
    y_test_1hot = keras.utils.to_categorical(data.y_test, 10)
    timer = EpochTimer()
    fit_start = time.monotonic()
    model.fit(
        prepare(x_train),
        keras.utils.to_categorical(y_train, 10),
        batch_size=args.batch_size,
        epochs=args.epochs,
        verbose=0,
        validation_data=(x_test, y_test_1hot),
        callbacks=[timer],
    )
    fit_s = time.monotonic() - fit_start
    result = {
        "n_train": int(len(x_train)),
        "fit_s": fit_s,
        "epoch_durations": timer.durations,
        "epoch_ends": timer.ends,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
