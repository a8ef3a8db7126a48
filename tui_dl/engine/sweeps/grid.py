"""A sweep's grid: which experiments can be swept, the grid a new sweep starts from, its axes
(any number or choice setting, one or two at a time) checked value by value as the
experiment's own settings are, the seeds each cell is run with, and the order the cells run
in. Pure: the screen's form, a lesson's sweep and the command line check a sweep with the same
code before anything starts."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui_dl.engine.experiments import (
    EXPERIMENTS,
    ChoiceParam,
    Experiment,
    FloatParam,
    Param,
    TextParam,
    get_experiment,
)
from tui_dl.engine.experiments.params import SEED_MAX

MAX_CELLS = 25
"""More than this is hours of training on a laptop-sized machine: split it up."""
SWEPT = ("learning_rate", "batch_size")
DEFAULT_RATES = (0.1, 0.01, 0.001)
"""The learning rates a new sweep starts from (the form's, a lesson's sweep that names none)."""
DEFAULT_BATCHES = (32, 256)
"""The batch sizes a new sweep starts from."""
DEFAULT_EXPERIMENT = "mnist-mlp"
"""The experiment a new sweep starts on: the course's first."""
LENGTH_PARAMS = ("epochs", "steps")
"""How long each cell trains: the first of these the experiment has."""
MAX_AXES = 2
"""One axis is a curve, two a table; a third is a cube nobody reads on a terminal."""
SEED = "seed"
"""Not an axis: `--seeds K` runs each cell K times, with seeds seed, seed+1, …"""


def sweepable(experiment: Experiment) -> bool:
    names = {p.name for p in experiment.params}
    return all(name in names for name in SWEPT)


def sweep_experiments() -> list[str]:
    """Every experiment with a learning rate and a batch size, as EXPERIMENTS lists them."""
    names = [name for name, exp in EXPERIMENTS.items() if sweepable(exp)]
    if DEFAULT_EXPERIMENT in names:  # the course's first experiment comes first
        names.remove(DEFAULT_EXPERIMENT)
        names.insert(0, DEFAULT_EXPERIMENT)
    return names


def length_param(experiment: str) -> Param | None:
    """The setting that says how long each cell trains (epochs, steps), or None."""
    names = {p.name: p for p in get_experiment(experiment).params}
    return next((names[n] for n in LENGTH_PARAMS if n in names), None)


def parse_values(experiment: Experiment, name: str, text: str | list[Any]) -> list[Any]:
    """'0.1, 0.01' → [0.1, 0.01], each checked by the experiment's own Param; duplicates go."""
    param = experiment.param(name)
    items = text if isinstance(text, list) else str(text).replace(";", ",").split(",")
    values: list[Any] = []
    for item in items:
        if not str(item).strip():
            continue
        try:
            value = param.parse(str(item))
        except ValueError as exc:
            reason = str(exc).removeprefix(f"{param.label}: ")
            typed = str(item).strip()
            if repr(typed) not in reason:  # "must be at most 0.95" says not what was typed
                reason = f"{reason} (got {typed})"
            raise ValueError(f"{param.label} list: {reason}") from None
        if value not in values:
            values.append(value)
    if not values:
        raise ValueError(f"{param.label} list: empty — give values separated by commas")
    return values


def can_be_axis(param: Param) -> bool:
    """A number or a choice, save the seed (seeds are `--seeds K`, not an axis)."""
    return param.name != SEED and isinstance(param, FloatParam | ChoiceParam)


def axis_params(experiment: Experiment) -> list[Param]:
    """Every setting of `experiment` that can be an axis, in its own order: what the sweep
    form offers, and what `axis_param` accepts."""
    return [param for param in experiment.params if can_be_axis(param)]


def starting_values(param: Param) -> list[Any]:
    """What an axis starts from when picked in the form: the course's rates and batch sizes,
    every choice of a choice setting, else the setting's own default (one value: add more)."""
    start = {"learning_rate": DEFAULT_RATES, "batch_size": DEFAULT_BATCHES}.get(param.name)
    if start is not None:
        return list(start)
    if isinstance(param, ChoiceParam):
        return list(param.choices)
    return [param.default]


def values_text(values: Iterable[Any]) -> str:
    """A list of values as the form shows it: '0.1, 0.01, 0.001'."""
    return ", ".join(value_text(value) for value in values)


def axis_param(experiment: Experiment, name: str) -> Param:
    """The setting `name` as an axis, or ValueError naming why it cannot be one."""
    params = {p.name: p for p in experiment.params}
    if name not in params:
        raise ValueError(
            f"{experiment.name} has no setting {name!r} to sweep "
            f"(its settings: {', '.join(params)})"
        )
    param = params[name]
    if name == SEED:
        raise ValueError("seed is not an axis: --seeds K runs each cell K times (seed, seed+1, …)")
    if not can_be_axis(param):
        raise ValueError(
            f"{param.label} ({name}) cannot be swept: an axis is a number or a choice setting"
        )
    return param


@dataclass(frozen=True)
class SweepPlan:
    """A checked sweep: the settings every cell shares, the axes, the seeds per cell."""

    experiment: Experiment
    base: dict[str, Any]
    """Every setting, checked (an axis's holds its first value)."""
    axes: list[tuple[str, list[Any]]]
    """(setting, values) for each setting with two or more values, in the order given."""
    seeds: int = 1

    def values(self, name: str) -> list[Any]:
        """An axis's values, or the one value every cell shares."""
        return next((v for n, v in self.axes if n == name), [self.base[name]])

    def points(self) -> list[dict[str, Any]]:
        """Each cell's axis values, first axis slowest."""
        names = [n for n, _ in self.axes]
        return [dict(zip(names, combo, strict=True)) for combo in
                itertools.product(*(v for _, v in self.axes))]  # fmt: skip

    def cell_seeds(self) -> list[int | None]:
        """The seeds each point is run with: None (the base seed) when once."""
        if self.seeds == 1:
            return [None]
        first = int(self.base[SEED])
        return [first + k for k in range(self.seeds)]

    @property
    def runs(self) -> int:
        return len(self.points()) * self.seeds


def plan_sweep(
    experiment: str, params: dict[str, Any], lists: dict[str, Any], seeds: Any = 1
) -> SweepPlan:
    """Checked settings, axes and seeds, or ValueError naming the bad setting or value.

    `lists`: setting → values ('32,128' or a list); one with a single value is a setting
    every cell shares, one with two or more an axis (at most MAX_AXES of them)."""
    exp = get_experiment(experiment)
    if not sweepable(exp):
        raise ValueError(f"{exp.name} has no learning rate and batch size to sweep")
    clash = set(params) & set(lists)
    if clash:
        raise ValueError(f"{', '.join(sorted(clash))} is swept: give it as a list instead")
    seeds = seeds_count(seeds)
    fixed = dict(params)
    axes: list[tuple[str, list[Any]]] = []
    for name, text in lists.items():
        param = axis_param(exp, name)
        values = parse_values(exp, param.name, text)
        if len(values) == 1:
            fixed[name] = values[0]
        else:
            axes.append((name, values))
    if len(axes) > MAX_AXES:
        names = ", ".join(n for n, _ in axes)
        raise ValueError(f"{len(axes)} axes ({names}): at most {MAX_AXES} at a time")
    base = exp.validate({**fixed, **{n: v[0] for n, v in axes}})
    plan = SweepPlan(exp, base, axes, seeds)
    runs = plan.runs
    if runs > MAX_CELLS:
        sizes = " × ".join(f"{exp.param(n).label.lower()} ({len(v)})" for n, v in axes)
        times = f" × {seeds} seeds" if seeds > 1 else ""
        raise ValueError(
            f"{sizes or '1 cell'}{times} = {runs} runs; at most {MAX_CELLS} in one sweep"
        )
    for point in plan.points()[1:]:  # each cell as the experiment would check a run's settings
        exp.validate({**fixed, **point})
    if seeds > 1 and SEED in base and int(base[SEED]) + seeds - 1 > SEED_MAX:
        raise ValueError(f"--seeds {seeds} from seed {base[SEED]} passes the largest, {SEED_MAX}")
    return plan


def seeds_count(seeds: Any, label: str = "--seeds") -> int:
    """How many runs per cell, or ValueError naming `label` (the option, the form's field)
    and the value."""
    try:
        count = int(str(seeds).strip())
    except ValueError:
        raise ValueError(f"{label} {seeds!r}: a whole number of runs per cell") from None
    if count < 1:
        raise ValueError(f"{label} {count}: each cell needs at least one run (1 or more)")
    if count > MAX_CELLS:
        raise ValueError(f"{label} {count}: at most {MAX_CELLS} runs in one sweep")
    return count


def grid(learning_rates: list[float], batch_sizes: list[int]) -> list[tuple[float, int]]:
    """The cells in the order they run: rate by rate, each over every batch size."""
    return [(lr, bs) for lr in learning_rates for bs in batch_sizes]


def split_lists(experiment: str, given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A command line's settings as (shared, lists): a value with a comma is a list, save for
    a text setting whose own syntax has commas (hidden layer sizes, '64,32')."""
    names = {p.name: p for p in get_experiment(experiment).params}
    shared: dict[str, str] = {}
    lists: dict[str, str] = {}
    for name, text in given.items():
        listed = "," in str(text) and not isinstance(names.get(name), TextParam)
        (lists if listed else shared)[name] = text
    return shared, lists


SHORT = {"learning_rate": "rate", "batch_size": "batch"}
"""How a cell's line and the table call the two classic axes."""


def axis_label(name: str) -> str:
    return SHORT.get(name, name.replace("_", " "))


def value_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def point_text(settings: dict[str, Any], seed: int | None = None) -> str:
    """'rate 0.01  batch 64', 'hidden units 32  dropout 0.2  seed 43'."""
    parts = [f"{axis_label(name)} {value_text(value)}" for name, value in settings.items()]
    if seed is not None:
        parts.append(f"seed {seed}")
    return "  ".join(parts) or "the one cell"
