"""The finder's TensorFlow side: the lab's model with its settings, one short pass with the
rate rising step by step, each step's loss recorded, stopped when the loss blows up."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

import keras
import numpy as np

from tui_dl.analysis.lrfind import (
    START,
    STEPS,
    LrFindResult,
    Smoother,
    rate_text,
    rates,
    save_result,
    suggest,
)
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.runfiles import RunSpec, TrainerSpec
from tui_dl.engine.trainers.common import begin
from tui_dl.engine.trainers.images import ARCHITECTURES, LOADERS, compile_model, prepare

REPORT_S = 0.5
"""The most often a step is reported (the last one always is)."""


def lr_find_job(folder: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    # the device checked, the seed set, as a run of these settings would be
    start = begin(cast(TrainerSpec, {**spec, "run_dir": str(folder)}))
    p, experiment = start.params, spec["experiment"]
    emit(Event.PHASE, phase="loading data")
    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    x, y = data.x_train, data.y_train
    if p["train_limit"]:
        x, y = x[: p["train_limit"]], y[: p["train_limit"]]
    model = compile_model(ARCHITECTURES[experiment](p), p["optimizer"], START, p["momentum"])
    x = prepare(x, tuple(model.inputs[0].shape[1:]))
    y = keras.utils.to_categorical(y, 10)
    steps = int(args.get("steps", STEPS))
    step_rates = rates(steps)
    batch = min(int(p["batch_size"]), len(x))
    order = np.random.default_rng(int(p.get("seed", 0))).permutation(len(x))
    smoother, losses, smoothed = Smoother(), [], []
    stopped, said = "end", 0.0
    emit(Event.PHASE, phase=f"training {steps} steps of {batch} images", steps=steps)
    for step, rate in enumerate(step_rates):
        model.optimizer.learning_rate = float(rate)
        first = (step * batch) % len(x)  # the data again from the start when it runs out
        chosen = np.take(order, range(first, first + batch), mode="wrap")
        loss = float(model.train_on_batch(x[chosen], y[chosen], return_dict=True)["loss"])
        if not np.isfinite(loss):
            stopped = "diverged"
            break
        losses.append(loss)
        smoothed.append(smoother.add(loss))
        blown = smoother.diverged(smoothed[-1])
        if blown or time.monotonic() - said > REPORT_S or step == steps - 1:
            said = time.monotonic()
            emit(
                Event.PHASE,
                phase=f"step {step + 1} of {steps}: rate {rate_text(float(rate))}, "
                f"loss {smoothed[-1]:.3g}",
                steps=steps,
            )
        if blown:
            stopped = "diverged"
            break
    done = step_rates[: len(losses)].tolist()
    result: LrFindResult = {
        "experiment": experiment,
        "params": p,
        "rates": done,
        "losses": losses,
        "smoothed": smoothed,
        "stopped": stopped,
        "steps": steps,
        "suggestion": suggest(done, smoothed) if len(losses) >= 2 else None,
    }
    name = save_result(folder, result)
    emit(Event.FINISHED, artifact=name, count=len(losses))
