"""The commands that work on one finished run (predict, export): the run named on the command
line found, and a short job on it followed, its phases said on stderr as it goes."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text

JOB_TIMEOUT_S = 1800


def named_run(ref: str, err: Any) -> Any:
    """The run `ref` names (an id, a unique prefix, latest) as its `RunInfo`; None, said on
    `err`, when there is none."""
    from tui_dl.cli.console import error
    from tui_dl.engine.store import RunStore

    store = RunStore()
    try:
        return store.info(store.resolve(ref))
    except (LookupError, OSError, ValueError) as exc:
        error(err, str(exc.args[0] if exc.args else exc))
        return None


def follow(handle: Any, err: Any, quiet: bool) -> dict[str, Any]:
    """The job's last event once it ended (or after `JOB_TIMEOUT_S`); its phases on `err`
    unless `quiet`."""
    from tui_dl.engine.events import EventLog

    log = EventLog(handle.run_dir)
    deadline = time.monotonic() + JOB_TIMEOUT_S
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        for event in log.read_new():
            last = event
            if event.get("event") == "phase" and not quiet:
                err.print(Text(f"… {event.get('phase', '')}", style="dim"))
        if last.get("event") in ("finished", "failed", "cancelled"):
            break
        time.sleep(0.1)
    handle.wait(10)
    return last
