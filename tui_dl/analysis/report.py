"""A run's outcome as one plain dict: what `tui-dl run --json` prints and screens summarise."""

from __future__ import annotations

from typing import Any

from tui_dl.analysis.kfold import KfoldReport, has_kfold_report, load_kfold_report
from tui_dl.analysis.predictions import NoPredictions, confusion_report, load_predictions
from tui_dl.engine.events import Event, Status
from tui_dl.engine.store import RunInfo


def run_report(info: RunInfo) -> dict[str, Any]:
    spec = info.spec
    params = spec.get("params", {})
    started = info.final(Event.STARTED) or {}
    finished = info.final(Event.FINISHED) or {}
    failed = info.final(Event.FAILED) or {}
    epochs = info.epoch_ends()
    report: dict[str, Any] = {
        "run_id": info.run_id,
        "status": info.status,
        "experiment": info.experiment,
        "dataset": params.get("dataset", started.get("dataset")),
        "data_source": finished.get("data_source") or started.get("data_source"),
        "device": spec.get("device"),
        "devices_seen": started.get("devices", []),
        "epochs": params.get("epochs"),
        "epochs_completed": len(epochs),
        "params": params,
        "metrics": finished.get("metrics", {}),
        "reference": started.get("reference") or _reference(info.experiment),
        "duration_s": finished.get("duration_s") or _last_duration(info),
        "history": [_logs(e) for e in epochs],
        "run_dir": str(info.run_dir),
    }
    if finished.get("artifacts"):  # what the run left, by role, where it is
        report["artifacts"] = {
            role: str(info.run_dir / name) for role, name in finished["artifacts"].items()
        }
    if failed:
        report["error"] = {"type": failed.get("error_type"), "message": failed.get("message")}
    if info.problem:  # a folder that cannot be believed: why
        report["problem"] = info.problem
    if "top" in finished:  # a classifier's guesses about one image (transfer-imagenet)
        report["top"] = finished["top"]
    if "comparison" in finished:  # what else the run measured (transfer-digits: from scratch)
        report["comparison"] = finished["comparison"]
    if info.status == Status.FINISHED and has_kfold_report(info.run_dir):
        try:
            report["kfold"] = load_kfold_report(info.run_dir, KfoldReport)
        except (OSError, ValueError) as exc:  # a damaged or crafted report: why, not a crash
            report["problem"] = str(exc)
        report["epochs_completed"] = params.get("epochs")
        report["history"] = []  # one curve per fold would swamp the report; see events.jsonl
    elif info.status == Status.FINISHED:
        try:
            predictions = load_predictions(info.run_dir)
        except (NoPredictions, OSError, ValueError, KeyError):
            pass
        else:
            report["per_class"] = confusion_report(predictions).as_dict(predictions.class_names)
    return report


def _reference(experiment: str) -> dict[str, Any] | None:
    from tui_dl.engine.experiments import EXPERIMENTS

    exp = EXPERIMENTS.get(experiment)
    return exp.reference_fields() if exp is not None else None


def _last_duration(info: RunInfo) -> float | None:
    for event in reversed(info.events):
        if "duration_s" in event:
            return event["duration_s"]
    if info.events:
        return round(info.events[-1]["t"] - info.created, 2)
    return None


def _logs(event: dict[str, Any]) -> dict[str, Any]:
    """An epoch's metrics, with its stage where a run has several (transfer-digits)."""
    logs = dict(event.get("logs", {}))
    if "stage" in event:
        logs["stage"] = event["stage"]
    return logs
