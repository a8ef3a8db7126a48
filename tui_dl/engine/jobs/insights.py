"""Short analysis jobs on a finished run (where it looked, what it says to odd inputs).

Like runs, they are child processes — TensorFlow never enters the app — but small ones:
each gets a folder under RUN_DIR/jobs/ with its own events.jsonl and log.txt, and leaves
its result as an artifact in the run folder, where screens and later sessions find it. On
another user's run (the instructor looking at a learner's), both go into the viewer's own
folder for that run (`notes_dir`) instead: nobody writes into another's run.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_dl import paths
from tui_dl.engine import runfiles
from tui_dl.engine.devices import device_env
from tui_dl.engine.jobs.launch import RunHandle, served
from tui_dl.engine.store import read_spec
from tui_dl.engine.workshop.seats import notes_dir

if TYPE_CHECKING:
    from tui_dl.engine.spare.pool import SparePool

JOBS = {
    "attention": "tui_dl.engine.jobs.insight_tasks:attention_job",
    "probe": "tui_dl.engine.jobs.insight_tasks:probe_job",
    "predict": "tui_dl.engine.jobs.predict_task:predict_job",
    "model": "tui_dl.engine.jobs.layers_task:model_job",
    "activations": "tui_dl.engine.jobs.activations_task:activations_job",
    "tflite": "tui_dl.engine.export.tflite:tflite_job",
    "lr-find": "tui_dl.engine.jobs.lrfind.task:lr_find_job",
}


def launch_job(
    run_dir: Path, kind: str, args: dict[str, Any] | None = None, spare: SparePool | None = None
) -> RunHandle:
    """Start a job on the CPU (a training run may hold the GPU); returns at once. The
    `spare`'s process does it when it has one ready for the CPU."""
    if kind not in JOBS:
        raise ValueError(f"unknown job {kind!r}; known: {', '.join(sorted(JOBS))}")
    run_dir = Path(run_dir)
    spec = read_spec(run_dir)
    # Another user's (or another seat's) run: the job and what it makes go into the viewer's
    # own folder for that run, never into the run's.
    jobs = notes_dir(run_dir, spec) / runfiles.JOBS
    stamp = time.strftime("%H%M%S")
    job_dir = paths.new_folder(jobs, lambda tail: f"{kind}-{stamp}-{tail}")
    (job_dir / runfiles.JOB_SPEC).write_text(json.dumps({"kind": kind, "args": args or {}}) + "\n")
    env = {**os.environ, **device_env("cpu"), "PYTHONUNBUFFERED": "1"}
    data_dir = spec.get("data_dir")
    if data_dir:
        env["TUI_DL_DATA"] = data_dir
    order = {"kind": "job", "folder": str(job_dir), "run_dir": str(run_dir), "data_dir": data_dir}
    module, args_ = "tui_dl.engine.jobs.insight_child", [str(run_dir), str(job_dir)]
    return served(spare, order, "cpu", module, args_, env)
