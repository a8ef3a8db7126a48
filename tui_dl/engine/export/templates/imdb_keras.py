# %% The setup: the run's settings, and Keras seeded as the run was
# The course's LSTM on IMDB reviews as a plain Keras script: the same reviews (Keras's
# imdb.npz, shuffled and shifted as keras.datasets.imdb.load_data does), the same network,
# settings and seed as the run. It needs keras (with TensorFlow) and numpy.
import argparse
import json
import sys
from pathlib import Path

import keras
import numpy as np

SETTINGS: dict = {}  # the run's settings (written here by the export)

keras.utils.set_random_seed(SETTINGS["seed"])

# %% The data: word ranks + 3 (0 pads, 1 starts a review, 2 is a rarer word), cut or padded
# include: data_path
with np.load(DATA, allow_pickle=True) as f:  # Keras keeps each review as a list: pickled
    raw_train, y_train, raw_test, y_test = (
        f[k] for k in ("x_train", "y_train", "x_test", "y_test")
    )
order = np.random.RandomState(113)  # keras.datasets.imdb.load_data's seed
shuffled = []
for reviews, labels in ((raw_train, y_train), (raw_test, y_test)):
    rows = np.arange(len(reviews))
    order.shuffle(rows)
    shuffled.append(([reviews[i] for i in rows], labels[rows].astype(np.int64)))
(raw_train, y_train), (raw_test, y_test) = shuffled


def indices(reviews, words, maxlen, truncate):
    """Each review as `maxlen` indices: zeros in front of a short one; a long one loses its
    first words ("start", Keras's default) or its last ("end")."""
    out = np.zeros((len(reviews), maxlen), np.int32)
    for row, review in enumerate(reviews):
        shifted = np.asarray(review, dtype=np.int64) + 3
        shifted[shifted >= words] = 2
        seq = [1, *shifted.tolist()]
        kept = seq[-maxlen:] if truncate == "start" else seq[:maxlen]
        if kept:
            out[row, maxlen - len(kept) :] = kept
    return out


if SETTINGS["train_limit"]:
    raw_train, y_train = raw_train[: SETTINGS["train_limit"]], y_train[: SETTINGS["train_limit"]]
s = SETTINGS
x_train = indices(raw_train, s["vocabulary"], s["maxlen"], s["truncate"])
x_test = indices(raw_test, s["vocabulary"], s["maxlen"], s["truncate"])
print(f"{len(x_train):,} training and {len(x_test):,} test reviews", file=sys.stderr)

# %% The model: Embedding → LSTM → Dense 1 sigmoid, Adam
# include: imdb_model
model = build_lstm(s)
model.summary()

# %% The training
stop = []
if s["patience"]:  # early stopping on the validation loss, the best weights kept
    stop = [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=s["patience"], restore_best_weights=True
        )
    ]
model.fit(
    x_train,
    y_train,
    batch_size=s["batch_size"],
    epochs=s["epochs"],
    verbose=2,
    validation_data=(x_test, y_test),
    callbacks=stop,
)

# %% The evaluation: the test metrics, as JSON on the last line
loss, accuracy = model.evaluate(x_test, y_test, verbose=0, batch_size=max(s["batch_size"], 256))
metrics = {"test_accuracy": float(accuracy), "test_loss": float(loss)}
# include: report
