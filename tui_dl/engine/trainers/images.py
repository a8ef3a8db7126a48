"""The course's Keras image classifiers on MNIST (or Fashion-MNIST), one training loop:

- mnist-mlp: 784 → Dense relu (→ Dropout) → Dense 10 softmax, the course's first Keras model;
- mnist-mlp-dropout: the Keras example, 512 → Dropout 0.2 → 512 → Dropout 0.2 → 10;
- mnist-cnn: Conv2D 32 → Conv2D 64 → MaxPool → Dropout 0.25 → Flatten → Dense 128 →
  Dropout 0.5 → Dense 10, in whichever channel order Keras is set to (its filters, kernel,
  blocks and dense units are settings; these are the course's).
Early stopping (patience > 0) is an option on all of them and restores the best weights.
The networks are the exported script's own code (`export/templates/parts/image_models.py`):
a run and its script cannot drift apart.
"""

from __future__ import annotations

import time

import keras

from tui_dl.analysis.predictions import save_predictions
from tui_dl.data.images import load_fashion_mnist, load_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.experiments.catalogue import MOMENTUM
from tui_dl.engine.export.templates.parts.image_models import cnn, mlp, prepare
from tui_dl.engine.export.templates.parts.image_models import compile_model as compile_with
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import (
    begin,
    emit_started,
    fit_reported,
    save_model,
)

LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}


ARCHITECTURES = {
    "mnist-mlp": lambda p: mlp([p["hidden_units"]], p["dropout"]),
    "mnist-mlp-dropout": lambda p: mlp([512, 512], p["dropout"]),
    "mnist-cnn": lambda p: cnn(p["filters"], p["kernel_size"], p["conv_blocks"], p["dense_units"]),
}


def compile_model(
    model: keras.Model, optimizer: str, learning_rate: float, momentum: float = MOMENTUM
) -> keras.Model:
    return compile_with(model, optimizer, learning_rate, momentum)


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
