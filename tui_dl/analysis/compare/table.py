"""Several runs as one table: which settings differ among them (a column each), which they
all share (said once), their results, and each result against a baseline run.

A setting a run's spec does not name (an older run, another experiment's setting) is
`NOT_SET`, and differs from every value: the table cannot know what the run used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui_dl.engine.events import Event
from tui_dl.engine.store import RunInfo
from tui_dl.text import duration

NOT_SET = None
"""What a run whose spec does not name a setting has in that setting's column."""
DELTA_STYLES = {True: "green", False: "red", None: "dim"}
"""A difference from the baseline: better, worse, the same."""


class CompareRefused(ValueError):
    """Runs that cannot be compared as asked; its message says why, naming what."""


@dataclass(frozen=True)
class Result:
    """A result column: where its value comes from, and which way is better."""

    key: str
    label: str
    read: Callable[[RunInfo], float | None] = field(repr=False, compare=False)
    higher_is_better: bool
    percent: bool = False


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _finished_metric(name: str) -> Callable[[RunInfo], float | None]:
    def read(info: RunInfo) -> float | None:
        finished = info.final(Event.FINISHED) or {}
        return _number((finished.get("metrics") or {}).get(name))

    return read


def _last_epoch(name: str) -> Callable[[RunInfo], float | None]:
    def read(info: RunInfo) -> float | None:
        history = info.history()
        return _number(history[-1].get(name)) if history else None

    return read


def _epochs(info: RunInfo) -> float | None:
    return float(len(info.epoch_ends())) if info.events else None


def _duration(info: RunInfo) -> float | None:
    return _number((info.final(Event.FINISHED) or {}).get("duration_s"))


RESULTS: tuple[Result, ...] = (
    Result("accuracy", "accuracy", lambda info: info.accuracy, True, percent=True),
    Result("loss", "test loss", _finished_metric("test_loss"), False),
    Result("val_accuracy", "last val acc", _last_epoch("val_accuracy"), True, percent=True),
    Result("val_loss", "last val loss", _last_epoch("val_loss"), False),
    Result("epochs", "epochs done", _epochs, True),
    Result("duration_s", "time", _duration, False),
)
"""The results a comparison may show; only those some run has become columns."""


def _key(value: Any) -> str:
    """A setting's value as something to tell apart (lists and dicts by their content)."""
    return json.dumps(value, sort_keys=True, default=str)


@dataclass(frozen=True)
class Compared:
    runs: tuple[RunInfo, ...]
    settings: tuple[str, ...]
    """The settings whose values differ among the runs, in their experiments' order."""
    labels: dict[str, str]
    """Each setting's label in the lab's form (its name where no experiment names it)."""
    shared: dict[str, Any]
    """The settings every run names with one value: said once, not as columns."""
    results: tuple[Result, ...]
    """The result columns some run has a value in."""
    baseline: str | None = None
    """The run every other is shown against (its id), if one is pinned."""

    @property
    def experiments_differ(self) -> bool:
        return len({info.experiment for info in self.runs}) > 1

    @property
    def statuses_differ(self) -> bool:
        return len({str(info.status_words) for info in self.runs}) > 1

    def results_that_differ(self) -> tuple[Result, ...]:
        """The results whose values are not the same in every run (accuracy always)."""
        return tuple(
            r
            for r in self.results
            if r.key == "accuracy" or len({r.read(info) for info in self.runs}) > 1
        )

    def setting(self, info: RunInfo, name: str) -> Any:
        return (info.spec.get("params") or {}).get(name, NOT_SET)

    def value(self, info: RunInfo, key: str) -> float | None:
        result = next(r for r in self.results if r.key == key)
        return result.read(info)

    def delta(self, info: RunInfo, key: str) -> float | None:
        """This run's result minus the baseline's (None without a baseline, for the baseline
        itself, or where either has no value)."""
        if self.baseline is None or info.run_id == self.baseline:
            return None
        base = next(i for i in self.runs if i.run_id == self.baseline)
        mine, theirs = self.value(info, key), self.value(base, key)
        return None if mine is None or theirs is None else mine - theirs

    def better(self, info: RunInfo, key: str) -> bool | None:
        """Whether this run beats the baseline on `key` (None: no difference to tell)."""
        delta = self.delta(info, key)
        if delta is None or delta == 0:
            return None
        result = next(r for r in self.results if r.key == key)
        return (delta > 0) == result.higher_is_better

    def result_words(self, info: RunInfo, result: Result) -> tuple[str, str, bool | None]:
        """A result as a cell says it: its value, its difference from the baseline ('' without
        one), and whether that difference is better (None: none to tell)."""
        delta = self.delta(info, result.key)
        value = shown_result(result, result.read(info))
        if delta is None:
            return value, "", None
        return value, shown_delta(result, delta), self.better(info, result.key)

    def sorted_by(self, key: str, descending: bool = False) -> Compared:
        """The same comparison with its runs in the order of a setting or a result; runs
        without a value go last either way."""

        def value(info: RunInfo) -> Any:
            if key in {r.key for r in self.results}:
                return self.value(info, key)
            if key == "experiment":
                return info.experiment
            if key == "status":
                return str(info.status)
            got = self.setting(info, key)
            return (
                got if isinstance(got, int | float | str) else (None if got is None else _key(got))
            )

        have = [i for i in self.runs if value(i) is not None]
        missing = [i for i in self.runs if value(i) is None]
        try:
            have.sort(key=value, reverse=descending)
        except TypeError:  # a setting with numbers in some runs and words in others
            have.sort(key=lambda i: str(value(i)), reverse=descending)
        return Compared(
            (*have, *missing),
            self.settings,
            self.labels,
            self.shared,
            self.results,
            self.baseline,
        )

    def as_dict(self) -> dict[str, Any]:
        rows = []
        for info in self.runs:
            row: dict[str, Any] = {
                "run_id": info.run_id,
                "experiment": info.experiment,
                "status": str(info.status),
                "settings": {name: self.setting(info, name) for name in self.settings},
                "results": {r.key: r.read(info) for r in self.results},
            }
            if self.baseline is not None and info.run_id != self.baseline:
                row["against_baseline"] = {r.key: self.delta(info, r.key) for r in self.results}
            rows.append(row)
        return {
            "runs": rows,
            "settings": list(self.settings),
            "labels": {name: self.labels[name] for name in self.settings},
            "shared": self.shared,
            "baseline": self.baseline,
        }


def _labels_and_order(runs: list[RunInfo]) -> tuple[dict[str, str], list[str]]:
    """Each known setting's label, and the settings in the order the runs' experiments list
    them (the first run's first)."""
    from tui_dl.engine.experiments import EXPERIMENTS

    labels: dict[str, str] = {}
    order: list[str] = []
    for info in runs:
        experiment = EXPERIMENTS.get(info.experiment)
        for param in experiment.params if experiment is not None else ():
            if param.name not in labels:
                labels[param.name] = param.label
                order.append(param.name)
    return labels, order


def compare_runs(runs: list[RunInfo], baseline: str | None = None) -> Compared:
    """The table of `runs` (CompareRefused for fewer than two, one given twice, or a baseline
    that is not among them)."""
    if len(runs) < 2:
        raise CompareRefused(f"comparing needs two runs or more; {len(runs)} given")
    seen: set[str] = set()
    for info in runs:
        if info.run_id in seen:
            raise CompareRefused(f"run {info.run_id} is given twice")
        seen.add(info.run_id)
    if baseline is not None and baseline not in seen:
        raise CompareRefused(f"the baseline {baseline} is not one of the runs compared")
    labels, order = _labels_and_order(runs)
    names: set[str] = {str(n) for info in runs for n in (info.spec.get("params") or {})}
    ordered: list[str] = [n for n in order if n in names] + sorted(names - set(order))
    differing: list[str] = []
    shared: dict[str, Any] = {}
    for name in ordered:
        params = [info.spec.get("params") or {} for info in runs]
        values = [p.get(name, NOT_SET) for p in params]
        if len({_key(v) for v in values}) > 1 or not all(name in p for p in params):
            differing.append(name)
        else:
            shared[name] = values[0]
    results = tuple(r for r in RESULTS if any(r.read(info) is not None for info in runs))
    return Compared(
        tuple(runs),
        tuple(differing),
        {name: labels.get(name, name) for name in ordered},
        shared,
        results,
        baseline,
    )


def shown_setting(value: Any) -> str:
    """A setting's value as a cell says it (a run that does not name it: '—')."""
    if value is NOT_SET:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ",".join(shown_setting(v) for v in value)
    return str(value)


def shown_result(result: Result, value: float | None) -> str:
    if value is None:
        return "—"
    if result.percent:
        return f"{value * 100:.1f} %"
    if result.key == "epochs":
        return f"{value:.0f}"
    if result.key == "duration_s":
        return duration(value)
    return f"{value:.4g}"


def shown_delta(result: Result, delta: float | None) -> str:
    """A difference from the baseline: '+1.2 pts' for a percentage, '-0.031' for a loss."""
    if delta is None:
        return ""
    if result.percent:
        return f"{delta * 100:+.1f} pts"
    if result.key == "epochs":
        return f"{delta:+.0f}"
    if result.key == "duration_s":
        return f"{delta:+.0f} s"
    return f"{delta:+.3g}"
