"""The course's Keras image classifiers on MNIST (or Fashion-MNIST), one training loop:

- mnist-mlp: 784 → Dense relu (→ Dropout) → Dense 10 softmax, the course's first Keras model;
- mnist-mlp-dropout: the Keras example, 512 → Dropout 0.2 → 512 → Dropout 0.2 → 10;
- mnist-cnn: Conv2D 32 → Conv2D 64 → MaxPool → Dropout 0.25 → Flatten → Dense 128 →
  Dropout 0.5 → Dense 10, in whichever channel order Keras is set to (its filters, kernel,
  blocks and dense units are settings; these are the course's).
Early stopping (patience > 0) is an option on all of them and restores the best weights.
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.predictions import save_predictions
from tui_dl.data.images import load_fashion_mnist, load_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.experiments.catalogue import MOMENTUM
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import (
    begin,
    emit_started,
    fit_reported,
    make_optimizer,
    save_model,
)

LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}


def mlp(hidden: list[int], dropout: float) -> keras.Sequential:
    layers: list[Any] = [keras.Input(shape=(784,))]
    for units in hidden:
        layers.append(keras.layers.Dense(units, activation="relu"))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    return keras.Sequential(layers, name="mlp")


def cnn(filters: int = 32, kernel: int = 3, blocks: int = 1, dense: int = 128) -> keras.Sequential:
    """The course's network with its settings: `blocks` of Conv2D → Conv2D → MaxPool →
    Dropout 0.25 (block b's convolutions have filters·2^b and twice that), then Dense `dense`.
    The defaults are the course's: Conv2D 32 → Conv2D 64 → one pool → Dense 128."""
    layers: list[Any] = [keras.Input(shape=image_shape())]
    for block in range(blocks):
        width = filters * 2**block
        layers += [
            keras.layers.Conv2D(width, (kernel, kernel), activation="relu"),
            keras.layers.Conv2D(2 * width, (kernel, kernel), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Dropout(0.25),
        ]
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(dense, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ]
    return keras.Sequential(layers, name="cnn")


def image_shape() -> tuple[int, int, int]:
    """28×28×1 or 1×28×28: what the backend's image_data_format says (the course checks too)."""
    if keras.backend.image_data_format() == "channels_first":
        return (1, 28, 28)
    return (28, 28, 1)


ARCHITECTURES = {
    "mnist-mlp": lambda p: mlp([p["hidden_units"]], p["dropout"]),
    "mnist-mlp-dropout": lambda p: mlp([512, 512], p["dropout"]),
    "mnist-cnn": lambda p: cnn(p["filters"], p["kernel_size"], p["conv_blocks"], p["dense_units"]),
}


def compile_model(
    model: keras.Model, optimizer: str, learning_rate: float, momentum: float = MOMENTUM
) -> keras.Model:
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate, momentum),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def prepare(images: np.ndarray, shape: tuple[int, ...] = (784,)) -> np.ndarray:
    """Scale 0–255 to 0–1 and shape as the model wants: flat 784 for an MLP, as the course does."""
    return images.reshape(len(images), *shape).astype("float32") / 255.0


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading data")
    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    x_train, y_train = data.x_train, data.y_train
    if p["train_limit"]:
        x_train, y_train = x_train[: p["train_limit"]], y_train[: p["train_limit"]]
    cancel.raise_if_requested()

    model = compile_model(
        ARCHITECTURES[spec["experiment"]](p), p["optimizer"], p["learning_rate"], p["momentum"]
    )
    shape = tuple(model.inputs[0].shape[1:])
    emit_started(
        emit, spec, start, p["dataset"], data.describe(), model,
        n_train=int(len(x_train)), n_test=int(len(data.x_test)),
    )  # fmt: skip
    x_test = prepare(data.x_test, shape)
    y_test_1hot = keras.utils.to_categorical(data.y_test, 10)
    reporter, train_s = fit_reported(
        model,
        prepare(x_train, shape),
        keras.utils.to_categorical(y_train, 10),
        (x_test, y_test_1hot),
        p,
        emit,
        cancel,
    )

    emit(Event.PHASE, phase="evaluating on the test set")
    test_loss, test_accuracy = model.evaluate(
        x_test, y_test_1hot, verbose=0, batch_size=max(p["batch_size"], 256), callbacks=[reporter]
    )
    cancel.raise_if_requested()
    probabilities = model.predict(x_test, verbose=0, batch_size=1024)
    emit(Event.PHASE, phase="saving the model and predictions")
    save_model(model, run_dir)
    predictions = save_predictions(
        run_dir, data.x_test, data.y_test, probabilities, data.class_names
    )
    emit(
        Event.FINISHED,
        metrics={"test_accuracy": float(test_accuracy), "test_loss": float(test_loss)},
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={"model": runfiles.MODEL, "predictions": predictions, "log": runfiles.LOG},
        data_source=data.describe(),
        device=spec["device"],
    )
