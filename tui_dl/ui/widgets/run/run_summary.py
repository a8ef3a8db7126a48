"""A run's outcome in words: the learner's figure beside the course's, and where it came from."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui_dl.analysis.summary import has_started, outcome
from tui_dl.engine.events import Status
from tui_dl.engine.experiments import metric
from tui_dl.text import duration, sentence


def describe_outcome(
    status: str, events: list[dict[str, Any]], spec: dict[str, Any], log_path: str = ""
) -> Text:
    """The run's outcome (`tui_dl.analysis.summary`) in the lab's words and colours."""
    run = outcome(status, events, spec)
    text = Text()
    if status == Status.FINISHED:
        label = run.metric.label if run.metric else "result"
        text.append(sentence(label) + " ", style="bold")
        shown = run.metric or metric("test_accuracy")
        text.append(shown.format(run.value), style="bold green")
        if run.value_epoch is not None:
            text.append(f" in epoch {run.value_epoch}, the plot's last")
        if run.course is not None:
            whole = round(run.course * 100, 1) == round(run.course * 100)
            text.append(f" (course: {shown.format(run.course, 0 if whole else 1)})")
        text.append("\n")
        for line in run.comparison:
            text.append(line + "\n", style="bold")
        stop = run.early_stop
        if stop:
            text.append(
                f"Stopped early at epoch {stop['stopped_epoch']}: no better validation "
                f"loss for {stop['patience']} epochs; the weights of epoch "
                f"{stop['best_epoch']} were kept.\n",
                style="yellow",
            )
        text.append(f"Data: {run.data_source}\n")
        if run.folds:
            folds = " ".join(f"{accuracy * 100:.0f}" for accuracy in run.folds)
            text.append(f"Folds: {folds} (% accuracy)\n", style="dim")
        if run.note:
            text.append(run.note + "\n", style="dim")
        if run.offline_sample:
            text.append("The course trained on 60,000 digits: expect a little less.\n", style="dim")
        text.append(run.device_line + f" · {duration(run.duration_s)}")
    elif status == Status.FAILED:
        text.append("✗ ", style="bold red")
        text.append(run.message, style="red")
        if log_path:
            text.append(f"\nFull log: {log_path}", style="dim")
    elif status == Status.CANCELLED:
        text.append(f"Cancelled after {run.epochs_done} complete epoch(s).", style="yellow")
    elif has_started(events):
        text.append(f"Data: {run.data_source}\n")
        text.append(run.device_line)
    return text


class RunSummary(Static):
    DEFAULT_CSS = """
    RunSummary { height: auto; min-height: 3; padding: 0 1; }
    """

    def show(
        self, status: str, events: list[dict[str, Any]], spec: dict[str, Any], log_path: str = ""
    ) -> None:
        self.update(describe_outcome(status, events, spec, log_path))
