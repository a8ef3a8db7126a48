"""Sweeps: one experiment over a grid of learning rates × batch sizes, one run per cell.

A sweep is a folder `home/sweeps/<id>/` holding `sweep.json` (the experiment, its base
settings, the two lists, and each cell's run id once it starts) and `events.jsonl` (started,
cell_started, cell_ended, then finished, failed or cancelled). One driver child process
(`tui_dl.engine.sweeps.driver`) launches the cells as ordinary runs, so each cell is also in
Runs with its own folder, events and model.

The cells run one after another, not side by side: TensorFlow already spreads one run over
every core (this kind of machine has two), and on a GPU two runs would share its memory.
Parallel cells would each go slower and their timings would mean nothing. On a Ray cluster
(`cluster` in the spec) they run side by side, each where the scheduler finds its GPU or CPU.
"""

# No `from __future__ import annotations` here: SweepSpec's NotRequired markers must be real
# objects for `__required_keys__` to see them.
import json
import os
import signal
import time
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from tui_dl import paths
from tui_dl.engine import runfiles, trust
from tui_dl.engine.devices import normalise_device
from tui_dl.engine.events import (
    SWEEP_EVENTS,
    TERMINAL_EVENTS,
    Event,
    EventLog,
    append_event,
    make_event,
)
from tui_dl.engine.jobs.launch import CANCEL_SIGNAL, RunHandle, spawn_child
from tui_dl.engine.store import pid_alive, read_pid
from tui_dl.engine.sweeps.grid import SWEPT, SweepPlan, plan_sweep
from tui_dl.paths import write_atomic


class SweepCell(TypedDict):
    lr: float
    batch_size: int
    run_id: NotRequired[str | None]
    """Once its run has started."""
    settings: NotRequired[dict[str, Any]]
    """Its values of the sweep's axes (a sweep with `axes`)."""
    seed: NotRequired[int | None]
    """Its own seed when the sweep runs each cell several times; None: the settings' seed."""


class SweepAxis(TypedDict):
    name: str
    values: list[Any]


class SweepSpec(TypedDict):
    """sweep.json as a reader may believe it (the keys it does not name are not read)."""

    sweep_id: str
    experiment: str
    params: dict[str, Any]
    learning_rates: list[float]
    batch_sizes: list[int]
    cells: list[SweepCell]
    device: NotRequired[str]
    data_dir: NotRequired[str | None]
    created: NotRequired[float]
    cluster: NotRequired[str | None]
    gpu_share: NotRequired[float | None]
    axes: NotRequired[list[SweepAxis]]
    """The settings swept (a sweep made before axes: learning rate × batch size)."""
    seeds: NotRequired[int]
    """Runs per cell, seeds seed, seed+1, …"""


def launch_sweep(
    experiment: str,
    params: dict[str, Any] | None,
    learning_rates: Any,
    batch_sizes: Any,
    device: str = "cpu",
    data_dir: str | os.PathLike[str] | None = None,
    root: Path | None = None,
    cluster: str | None = None,
    gpu_share: float | None = None,
    *,
    axes: dict[str, Any] | None = None,
    seeds: Any = 1,
) -> RunHandle:
    """Validate, write the sweep folder, start its driver; returns at once. With `cluster`,
    the cells run side by side on Ray, as many at once as its resources allow.

    `learning_rates`, `batch_sizes` (None: not swept) and `axes` (setting → values) are the
    lists; the ones with two or more values are the axes. Each cell runs `seeds` times."""
    lists = {
        name: values
        for name, values in (("learning_rate", learning_rates), ("batch_size", batch_sizes))
        if values is not None
    }
    plan = plan_sweep(experiment, params or {}, {**lists, **(axes or {})}, seeds)
    exp = plan.experiment
    device = normalise_device(device)
    if cluster:
        import importlib.util

        from tui_dl.engine.cluster import INSTALL, check_address, resources

        cluster = check_address(cluster)
        resources(device, gpu_share)
        if importlib.util.find_spec("ray") is None:
            raise ValueError(INSTALL)
    data_dir = str(Path(data_dir).expanduser().resolve()) if data_dir else None
    root = Path(root) if root else paths.sweeps_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    sweep_dir = paths.new_folder(root, lambda tail: f"{stamp}-{exp.name}-{tail}")
    sweep_id = sweep_dir.name
    spec = sweep_spec(sweep_id, plan)
    spec.update(device=device, data_dir=data_dir, created=time.time())
    if cluster:
        spec.update(cluster=cluster, gpu_share=gpu_share)
    write_spec(sweep_dir, spec)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return spawn_child("tui_dl.engine.sweeps.driver", [str(sweep_dir)], sweep_dir, env)


def sweep_spec(sweep_id: str, plan: SweepPlan) -> dict[str, Any]:
    """sweep.json's grid: the shared settings, the axes, and every cell (point × seed) in the
    order it runs, each with its learning rate and batch size (what the lessons compare)."""
    swept = {name for name, _ in plan.axes}
    cells = []
    for point in plan.points():
        settings = {**plan.base, **point}
        for seed in plan.cell_seeds():
            cells.append({
                "lr": settings["learning_rate"], "batch_size": settings["batch_size"],
                "settings": point, "seed": seed, "run_id": None,
            })  # fmt: skip
    return {
        "sweep_id": sweep_id,
        "experiment": plan.experiment.name,
        "params": {k: v for k, v in plan.base.items() if k not in SWEPT and k not in swept},
        "learning_rates": plan.values("learning_rate"),
        "batch_sizes": plan.values("batch_size"),
        "axes": [{"name": name, "values": values} for name, values in plan.axes],
        "seeds": plan.seeds,
        "cells": cells,
    }


def cell_params(spec: dict[str, Any], cell: dict[str, Any]) -> dict[str, Any]:
    """The settings a cell's run is launched with."""
    params = {**spec["params"], "learning_rate": cell["lr"], "batch_size": cell["batch_size"]}
    params.update(cell.get("settings") or {})
    if cell.get("seed") is not None:
        params["seed"] = cell["seed"]
    return params


def write_spec(sweep_dir: Path, spec: dict[str, Any]) -> None:
    """Write-then-rename: a reader never sees half a sweep.json."""
    write_atomic(sweep_dir / runfiles.SWEEP_SPEC, json.dumps(spec, indent=2) + "\n")


def read_spec(sweep_dir: Path) -> dict[str, Any]:
    """sweep.json, its types checked (`trust.Unreadable`, a ValueError, saying why not)."""
    spec = trust.read_json(Path(sweep_dir) / runfiles.SWEEP_SPEC, 1024 * 1024)
    problem = trust.typed_problem(spec, SweepSpec, "sweep.json")
    if problem:
        raise trust.Unreadable(problem)
    return dict(spec)


def list_sweeps(root: Path | None = None) -> list[Path]:
    """Sweep folders, newest first (ids start with a timestamp)."""
    root = Path(root) if root else paths.sweeps_dir()
    if not root.is_dir():
        return []
    found = [
        p
        for p in root.iterdir()
        if not p.is_symlink() and p.is_dir() and os.path.lexists(p / runfiles.SWEEP_SPEC)
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def sweep_lost(sweep_dir: Path) -> bool:
    """True if the driver is gone without having written how the sweep ended. Reads only."""
    events = EventLog(sweep_dir, SWEEP_EVENTS).read_all()
    if any(e.get("event") in TERMINAL_EVENTS for e in events):
        return False
    pid = read_pid(sweep_dir)
    if pid is not None and pid_alive(pid, sweep_dir):
        return False
    try:
        created = float(read_spec(sweep_dir).get("created", 0.0))
    except ValueError:
        created = 0.0
    return pid is not None or time.time() - created > 10


def mark_lost(sweep_dir: Path) -> tuple[dict[str, Any], bool]:
    """The sweep's "driver lost" event, and whether it was recorded in the folder: only when
    this user owns the folder (a reader of another user's sweep keeps it in memory)."""
    fields = {
        "error_type": "ProcessLost",
        "message": "The sweep's driver process ended without finishing the grid — it was "
        f"probably killed or the machine restarted. See {Path(sweep_dir) / runfiles.LOG}.",
    }
    if trust.is_mine(sweep_dir):
        try:
            return append_event(sweep_dir, Event.FAILED, **fields), True
        except OSError:
            pass  # another user's events file, or a read-only disk: said in memory
    record = make_event(Event.FAILED, SWEEP_EVENTS, t=round(time.time(), 3), **fields)
    return record, False


def cancel_sweep(sweep_dir: Path, timeout: float | None = None) -> None:
    """Ask the driver to cancel its current cell and stop; do it ourselves if it cannot.

    Blocking for up to a few seconds (the cell's own cancel takes about one; on a cluster,
    every running cell's at once, and a slow one must not be cut short by killing the
    driver, whose process group holds a `local` Ray): call it from a worker thread in the app.
    """
    sweep_dir = Path(sweep_dir)
    if timeout is None:
        try:
            timeout = 15.0 if read_spec(sweep_dir).get("cluster") else 5.0
        except (OSError, ValueError):
            timeout = 5.0
    if not trust.is_mine(sweep_dir):  # the instructor and a learner's sweep: a request, no signal
        from tui_dl.engine.jobs.launch import ask_to_stop

        ask_to_stop(sweep_dir, timeout)
        return
    (sweep_dir / runfiles.CANCEL).touch()
    log = EventLog(sweep_dir)

    def ended() -> bool:
        return any(e.get("event") in TERMINAL_EVENTS for e in log.read_all())

    if ended():
        return
    pid = read_pid(sweep_dir)
    if pid is not None and pid_alive(pid, sweep_dir):
        try:
            os.kill(pid, CANCEL_SIGNAL)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and pid_alive(pid, sweep_dir) and not ended():
            time.sleep(0.05)
        if ended():
            return
        try:
            os.killpg(pid, signal.SIGKILL)  # a driver that does not answer: stop it for good
        except (ProcessLookupError, PermissionError):
            pass
    _cancel_current_cell(sweep_dir)
    if not ended():
        append_event(sweep_dir, Event.CANCELLED, by="app", forced=True)


def _cancel_current_cell(sweep_dir: Path) -> None:
    """The cell that started last and has not ended: its own run folder's cancel."""
    from tui_dl.engine.jobs.launch import cancel_run

    started, ended = {}, set()
    for event in EventLog(sweep_dir).read_all():
        if event.get("event") == Event.CELL_STARTED:
            started[event["run_id"]] = event.get("cell_dir")
        elif event.get("event") == Event.CELL_ENDED:
            ended.add(event.get("run_id"))
    for run_id, run_dir in started.items():
        if run_id not in ended and run_dir:
            cancel_run(Path(run_dir))
