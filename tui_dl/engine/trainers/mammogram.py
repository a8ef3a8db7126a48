"""The mammogram project: the shared k-fold loop (trainers/kfold.py) on the cleaned UCI
data or the learner's CSV; the same folds then score the radiologists' BI-RADS and six
classic models."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from tui_dl.analysis.kfold import save_kfold, summarise
from tui_dl.analysis.mammogram import prepare
from tui_dl.data.sources import locate
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started
from tui_dl.engine.trainers.kfold import run_folds


def load_project_data(spec: runfiles.TrainerSpec, k: int):
    """The learner's CSV if given, else the UCI file (data folder, cache or download)."""
    csv = spec["params"].get("csv")
    if csv:
        return prepare(Path(csv), f"your file {csv}", k)
    where = locate("mammographic-masses", spec.get("data_dir"), allow_download=True)
    return prepare(where.path, where.label, k)


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading data")
    data = load_project_data(spec, p["k"])
    x, y = data.x, data.y
    emit_started(
        emit, spec, start, "mammographic-masses", data.source, n_rows=int(len(y)), k=p["k"]
    )

    outcome = run_folds(x, y, p, emit, cancel)
    probabilities, fold_of = outcome.probabilities, outcome.fold_of

    emit(Event.PHASE, phase="scoring the radiologists and six classic models on the same folds")
    report = summarise(data, outcome.folds, outcome.results, probabilities, fold_of)
    artifacts = save_kfold(
        run_dir,
        report,
        y=y,
        probabilities=probabilities,
        fold=fold_of,
        birads=data.birads,
        x=x,
        scaler_mean=np.array(outcome.scaler_means),
    )
    emit(
        Event.FINISHED,
        metrics={
            k: report["network"][k]
            for k in ("accuracy_mean", "accuracy_std", "auc", "sensitivity", "specificity")
        },
        duration_s=round(time.monotonic() - started, 2),
        data_source=data.source,
        device=spec["device"],
        artifacts={**artifacts, "log": runfiles.LOG},
    )
