"""A sweep's state, rebuilt from its events and its cells' run events.

`SweepTracker` reads only what is new on each `update()`, so the app can poll a running
sweep a few times a second; reading a finished sweep from files is one `update()`. The
readers are handed in, so tests feed it pre-written events and the app's fake source reuses
the very same logic.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tui_dl.engine.events import (
    RUN_EVENTS,
    SWEEP_EVENTS,
    TERMINAL_EVENTS,
    Event,
    EventLog,
    Status,
)
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.sweeps.grid import grid
from tui_dl.engine.sweeps.launch import mark_lost, read_spec, sweep_lost
from tui_dl.engine.sweeps.lessons import CellResult, Verdict, best_cell, verdicts

LIVENESS_S = 2.0


class EventReader(Protocol):
    def read_new(self) -> list[dict[str, Any]]: ...


@dataclass
class CellState:
    learning_rate: float
    batch_size: int
    settings: dict[str, Any] = field(default_factory=dict)
    """Its values of the sweep's axes (rate and batch size for a sweep made before axes)."""
    seed: int | None = None
    """Its own seed when each cell runs several times."""
    run_id: str | None = None
    status: str = Status.PENDING
    """pending, starting, running, finished, failed or cancelled."""
    epoch: int = 0
    epochs: int | None = None
    history: list[dict[str, float | None]] = field(default_factory=list)
    """Keras logs per epoch; for a k-fold run, the mean over the folds seen so far."""
    metric: float | None = None
    message: str = ""
    error_type: str = ""
    verdict: Verdict = field(default_factory=lambda: Verdict("", ""))
    _folds: dict[int, list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    def apply(self, event: dict[str, Any], metric: str) -> None:
        kind = event.get("event")
        if kind in (Event.PHASE, Event.STARTED) and self.status == Status.STARTING:
            self.status = Status.RUNNING
        if kind == Event.PHASE and event.get("epochs"):
            self.epochs = event["epochs"]
        elif kind == Event.PROGRESS:
            self.status = Status.RUNNING
            self.epoch = max(self.epoch, event.get("epoch", 0) - 1)
            self.epochs = event.get("epochs", self.epochs)
        elif kind == Event.EPOCH_END:
            self.status = Status.RUNNING
            epoch = int(event.get("epoch", len(self.history) + 1))
            self.epoch = max(self.epoch, epoch)
            self.epochs = event.get("epochs", self.epochs)
            self._folds.setdefault(epoch, []).append(event.get("logs", {}))
            self.history = [_mean_logs(self._folds[e]) for e in sorted(self._folds)]
        elif kind == Event.FINISHED:
            self.status = Status.FINISHED
            self.metric = (event.get("metrics") or {}).get(metric)
        elif kind == Event.FAILED:
            self.status, self.message = Status.FAILED, event.get("message", "")
            self.error_type = event.get("error_type", "")
        elif kind == Event.CANCELLED:
            self.status = Status.CANCELLED

    def result(self) -> CellResult:
        return CellResult(
            self.learning_rate,
            self.batch_size,
            self.status,
            [h.get("loss") for h in self.history],
            [h.get("val_loss") for h in self.history if "val_loss" in h],
            self.metric,
            self.error_type,
        )


def _mean_logs(logs: list[dict[str, Any]]) -> dict[str, float | None]:
    keys = {k for log in logs for k in log}
    mean: dict[str, float | None] = {}
    for key in keys:
        values = [log.get(key) for log in logs]
        finite = [v for v in values if v is not None and math.isfinite(v)]
        mean[key] = sum(finite) / len(finite) if len(finite) == len(values) else None
    return mean


@dataclass
class SweepState:
    sweep_id: str
    spec: dict[str, Any]
    cells: list[CellState]
    status: str = Status.STARTING
    """starting, running, finished, failed or cancelled."""
    message: str = ""
    best: int | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def experiment(self) -> str:
        return self.spec.get("experiment", "?")

    @property
    def metric(self) -> str:
        return get_experiment(self.experiment).reference.metric

    @property
    def done(self) -> bool:
        return self.status in TERMINAL_EVENTS

    @property
    def axes(self) -> list[str]:
        """The settings swept, in order (rate and batch size for a sweep made before axes)."""
        axes = self.spec.get("axes")
        if axes is None:
            return ["learning_rate", "batch_size"]
        return [axis["name"] for axis in axes]

    @property
    def seeds(self) -> int:
        return int(self.spec.get("seeds", 1))

    def cell(self, learning_rate: float, batch_size: int) -> CellState:
        for cell in self.cells:
            if cell.learning_rate == learning_rate and cell.batch_size == batch_size:
                return cell
        raise KeyError((learning_rate, batch_size))

    def cell_of(self, event: dict[str, Any]) -> CellState:
        """The cell a cell_started/cell_ended event is about: its index, if its rate and batch
        size agree (KeyError if not: not this sweep's event)."""
        index = event.get("index")
        if isinstance(index, int) and 0 <= index < len(self.cells):
            cell = self.cells[index]
            if (cell.learning_rate, cell.batch_size) == (event.get("lr"), event.get("batch_size")):
                return cell
            raise KeyError(index)
        return self.cell(event["lr"], event["batch_size"])


def higher_is_better(metric: str) -> bool:
    return "loss" not in metric and "error" not in metric


class SweepTracker:
    def __init__(
        self,
        spec: dict[str, Any],
        sweep_reader: EventReader,
        run_reader: Callable[[str], EventReader],
        lost: Callable[[], bool] | None = None,
    ) -> None:
        cells = spec_cells(spec)
        self.state = SweepState(spec["sweep_id"], spec, cells)
        self._sweep_reader = sweep_reader
        self._run_reader = run_reader
        self._readers: dict[str, EventReader] = {}
        self._lost = lost
        self._last_news = time.monotonic()
        self._checked = False

    def update(self) -> bool:
        """Read what is new; True if anything changed."""
        state = self.state
        changed = False
        for event in self._sweep_reader.read_new():
            changed = True
            state.events.append(event)
            self._apply_sweep_event(event)
        metric = state.metric
        for cell in state.cells:
            reader = self._readers.get(cell.run_id) if cell.run_id else None
            if reader is None:
                continue
            for event in reader.read_new():
                changed = True
                cell.apply(event, metric)
            problem = getattr(reader, "problem", None)
            if problem and cell.status != Status.UNREADABLE:  # its run folder is not to be believed
                cell.status, cell.message, changed = Status.UNREADABLE, problem, True
        now = time.monotonic()
        if changed:
            self._last_news = now
        quiet = not changed and now - self._last_news > LIVENESS_S
        if not state.done and self._lost and (not self._checked or quiet):
            # Once at first (a folder read long after), then whenever nothing came for a while.
            self._checked, self._last_news = True, now
            if self._lost():
                self.update()
                return True
        if changed:
            results = [c.result() for c in state.cells]
            better = higher_is_better(metric)
            state.best = best_cell(results, better)
            for cell, verdict in zip(state.cells, verdicts(results, better), strict=True):
                cell.verdict = verdict
        return changed

    def _in_grid(self, event: dict[str, Any]) -> bool:
        try:
            self.state.cell_of(event)
        except KeyError:
            return False
        return True

    def _apply_sweep_event(self, event: dict[str, Any]) -> None:
        state = self.state
        kind = event.get("event")
        if kind == Event.STARTED and state.status == Status.STARTING:
            state.status = Status.RUNNING
        elif kind in (Event.CELL_STARTED, Event.CELL_ENDED) and not self._in_grid(event):
            return  # a cell this sweep's grid does not have: not this sweep's event
        elif kind == Event.CELL_STARTED:
            cell = state.cell_of(event)
            cell.run_id, cell.status = event["run_id"], Status.STARTING
            self._readers[cell.run_id] = self._run_reader(cell.run_id)
            state.status = Status.RUNNING
        elif kind == Event.CELL_ENDED:
            cell = state.cell_of(event)
            reader = self._readers.get(cell.run_id or "")
            for run_event in reader.read_new() if reader else []:
                cell.apply(run_event, state.metric)
            if cell.status not in TERMINAL_EVENTS:
                cell.status = event.get("status", Status.FAILED)
                cell.message = event.get("message", cell.message)
        elif kind in TERMINAL_EVENTS:
            state.status = kind
            state.message = event.get("message", "")
            for cell in state.cells:
                if cell.status == Status.PENDING:
                    cell.status = Status.SKIPPED


def spec_cells(spec: dict[str, Any]) -> list[CellState]:
    """The cells of sweep.json, in the order they run: its own list for a sweep with axes,
    rate × batch for one made before them."""
    if spec.get("axes") is None:
        pairs = grid(spec["learning_rates"], spec["batch_sizes"])
        return [CellState(lr, bs, {"learning_rate": lr, "batch_size": bs}) for lr, bs in pairs]
    return [
        CellState(c["lr"], c["batch_size"], dict(c.get("settings") or {}), c.get("seed"))
        for c in spec["cells"]
    ]


def track_sweep(sweep_dir: Path, runs_root: Path | None = None) -> SweepTracker:
    """A tracker over a sweep folder on this machine."""
    from tui_dl import paths

    sweep_dir = Path(sweep_dir)
    spec = read_spec(sweep_dir)
    runs = Path(runs_root) if runs_root else paths.runs_dir()

    reader = _WithLost(EventLog(sweep_dir, SWEEP_EVENTS))

    def lost() -> bool:
        if sweep_lost(sweep_dir):
            record, written = mark_lost(sweep_dir)
            if not written:  # another user's sweep: its end is worked out, not recorded
                reader.pending.append(record)
            return True
        return False

    def run_reader(run_id: str) -> EventLog:
        return EventLog(runs / run_id, RUN_EVENTS)

    return SweepTracker(spec, reader, run_reader, lost)


class _WithLost:
    """A sweep's events, and the "driver lost" event a reader worked out but did not write."""

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.pending: list[dict[str, Any]] = []

    def read_new(self) -> list[dict[str, Any]]:
        new, self.pending = self.log.read_new() + self.pending, []
        return new


def read_sweep(sweep_dir: Path, runs_root: Path | None = None) -> SweepState:
    tracker = track_sweep(sweep_dir, runs_root)
    tracker.update()
    return tracker.state
