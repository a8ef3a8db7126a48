"""The frozen base's features of every picture, computed once in batches with progress events,
or reused from an earlier run on the same folder (`cache`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.artifacts import open_npz
from tui_dl.data.my_images.scan import Folder
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.trainers.my_images.cache import reusable, save_cache

PREDICT_BATCH = 32
"""Keras's own default for predict: larger batches were no faster on a CPU (BENCHMARKS §15)."""


class FeatureProgress(keras.callbacks.Callback):
    """`base.predict`'s batches as progress events (stage "features"), and its cancel."""

    def __init__(self, emit, cancel, samples: int, steps: int) -> None:
        super().__init__()
        self.emit, self.cancel, self.samples, self.steps = emit, cancel, samples, steps
        self.start = self.last = time.monotonic()

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self.cancel.check():
            self.model.stop_predicting = True
            return
        now = time.monotonic()
        if now - self.last < 0.1 and batch + 1 < self.steps:
            return
        self.last = now
        elapsed = now - self.start
        seen = min((batch + 1) * PREDICT_BATCH, self.samples)
        rate = seen / elapsed if elapsed > 0 else 0.0
        self.emit(
            Event.PROGRESS,
            stage="features",
            epoch=1,
            epochs=1,
            batch=batch + 1,
            steps=self.steps,
            samples=seen,
            samples_per_s=round(rate, 1),
            eta_s=round((self.samples - seen) / rate, 1) if rate > 0 else None,
            elapsed_s=round(elapsed, 2),
            loss=None,
        )


def extract(base: keras.Model, pixels: np.ndarray, emit, cancel) -> np.ndarray:
    """Every picture through the frozen base, in batches, with progress events."""
    steps = -(-len(pixels) // PREDICT_BATCH)
    progress = FeatureProgress(emit, cancel, len(pixels), steps)
    features = base.predict(pixels, batch_size=PREDICT_BATCH, verbose=0, callbacks=[progress])
    cancel.raise_if_requested()
    return np.asarray(features, np.float32).reshape(len(pixels), -1)


def features_of(
    run_dir: Path,
    base: keras.Model,
    key: dict[str, Any],
    folder: Folder,
    pixels: np.ndarray,
    emit,
    cancel,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The folder's features (`pixels`: every picture, in folder order): a fitting cache's,
    else computed and cached; and how they were had, for the finished event."""
    emit(Event.PHASE, phase="looking for features computed before")
    found = reusable(run_dir, key, folder, emit)
    path = run_dir / runfiles.FEATURES
    if found is not None:
        emit(Event.PHASE, phase=f"features reused from run {found.name}: the folder is the same")
        return open_npz(path)["features"].astype(np.float32), {
            "how": "reused",
            "from_run": found.name,
            "file": runfiles.FEATURES,
        }
    emit(Event.PHASE, phase=f"computing the base's features of {len(pixels):,} pictures, once")
    start = time.monotonic()
    features = extract(base, pixels, emit, cancel)
    seconds = round(time.monotonic() - start, 3)
    save_cache(path, features, key, folder)
    return features, {"how": "computed", "seconds": seconds, "file": runfiles.FEATURES}
