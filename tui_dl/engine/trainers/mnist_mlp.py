"""The course's Keras MLP on MNIST (or Fashion-MNIST): 784 → Dense relu → Dense 10 softmax."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.data import load_fashion_mnist, load_mnist
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.reporter import EventReporter
from tui_dl.engine.trainers.common import (
    make_optimizer,
    save_predictions,
    summary_params,
    visible_devices,
)

LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}


def build_model(hidden_units: int, dropout: float, optimizer: str, learning_rate: float):
    layers = [keras.Input(shape=(784,)), keras.layers.Dense(hidden_units, activation="relu")]
    if dropout > 0:
        layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers, name="mnist_mlp")
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def prepare(images: np.ndarray) -> np.ndarray:
    """Flatten 28×28 to 784 and scale 0–255 to 0–1, as the course does."""
    return images.reshape(len(images), 784).astype("float32") / 255.0


def train(spec: dict[str, Any], emit, cancel, started: float) -> None:
    run_dir = Path(spec.get("run_dir") or ".").resolve()
    p = spec["params"]
    experiment = get_experiment(spec["experiment"])
    devices = visible_devices(spec["device"])
    keras.utils.set_random_seed(p["seed"])

    emit("phase", phase="loading data")
    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    x_train, y_train = data.x_train, data.y_train
    if p["train_limit"]:
        x_train, y_train = x_train[: p["train_limit"]], y_train[: p["train_limit"]]
    cancel.raise_if_requested()

    model = build_model(p["hidden_units"], p["dropout"], p["optimizer"], p["learning_rate"])
    emit(
        "started",
        devices=devices,
        device=spec["device"],
        dataset=p["dataset"],
        data_source=data.describe(),
        n_train=int(len(x_train)),
        n_test=int(len(data.x_test)),
        tf_version=keras.version(),
        model=summary_params(model),
        reference=experiment.reference_fields(),
    )
    reporter = EventReporter(emit, cancel, samples=len(x_train), batch_size=p["batch_size"])
    x_test = prepare(data.x_test)
    y_test_1hot = keras.utils.to_categorical(data.y_test, 10)
    cancel.interruptible = False  # from here on Keras stops cleanly at the next batch
    train_start = time.monotonic()
    model.fit(
        prepare(x_train),
        keras.utils.to_categorical(y_train, 10),
        batch_size=p["batch_size"],
        epochs=p["epochs"],
        verbose=0,
        validation_data=(x_test, y_test_1hot),
        callbacks=[reporter],
    )
    train_s = time.monotonic() - train_start
    reporter.raise_if_nan(p["learning_rate"])
    cancel.interruptible = True
    cancel.raise_if_requested()

    emit("phase", phase="evaluating on the test set")
    test_loss, test_accuracy = model.evaluate(
        x_test, y_test_1hot, verbose=0, batch_size=max(p["batch_size"], 256), callbacks=[reporter]
    )
    cancel.raise_if_requested()
    probabilities = model.predict(x_test, verbose=0, batch_size=1024)
    emit("phase", phase="saving the model and predictions")
    model.save(run_dir / "model.keras")
    predictions = save_predictions(
        run_dir, data.x_test, data.y_test, probabilities, data.class_names
    )
    emit(
        "finished",
        metrics={"test_accuracy": float(test_accuracy), "test_loss": float(test_loss)},
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={"model": "model.keras", "predictions": predictions, "log": "log.txt"},
        data_source=data.describe(),
        device=spec["device"],
    )
