"""A my-images run's test pictures as its model takes them, for the attention job.

They are read again from the run's folder, not kept: a test picture at the base's size
(224×224×3 for an ImageNet base) weighs 150 kB, a whole test set tens of MB in every run for a
view the learner may never open, while the folder is the learner's own and usually still there.
The split is seeded, so scanning the folder and splitting it with the run's settings gives the
same test pictures in the same order; each one read is checked against the 48×48 colour
thumbnail the run kept of it. Where the folder is gone or has changed, the maps are computed on
those thumbnails, enlarged to the model's size, and the maps' note says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tui_dl.analysis.predictions import Predictions
from tui_dl.data.my_images.load import load_images
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.data.my_images.scan import scan_folder
from tui_dl.data.my_images.split import split_folder
from tui_dl.engine.experiments.my_images import split_settings
from tui_dl.engine.failures import RunFailure

SAME_PICTURE = 6.0
"""The most a re-read picture's thumbnail may differ from the kept one (mean of 0–255) and
still be the same picture (both made the same way: a difference of rounding only)."""


class PicturesChanged(Exception):
    """The folder's test pictures are not the run's any more; str() says why."""


def pictures_of(
    p: Predictions, params: dict[str, Any], indices: np.ndarray, shape: tuple[int, int, int]
) -> tuple[np.ndarray, str]:
    """The test pictures `indices` at `shape` (height, width, channels), 0–255 float32, and a
    note: '' when they are the run's own, re-read; else why they are its thumbnails enlarged."""
    try:
        return _reread(p, params, indices, shape), ""
    except PicturesChanged as exc:
        if p.colour_images is None:
            raise RunFailure("FolderProblem", f"{exc}, and the run kept no pictures") from None
        height, width = p.colour_images.shape[1:3]
        return enlarged(p.colour_images[indices], shape), (
            f"{exc}: the maps are of the {height}×{width} pictures kept with the run, enlarged"
        )


def _reread(
    p: Predictions, params: dict[str, Any], indices: np.ndarray, shape: tuple[int, int, int]
) -> np.ndarray:
    root = params.get("folder", "")
    try:
        folder = scan_folder(root, other=params.get("other") or None)  # as the run scanned it
        split = split_folder(folder, split_settings(params))
    except (FolderProblem, OSError, KeyError, ValueError) as exc:
        raise PicturesChanged(f"the folder {root} cannot be read again ({exc})") from None
    labels = np.array(folder.labels(), np.int64)[np.array(split.test, np.int64)]
    if tuple(folder.classes) != p.class_names or not np.array_equal(labels, p.y_true):
        raise PicturesChanged(f"the folder {root} has changed since the run")
    files = [folder.images[split.test[int(i)]].path for i in indices]
    try:
        pixels = load_images(files, shape[:2], shape[2])
    except FolderProblem as exc:
        raise PicturesChanged(str(exc)) from None
    if p.colour_images is not None:
        from tui_dl.engine.trainers.my_images.train import thumbnails

        kept = p.colour_images[indices].astype(np.float32)
        again = thumbnails(pixels, kept.shape[1], grey=False).astype(np.float32)
        if kept.shape == again.shape:
            differs = np.abs(kept - again).mean(axis=(1, 2, 3))
        else:
            differs = np.full(len(indices), np.inf)
        if (differs > SAME_PICTURE).any():
            name = Path(files[int(np.argmax(differs))]).name
            raise PicturesChanged(f"the folder {root} has changed since the run ({name})")
    return pixels.astype(np.float32)


def enlarged(pictures: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """Colour thumbnails (n, h, w, 3) → (n, *shape) float32 0–255: bilinear, grey if asked."""
    import tensorflow as tf

    big = tf.image.resize(pictures.astype(np.float32), shape[:2], method="bilinear").numpy()
    if shape[2] == 1:
        big = big.mean(axis=-1, keepdims=True)
    return np.clip(big, 0, 255).astype(np.float32)
