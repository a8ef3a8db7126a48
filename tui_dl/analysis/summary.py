"""A run's outcome in one place, from its events: what `tui-dl run` prints when it ends and
what the lab's summary shows — the learner's figure beside the course's, and where it came
from. Plain data; the command line and the widget only word it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui_dl.engine.events import Event, epoch_ends, last_event
from tui_dl.engine.experiments import Metric, metric


@dataclass
class Outcome:
    status: str
    """finished, failed, cancelled, or running (with what it has said so far)."""
    metric: Metric | None = None
    """The experiment's key result, as the course reported it."""
    value: float | None = None
    value_epoch: int | None = None
    """Where `value` was read from its last epoch's logs (a per-epoch metric): that epoch."""
    course: float | None = None
    """The course's figure for the same metric, where it reported one."""
    comparison: list[str] = field(default_factory=list)
    """What else the run measured, in words (transfer-digits: from scratch)."""
    top: list[dict[str, Any]] = field(default_factory=list)
    """A classifier's guesses about one image."""
    early_stop: dict[str, Any] = field(default_factory=dict)
    data_source: str = "?"
    folds: list[float] = field(default_factory=list)
    """Accuracy per fold of a k-fold run."""
    note: str = ""
    device: str = "cpu"
    gpus: list[str] = field(default_factory=list)
    """The GPUs TensorFlow really saw."""
    duration_s: float | None = None
    message: str = ""
    """Why it failed."""
    epochs_done: int = 0

    @property
    def offline_sample(self) -> bool:
        return "offline sample" in self.data_source

    @property
    def device_line(self) -> str:
        return f"Device: {self.device}" + (f" ({', '.join(self.gpus)})" if self.gpus else "")


def outcome(status: str, events: list[dict[str, Any]], spec: dict[str, Any]) -> Outcome:
    def last(name: Event) -> dict[str, Any]:
        return last_event(events, name) or {}

    started, finished = last(Event.STARTED), last(Event.FINISHED)
    reference = started.get("reference") or {}
    key = reference.get("metric", "test_accuracy")
    shown = metric(key)
    value, epoch, after = headline(shown, key, finished, last(Event.EPOCH_END))
    return Outcome(
        status=status,
        metric=shown,
        value=value,
        value_epoch=epoch,
        course=reference.get("value"),
        comparison=after + list(finished.get("comparison", [])),
        top=list(finished.get("top", [])),
        early_stop=last(Event.EARLY_STOP),
        data_source=finished.get("data_source") or started.get("data_source", "?"),
        folds=[e["accuracy"] for e in events if e.get("event") == Event.FOLD_END],
        note=started.get("note", ""),
        device=spec.get("device", "cpu"),
        gpus=[
            d.get("description") or d.get("name", "")
            for d in started.get("devices", [])
            if d.get("type") == "GPU"
        ],
        duration_s=finished.get("duration_s"),
        message=last(Event.FAILED).get("message", "The run failed."),
        epochs_done=len(epoch_ends(events)),
    )


def has_started(events: list[dict[str, Any]]) -> bool:
    return any(e.get("event") == Event.STARTED for e in events)


def headline(
    shown: Metric, key: str, finished: dict[str, Any], last_epoch: dict[str, Any]
) -> tuple[float | None, int | None, list[str]]:
    """(the figure to put beside the course's, the epoch it is from, what else to say).

    The course's figure for a per-epoch metric (the VAE's total loss) is an epoch's training
    log, so the run's is its last epoch's — the plot's last point. A different figure measured
    after training is said apart, with what it is."""
    measured = (finished.get("metrics") or {}).get(key)
    logged = (last_epoch.get("logs") or {}).get(key)
    if not shown.per_epoch or not isinstance(logged, int | float):
        return measured, None, []
    epoch = last_epoch.get("epoch")
    after = []
    if isinstance(measured, int | float) and shown.format(measured) != shown.format(logged):
        after.append(
            f"With its final weights, after training: {shown.label} {shown.format(measured)} "
            "(an epoch's figure is a mean over its batches, as the weights changed)"
        )
    return float(logged), epoch if isinstance(epoch, int) else None, after
