"""The finder's TensorFlow side: the lab's model with its settings (`recipes`: what each
experiment trains), one short pass with the rate rising step by step, each step's loss
recorded, stopped when the loss blows up. The steps are reported as they go (at most every
`REPORT_S`), each report carrying the points since the last one, so the screen draws the
curve while the pass runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

import numpy as np

from tui_dl.analysis.lrfind import (
    STEPS,
    LrFindResult,
    Smoother,
    rate_text,
    rates,
    save_result,
    suggest,
)
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.jobs.lrfind.recipes import the_pass
from tui_dl.engine.runfiles import RunSpec, TrainerSpec
from tui_dl.engine.trainers.common import begin

REPORT_S = 0.5
"""The most often a step is reported (the last one always is)."""


def lr_find_job(folder: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    # the device checked, the seed set, as a run of these settings would be
    start = begin(cast(TrainerSpec, {**spec, "run_dir": str(folder)}))
    p, experiment = start.params, spec["experiment"]
    found = the_pass(dict(spec), p, folder, emit)
    model, x, y = found.model, found.x, found.y
    steps = int(args.get("steps", STEPS))
    step_rates = rates(steps)
    batch = min(int(p["batch_size"]), len(x))
    order = np.random.default_rng(int(p.get("seed", 0))).permutation(len(x))
    smoother = Smoother()
    losses: list[float] = []
    smoothed: list[float] = []
    stopped, said, reported = "end", 0.0, 0
    emit(Event.PHASE, phase=f"training {steps} steps of {batch} {found.what}", steps=steps)

    def report(step: int) -> None:
        """The step said, with the points since the last report."""
        emit(
            Event.PHASE,
            phase=f"step {step + 1} of {steps}: rate {rate_text(float(step_rates[step]))}, "
            f"loss {smoothed[-1]:.3g}",
            steps=steps,
            points=[
                [float(step_rates[i]), losses[i], smoothed[i]] for i in range(reported, len(losses))
            ],
        )

    for step, rate in enumerate(step_rates):
        model.optimizer.learning_rate = float(rate)
        first = (step * batch) % len(x)  # the data again from the start when it runs out
        chosen = np.take(order, range(first, first + batch), mode="wrap")
        logs = model.train_on_batch(x[chosen], None if y is None else y[chosen], return_dict=True)
        loss = float(logs["loss"])
        if not np.isfinite(loss):
            stopped = "diverged"
            break
        losses.append(loss)
        smoothed.append(smoother.add(loss))
        blown = smoother.diverged(smoothed[-1])
        if blown or time.monotonic() - said > REPORT_S or step == steps - 1:
            said = time.monotonic()
            report(step)
            reported = len(losses)
        if blown:
            stopped = "diverged"
            break
    if reported < len(losses):  # a loss that was not a number ended it: the steps before it
        report(len(losses) - 1)
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
