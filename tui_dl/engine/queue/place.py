"""A run's place in the queue, as its child takes it: the slot, the wait, what it says.

While it waits, the run reports where it stands as `phase` events with a `queue` field
("waiting for a GPU slot: 3rd in line, about 4 min"), so the lab, `tui-dl runs` and the
class view show it like any other phase; its status reads "queued".
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import statistics
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.queue.limits import device_key, limits
from tui_dl.engine.queue.queue import DeviceQueue, Held, Holder, RunQueue, Waiting, ordinal
from tui_dl.engine.trust import Unreadable, read_json

REPORT_EVERY_S = 20.0
"""A wait whose words have not changed is said again this often (the time left moves)."""
TAIL_BYTES = 16384
HISTORY = 40
"""How many of the newest runs the estimate of a run's length looks through."""


def device_word(device: str) -> str:
    return "CPU" if device == "cpu" else "GPU"


def gpu_memory_mib(device: str) -> int | None:
    """The total memory of the GPU a queue device names ('gpu0'), or None."""
    if device == "cpu":
        return None
    from tui_dl.engine.gpustats import gpu_memory_total_mib

    return gpu_memory_total_mib(int(device[3:] or 0))


def slots_of(device: str) -> int:
    return limits().slots(device, gpu_memory_mib(device))


def wait_words(device: str, me: Waiting, queue: DeviceQueue, eta_s: float | None) -> str:
    from tui_dl.engine.experiments.cost import duration

    place = "next in line" if me.position == 0 else f"{ordinal(me.position + 1)} in line"
    busy = f"{len(queue.held)} of {queue.slots} slot{'s' if queue.slots != 1 else ''} busy"
    text = f"waiting for a {device_word(device)} slot: {place} ({busy})"
    if eta_s is not None:
        text += f", about {duration(eta_s)}" if eta_s >= 10 else ", any moment now"
    return text


class WaitReporter:
    """Says where a waiting run stands, when that changes (and every REPORT_EVERY_S)."""

    def __init__(self, emit: Callable[..., None], device: str) -> None:
        self.emit = emit
        self.device = device
        self._said = ""
        self._at = 0.0

    def __call__(self, me: Waiting, queue: DeviceQueue) -> None:
        eta = RunQueue.eta_s(queue, me, remaining_s)
        words = wait_words(self.device, me, queue, eta)
        now = time.monotonic()
        if words == self._said and now - self._at < REPORT_EVERY_S:
            return
        self._said, self._at = words, now
        self.emit(
            Event.PHASE,
            phase=words,
            queue={
                "device": self.device,
                "position": me.position + 1,
                "slots": queue.slots,
                "busy": len(queue.held),
                "eta_s": None if eta is None else round(eta),
            },
        )


def take_place(
    spec: runfiles.TrainerSpec, run_dir: Path, emit: Emit, check: Callable[[], None]
) -> Held:
    """Wait (reporting) until this run holds a slot of its device; `check` may raise."""
    device = device_key(spec.get("device", "cpu"))
    limit = limits()
    slots = limit.slots(device, gpu_memory_mib(device))
    spec["gpu_memory_mb"] = limit.gpu_memory_mb
    info = {
        "run_id": spec.get("run_id", run_dir.name),
        "run_dir": str(run_dir),
        "experiment": spec.get("experiment", "?"),
        "owner": spec.get("owner") or {},
        "estimate_s": estimate_s(spec, run_dir.parent),
    }
    queue = RunQueue(limit=limit)
    return queue.wait_for_slot(device, info, slots, WaitReporter(emit, device), check)


# ----- how long runs take -------------------------------------------------------------------
def tail_events(run_dir: Path, nbytes: int = TAIL_BYTES) -> list[dict[str, Any]]:
    """The last events of a run, reading only the end of its file."""
    path = Path(run_dir) / runfiles.EVENTS
    try:  # another user's run: never through a symlink, never a FIFO, only its end
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return []
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return []
        size = info.st_size
        data = os.pread(fd, nbytes, max(0, size - nbytes))
    except OSError:
        return []
    finally:
        os.close(fd)
    lines = data.splitlines()
    if len(data) == nbytes and size > nbytes:
        lines = lines[1:]  # the first may be cut
    events = []
    for line in lines:
        with contextlib.suppress(ValueError):
            record = json.loads(line, parse_constant=_no_constant)
            if isinstance(record, dict):
                events.append(record)
    return events


def remaining_s(holder: Holder) -> float | None:
    """How long a running run has left: its own latest estimate, else its expected length
    less the time it has held its slot."""
    run_dir = holder.info.get("run_dir")
    if run_dir:
        for event in reversed(tail_events(Path(run_dir), 4096)):
            if event.get("event") == Event.PROGRESS and isinstance(event.get("eta_s"), int | float):
                elapsed_since = time.time() - float(event.get("t", time.time()))
                return max(0.0, float(event["eta_s"]) - elapsed_since)
    estimate = holder.info.get("estimate_s")
    since = holder.info.get("since")
    if isinstance(estimate, int | float) and isinstance(since, int | float):
        return max(0.0, float(estimate) - (time.time() - since))
    return None


def estimate_s(spec: Mapping[str, Any], runs_root: Path) -> float | None:
    """How long a run with these settings takes: the median of the newest finished runs of
    the same experiment, device and epochs here (scaled by epochs when only those differ),
    else the experiment's CPU cost estimate, else None (unknown)."""
    experiment, device = spec.get("experiment"), spec.get("device", "cpu")
    epochs = _epochs(spec)
    same, scaled = [], []
    try:
        names = sorted((p.name for p in runs_root.iterdir()), reverse=True)[:HISTORY]
    except OSError:
        names = []
    for name in names:
        run_dir = runs_root / name
        if run_dir.name == spec.get("run_id"):
            continue
        try:
            other = read_json(run_dir / runfiles.SPEC, 65536)
        except Unreadable:
            continue
        if not isinstance(other, dict):
            continue
        if other.get("experiment") != experiment or other.get("device", "cpu") != device:
            continue
        tail = tail_events(run_dir, 4096)
        last: dict[str, Any] = tail[-1] if tail else {}
        seconds = last.get("duration_s")
        if last.get("event") != Event.FINISHED or not isinstance(seconds, int | float):
            continue
        theirs = _epochs(other)
        if theirs == epochs:
            same.append(float(seconds))
        elif theirs and epochs:
            scaled.append(float(seconds) * epochs / theirs)
    if same or scaled:
        return round(statistics.median(same or scaled), 1)
    if device == "cpu":
        from tui_dl.engine.experiments import get_experiment

        with contextlib.suppress(KeyError, ValueError, TypeError):
            cost = get_experiment(str(experiment)).cost
            if cost is not None:
                from tui_dl.engine.experiments.cost import estimate

                return round(estimate(cost, spec.get("params", {})).seconds, 1)
    return None


def _epochs(spec: Mapping[str, Any]) -> int:
    value = (spec.get("params") or {}).get("epochs")
    return int(value) if isinstance(value, int) and value > 0 else 0


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number here")
