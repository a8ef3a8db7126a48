"""The runs list as a table of what tells the runs apart: besides each run's status, accuracy,
epochs and device, a column for every setting that all the runs shown name and that differs
among them; filtered by words or `setting=value`, sorted by any column.

A filter is words separated by spaces, each of which a run must match:
- `key=value` (or `key:value`): `experiment`, `status`, `device`, or a setting by its name or
  its label, spelt with any case, spaces, `_` or `-` (`lr` is not a name: `learning-rate` is);
  the value is the setting's as the table shows it, any case, or the same number
  (`0.001` = `1e-3`);
- a word alone: part of the run's id, experiment, status, device or any setting's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tui_dl.analysis.compare.table import shown_setting
from tui_dl.engine.store import RunInfo
from tui_dl.text import percent

BASE = (("run", "run"), ("status", "status"), ("accuracy", "test acc"), ("trained", "epochs"))
"""The columns every list has, by key (a setting's column has the setting's name: `epochs`
is the setting, `trained` how many of them a run did)."""
DEVICE = ("device", "device")
_BASE_KEYS = {"run", "status", "accuracy", "trained", "device"}
FIELDS = ("experiment", "status", "device")
"""What a `key=value` term may name besides the settings."""


@dataclass(frozen=True)
class Term:
    key: str | None
    """A field or setting ('' normalised), or None for a word alone."""
    value: str


@dataclass(frozen=True)
class Listing:
    keys: tuple[str, ...]
    """Each column's key: the base columns, then the settings."""
    labels: tuple[str, ...]
    rows: list[tuple[str, ...]]
    """A row per run shown, its id first."""
    total: int
    """How many runs there are, shown or not."""
    problem: str = ""
    """A filter term that names nothing these runs have (left out of the filter)."""
    hidden: tuple[str, ...] = ()
    """The labels of settings that differ but did not fit (`fitted`)."""

    def fitted(self, width: int, padding: int = 2, run_extra: int = 0) -> Listing:
        """The settings' columns that fit in `width` cells (each column `padding` wider than
        its widest cell; the run column `run_extra` wider still, for marks); the others are
        `hidden`, in order. The base columns always stay."""
        base = len(self.keys) - sum(1 for k in self.keys if k not in _BASE_KEYS)

        def wide(column: int) -> int:
            cells = [len(self.labels[column]), *(len(row[column]) for row in self.rows)]
            return max(cells) + padding + (run_extra if column == 0 else 0)

        used = sum(wide(c) for c in range(base))
        keep = base
        while keep < len(self.keys) and used + wide(keep) <= width:
            used += wide(keep)
            keep += 1
        if keep == len(self.keys):
            return self
        return Listing(
            self.keys[:keep],
            self.labels[:keep],
            [row[:keep] for row in self.rows],
            self.total,
            self.problem,
            self.labels[keep:],
        )


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).casefold()


def parse_filter(text: str) -> list[Term]:
    terms = []
    for word in text.split():
        named = re.match(r"^([^=:]+)[=:](.+)$", word)
        if named:
            terms.append(Term(_norm(named[1]), named[2].casefold()))
        else:
            terms.append(Term(None, word.casefold()))
    return terms


def _same(value: Any, wanted: str) -> bool:
    if shown_setting(value).casefold() == wanted:
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(wanted) == float(value)
        except ValueError:
            return False
    return False


def _fields(info: RunInfo) -> dict[str, Any]:
    return {"experiment": info.experiment, "status": info.status_words, "device": _device(info)}


def _device(info: RunInfo) -> str:
    return str(info.spec.get("device", "?"))


def _settings(info: RunInfo) -> dict[str, Any]:
    params = info.spec.get("params") or {}
    return params if isinstance(params, dict) else {}


def _matches(info: RunInfo, terms: list[Term], names: dict[str, str]) -> bool:
    settings = _settings(info)
    fields = _fields(info)
    for term in terms:
        if term.key is None:
            haystack = [info.run_id, *map(str, fields.values())]
            haystack += [shown_setting(v) for v in settings.values()]
            if not any(term.value in h.casefold() for h in haystack):
                return False
        elif term.key in FIELDS:
            if not _same(fields[term.key], term.value):
                return False
        else:
            name = names.get(term.key)
            if name is None or name not in settings or not _same(settings[name], term.value):
                return False
    return True


def _names(infos: list[RunInfo]) -> tuple[dict[str, str], dict[str, str]]:
    """Every setting the runs name, by its name and its label normalised; and each one's label."""
    from tui_dl.engine.experiments import EXPERIMENTS

    by: dict[str, str] = {}
    labels: dict[str, str] = {}
    for info in infos:
        experiment = EXPERIMENTS.get(info.experiment)
        known = {p.name: p.label for p in experiment.params} if experiment is not None else {}
        for name in _settings(info):
            label = known.get(name, labels.get(name, name))
            labels[name] = label
            by.setdefault(_norm(name), name)
            by.setdefault(_norm(label), name)
    return by, labels


def _differing(infos: list[RunInfo]) -> list[str]:
    """The settings every run names and that differ among them, in the first run's order."""
    if len(infos) < 2:
        return []
    first = _settings(infos[0])
    out = []
    for name in first:
        values = [_settings(i).get(name) for i in infos if name in _settings(i)]
        if len(values) == len(infos) and len({shown_setting(v) for v in values}) > 1:
            out.append(name)
    return out


def _sort_value(info: RunInfo, key: str) -> Any:
    if key == "accuracy":
        return info.accuracy
    if key == "trained":
        return len(info.epoch_ends())
    if key in ("status", "device", "experiment"):
        return str(_fields(info)[key])
    value = _settings(info).get(key)
    return value if isinstance(value, int | float | str) else shown_setting(value)


def listing(
    infos: list[RunInfo], filter_text: str = "", sort: str = "run", show_device: bool = True
) -> Listing:
    """The table of `infos` (newest first) as filtered and sorted."""
    names, labels = _names(infos)
    terms = parse_filter(filter_text)
    unknown = [t for t in terms if t.key is not None and t.key not in FIELDS and t.key not in names]
    problem = ""
    if unknown:
        problem = f"no setting named {unknown[0].key!r} among these runs: left out of the filter"
        terms = [t for t in terms if t not in unknown]
    shown = [i for i in infos if _matches(i, terms, names)]
    settings = _differing(shown)
    if sort != "run":
        have = [i for i in shown if _sort_value(i, sort) is not None]
        missing = [i for i in shown if _sort_value(i, sort) is None]
        best_first = sort in ("accuracy", "trained")
        try:
            have.sort(key=lambda i: _sort_value(i, sort), reverse=best_first)
        except TypeError:
            have.sort(key=lambda i: str(_sort_value(i, sort)), reverse=best_first)
        shown = have + missing
    base = [*BASE, DEVICE] if show_device else list(BASE)
    keys = tuple(k for k, _ in base) + tuple(settings)
    column_labels = tuple(label for _, label in base) + tuple(labels[s] for s in settings)
    rows = []
    for info in shown:
        row = [info.run_id, info.status_words, percent(info.accuracy), info.trained.words]
        if show_device:
            row.append(_device(info))
        row += [shown_setting(_settings(info).get(s)) for s in settings]
        rows.append(tuple(row))
    return Listing(keys, column_labels, rows, len(infos), problem)
