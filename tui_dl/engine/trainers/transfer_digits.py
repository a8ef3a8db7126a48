"""Transfer learning you can run offline: what a CNN learned on digits 0–4, reused for 5–9.

Three stages, each reported as epochs tagged with `stage`:
- base: a small CNN learns digits 0–4 from all their training images;
- transfer: its convolutional layers (frozen, unless fine-tuning is asked for) under a new
  head, which learns 5–9 from only `few` labelled examples;
- scratch: the same network, fresh, trained on the same few examples — what the borrowed
  features are worth.
The transferred model is the run's model: its test-set predictions on 5–9 feed the confusion,
mistakes, attention and confidence-probe views, where digits 0–4 (never taught to its head)
play the course's egg rolls.

The networks and the pick of the few examples are the exported script's own code
(`export/templates/parts/transfer_model.py`): a run and its script cannot drift apart.
"""

from __future__ import annotations

import time

import keras

from tui_dl.analysis.predictions import save_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.export.templates.parts.image_models import image_shape
from tui_dl.engine.export.templates.parts.transfer_model import (
    compile_model,
    conv_base,
    few_examples,
)
from tui_dl.engine.export.templates.parts.transfer_model import network as transferred
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import (
    begin,
    emit_started,
    fit_reported,
    save_model,
)
from tui_dl.engine.trainers.images import LOADERS, prepare
from tui_dl.engine.trainers.reporter import EventReporter

SPLIT = 5
"""Classes below this are the base task; the rest the new one."""
EARLY = 3
"""The epoch whose test accuracies are reported beside the final ones: where the borrowed
features show most."""


def accuracy_after(model: keras.Model, epoch: int) -> float | None:
    """The model's test accuracy after `epoch` of its last fit (its last epoch if fewer)."""
    values = model.history.history.get("val_accuracy") if model.history else None
    return float(values[min(epoch, len(values)) - 1]) if values else None


def network(base: list[keras.layers.Layer], name: str, prefix: str) -> keras.Sequential:
    """`base` under a new head over five classes, shaped as Keras's image_data_format says."""
    return transferred(base, name, prefix, image_shape())


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading data")
    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    shape = image_shape()
    first = data.y_train < SPLIT
    second_test = data.y_test >= SPLIT
    x_a, y_a = prepare(data.x_train[first], shape), data.y_train[first]
    x_a_test = prepare(data.x_test[data.y_test < SPLIT], shape)
    y_a_test = data.y_test[data.y_test < SPLIT]
    x_b_all, y_b_all = data.x_train[~first], data.y_train[~first] - SPLIT
    pick = few_examples(y_b_all, p["few"], p["seed"])
    x_b, y_b = prepare(x_b_all[pick], shape), y_b_all[pick]
    x_b_test, y_b_test = prepare(data.x_test[second_test], shape), data.y_test[second_test] - SPLIT
    names = data.class_names
    cancel.raise_if_requested()

    base = conv_base()
    first_model = compile_model(network(base, "base_0_to_4", "old"), p["learning_rate"])
    emit_started(
        emit, spec, start, p["dataset"], data.describe(), first_model,
        n_train=int(len(x_a)), n_few=int(len(x_b)), n_test=int(len(x_b_test)),
        note=f"Base: {', '.join(names[:SPLIT])} ({len(x_a):,} images). New task: "
        f"{', '.join(names[SPLIT:])} from {len(x_b)} examples, tested on {len(x_b_test):,}.",
        stages=["base", "transfer", "scratch"],
    )  # fmt: skip

    def fit(model: keras.Model, x, y, val, epochs: int, stage: str) -> EventReporter:
        return fit_reported(model, x, y, val, p, emit, cancel, epochs, {"stage": stage})[0]

    train_start = time.monotonic()
    emit(Event.PHASE, phase=f"stage 1 of 3: the base network learns {names[0]}–{names[SPLIT - 1]}")
    fit(first_model, x_a, y_a, (x_a_test, y_a_test), p["base_epochs"], "base")
    _, base_accuracy = first_model.evaluate(x_a_test, y_a_test, verbose=0, batch_size=512)

    frozen = p["freeze"] == "yes"
    for layer in base:
        layer.trainable = not frozen
    transfer = compile_model(network(base, "transferred", "new"), p["learning_rate"])
    how = "frozen" if frozen else "fine-tuned"
    emit(
        Event.PHASE,
        phase=f"stage 2 of 3: a new head learns {names[SPLIT]}–{names[-1]} from "
        f"{len(x_b)} examples, borrowed layers {how}",
    )
    reporter = fit(transfer, x_b, y_b, (x_b_test, y_b_test), p["epochs"], "transfer")

    keras.utils.set_random_seed(p["seed"])
    scratch = compile_model(network(conv_base(), "from_scratch", "new"), p["learning_rate"])
    emit(Event.PHASE, phase=f"stage 3 of 3: the same network from scratch on the same {len(x_b)}")
    fit(scratch, x_b, y_b, (x_b_test, y_b_test), p["epochs"], "scratch")
    train_s = time.monotonic() - train_start

    emit(Event.PHASE, phase="evaluating both on the test set")
    test_loss, test_accuracy = transfer.evaluate(
        x_b_test, y_b_test, verbose=0, batch_size=512, callbacks=[reporter]
    )
    _, scratch_accuracy = scratch.evaluate(x_b_test, y_b_test, verbose=0, batch_size=512)
    early = min(EARLY, p["epochs"])
    transfer_early, scratch_early = accuracy_after(transfer, early), accuracy_after(scratch, early)
    cancel.raise_if_requested()
    probabilities = transfer.predict(x_b_test, verbose=0, batch_size=1024)
    emit(Event.PHASE, phase="saving the transferred model and its predictions")
    for layer in transfer.layers:  # saved as a plain model: the attention job needs no flags
        layer.trainable = True
    save_model(transfer, run_dir)
    predictions = save_predictions(
        run_dir,
        data.x_test[second_test],
        y_b_test,
        probabilities,
        list(names[SPLIT:]),
    )
    emit(
        Event.FINISHED,
        metrics={
            "test_accuracy": float(test_accuracy),
            "test_loss": float(test_loss),
            "scratch_accuracy": float(scratch_accuracy),
            "base_accuracy": float(base_accuracy),
            "transfer_accuracy_early": transfer_early,
            "scratch_accuracy_early": scratch_early,
        },
        comparison=[
            f"From scratch on the same {len(x_b)} examples: {scratch_accuracy * 100:.1f} %",
            f"After {early} epochs: transferred {100 * (transfer_early or 0):.1f} %, "
            f"from scratch {100 * (scratch_early or 0):.1f} %",
            f"Base network on {names[0]}–{names[SPLIT - 1]}: {base_accuracy * 100:.1f} %",
        ],
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={"model": runfiles.MODEL, "predictions": predictions, "log": runfiles.LOG},
        data_source=data.describe(),
        device=spec["device"],
    )
