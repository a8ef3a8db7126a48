"""`tui-dl model RUN [--json]`: a run's model layer by layer — each layer's type, output
shape and parameters, trainable and frozen, a nested model's layers under it, and a bar of
where the parameters are; the totals as Keras's own `count_params()` counts them.

A run saved since the summary came carries it (model-summary.json beside model.keras); for an
older run, or a model-zoo run, a short job counts it in a child process (TensorFlow never
enters this one) and keeps it in your notes for the run."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from rich.text import Text

from tui_dl.cli.console import console, error, run_named

JOB_TIMEOUT_S = 600


def model_command(args: argparse.Namespace) -> int:
    from tui_dl.analysis.artifacts import UnreadableArtifact
    from tui_dl.analysis.layers.available import has_summary, no_model
    from tui_dl.analysis.layers.summary import find_summary
    from tui_dl.engine.workshop.seats import notes_dir

    err = console(stderr=True)
    info = run_named(args.run, err)
    if info is None:
        return 2
    run_dir = info.run_dir
    notes = notes_dir(run_dir, info.spec)
    why = no_model(info, notes)
    if why:
        error(err, why)
        return 2
    if not has_summary(run_dir, notes) and not count_layers(run_dir, args.json, err):
        return 1
    try:
        summary = find_summary(run_dir, notes)
    except (OSError, UnreadableArtifact) as exc:  # FileNotFoundError: the job wrote none
        error(err, f"the model's summary cannot be read: {exc}")
        return 1
    if args.json:
        print(json.dumps({"run": run_dir.name, "total": summary["trainable"] + summary["frozen"],
                          **summary}))  # fmt: skip
    else:
        show(summary)
    return 0


def show(summary: Any) -> None:
    from tui_dl.analysis.layers.summary import visible
    from tui_dl.ui.render.layers import layer_table, totals_text

    out = console()
    out.print(totals_text(summary))
    out.print(layer_table(summary, visible(summary), width=out.width))


def count_layers(run_dir: Path, quiet: bool, err: Any) -> bool:
    """The model job launched and followed (its phases said on stderr); whether it finished."""
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.insights import launch_job

    handle = launch_job(run_dir, "model")
    log = EventLog(handle.run_dir)
    deadline = time.monotonic() + JOB_TIMEOUT_S
    last: dict[str, Any] = {}
    while time.monotonic() < deadline and last.get("event") not in ("finished", "failed"):
        for event in log.read_new():
            last = event
            if event.get("event") == "phase" and not quiet:
                err.print(Text(f"… {event.get('phase', '')}", style="dim"))
        time.sleep(0.1)
    handle.wait(10)
    if last.get("event") != "finished":
        error(err, str(last.get("message") or f"the job ended with no summary ({handle.run_dir})"))
        return False
    return True
