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
# include: train_limit

# %% The model
# include: optimizer
# include: image_models
s = SETTINGS
if s["network"] == "mlp":  # mnist-mlp, mnist-mlp-dropout
    model = mlp(s["hidden"], s["dropout"])
else:  # mnist-cnn
    model = cnn(s["filters"], s["kernel_size"], s["conv_blocks"], s["dense_units"])
compile_model(model, s["optimizer"], s["learning_rate"], s["momentum"])
model.summary()

# %% The training
shape = tuple(model.inputs[0].shape[1:])  # flat 784 for an MLP, a 28×28 picture for the CNN
x_train, x_test = prepare(x_train, shape), prepare(x_test, shape)
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
