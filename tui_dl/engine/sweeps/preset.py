"""A sweep named in words (a lesson's `try:` entry, a course map step, a share code) as the
grid the sweep form opens with:

    sweep mnist-mlp dropout=0,0.5 hidden_units=32,256 seeds=3 epochs=2

Each `name=values` is one of the form's axes (one value: a setting every cell shares; two
or more: an axis), at most MAX_AXES of them, checked as `tui-dl sweep` checks its lists;
`seeds=K` runs each cell K times; the experiment's length setting (epochs, steps) with one
value is how long each cell trains. `learning_rates=` and `batch_sizes=` are the words of
the sweeps before axes: their lessons and codes open as they did (the other list at its
default when one is left out). Pure: the UI layer hands the form what this returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.sweeps.grid import (
    DEFAULT_BATCHES,
    DEFAULT_RATES,
    MAX_AXES,
    axis_param,
    length_param,
    plan_sweep,
    seeds_count,
    values_text,
)

LEGACY = {"learning_rates": "learning_rate", "batch_sizes": "batch_size"}
"""The first sweeps' list names → the settings they list."""
LEGACY_DEFAULTS = {"learning_rate": DEFAULT_RATES, "batch_size": DEFAULT_BATCHES}
SEEDS = "seeds"


def preset_spec(experiment: str, settings: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """`name=value` pairs → the form's spec: experiment, axes ([{name, values}], in the order
    written), seeds, params (the length setting). ValueError naming the bad setting/value."""
    exp = get_experiment(experiment)
    length = length_param(exp.name)
    rows: dict[str, str] = {}
    params: dict[str, str] = {}
    seeds: int = 1
    named: set[str] = set()
    for key, text in settings:
        if key == SEEDS:
            seeds = seeds_count(text, "seeds")
            continue
        if length is not None and key == length.name and "," not in text:
            params[key] = text
            continue
        name = LEGACY.get(key, key)
        if name in rows:
            raise ValueError(f"{name} is given twice ({key}={text})")
        axis_param(exp, name)  # an unknown setting, a text or a file: said by name
        rows[name] = text
        named.add(key)
    if named <= set(LEGACY):  # none, or only the first sweeps' lists: rate × batch
        rows = {n: rows.get(n, values_text(v)) for n, v in LEGACY_DEFAULTS.items()}
    if len(rows) > MAX_AXES:
        raise ValueError(
            f"{len(rows)} lists ({', '.join(rows)}): the sweep takes at most {MAX_AXES} axes"
        )
    plan = plan_sweep(exp.name, params, rows, seeds)
    return {
        "experiment": exp.name,
        "axes": [{"name": name, "values": plan.values(name)} for name in rows],
        "seeds": plan.seeds,
        "params": {length.name: plan.base[length.name]} if length is not None else {},
    }
