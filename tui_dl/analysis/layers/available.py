"""Which runs have a model to show, and, for those that have none, why — said by name before
any job starts (a k-fold run's many models, a failed run, a run that kept no model.keras)."""

from __future__ import annotations

from pathlib import Path

from tui_dl.engine import runfiles
from tui_dl.engine.events import LIVE, Status
from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.engine.store import RunInfo

ZOO_EXPERIMENT = "transfer-imagenet"
"""The model zoo: no model.keras; its network is built again from its name (no weights)."""


def has_summary(run_dir: Path, notes: Path) -> bool:
    return any((folder / runfiles.MODEL_SUMMARY).is_file() for folder in (run_dir, notes))


def offers_model(experiment: str) -> bool:
    """Whether this experiment's runs have a model whose layers can be shown (they write its
    summary when they save it)."""
    exp = EXPERIMENTS.get(experiment)
    return exp is not None and runfiles.MODEL_SUMMARY in exp.writes


def no_model(info: RunInfo, notes: Path) -> str | None:
    """Why run `info` has no model to show, in one sentence naming it; None when it has one
    (its summary is written, or can be: model.keras is there, or it is the model zoo's)."""
    name, experiment = info.run_id, info.experiment
    if has_summary(info.run_dir, notes):
        return None
    exp = EXPERIMENTS.get(experiment)
    if exp is None:
        return f"run {name}: unknown experiment {experiment!r}"
    if runfiles.KFOLD_REPORT in exp.writes:
        k = info.spec.get("params", {}).get("k", "its")
        return (
            f"run {name} is a {experiment} k-fold run: it trained a fresh model on each of "
            f"its {k} folds and kept none of them (only their scores, {runfiles.KFOLD_REPORT}), "
            "so no fold's model is here to show"
        )
    if not offers_model(experiment):
        return f"run {name} is a {experiment} run: it keeps no Keras model ({runfiles.MODEL})"
    if info.status in LIVE:
        return f"run {name} is still {info.status}: its model is saved when it finishes"
    if info.status != Status.FINISHED:
        return f"run {name} is {info.status_words}: it saved no model"
    if experiment != ZOO_EXPERIMENT and not (info.run_dir / runfiles.MODEL).is_file():
        return f"run {name} has no {runfiles.MODEL} in its folder {info.run_dir}"
    return None
