"""Starting a learning-rate finder: checked, a folder of its own, a short child process.

A finder belongs to no run (it comes before one): its folder, under the finders' folder
beside the runs, holds the spec it was started with (as a run's would), the job's order,
events.jsonl, log.txt and, when it finishes, the result (`analysis.lrfind.RESULT`).
TensorFlow is imported in the child only.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_dl import paths
from tui_dl.analysis.lrfind import STEPS
from tui_dl.engine import runfiles
from tui_dl.engine.devices import device_env, normalise_device
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.jobs.launch import RunHandle, served
from tui_dl.engine.workshop.seats import identity
from tui_dl.paths import runs_dir, shared

if TYPE_CHECKING:
    from tui_dl.engine.spare.pool import SparePool

KIND = "lr-find"
"""Its name among the jobs (`insights.JOBS`)."""
SUPPORTED = (
    "mnist-mlp",
    "mnist-mlp-dropout",
    "mnist-cnn",
    "tf-lowlevel",
    "votes-kfold",
    "mammogram",
    "imdb-lstm",
    "transfer-digits",
    "fashion-vae",
    "my-images",
)
"""The experiments whose model the finder trains (`recipes.RECIPES` says how, for each)."""
REFUSED = {
    "fashion-gan": "fashion-gan trains two models against each other (a generator and a "
    "discriminator, each with its own rate): neither loss falls as a good rate rises, so "
    "there is no curve to read a rate from.",
}
"""Experiments with a learning-rate setting the finder cannot serve, and why."""


def refusal(experiment: str) -> str | None:
    """Why the finder cannot run on this experiment, naming it; None when it can."""
    exp = get_experiment(experiment)  # KeyError for an unknown name
    if "learning_rate" not in {p.name for p in exp.params}:
        return f"{experiment} has no learning-rate setting: there is no rate to find."
    if experiment in REFUSED:
        return REFUSED[experiment]
    if experiment not in SUPPORTED:
        return f"The finder does not build {experiment}'s model: it builds " + (
            ", ".join(SUPPORTED) + "."
        )
    return None


def finders_dir() -> Path:
    """One sub-folder per finder, beside the runs."""
    path = shared() / "lr-find"
    path.mkdir(parents=True, exist_ok=True)
    return path


def launch_lr_find(
    experiment: str,
    params: dict[str, Any] | None = None,
    device: str = "cpu",
    data_dir: str | os.PathLike[str] | None = None,
    steps: int = STEPS,
    root: Path | None = None,
    runs: Path | None = None,
    spare: SparePool | None = None,
) -> RunHandle:
    """Check the experiment and its settings (ValueError naming what is wrong), make the
    finder's folder and start its child (a fork of the `spare` when it has one ready for
    `device`); returns at once. `runs`: the runs' folder, where a my-images base `run:ID` is
    found (the user's by default)."""
    why = refusal(experiment)
    if why:
        raise ValueError(why)
    spec_params = get_experiment(experiment).validate(params or {})
    device = normalise_device(device)
    data = str(Path(data_dir).expanduser().resolve()) if data_dir else None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = paths.new_folder(root or finders_dir(), lambda tail: f"{experiment}-{stamp}-{tail}")
    spec = {
        "experiment": experiment,
        "params": spec_params,
        "device": device,
        "data_dir": data,
        "owner": identity(),
        "runs_dir": str(runs or runs_dir()),
    }
    (folder / runfiles.SPEC).write_text(json.dumps(spec) + "\n")
    order = {"kind": KIND, "args": {"steps": int(steps)}}
    (folder / runfiles.JOB_SPEC).write_text(json.dumps(order) + "\n")
    env = {**os.environ, **device_env(device), "PYTHONUNBUFFERED": "1"}
    if data:
        env["TUI_DL_DATA"] = data
    job = {"kind": "job", "folder": str(folder), "run_dir": str(folder), "data_dir": data}
    module, args = "tui_dl.engine.jobs.insight_child", [str(folder), str(folder)]
    return served(spare, job, device, module, args, env)
