"""The Playground's network trained by Keras: the numpy Playground gives the points, the
features and the first weights; `keras_model` (the exported script's own code) builds,
compiles and measures the same network; `model.fit` trains it, reporting like every run.

Every few epochs (and at the end) the Keras network's boundary over [−6, 6]², its losses
measured the Playground's way and its weights are written to the run folder, so a screen can
watch the boundary form beside the numpy Playground's.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.artifacts import PlaygroundBoundary, save_playground_boundary
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.playground.export import network_setup, parameters
from tui_dl.engine.playground.keras_model import (
    PlaygroundLosses,
    build_model,
    compile_model,
    use_float64,
)
from tui_dl.engine.playground.session import Playground, features, grid_points
from tui_dl.engine.playground.state import parse_state
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started, fit_reported


class BoundaryWriter(PlaygroundLosses):
    """The Playground's losses after every epoch, and the boundary file every `every` epochs
    and when training ends (however it ends)."""

    def __init__(
        self, playground: Playground, run_dir: Path, epochs: int, every: int, size: tuple[int, int]
    ) -> None:
        super().__init__(
            network_setup(playground),
            (playground.train_x, playground.train_t),
            (playground.test_x, playground.test_t),
        )
        self.playground = playground
        self.run_dir = run_dir
        self.epochs = epochs
        self.every = every
        self.columns, self.rows = size
        self.grid_x = features(playground.state, grid_points(self.columns, self.rows))
        self.written = -1

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        super().on_train_begin(logs)
        self.write()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        super().on_epoch_end(epoch, logs)
        if (epoch + 1) % self.every == 0:
            self.write()

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self.write()

    def write(self) -> None:
        epoch = len(self.history) - 1
        if epoch == self.written:
            return
        with np.errstate(all="ignore"):
            outputs = keras.ops.convert_to_numpy(self.model(self.grid_x))
        history = np.asarray(self.history, dtype=np.float64)
        save_playground_boundary(
            self.run_dir,
            PlaygroundBoundary(
                state=self.playground.state.to_string(),
                epoch=epoch,
                epochs=self.epochs,
                value=self.playground.value(outputs).reshape(self.rows, self.columns),
                outputs=outputs.reshape(self.rows, self.columns, -1),
                losses=history[:, :2],
                accuracy=history[:, 2:],
                parameters=[np.asarray(p) for p in self.model.get_weights()],
            ),
        )
        self.written = epoch


def describe(playground: Playground) -> str:
    state = playground.state
    if state.csv:
        return f"your points ({state.csv})"
    classes = f", {playground.classes} classes" if playground.classes > 2 else ""
    return f"Playground {state.data_name}{classes}, seed {state.seed}, noise {state.noise:g} %"


def short_batch_note(playground: Playground) -> str:
    size, count = playground.state.batchSize, len(playground.train_x)
    left = count % size
    if not left:
        return ""
    return (
        f"{count} training points make {count // size} batches of {size} and {left} over: "
        f"Keras also steps on those {left} every epoch; the Playground carries them into the "
        "next epoch's first step."
    )


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="drawing the Playground's points and first weights")
    playground = Playground(parse_state(p["state"]))
    state = playground.state
    epochs = min(p["epochs"], state.stopEpochs or p["epochs"])
    network = network_setup(playground)
    use_float64()
    model = build_model(network, *parameters(playground))
    compile_model(model, network)
    cancel.raise_if_requested()
    note = short_batch_note(playground)
    emit_started(
        emit, spec, start, state.data_name, describe(playground), model,
        n_train=int(len(playground.train_x)), n_test=int(len(playground.test_x)),
        **({"note": note} if note else {}),
    )  # fmt: skip
    writer = BoundaryWriter(playground, run_dir, epochs, p["every"], (p["columns"], p["rows"]))
    fit = {"batch_size": state.batchSize, "epochs": epochs, "learning_rate": state.learningRate}
    _, train_s = fit_reported(
        model,
        playground.train_x,
        playground.train_t,
        (playground.test_x, playground.test_t),
        fit,
        emit,
        cancel,
        callbacks=[writer],
        shuffle=False,
    )
    train_loss, test_loss, train_accuracy, test_accuracy = writer.history[-1]
    metrics = {"train_loss": train_loss, "test_loss": test_loss}
    if not math.isnan(test_accuracy):
        metrics |= {"train_accuracy": train_accuracy, "test_accuracy": test_accuracy}
    emit(
        Event.FINISHED,
        metrics=metrics,
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={"boundary": runfiles.PLAYGROUND, "log": runfiles.LOG},
        data_source=describe(playground),
        device=spec["device"],
    )
