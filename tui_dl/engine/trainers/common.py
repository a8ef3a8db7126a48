"""What every trainer does around its model: devices, seeds, the started event, optimizers,
artifacts."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import tensorflow as tf

from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.experiments import Experiment, get_experiment
from tui_dl.engine.experiments.catalogue import MOMENTUM
from tui_dl.engine.export.templates.parts.optimizer import optimizer
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.jobs.layers_task import write_summary
from tui_dl.engine.trainers.logs import keras_logs, part_name
from tui_dl.engine.trainers.reporter import EventReporter


def limit_gpu_memory(requested: str, memory_mb: int | None) -> None:
    """Hold a GPU run to its share of the GPU (the queue's per-run limit), through
    TensorFlow's own logical-device memory limit: set before the runtime starts."""
    if not requested.startswith("gpu") or not memory_mb:
        return
    for gpu in tf.config.list_physical_devices("GPU"):
        tf.config.set_logical_device_configuration(
            gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=int(memory_mb))]
        )


def visible_devices(requested: str, memory_mb: int | None = None) -> list[dict[str, str]]:
    """The devices TensorFlow actually sees (a GPU held to `memory_mb`); fails clearly if a
    GPU was asked for in vain."""
    limit_gpu_memory(requested, memory_mb)
    devices = []
    for device in tf.config.list_logical_devices():
        entry = {"name": device.name, "type": device.device_type}
        if device.device_type == "GPU":
            physical = tf.config.list_physical_devices("GPU")
            if physical:
                details = tf.config.experimental.get_device_details(physical[0])
                entry["description"] = details.get("device_name", "")
            if requested.startswith("gpu") and memory_mb:
                entry["memory_limit"] = f"{int(memory_mb)} MB"
        devices.append(entry)
    if requested.startswith("gpu") and not any(d["type"] == "GPU" for d in devices):
        raise RunFailure(
            "NoGPU",
            f"{requested.upper()} was requested, but TensorFlow sees no GPU "
            f"(built with CUDA: {tf.test.is_built_with_cuda()}). Install the GPU extra "
            "(pip install 'tui-dl[gpu]'), check `nvidia-smi`, or run on the CPU.",
        )
    return devices


def make_optimizer(
    name: str, learning_rate: float, momentum: float = MOMENTUM
) -> keras.optimizers.Optimizer:
    """One of the optimizers lesson's five (`OPTIMIZERS`) by its setting's name: sgd is plain
    SGD (momentum 0, as before momentum was a setting), momentum and nesterov are Keras's SGD
    with `momentum` (Nesterov's look-ahead for the second); rmsprop and adam keep Keras's
    defaults and do not use `momentum`. The exported scripts' own code (`parts/optimizer.py`)."""
    return optimizer(name, learning_rate, momentum)


def save_model(model: keras.Model, run_dir: Path) -> Path:
    """The model as the run's model.keras, whole or not at all: saved under a temporary name
    in the run folder, then renamed, so a full disk (or a kill) mid-save leaves no partial
    model a screen would try to load."""
    target = run_dir / runfiles.MODEL
    partial = run_dir / f".{runfiles.MODEL}.{os.getpid()}.partial.keras"  # Keras wants .keras
    try:
        model.save(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    write_summary(model, run_dir)  # every saved model carries its layer table
    return target


def summary_params(model: keras.Model) -> dict[str, Any]:
    return {
        "parameters": int(model.count_params()),
        "layers": [layer.name for layer in model.layers],
    }


@dataclass
class Start:
    """What every trainer begins with: where to write, its settings, its experiment, devices."""

    run_dir: Path
    params: dict[str, Any]
    experiment: Experiment
    devices: list[dict[str, str]]


def begin(spec: runfiles.TrainerSpec, seed: bool = True) -> Start:
    """Check the device (a GPU asked for in vain fails here) and seed everything (`seed=False`:
    a trainer that seeds its own network and data, tf-lowlevel). A setting added since the
    spec was written takes its default (`Experiment.complete`)."""
    experiment = get_experiment(spec["experiment"])
    start = Start(
        run_dir=Path(spec.get("run_dir") or ".").resolve(),
        params=experiment.complete(spec["params"]),
        experiment=experiment,
        devices=visible_devices(spec["device"], spec.get("gpu_memory_mb")),
    )
    if seed and "seed" in start.params:
        keras.utils.set_random_seed(start.params["seed"])
    return start


def emit_started(
    emit: Emit,
    spec: runfiles.TrainerSpec,
    start: Start,
    dataset: str,
    data_source: str,
    keras_model: keras.Model | Mapping[str, keras.Model] | None = None,
    **fields: Any,
) -> None:
    """The run's started event, said one way by every trainer: the devices TensorFlow sees
    and the one asked for, the data, the trainer's own `fields` (its sizes, a note, a model
    it describes itself), the Keras version and `keras_model`'s size and layers (several
    named models: each one's, and their parameters in all), and the course's figure."""
    if isinstance(keras_model, Mapping):
        model: dict[str, Any] = {name: summary_params(m) for name, m in keras_model.items()}
        model["parameters"] = int(sum(m.count_params() for m in keras_model.values()))
        fields.update(tf_version=keras.version(), model=model)
    elif keras_model is not None:
        fields.update(tf_version=keras.version(), model=summary_params(keras_model))
    emit(
        Event.STARTED,
        devices=start.devices,
        device=spec["device"],
        dataset=dataset,
        data_source=data_source,
        **fields,
        reference=start.experiment.reference_fields(),
    )


class EarlyStop:
    """Optional early stopping on validation loss (patience 0 = off), best weights restored,
    reported as an `early_stop` event so plots can mark the epoch that was kept."""

    def __init__(self, patience: int) -> None:
        self.patience = patience
        self.callback = (
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=patience, restore_best_weights=True
            )
            if patience
            else None
        )

    @property
    def callbacks(self) -> list[keras.callbacks.Callback]:
        return [self.callback] if self.callback is not None else []

    def report(self, emit) -> None:
        stopper = self.callback
        if stopper is not None and stopper.stopped_epoch:
            emit(
                Event.EARLY_STOP,
                stopped_epoch=int(stopper.stopped_epoch) + 1,
                best_epoch=int(stopper.best_epoch) + 1,
                patience=self.patience,
            )


def fit_reported(
    model: keras.Model,
    x: Any,
    y: Any,
    validation: tuple[Any, Any] | None,
    p: dict[str, Any],
    emit,
    cancel,
    epochs: int | None = None,
    extra: dict[str, Any] | None = None,
    callbacks: list[keras.callbacks.Callback] | None = None,
    shuffle: bool = True,
    before: list[keras.callbacks.Callback] | None = None,
) -> tuple[EventReporter, float]:
    """`model.fit` as every Keras trainer runs it: progress and epoch events (with `extra`
    fields), a clean stop at the next batch on cancel, early stopping when `p["patience"]` asks,
    a NaN loss turned into a failure. `callbacks` run after the reporter; `before` run ahead of
    it, so what they write is there when the epoch's event announces it and what they add to
    the epoch's logs goes out with it; TensorBoard and CSV logs go to the run's folder (the
    cancel flag's) after them all (trainers/logs.py); `shuffle=False` keeps the examples in
    their order every epoch. Returns the reporter (evaluate can report through it) and the
    seconds spent fitting."""
    reporter = EventReporter(emit, cancel, samples=len(x), batch_size=p["batch_size"], extra=extra)
    stopper = EarlyStop(p.get("patience", 0))
    cancel.interruptible = False  # from here on Keras stops cleanly at the next batch
    start = time.monotonic()
    model.fit(
        x,
        y,
        batch_size=p["batch_size"],
        epochs=epochs or p["epochs"],
        verbose=0,
        validation_data=validation,
        shuffle=shuffle,
        callbacks=[
            *(before or []),
            reporter,
            *stopper.callbacks,
            *(callbacks or []),
            *keras_logs(getattr(cancel, "run_dir", None), part_name(extra)),
        ],
    )
    seconds = time.monotonic() - start
    stopper.report(emit)
    reporter.raise_if_nan(p["learning_rate"])
    cancel.interruptible = True
    cancel.raise_if_requested()
    return reporter, seconds
