"""The plain-Keras baseline for `engine_vs_keras.py`'s imdb-lstm: the course's script as a
learner writes it, one `model.fit`.

It reads the same `imdb.npz` the engine reads (from `TUI_DL_DATA`), does what
`keras.datasets.imdb.load_data(num_words=20000)` does to it (start mark, ranks + 3, rare words
→ 2), cuts and pads with `keras.utils.pad_sequences(maxlen=80)`, and fits Embedding(20000, 128)
→ LSTM(128, dropout 0.2, recurrent_dropout 0.2) → Dense(1, sigmoid), Adam, batch 32, validating
on the test reviews. The only callback is an epoch timer at the hooks where the engine's
EventReporter times an epoch. Prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import keras
import numpy as np
from plain_fit import EpochTimer


def load(num_words: int) -> tuple[np.ndarray, ...]:
    with np.load(Path(os.environ["TUI_DL_DATA"]) / "imdb.npz", allow_pickle=True) as f:
        x_train, y_train, x_test, y_test = (
            f[k] for k in ("x_train", "y_train", "x_test", "y_test")
        )

    def shift(reviews) -> list[list[int]]:
        return [[1] + [w + 3 if w + 3 < num_words else 2 for w in r] for r in reviews]

    return shift(x_train), y_train, shift(x_test), y_test


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train-limit", type=int, default=0)
    args = parser.parse_args()
    keras.utils.set_random_seed(42)
    x_train, y_train, x_test, y_test = load(20000)
    if args.train_limit:
        x_train, y_train = x_train[: args.train_limit], y_train[: args.train_limit]
    x_train = keras.utils.pad_sequences(x_train, maxlen=80)
    x_test = keras.utils.pad_sequences(x_test, maxlen=80)
    model = keras.Sequential(
        [
            keras.Input(shape=(80,), dtype="int32"),
            keras.layers.Embedding(20000, 128),
            keras.layers.LSTM(128, dropout=0.2, recurrent_dropout=0.2),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    fit_start = time.monotonic()
    model.fit(
        x_train,
        y_train,
        batch_size=32,
        epochs=args.epochs,
        verbose=0,
        validation_data=(x_test, y_test),
        callbacks=[timer],
    )
    result = {
        "n_train": len(x_train),
        "fit_s": time.monotonic() - fit_start,
        "epoch_durations": timer.durations,
        "epoch_ends": timer.ends,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
