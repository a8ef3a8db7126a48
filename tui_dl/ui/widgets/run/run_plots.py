"""The lab's two metric plots, side by side (stacked when narrow), and what they draw: a run's
epochs — the current fold's or stage's, with the compared stage beside them and the epoch
early stopping kept — and, on `o`, an older run of the same experiment laid over them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from tui_dl.engine.events import Event
from tui_dl.engine.experiments import Experiment
from tui_dl.engine.experiments.course_lines import course_line
from tui_dl.engine.store import RunInfo
from tui_dl.ui.widgets.run.metrics_plot import OTHER, MetricsPlot


class RunPlots(Horizontal):
    def __init__(self, experiment: Experiment, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.experiment = experiment
        self.history: list[dict[str, Any]] = []
        """The epochs of the fold or stage shown (a k-fold run's fold, a staged run's stage)."""
        self.series: tuple[Any, Any] = (None, None)
        """(fold, stage) whose curves the plots show."""
        self.companion: list[dict[str, Any]] = []
        """The compared stage's epochs (from scratch, against transfer)."""
        self.best_epoch: int | None = None
        """Where early stopping kept the weights: marked on the plots."""
        self.overlay_id: str | None = None
        """The older run laid over these curves, if any."""
        self.data_source: str | None = None
        """The run's data as its started event says (the course's line says when it differs)."""

    def compose(self) -> ComposeResult:
        (first, first_title), (second, second_title) = self.experiment.plots
        yield MetricsPlot(first, first_title, id="loss-plot")
        yield MetricsPlot(second, second_title, id="accuracy-plot")

    def reset(self) -> None:
        """A new run: no epochs yet (what is drawn stays until the next redraw)."""
        self.history, self.series, self.companion = [], (None, None), []
        self.best_epoch, self.data_source = None, None

    def clear(self) -> None:
        """Back to the form: nothing drawn."""
        self.reset()
        for plot in self.query(MetricsPlot):
            plot.set_history([])

    def apply(self, event: Mapping[str, Any]) -> bool:
        """One of the run's events; True when the plots need a redraw."""
        kind = event.get("event")
        if kind == Event.STARTED:
            self.data_source = event.get("data_source")
        elif kind == Event.EPOCH_END:
            self.add_epoch(event)
        elif kind == Event.EARLY_STOP:
            self.best_epoch = event.get("best_epoch")
        return kind in (Event.EPOCH_END, Event.EARLY_STOP)

    def add_epoch(self, event: Mapping[str, Any]) -> None:
        """One epoch_end event: to the compared stage's curves, or to the fold's or stage's
        (a new fold or stage starts its own)."""
        logs = dict(event.get("logs", {}))
        if "step" in event:
            logs["_step"] = event["step"]
        stages = self.experiment.compare_stages
        if stages and event.get("stage") == stages[1]:
            self.companion.append(logs)
            return
        series = (event.get("fold"), event.get("stage"))
        if series != self.series:
            self.series, self.history, self.companion = series, [], []
        self.history.append(logs)

    def redraw(self) -> None:
        names = self.experiment.compare_stages or ("", "")
        for plot in self.query(MetricsPlot):
            plot.set_course(course_line(self.experiment.name, plot.metric, self.data_source))
            plot.set_history(self.history, self.best_epoch, self.companion, names)

    def overlay_next(self, others: list[RunInfo], mine: Mapping[str, Any]) -> None:
        """Lay the next of `others` (finished runs, newest first) over these curves, then none,
        and say which, with the settings it changed from `mine`."""
        ids = [i.run_id for i in others]
        current = self.overlay_id
        following = ids[ids.index(current) + 1 :] if current in ids else ids
        self.overlay_id = following[0] if following else None
        if self.overlay_id is None:
            for plot in self.query(MetricsPlot):
                plot.set_overlay(None)
            self.notify(
                "No run laid over these curves."
                if ids
                else "No other finished run of this experiment to compare with yet."
            )
            return
        info = next(i for i in others if i.run_id == self.overlay_id)
        history = info.history()
        changed = {k: v for k, v in info.spec.get("params", {}).items() if v != mine.get(k)}
        label = ", ".join(f"{k} {v}" for k, v in changed.items()) or "same settings"
        for plot in self.query(MetricsPlot):
            plot.set_overlay(history)
        # In the legend's own marks, those the plots drew (a run with no validation has one).
        marks = sorted({m for p in self.query(MetricsPlot) for m in p.other_marks}, key=OTHER.index)
        drawn = (
            f"{' '.join(marks)}: run {info.run_id}" if marks else f"run {info.run_id}, no epochs"
        )
        self.notify(f"{drawn} ({label}). o: the next one.", title="Compared with", timeout=8)
