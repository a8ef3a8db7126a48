# %% The setup: the run's settings, and Keras seeded as the run was
# Transfer learning, as a plain Keras script: a CNN learns digits 0–4 (the base); its
# convolutional layers, frozen (unless the run fine-tuned them), go under a new head that
# learns 5–9 from a few examples (the transfer); the same network learns them from scratch
# (the comparison). The same pictures, few examples, settings and seed as the run, in the
# run's order. It needs keras (with TensorFlow), numpy, pandas and scikit-learn.
import argparse
import gzip
import json
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

SETTINGS: dict = {}  # the run's settings (written here by the export)
SPLIT = 5  # classes below this are the base task; the rest the new one
EARLY = 3  # the epoch whose test accuracies are said beside the last ones

keras.utils.set_random_seed(SETTINGS["seed"])

# %% The data: 0–4 for the base, a few 5–9 for the new head
# include: data_path
# include: mnist_data
# include: train_limit
first = keras.backend.image_data_format() == "channels_first"
shape = (1, 28, 28) if first else (28, 28, 1)


def prepare(pictures):
    return pictures.reshape(len(pictures), *shape).astype("float32") / 255.0


old = y_train < SPLIT
x_a, y_a = prepare(x_train[old]), y_train[old]
x_a_test, y_a_test = prepare(x_test[y_test < SPLIT]), y_test[y_test < SPLIT]
x_b_all, y_b_all = x_train[~old], y_train[~old] - SPLIT
x_b_test, y_b_test = prepare(x_test[y_test >= SPLIT]), y_test[y_test >= SPLIT] - SPLIT


# %% The model: a convolutional base, a head on top; the few examples of 5–9 it learns from
# include: transfer_model
pick = few_examples(y_b_all, SETTINGS["few"], SETTINGS["seed"])
x_b, y_b = prepare(x_b_all[pick]), y_b_all[pick]


def fit(model, x, y, validation, epochs):
    return model.fit(
        x,
        y,
        batch_size=SETTINGS["batch_size"],
        epochs=epochs,
        verbose=2,
        validation_data=validation,
    ).history["val_accuracy"]


# %% The training: the base, the transfer, from scratch
base = conv_base()
base_model = compile_model(network(base, "base_0_to_4", "old", shape), SETTINGS["learning_rate"])
base_model.summary()
fit(base_model, x_a, y_a, (x_a_test, y_a_test), SETTINGS["base_epochs"])
_, base_accuracy = base_model.evaluate(x_a_test, y_a_test, verbose=0, batch_size=512)
for layer in base:
    layer.trainable = SETTINGS["freeze"] != "yes"
transfer = compile_model(network(base, "transferred", "new", shape), SETTINGS["learning_rate"])
transfer_curve = fit(transfer, x_b, y_b, (x_b_test, y_b_test), SETTINGS["epochs"])
keras.utils.set_random_seed(SETTINGS["seed"])  # the scratch network starts as the run's did
scratch = network(conv_base(), "from_scratch", "new", shape)
compile_model(scratch, SETTINGS["learning_rate"])
scratch_curve = fit(scratch, x_b, y_b, (x_b_test, y_b_test), SETTINGS["epochs"])

# %% The evaluation: the test metrics, as JSON on the last line
loss, accuracy = transfer.evaluate(x_b_test, y_b_test, verbose=0, batch_size=512)
_, scratch_accuracy = scratch.evaluate(x_b_test, y_b_test, verbose=0, batch_size=512)
early = min(EARLY, SETTINGS["epochs"])
metrics = {
    "test_accuracy": float(accuracy),
    "test_loss": float(loss),
    "scratch_accuracy": float(scratch_accuracy),
    "base_accuracy": float(base_accuracy),
    "transfer_accuracy_early": float(transfer_curve[early - 1]),
    "scratch_accuracy_early": float(scratch_curve[early - 1]),
}
# include: report
