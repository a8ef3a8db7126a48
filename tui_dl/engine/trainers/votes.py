"""The course's house-votes experiment: 16 yes/no votes → party, Dense 32 → 16 → 1 sigmoid,
stratified 10-fold cross-validation with the shared k-fold loop."""

from __future__ import annotations

import time

import numpy as np

from tui_dl.analysis.kfold import roc, save_kfold
from tui_dl.analysis.votes import load_votes
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started
from tui_dl.engine.trainers.kfold import run_folds


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading data")
    votes = load_votes(spec.get("data_dir"))
    emit_started(
        emit, spec, start, "house-votes", votes.source,
        n_rows=int(len(votes.y)), k=p["k"], note=votes.note(),
    )  # fmt: skip
    outcome = run_folds(votes.x, votes.y, p, emit, cancel)
    accuracies = [r["accuracy"] for r in outcome.results]
    report = {
        "data": {
            "source": votes.source,
            "raw_rows": votes.raw_rows,
            "kept_rows": len(votes.y),
            "note": votes.note(),
        },
        "k": p["k"],
        "per_fold": outcome.results,
        "accuracy_mean": round(float(np.mean(accuracies)), 4),
        "accuracy_std": round(float(np.std(accuracies)), 4),
        "auc": roc(votes.y, outcome.probabilities)["auc"],
    }
    artifacts = save_kfold(run_dir, report)
    emit(
        Event.FINISHED,
        metrics={k: report[k] for k in ("accuracy_mean", "accuracy_std", "auc")},
        duration_s=round(time.monotonic() - started, 2),
        data_source=votes.source,
        device=spec["device"],
        artifacts={**artifacts, "log": runfiles.LOG},
    )
