"""The course's "hard way": a network written with raw TensorFlow ops, no Keras layers.

tf.Variable weights (random normal) and zero biases, h = sigmoid(x·W1 + b1) (once more for a
second hidden layer, the course's exercise), p = softmax(h·W2 + b2), cross-entropy with
clipping, and plain SGD through GradientTape on batches of 250 from a shuffled tf.data
pipeline. It reports per display step, not per epoch.
The trained weights are saved as an equivalent Keras model, so the views of a finished run
(confusion, mistakes, where it looked, the probe) work for it too.
"""

from __future__ import annotations

import time

import keras
import numpy as np
import tensorflow as tf

from tui_dl.analysis.predictions import save_predictions
from tui_dl.data.images import load_fashion_mnist, load_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started, save_model
from tui_dl.engine.trainers.logs import StepLog

LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}
HIDDEN = 512


class RawNetwork:
    """The weights, and the three functions the course writes by hand: `hidden_layers`
    sigmoid layers of `hidden_units` each (the course: one of 512; its exercise: a second),
    then softmax 10. Weights are drawn first layer to last from one seeded generator, so the
    course's network gets the same first weights it always had."""

    def __init__(self, seed: int, hidden_units: int = HIDDEN, hidden_layers: int = 1) -> None:
        init = tf.random.Generator.from_seed(seed)
        sizes = [784, *[hidden_units] * hidden_layers, 10]
        self.names: list[str] = []
        self.variables: list[tf.Variable] = []
        for number, (inputs, outputs) in enumerate(zip(sizes, sizes[1:], strict=False), 1):
            self.names += [f"w{number}", f"b{number}"]
            self.variables += [
                tf.Variable(init.normal([inputs, outputs]), name=f"w{number}"),
                tf.Variable(tf.zeros([outputs]), name=f"b{number}"),
            ]

    @property
    def layers(self) -> list[tuple[tf.Variable, tf.Variable]]:
        """(W, b) of each layer, first to last."""
        return list(zip(self.variables[::2], self.variables[1::2], strict=True))

    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        *hidden, (w_out, b_out) = self.layers
        for w, b in hidden:
            x = tf.nn.sigmoid(tf.matmul(x, w) + b)
        return tf.nn.softmax(tf.matmul(x, w_out) + b_out)


def cross_entropy(probabilities: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """Mean of −Σ y·log p, with p clipped away from 0 so log never sees it."""
    one_hot = tf.one_hot(labels, depth=10)
    clipped = tf.clip_by_value(probabilities, 1e-9, 1.0)
    return tf.reduce_mean(-tf.reduce_sum(one_hot * tf.math.log(clipped), axis=1))


def accuracy(probabilities: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    hits = tf.equal(tf.argmax(probabilities, axis=1), tf.cast(labels, tf.int64))
    return tf.reduce_mean(tf.cast(hits, tf.float32))


def make_step(network: RawNetwork, learning_rate: float):
    optimizer = tf.optimizers.SGD(learning_rate)

    @tf.function
    def step(x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            probabilities = network(x)
            loss = cross_entropy(probabilities, y)
        gradients = tape.gradient(loss, network.variables)
        optimizer.apply_gradients(zip(gradients, network.variables, strict=True))
        return loss, accuracy(probabilities, y)

    return step


def as_keras(network: RawNetwork) -> keras.Model:
    *hidden, _ = network.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            *[keras.layers.Dense(int(w.shape[1]), activation="sigmoid") for w, _ in hidden],
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="tf_lowlevel",
    )
    model.set_weights([v.numpy() for v in network.variables])
    return model


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec, seed=False)  # its network and its shuffle take the seed themselves
    run_dir, p = start.run_dir, start.params
    emit(Event.PHASE, phase="loading data")
    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    x_train = data.x_train.reshape(-1, 784).astype(np.float32) / 255.0
    x_test = data.x_test.reshape(-1, 784).astype(np.float32) / 255.0
    y_test = data.y_test.astype(np.int64)
    batches = iter(
        tf.data.Dataset.from_tensor_slices((x_train, data.y_train.astype(np.int64)))
        .repeat()
        .shuffle(len(x_train), seed=p["seed"])
        .batch(p["batch_size"])
        .prefetch(1)
    )
    network = RawNetwork(p["seed"], p["hidden_units"], p["hidden_layers"])
    step = make_step(network, p["learning_rate"])
    displays = max(1, p["steps"] // p["display_every"])
    emit_started(
        emit, spec, start, p["dataset"], data.describe(),
        n_train=int(len(x_train)), n_test=int(len(x_test)),
        model={"layers": network.names},
    )  # fmt: skip
    emit(Event.PHASE, phase="training", epochs=1, steps=p["steps"])
    cancel.interruptible = False
    train_start = time.monotonic()
    history = StepLog(run_dir)
    for number in range(1, p["steps"] + 1):
        x, y = next(batches)
        loss, batch_accuracy = step(x, y)
        if cancel.check():
            cancel.interruptible = True
            cancel.raise_if_requested()
        if number % p["display_every"] and number != p["steps"]:
            continue
        loss = float(loss)
        if not np.isfinite(loss):
            raise RunFailure(
                "NaNLoss",
                f"The loss became NaN at step {number}. The learning "
                f"rate ({p['learning_rate']:g}) is probably too high.",
            )
        test_probabilities = network(x_test)
        elapsed = time.monotonic() - train_start
        emit(
            Event.PROGRESS,
            epoch=1,
            epochs=1,
            batch=number,
            steps=p["steps"],
            samples=number * p["batch_size"],
            samples_per_s=round(number * p["batch_size"] / elapsed, 1),
            eta_s=round(elapsed / number * (p["steps"] - number), 1),
            elapsed_s=round(elapsed, 2),
            loss=loss,
        )
        logs = {
            "loss": loss,
            "accuracy": float(batch_accuracy),
            "val_loss": float(cross_entropy(test_probabilities, y_test)),
            "val_accuracy": float(accuracy(test_probabilities, y_test)),
        }
        history.write(number, logs)
        emit(
            Event.EPOCH_END,
            epoch=min(number // p["display_every"], displays),
            epochs=displays,
            step=number,
            logs=logs,
        )
    history.close()
    train_s = time.monotonic() - train_start
    cancel.interruptible = True
    probabilities = network(x_test).numpy()
    emit(Event.PHASE, phase="saving the model and predictions")
    save_model(as_keras(network), run_dir)
    predictions = save_predictions(
        run_dir, data.x_test, data.y_test, probabilities, data.class_names
    )
    emit(
        Event.FINISHED,
        metrics={
            "test_accuracy": float(accuracy(probabilities, y_test)),
            "test_loss": float(cross_entropy(probabilities, y_test)),
        },
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={"model": runfiles.MODEL, "predictions": predictions, "log": runfiles.LOG},
        data_source=data.describe(),
        device=spec["device"],
    )
