"""The experiments the lab can launch: their settings (`params`), what an experiment is
(`experiment`), and the course's catalogue (`catalogue`). Pure data, no TensorFlow."""

from __future__ import annotations

from tui_dl.engine.experiments.catalogue import EXPERIMENTS
from tui_dl.engine.experiments.experiment import METRICS, Experiment, Metric, Reference, metric
from tui_dl.engine.experiments.params import (
    ChoiceParam,
    FloatParam,
    FolderParam,
    IntParam,
    Param,
    PathParam,
    TextParam,
)

__all__ = [
    "EXPERIMENTS",
    "METRICS",
    "ChoiceParam",
    "Experiment",
    "FloatParam",
    "FolderParam",
    "IntParam",
    "Metric",
    "Param",
    "PathParam",
    "Reference",
    "TextParam",
    "get_experiment",
    "metric",
]


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        known = ", ".join(sorted(EXPERIMENTS))
        raise ValueError(f"unknown experiment {name!r}; known: {known}") from None
