"""The k-fold loop the course's k-fold experiments share (mammogram masses, house votes).

Not scikeras' `cross_val_score`: that is unmaintained and, given an int `cv`, silently uses
plain KFold. Here folds are stratified and seeded; each fold scales with a StandardScaler
fitted on its own training rows, re-initialises the one compiled model's weights and
optimizer state (no re-tracing per fold), feeds a tf.data pipeline and runs a whole epoch
per call (`steps_per_execution`): with a model this small, Python and data wrapping are
where the time goes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from sklearn.model_selection import StratifiedKFold

from tui_dl.analysis.kfold import fold_metrics, scaled_fold
from tui_dl.engine.events import Event
from tui_dl.engine.experiments.catalogue import MOMENTUM
from tui_dl.engine.trainers.common import make_optimizer
from tui_dl.engine.trainers.logs import keras_logs
from tui_dl.engine.trainers.reporter import EventReporter


def build_model(
    hidden: str,
    activation: str,
    optimizer: str,
    learning_rate: float,
    steps_per_execution: int,
    n_features: int = 4,
    momentum: float = MOMENTUM,
) -> keras.Model:
    layers = [keras.Input(shape=(n_features,))]
    layers += [keras.layers.Dense(int(units), activation=activation) for units in hidden.split(",")]
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    model = keras.Sequential(layers, name="mammogram_mlp")
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate, momentum),
        loss="binary_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def reset(model: keras.Model) -> None:
    """A fresh model without a new graph: new random weights, optimizer state back to zero."""
    for layer in model.layers:
        for weight, initializer in (
            (getattr(layer, "kernel", None), "kernel_initializer"),
            (getattr(layer, "bias", None), "bias_initializer"),
        ):
            if weight is not None:
                weight.assign(getattr(layer, initializer)(weight.shape))
    for variable in model.optimizer.variables:
        if "learning_rate" not in variable.path:
            variable.assign(np.zeros(variable.shape, variable.dtype))


def shuffled_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int) -> tf.data.Dataset:
    """What `fit(x, y, shuffle=True)` does — a fresh shuffle every epoch, then batches — as a
    tf.data pipeline: Keras re-wraps numpy arrays every epoch, which for 24 tiny batches costs
    five times the training itself."""
    data = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y.astype(np.float32)))
    return data.shuffle(len(y), seed=seed, reshuffle_each_iteration=True).batch(batch_size)


@dataclass
class FoldOutcome:
    folds: list
    probabilities: np.ndarray
    fold_of: np.ndarray
    results: list[dict[str, Any]] = field(default_factory=list)
    scaler_means: list[np.ndarray] = field(default_factory=list)


def run_folds(x: np.ndarray, y: np.ndarray, p: dict[str, Any], emit, cancel) -> FoldOutcome:
    """Train and score one fresh model per stratified fold, reporting as it goes."""
    folds = list(StratifiedKFold(p["k"], shuffle=True, random_state=p["seed"]).split(x, y))
    steps = int(np.ceil(len(folds[0][0]) / p["batch_size"]))
    model = build_model(
        p["hidden"],
        p["activation"],
        p["optimizer"],
        p["learning_rate"],
        steps,
        n_features=x.shape[1],
        momentum=p["momentum"],
    )
    outcome = FoldOutcome(folds, np.zeros(len(y), np.float32), np.zeros(len(y), np.int64))
    cancel.interruptible = False
    for number, (train_rows, test_rows) in enumerate(folds, start=1):
        fold_start = time.monotonic()
        emit(Event.PHASE, phase=f"fold {number} of {p['k']}", fold=number, folds=p["k"])
        reset(model)
        x_train, x_test, scaler = scaled_fold(x, train_rows, test_rows)
        outcome.scaler_means.append(scaler.mean_)
        reporter = EventReporter(
            emit,
            cancel,
            samples=len(train_rows),
            batch_size=p["batch_size"],
            extra={"fold": number, "folds": p["k"]},
        )
        model.fit(
            shuffled_batches(x_train, y[train_rows], p["batch_size"], p["seed"] + number),
            epochs=p["epochs"],
            verbose=0,
            callbacks=[reporter, *keras_logs(getattr(cancel, "run_dir", None), f"fold-{number}")],
        )
        reporter.raise_if_nan(p["learning_rate"])
        cancel.interruptible = True
        cancel.raise_if_requested()
        cancel.interruptible = False
        probs = model.predict(x_test, verbose=0, batch_size=1024)[:, 0]
        outcome.probabilities[test_rows], outcome.fold_of[test_rows] = probs, number
        metrics = fold_metrics(y[test_rows], probs)
        outcome.results.append(metrics)
        emit(
            Event.FOLD_END,
            fold=number,
            folds=p["k"],
            duration_s=round(time.monotonic() - fold_start, 2),
            **metrics,
        )
    return outcome
