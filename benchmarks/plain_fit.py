"""The plain-Keras baseline for `engine_vs_keras.py`: one image experiment, one `model.fit`.

Run as its own child process (`python benchmarks/plain_fit.py --experiment mnist-cnn ...`) so
that it pays the same process start as an engine run and shares no TensorFlow state with it.
It builds exactly the engine's model — the experiment's defaults (`EXPERIMENTS`), its
`ARCHITECTURES` entry, `compile_model` (same optimizer and learning rate), `prepare` to the
model's own input shape — with the same seed, data, batch size and fit arguments (validation on
the test set, verbose=0). The only callback is a timer that overrides `on_epoch_begin`/
`on_epoch_end` exactly where the engine's EventReporter takes an epoch's `duration_s` (not a
batch hook, so it disables nothing in Keras). Prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import time

import keras

from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.engine.trainers.images import ARCHITECTURES, LOADERS, compile_model, prepare


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", default="mnist-mlp", choices=sorted(ARCHITECTURES))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=0, help="0 = the experiment's own")
    parser.add_argument("--train-limit", type=int, default=0)
    args = parser.parse_args()
    p = EXPERIMENTS[args.experiment].defaults()
    p["epochs"], p["train_limit"] = args.epochs, args.train_limit
    p["batch_size"] = args.batch_size or p["batch_size"]

    keras.utils.set_random_seed(p["seed"])
    data = LOADERS[p["dataset"]](None, allow_download=True)
    x_train, y_train = data.x_train, data.y_train
    if p["train_limit"]:
        x_train, y_train = x_train[: p["train_limit"]], y_train[: p["train_limit"]]
    model = compile_model(ARCHITECTURES[args.experiment](p), p["optimizer"], p["learning_rate"])
    shape = tuple(model.inputs[0].shape[1:])
    x_test = prepare(data.x_test, shape)
    y_test_1hot = keras.utils.to_categorical(data.y_test, 10)
    timer = EpochTimer()
    fit_start = time.monotonic()
    model.fit(
        prepare(x_train, shape),
        keras.utils.to_categorical(y_train, 10),
        batch_size=p["batch_size"],
        epochs=p["epochs"],
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
