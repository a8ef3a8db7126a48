"""`tui-dl lr-find EXPERIMENT [settings] [--json]`: the learning-rate finder headless.

The same job the lab's `l` starts (a child process; TensorFlow never enters this one): one
short pass with the rate rising from 1e-7 to 10, the loss of each step, stopped when it
blows up. Prints the loss against the rate at a few rates, and the suggested rate with how
it was read from the curve; `--json`, the whole result as one JSON object."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from rich.table import Table
from rich.text import Text

from tui_dl.cli.console import console, error
from tui_dl.cli.parser import settings

JOB_TIMEOUT_S = 1800
ROWS = 12
"""The rates the table shows (spread over the pass, the suggestion's among them)."""


def lr_find_command(args: argparse.Namespace) -> int:
    from tui_dl.analysis.artifacts import UnreadableArtifact
    from tui_dl.analysis.lrfind import load_result
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.lrfind.launch import launch_lr_find

    err = console(stderr=True)
    try:
        handle = launch_lr_find(
            args.experiment, settings(args), args.device, getattr(args, "data_dir", None),
            steps=args.find_steps,
        )  # fmt: skip
    except ValueError as exc:
        error(err, exc)
        return 2
    log = EventLog(handle.run_dir)
    last: dict[str, Any] = {}
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline and last.get("event") not in ("finished", "failed"):
        for event in log.read_new():
            last = event
            if event.get("event") == "phase" and not args.json:
                err.print(Text(f"… {event.get('phase', '')}", style="dim"))
        time.sleep(0.1)
    handle.wait(10)
    if last.get("event") != "finished":
        error(
            err, str(last.get("message") or f"the finder ended with no result ({handle.run_dir})")
        )
        return 1
    try:
        result = load_result(handle.run_dir)
    except (OSError, UnreadableArtifact) as exc:
        error(err, f"the finder's result cannot be read: {exc}")
        return 1
    if args.json:
        from tui_dl.analysis.lrfind import how_chosen

        print(json.dumps({**result, "how": how_chosen(result), "folder": str(handle.run_dir)}))
    else:
        show(result)
    return 0


def show(result: Any) -> None:
    from tui_dl.analysis.lrfind import how_chosen, rate_text

    out = console()
    n = len(result["rates"])
    suggestion = result["suggestion"]
    picked = {round(i * (n - 1) / (ROWS - 1)) for i in range(ROWS)} if n else set()
    if suggestion is not None:
        picked |= {suggestion["index"], suggestion["minimum_index"]}
    table = Table("step", "rate", "loss", "smoothed", "")
    for i in sorted(picked):
        mark = ""
        if suggestion is not None and i == suggestion["index"]:
            mark = "◀ suggested"
        elif suggestion is not None and i == suggestion["minimum_index"]:
            mark = "lowest"
        table.add_row(str(i + 1), rate_text(result["rates"][i]), f"{result['losses'][i]:.4g}",
                      f"{result['smoothed'][i]:.4g}", mark)  # fmt: skip
    blew_up = ", stopped when the loss blew up" if result["stopped"] == "diverged" else ""
    out.print(Text(f"{result['experiment']}: {n} of {result['steps']} steps{blew_up}"))
    out.print(table)
    out.print(Text(how_chosen(result)))
