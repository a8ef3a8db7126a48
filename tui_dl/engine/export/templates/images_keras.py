# %% The setup: the run's settings, and Keras seeded as the run was
# The course's image classifier (an MLP or the CNN) on MNIST or Fashion-MNIST, as a plain
# Keras script: the same pictures, network, optimizer, settings and seed as the run, in the
# order the run did them. It needs keras (with TensorFlow), numpy, pandas and scikit-learn.
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

keras.utils.set_random_seed(SETTINGS["seed"])

# %% The data
# include: data_path
# include: mnist_data

# %% The model
# include: optimizer


def build(s):
    """mnist-mlp and mnist-mlp-dropout: Dense relu layers (each followed by Dropout when its
    rate is above 0) → Dense 10 softmax. mnist-cnn: blocks of Conv2D → Conv2D → MaxPool 2×2 →
    Dropout 0.25 (each block twice as wide as the one before), then Dense → Dropout 0.5 → 10."""
    if s["network"] == "mlp":
        layers = [keras.Input(shape=(784,))]
        for units in s["hidden"]:
            layers.append(keras.layers.Dense(units, activation="relu"))
            if s["dropout"] > 0:
                layers.append(keras.layers.Dropout(s["dropout"]))
    else:
        first = keras.backend.image_data_format() == "channels_first"
        layers = [keras.Input(shape=(1, 28, 28) if first else (28, 28, 1))]
        kernel = (s["kernel_size"], s["kernel_size"])
        for block in range(s["conv_blocks"]):
            width = s["filters"] * 2**block
            layers += [
                keras.layers.Conv2D(width, kernel, activation="relu"),
                keras.layers.Conv2D(2 * width, kernel, activation="relu"),
                keras.layers.MaxPooling2D((2, 2)),
                keras.layers.Dropout(0.25),
            ]
        layers += [keras.layers.Flatten(), keras.layers.Dense(s["dense_units"], activation="relu")]
        layers.append(keras.layers.Dropout(0.5))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    return keras.Sequential(layers, name=s["network"])


model = build(SETTINGS)
model.compile(
    optimizer=optimizer(SETTINGS["optimizer"], SETTINGS["learning_rate"], SETTINGS["momentum"]),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()

# %% The training
shape = tuple(model.inputs[0].shape[1:])  # flat 784 for an MLP, a 28×28 picture for the CNN
x_train = x_train.reshape(len(x_train), *shape).astype("float32") / 255.0
x_test = x_test.reshape(len(x_test), *shape).astype("float32") / 255.0
y_train, y_test = keras.utils.to_categorical(y_train, 10), keras.utils.to_categorical(y_test, 10)
stop = []
if SETTINGS["patience"]:  # early stopping on the validation loss, the best weights kept
    stop = [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=SETTINGS["patience"], restore_best_weights=True
        )
    ]
model.fit(
    x_train,
    y_train,
    batch_size=SETTINGS["batch_size"],
    epochs=SETTINGS["epochs"],
    verbose=2,
    validation_data=(x_test, y_test),
    callbacks=stop,
)

# %% The evaluation: the test metrics, as JSON on the last line
loss, accuracy = model.evaluate(
    x_test, y_test, verbose=0, batch_size=max(SETTINGS["batch_size"], 256)
)
metrics = {"test_accuracy": float(accuracy), "test_loss": float(loss)}
# include: report
