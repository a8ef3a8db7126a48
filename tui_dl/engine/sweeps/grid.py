"""A sweep's grid: which experiments can be swept, the grid a new sweep starts from, the two
lists checked value by value as the experiment's own settings are, and the order the cells run
in. Pure: the screen's form, a lesson's sweep and the command line check a sweep with the same
code before anything starts."""

from __future__ import annotations

from typing import Any

from tui_dl.engine.experiments import EXPERIMENTS, Experiment, Param, get_experiment

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
            raise ValueError(f"{param.label} list: {reason}") from None
        if value not in values:
            values.append(value)
    if not values:
        raise ValueError(f"{param.label} list: empty — give values separated by commas")
    return values


def validate_sweep(
    experiment: str, params: dict[str, Any], learning_rates: Any, batch_sizes: Any
) -> tuple[Experiment, dict[str, Any], list[float], list[int]]:
    """Checked settings and lists, or ValueError with a message naming the bad value."""
    exp = get_experiment(experiment)
    if not sweepable(exp):
        raise ValueError(f"{exp.name} has no learning rate and batch size to sweep")
    clash = set(params) & set(SWEPT)
    if clash:
        raise ValueError(f"{', '.join(sorted(clash))} is swept: give it as a list instead")
    rates = parse_values(exp, "learning_rate", learning_rates)
    batches = parse_values(exp, "batch_size", batch_sizes)
    cells = len(rates) * len(batches)
    if cells > MAX_CELLS:
        raise ValueError(
            f"{len(rates)} rates × {len(batches)} batch sizes = {cells} runs; "
            f"at most {MAX_CELLS} in one sweep"
        )
    return exp, exp.validate(params), rates, batches


def grid(learning_rates: list[float], batch_sizes: list[int]) -> list[tuple[float, int]]:
    """The cells in the order they run: rate by rate, each over every batch size."""
    return [(lr, bs) for lr in learning_rates for bs in batch_sizes]
