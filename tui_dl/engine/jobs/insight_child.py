"""A job's child process: `python -m tui_dl.engine.jobs.insight_child RUN_DIR JOB_DIR`."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

from tui_dl.engine import runfiles
from tui_dl.engine.events import Event, append_event
from tui_dl.engine.failures import report_failure
from tui_dl.engine.jobs.insights import JOBS
from tui_dl.engine.jobs.launch import lower_priority
from tui_dl.engine.runfiles import RunSpec
from tui_dl.engine.store import read_spec
from tui_dl.engine.tf_start import STARTING, WARM


def main(argv: list[str]) -> int:
    return serve(Path(argv[0]).resolve(), Path(argv[1]).resolve())


def serve(run_dir: Path, job_dir: Path, warm: bool = False) -> int:
    """Do the job in `job_dir` on the run in `run_dir`; its exit status. A spare calls it
    with TensorFlow already imported (`warm`) and its priority already lowered."""
    if not warm:
        lower_priority()
    started = time.monotonic()
    spec: RunSpec | None = None

    def emit(event: Event, **fields: object) -> None:
        append_event(job_dir, event, **fields)

    try:
        job = json.loads((job_dir / runfiles.JOB_SPEC).read_text())
        spec = read_spec(run_dir)
        emit(Event.PHASE, phase=WARM if warm else STARTING)
        module_name, func_name = JOBS[job["kind"]].split(":")
        runner = getattr(importlib.import_module(module_name), func_name)
        runner(run_dir, spec, job.get("args", {}), emit)
    except BaseException as exc:  # noqa: BLE001 — every failure must become an event
        report_failure(emit, exc, spec or {}, started)
        return 1
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
