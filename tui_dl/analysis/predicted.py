"""What a my-images run answered about pictures the learner named (`tui-dl predict`, the
predict screen): each picture's top classes with their confidences, and how sure it was over
them all, beside how sure it was of the pictures it was taught (its own test split).

The course's point is in the numbers: the network must pick one of the classes it knows, so a
picture of something it was never taught still gets a class, often a confident one. The two
honest remedies are measured here too: a confidence threshold below which it answers "none of
these" (how many of these pictures it would refuse), and — trained in by the run — an "other"
class.

Written by the predict job (`engine/jobs/predict_task.py`) into the viewer's notes folder for
the run; read back here, every field checked, a damaged file said, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from tui_dl.analysis.artifacts import (
    UnreadableArtifact,
    check_array,
    load_json,
    open_npz,
    save_json,
    save_npz,
)
from tui_dl.engine import runfiles

TOP = 3
"""Classes shown for each picture."""
NONE_OF_THESE = "none of these"
"""The answer under the threshold."""


class Answer(TypedDict):
    path: str
    top: list[list[float]]
    """[[class index, confidence], …], the most confident first (up to TOP)."""


class Sureness(TypedDict):
    n: int
    mean: float
    """The mean of each picture's top confidence."""
    spread: float
    """Their standard deviation."""


class Skip(TypedDict):
    path: str
    reason: str


class PredictedReport(TypedDict):
    class_names: list[str]
    threshold: float
    answers: list[Answer]
    skipped: list[Skip]
    asked: Sureness
    taught: Sureness | None
    """The run's own test pictures (None when it kept none)."""


@dataclass
class Predicted:
    report: PredictedReport
    thumbnails: np.ndarray
    """(N, h, w, 3) uint8, in the answers' order."""

    def answer(self, index: int, threshold: float | None = None) -> str:
        """The class it answers for picture `index`, or "none of these" under `threshold`
        (the run's own when None)."""
        limit = self.report["threshold"] if threshold is None else threshold
        best, confidence = self.report["answers"][index]["top"][0]
        return NONE_OF_THESE if confidence < limit else self.report["class_names"][int(best)]

    def refused(self, threshold: float) -> int:
        """How many of the pictures it would answer "none of these" at `threshold`."""
        return sum(a["top"][0][1] < threshold for a in self.report["answers"])

    def chose(self, name: str, threshold: float | None = None) -> int:
        """How many of the pictures it answers `name` for (a run's "other" class: how many it
        called none of its classes), at `threshold` (the run's own when None)."""
        answers = range(len(self.report["answers"]))
        return sum(self.answer(i, threshold) == name for i in answers)


def sureness(top: np.ndarray) -> Sureness:
    """The mean and spread of a list of top confidences."""
    top = np.asarray(top, np.float64)
    if not len(top):
        return {"n": 0, "mean": 0.0, "spread": 0.0}
    return {"n": int(len(top)), "mean": float(top.mean()), "spread": float(top.std())}


def answers_of(paths: list[str], probabilities: np.ndarray) -> list[Answer]:
    """Each picture's TOP classes, the most confident first."""
    order = np.argsort(-probabilities, axis=1)[:, :TOP]
    return [
        {"path": path, "top": [[int(c), float(row[c])] for c in ranked]}
        for path, row, ranked in zip(paths, probabilities, order, strict=True)
    ]


def save_predicted(folder: Path, predicted: Predicted) -> str:
    folder = Path(folder)
    save_npz(folder / runfiles.PREDICTED_PICTURES, thumbnails=predicted.thumbnails)
    save_json(folder / runfiles.PREDICTED_REPORT, predicted.report, indent=2)
    return runfiles.PREDICTED_REPORT


def load_predicted(folder: Path) -> Predicted:
    """The last question's answers and thumbnails, checked (UnreadableArtifact when damaged,
    FileNotFoundError when there is none)."""
    folder = Path(folder)
    report: Any = load_json(folder / runfiles.PREDICTED_REPORT, PredictedReport)
    name = runfiles.PREDICTED_REPORT
    classes = len(report["class_names"])
    if not classes:
        raise UnreadableArtifact(f"{name}: no class names")
    for answer in report["answers"]:
        top = answer["top"]
        if not top or any(
            len(pair) != 2 or not 0 <= pair[0] < classes or not 0 <= pair[1] <= 1 for pair in top
        ):
            raise UnreadableArtifact(f"{name}: an answer that is no class or no confidence")
    data = open_npz(folder / runfiles.PREDICTED_PICTURES, ("thumbnails",))
    thumbnails = rgb_pictures(
        f"{runfiles.PREDICTED_PICTURES}: thumbnails", data["thumbnails"], len(report["answers"])
    )
    return Predicted(report, thumbnails)


def rgb_pictures(name: str, array: np.ndarray, n: int) -> np.ndarray:
    """`array` as n RGB pictures (N, h, w, 3) uint8 of one pixel or more, else
    UnreadableArtifact naming it."""
    checked = check_array(name, array, "i", 4, n)
    if checked.shape[-1] != 3 or min(checked.shape[1:3]) < 1:
        raise UnreadableArtifact(f"{name}: {checked.shape[1:]} is not a size of RGB pictures")
    return np.clip(checked, 0, 255).astype(np.uint8)


def examples_of(y_true: np.ndarray, classes: int, per_class: int) -> list[list[int]]:
    """For each class, the first `per_class` of its pictures (their indices in y_true)."""
    labels = np.asarray(y_true)
    return [[int(i) for i in np.flatnonzero(labels == c)[:per_class]] for c in range(classes)]
