"""A run's outcome in words: the learner's figure beside the course's, and where it came from."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui_dl.engine.events import Event, Status
from tui_dl.text import duration, percent

METRIC_LABELS = {"test_accuracy": "Test accuracy", "accuracy_mean": "Mean fold accuracy"}


def describe_outcome(
    status: str, events: list[dict[str, Any]], spec: dict[str, Any], log_path: str = ""
) -> Text:
    def last(name: str) -> dict[str, Any]:
        return next((e for e in reversed(events) if e.get("event") == name), {})

    started, finished = last(Event.STARTED), last(Event.FINISHED)
    text = Text()
    if status == Status.FINISHED:
        reference = started.get("reference") or {}
        metric = reference.get("metric", "test_accuracy")
        text.append(METRIC_LABELS.get(metric, metric) + " ", style="bold")
        text.append(percent(finished.get("metrics", {}).get(metric)), style="bold green")
        if reference and reference.get("value") is not None:
            value = reference.get("value")
            digits = 0 if value is None or round(value * 100, 1) == round(value * 100) else 1
            text.append(f" (course: {percent(value, digits)})")
        text.append("\n")
        for line in finished.get("comparison", []):
            text.append(line + "\n", style="bold")
        stop = last(Event.EARLY_STOP)
        if stop:
            text.append(
                f"Stopped early at epoch {stop['stopped_epoch']}: no better validation "
                f"loss for {stop['patience']} epochs; the weights of epoch "
                f"{stop['best_epoch']} were kept.\n",
                style="yellow",
            )
        text.append(f"Data: {finished.get('data_source') or started.get('data_source', '?')}\n")
        folds = [e for e in events if e.get("event") == Event.FOLD_END]
        if folds:
            text.append(
                "Folds: "
                + " ".join(f"{f['accuracy'] * 100:.0f}" for f in folds)
                + " (% accuracy)\n",
                style="dim",
            )
        if started.get("note"):
            text.append(started["note"] + "\n", style="dim")
        if "offline sample" in (finished.get("data_source") or ""):
            text.append("The course trained on 60,000 digits: expect a little less.\n", style="dim")
        text.append(_device_line(spec, started) + f" · {duration(finished.get('duration_s'))}")
    elif status == Status.FAILED:
        failed = last(Event.FAILED)
        text.append("✗ ", style="bold red")
        text.append(failed.get("message", "The run failed."), style="red")
        if log_path:
            text.append(f"\nFull log: {log_path}", style="dim")
    elif status == Status.CANCELLED:
        epochs = sum(1 for e in events if e.get("event") == Event.EPOCH_END)
        text.append(f"Cancelled after {epochs} complete epoch(s).", style="yellow")
    elif started:
        text.append(f"Data: {started.get('data_source', '?')}\n")
        text.append(_device_line(spec, started))
    return text


def _device_line(spec: dict[str, Any], started: dict[str, Any]) -> str:
    seen = [
        d.get("description") or d.get("name", "")
        for d in started.get("devices", [])
        if d.get("type") == "GPU"
    ]
    device = spec.get("device", "cpu")
    return f"Device: {device}" + (f" ({', '.join(seen)})" if seen else "")


class RunSummary(Static):
    DEFAULT_CSS = """
    RunSummary { height: auto; min-height: 3; padding: 0 1; }
    """

    def show(
        self, status: str, events: list[dict[str, Any]], spec: dict[str, Any], log_path: str = ""
    ) -> None:
        self.update(describe_outcome(status, events, spec, log_path))
