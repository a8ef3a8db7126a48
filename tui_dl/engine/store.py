"""Run folders on disk: creating them, listing them, and telling what state each is in.

A run folder is the whole record of a run (spec.json, events.jsonl, log.txt, pid,
artifacts), so any process — the app that launched it, a later app, the CLI — can read it.
"""

from __future__ import annotations

import builtins
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.engine import runfiles
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, Status, append_event


@dataclass
class RunInfo:
    """What the runs list shows about one run, derived from its folder."""

    run_id: str
    run_dir: Path
    spec: dict[str, Any]
    status: str
    """running, finished, failed, cancelled, or starting (no event yet)."""
    created: float
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def experiment(self) -> str:
        return self.spec.get("experiment", "?")

    @property
    def last(self) -> dict[str, Any]:
        return self.events[-1] if self.events else {}

    def final(self, name: str) -> dict[str, Any] | None:
        return next((e for e in reversed(self.events) if e.get("event") == name), None)

    @property
    def test_accuracy(self) -> float | None:
        finished = self.final(Event.FINISHED)
        if finished:
            return finished.get("metrics", {}).get("test_accuracy")
        return None

    @property
    def message(self) -> str:
        failed = self.final(Event.FAILED)
        return failed.get("message", "") if failed else ""


def pid_alive(pid: int, run_dir: Path) -> bool:
    """True if `pid` is running *this* run (guards against a recycled pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    if not proc.exists():
        return True  # no /proc (not Linux): trust the signal probe
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        cmdline = (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    if state == "Z":
        # Exited, not yet reaped: the process that launched it is about to record how
        # it ended, so it still counts as the run's.
        return True
    return str(run_dir).encode() in cmdline


class RunStore:
    """All runs under one folder (default: the user's tui-dl home, `TUI_DL_HOME`)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else paths.runs_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def create(self, spec: dict[str, Any]) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        run_id = f"{stamp}-{spec['experiment']}-{secrets.token_hex(2)}"
        run_dir = self.root / run_id
        run_dir.mkdir()
        spec = {**spec, "run_id": run_id, "created": time.time()}
        (run_dir / runfiles.SPEC).write_text(json.dumps(spec, indent=2) + "\n")
        return run_dir

    def run_ids(self) -> list[str]:
        """Newest first (ids start with a timestamp)."""
        ids = [p.name for p in self.root.iterdir() if (p / runfiles.SPEC).is_file()]
        return sorted(ids, reverse=True)

    def resolve(self, run_id: str) -> Path:
        """A run folder from an id, a unique id prefix, or `latest`."""
        ids = self.run_ids()
        if run_id == "latest":
            if not ids:
                raise LookupError("there are no runs yet")
            return self.root / ids[0]
        if run_id in ids:
            return self.root / run_id
        matches = [i for i in ids if i.startswith(run_id)]
        if len(matches) == 1:
            return self.root / matches[0]
        if not matches:
            raise LookupError(f"no run {run_id!r} (see `tui-dl runs`)")
        raise LookupError(f"{run_id!r} matches {len(matches)} runs; give more of the id")

    def info(self, run_dir: Path) -> RunInfo:
        run_dir = Path(run_dir)
        spec = read_spec(run_dir)
        events = EventLog(run_dir).read_all()
        status = self._status(run_dir, events)
        return RunInfo(run_dir.name, run_dir, spec, status, spec.get("created", 0.0), events)

    def list(self, limit: int | None = None) -> list[RunInfo]:
        infos = []
        for run_id in self.run_ids()[:limit]:
            try:
                infos.append(self.info(self.root / run_id))
            except (OSError, ValueError):
                continue  # a half-created or hand-edited folder: not a run we can show
        return infos

    def _status(self, run_dir: Path, events: builtins.list[dict[str, Any]]) -> str:
        for event in reversed(events):
            if event.get("event") in TERMINAL_EVENTS:
                return event["event"]
        pid = read_pid(run_dir)
        if pid is not None and pid_alive(pid, run_dir):
            if events and events[-1].get("event") == Event.PHASE and "queue" in events[-1]:
                return Status.QUEUED
            return Status.RUNNING if events else Status.STARTING
        if pid is None and time.time() - _created(run_dir) < 10:
            return Status.STARTING
        # The events were read before the pid was checked: a run that ended in between wrote
        # its last word after that read. Look again before calling it lost.
        again = EventLog(run_dir).read_all()
        ended = next((e for e in reversed(again) if e.get("event") in TERMINAL_EVENTS), None)
        if ended is not None:
            events[:] = again
            return ended["event"]
        # The process is gone without a last word: killed, out of memory, or machine restart.
        record = append_event(
            run_dir,
            Event.FAILED,
            error_type="ProcessLost",
            message=(
                "The run's process ended without reporting a result — it was probably killed "
                "(for example by the out-of-memory killer) or the machine restarted. "
                f"See {run_dir / runfiles.LOG}."
            ),
            traceback="",
        )
        events.append(record)
        return Status.FAILED


def read_spec(run_dir: Path) -> dict[str, Any]:
    """A run's settings as launched (raises OSError or ValueError for a broken folder)."""
    return json.loads((Path(run_dir) / runfiles.SPEC).read_text())


def read_pid(run_dir: Path) -> int | None:
    try:
        return int((Path(run_dir) / runfiles.PID).read_text().strip())
    except (OSError, ValueError):
        return None


def _created(run_dir: Path) -> float:
    try:
        return (Path(run_dir) / runfiles.SPEC).stat().st_mtime
    except OSError:
        return 0.0
