"""What runs on a Ray worker: the same trainer as a local run's child, with the same spec.

The trainer writes into a scratch folder on the worker; its events go into a mailbox actor the
run's driver drains into the run folder as they come. The terminal event is held back and
returned with the artifacts, so the driver writes the files first and then the event that
announces them (a screen that sees "finished" finds the model there).
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_dl.engine.events import TERMINAL_EVENTS, Event
from tui_dl.engine.runfiles import RunSpec, TrainerSpec

if TYPE_CHECKING:
    from tui_dl.engine.trainers import Trainer

MAX_ARTIFACT_BYTES = 512 * 2**20
"""A run's files come back through Ray's object store: past this, the run fails plainly."""


class TaskCancel:
    """The cancel flag a trainer polls. On Ray a cancel arrives as Ray's own interrupt of the
    task (the driver asks for it), so the flag itself never rises; `run_dir` is the scratch
    folder (where the TensorBoard and CSV logs go, like every artifact)."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.requested = False
        self.interruptible = True

    def check(self) -> bool:
        return False

    def raise_if_requested(self) -> None:
        return None


def node_name() -> str:
    try:
        return f"{socket.gethostname()} ({socket.gethostbyname(socket.gethostname())})"
    except OSError:
        return socket.gethostname()


def share_memory_mb(spec: RunSpec, gpu_ids: list[Any]) -> int | None:
    """A run given a share of a GPU is held to that share of its memory (TensorFlow takes
    nearly all of a GPU otherwise, and the next run on it fails out of memory): the share of
    the total NVML reads for the GPU Ray gave the task. None for a whole GPU or the CPU."""
    share = spec.get("gpu_share")
    if spec.get("device", "cpu") == "cpu" or share is None or share >= 1 or not gpu_ids:
        return None
    from tui_dl.engine.gpustats import gpu_memory_total_mib

    try:
        total = gpu_memory_total_mib(int(gpu_ids[0]))
    except (TypeError, ValueError):
        return None
    return None if total is None else max(1, int(total * share))


def run_task(run_spec: RunSpec, events: Any) -> dict[str, Any]:
    """Train `run_spec` here; events go to `events` (a mailbox.Mailbox actor) as (name, fields).
    Returns {"terminal": (name, fields) | None, "artifacts": {path: bytes}}."""
    from tui_dl.engine.experiments import get_experiment
    from tui_dl.engine.failures import report_failure

    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="tui-dl-ray-"))
    spec: TrainerSpec = {**run_spec, "run_dir": str(scratch)}
    held: list[tuple[str, dict[str, Any]]] = []
    last_put: list[Any] = []

    def emit(event: Event, **fields: Any) -> None:
        if event in TERMINAL_EVENTS:
            held.append((str(event), fields))
        else:
            # Fire and forget, in order (one submitter's calls to a synchronous actor run in
            # the order made): a task blocked waiting on a put would hand its CPU back to
            # the scheduler, which would start another run on it.
            last_put[:] = [events.put.remote((str(event), fields))]

    emit(Event.PHASE, phase=f"running on {node_name()}", node=node_name(), worker_pid=os.getpid())
    if spec.get("device", "cpu") != "cpu":
        import ray

        memory_mb = share_memory_mb(spec, list(ray.get_gpu_ids()))
        if memory_mb is not None:
            spec["gpu_memory_mb"] = memory_mb  # the trainer sets TensorFlow's memory limit
            emit(Event.PHASE, phase=f"held to {spec['gpu_share']:g} of the GPU: {memory_mb} MiB")
    try:
        module, _, function = get_experiment(spec["experiment"]).runner.partition(":")
        emit(Event.PHASE, phase="starting TensorFlow")
        trainer: Trainer = getattr(importlib.import_module(module), function)
        trainer(spec, emit=emit, cancel=TaskCancel(scratch), started=started)
    except KeyboardInterrupt:
        raise  # Ray's cancel: the driver writes `cancelled`
    except BaseException as exc:  # noqa: BLE001 — every failure must become an event
        report_failure(emit, exc, spec, started)
    artifacts: dict[str, bytes] = {}
    total = 0
    for path in sorted(scratch.rglob("*")):
        if path.is_file():
            total += path.stat().st_size
            if total > MAX_ARTIFACT_BYTES:
                break
            artifacts[str(path.relative_to(scratch))] = path.read_bytes()
    shutil.rmtree(scratch, ignore_errors=True)
    if last_put:
        # Every event is in the mailbox before the task says it ended (the actor runs them
        # in order, so the last one done means all are), so the driver's last take has them.
        import ray

        ray.get(last_put[0])
    return {"terminal": held[-1] if held else None, "artifacts": artifacts}
