"""A run's test-set predictions, and the questions a learner asks of them.

`predictions.npz` is written by every classification trainer: y_true, y_pred,
probabilities (n × classes), images (n × 28 × 28 uint8) and class_names. A run on the
learner's own pictures (my-images) adds `colour_images` (n × H × W × 3 uint8) and its
`threshold`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_dl.analysis.artifacts import UnreadableArtifact, check_array, open_npz, save_npz
from tui_dl.engine import runfiles


class NoPredictions(LookupError):
    """The run has no predictions to look at (still running, failed, or not a classifier)."""


@dataclass(frozen=True)
class Predictions:
    y_true: np.ndarray
    y_pred: np.ndarray
    probabilities: np.ndarray
    images: np.ndarray
    class_names: tuple[str, ...]
    colour_images: np.ndarray | None = None
    """The test pictures in colour (n × H × W × 3 uint8), for a run on the learner's own."""
    colour_problem: str | None = None
    """Why a run's colour pictures cannot be drawn (a damaged array): it is shown in grey."""

    @property
    def own_pictures(self) -> bool:
        """A run on pictures of the learner's own classes (it kept them in colour, or meant
        to): its views name the classes and draw the pictures as photos."""
        return self.colour_images is not None or self.colour_problem is not None

    @property
    def n_classes(self) -> int:
        return self.probabilities.shape[1]

    @property
    def confidence(self) -> np.ndarray:
        """The probability the model gave its own answer."""
        return self.probabilities.max(axis=1)

    def top(self, index: int, k: int = 3) -> list[tuple[int, float]]:
        """The k most probable classes for one test image, most probable first."""
        row = self.probabilities[index]
        order = np.argsort(row)[::-1][:k]
        return [(int(c), float(row[c])) for c in order]


def save_predictions(
    run_dir: Path,
    images: np.ndarray,
    labels: np.ndarray,
    probabilities: np.ndarray,
    class_names: list[str],
) -> str:
    """Test-set labels, predictions and probabilities for the confusion and error views."""
    save_npz(
        Path(run_dir) / runfiles.PREDICTIONS,
        y_true=labels.astype(np.int64),
        y_pred=probabilities.argmax(axis=1).astype(np.int64),
        probabilities=probabilities.astype(np.float32),
        images=images,
        class_names=np.array(class_names),
    )
    return runfiles.PREDICTIONS


def add_colour_images(run_dir: Path, colour_images: np.ndarray, threshold: float) -> None:
    """The test pictures in colour (n × H × W × 3 uint8) and the run's threshold, added to
    the run's predictions.npz (the views that read it take what they know, leave the rest)."""
    path = Path(run_dir) / runfiles.PREDICTIONS
    arrays = open_npz(path)
    save_npz(path, **arrays, colour_images=colour_images, threshold=np.float32(threshold))


def colour_problem(colour: np.ndarray, n: int) -> str | None:
    """Why `colour` is not n RGB pictures of uint8 (None when it is)."""
    if colour.dtype != np.uint8:
        return f"colour_images: {colour.dtype}, not uint8"
    if colour.ndim != 4 or colour.shape[-1] != 3 or min(colour.shape[1:3], default=0) < 1:
        return f"colour_images: shape {colour.shape}, not pictures × height × width × 3"
    if len(colour) != n:
        return f"colour_images: {len(colour)} pictures where there are {n} test images"
    return None


def load_predictions(run_dir: Path) -> Predictions:
    """The run's predictions, checked once: NoPredictions when there are none, and
    UnreadableArtifact (a ValueError: "predictions.npz: why") when the file is damaged —
    empty, arrays of different lengths, classes out of range, probabilities not numbers."""
    path = Path(run_dir) / runfiles.PREDICTIONS
    try:
        data = open_npz(path, ("y_true", "y_pred", "probabilities", "images"))
    except FileNotFoundError:
        raise NoPredictions(
            f"run {Path(run_dir).name} has no test-set predictions yet "
            "(they are written when a run finishes)"
        ) from None
    name = runfiles.PREDICTIONS
    probabilities = check_array(f"{name}: probabilities", data["probabilities"], "f", 2)
    n, classes = probabilities.shape
    if n == 0 or classes == 0:
        raise UnreadableArtifact(f"{name}: no test images in it")
    y_true = check_array(f"{name}: y_true", data["y_true"], "i", 1, n)
    y_pred = check_array(f"{name}: y_pred", data["y_pred"], "i", 1, n)
    images = data["images"]
    if images.dtype.kind not in "fiu" or images.ndim not in (3, 4) or len(images) != n:
        raise UnreadableArtifact(f"{name}: images: not {n} images")
    for label, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values.min() < 0 or values.max() >= classes:
            raise UnreadableArtifact(f"{name}: {label}: a class outside 0–{classes - 1}")
    names = data.get("class_names")
    if names is None:
        names = np.arange(classes)
    elif names.dtype.kind not in "USiu" or names.ndim != 1 or len(names) != classes:
        raise UnreadableArtifact(f"{name}: class_names: not {classes} names")
    colour = data.get("colour_images")
    problem = None if colour is None else colour_problem(colour, n)
    return Predictions(
        y_true=y_true,
        y_pred=y_pred,
        probabilities=probabilities,
        images=images,
        class_names=tuple(str(n) for n in names),
        colour_images=None if problem else colour,
        colour_problem=problem and f"{name}: {problem}",
    )


def mistakes(p: Predictions, true: int | None = None, pred: int | None = None) -> np.ndarray:
    """Indices of test images the model got wrong, most confident mistake first.

    With `true` and/or `pred` only that cell of the confusion matrix; `true == pred` gives
    the right answers of that class (what a diagonal cell holds), least confident first.
    """
    mask = np.ones(len(p.y_true), dtype=bool)
    if true is not None:
        mask &= p.y_true == true
    if pred is not None:
        mask &= p.y_pred == pred
    if true is None or pred is None or true != pred:
        mask &= p.y_true != p.y_pred
    indices = np.flatnonzero(mask)
    confidence = p.confidence[indices]
    if true is not None and true == pred:
        return indices[np.argsort(confidence, kind="stable")]
    return indices[np.argsort(-confidence, kind="stable")]


@dataclass(frozen=True)
class ConfusionReport:
    matrix: np.ndarray
    """counts[true, predicted]"""
    rates: np.ndarray
    """each row divided by its total: what fraction of class i went to each prediction"""
    precision: np.ndarray
    recall: np.ndarray
    support: np.ndarray
    accuracy: float

    def as_dict(self, class_names: tuple[str, ...]) -> dict:
        return {
            "accuracy": self.accuracy,
            "classes": list(class_names),
            "precision": [round(float(v), 4) for v in self.precision],
            "recall": [round(float(v), 4) for v in self.recall],
            "support": [int(v) for v in self.support],
            "confusion_matrix": self.matrix.astype(int).tolist(),
        }


def confusion_report(p: Predictions) -> ConfusionReport:
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = list(range(p.n_classes))
    matrix = confusion_matrix(p.y_true, p.y_pred, labels=labels)
    totals = matrix.sum(axis=1, keepdims=True)
    rates = np.divide(matrix, totals, out=np.zeros(matrix.shape, float), where=totals > 0)
    precision, recall, _, support = precision_recall_fscore_support(
        p.y_true, p.y_pred, labels=labels, zero_division=0
    )
    return ConfusionReport(
        matrix, rates, precision, recall, support, float(accuracy_score(p.y_true, p.y_pred))
    )
