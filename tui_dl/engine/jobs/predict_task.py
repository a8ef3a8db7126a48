"""The predict job's TensorFlow side: a my-images run's model asked about pictures the
learner names (`tui-dl predict`, the predict screen). Its answers, its confidence over them
and over the pictures it was taught, and small colour thumbnails are kept in the viewer's notes
folder for the run (`analysis/predicted.py` reads them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.predicted import (
    Predicted,
    PredictedReport,
    answers_of,
    save_predicted,
    sureness,
)
from tui_dl.analysis.predictions import load_predictions
from tui_dl.data.my_images.load import load_images
from tui_dl.data.my_images.named import named_pictures
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.runfiles import RunSpec
from tui_dl.engine.workshop.seats import notes_dir

THUMBNAIL = 32
"""The thumbnails' side in pixels (the screen draws them in half blocks)."""
BATCH = 32


def refused(message: str) -> RunFailure:
    """Why the pictures could not be asked about, in one sentence (the job fails with it)."""
    return RunFailure("PredictProblem", message)


def predict_job(run_dir: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    if spec.get("experiment") != "my-images":
        raise refused(
            f"run {run_dir.name} is a {spec.get('experiment')} run: predict asks a my-images "
            "run (one trained on your own pictures) about new ones"
        )
    paths = [str(p) for p in args.get("paths") or []]
    emit(Event.PHASE, phase=f"looking at {', '.join(paths)}")
    try:
        named = named_pictures(paths)
    except FolderProblem as exc:
        raise refused(str(exc)) from None
    emit(Event.PHASE, phase="loading the model")
    model = keras.models.load_model(run_dir / runfiles.MODEL, compile=False)
    _, height, width, channels = model.input_shape
    taught = load_predictions(run_dir)
    emit(Event.PHASE, phase=f"reading {len(named.images):,} pictures at {height}×{width}")
    files = [image.path for image in named.images]
    try:
        pixels = load_images(files, (height, width), channels)
        colour = load_images(files, (THUMBNAIL, THUMBNAIL), 3)
    except FolderProblem as exc:
        raise refused(str(exc)) from None
    emit(Event.PHASE, phase=f"asking the network about {len(files):,} pictures")
    probabilities = model.predict(pixels, batch_size=BATCH, verbose=0)
    if probabilities.shape[1] != len(taught.class_names):
        raise refused(
            f"the model answers {probabilities.shape[1]} classes, its predictions name "
            f"{len(taught.class_names)}: the run's files do not belong together"
        )
    threshold = float(args.get("threshold", spec.get("params", {}).get("threshold", 0.0)))
    report: PredictedReport = {
        "class_names": list(taught.class_names),
        "threshold": threshold,
        "answers": answers_of([image.relative for image in named.images], probabilities),
        "skipped": [{"path": s.relative, "reason": s.reason} for s in named.skipped],
        "asked": sureness(probabilities.max(axis=1)),
        "taught": sureness(taught.probabilities.max(axis=1)) if len(taught.y_true) else None,
    }
    thumbnails = np.clip(np.rint(colour), 0, 255).astype(np.uint8)
    name = save_predicted(notes_dir(run_dir, spec), Predicted(report, thumbnails))
    emit(Event.FINISHED, artifact=name, count=len(files), skipped=len(named.skipped))
