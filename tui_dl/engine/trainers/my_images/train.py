"""my-images: the learner's own classes taught on a base, as Teachable Machine does it.

1. The folder is scanned and split (stratified, seeded) and its pictures loaded at the base's
   size; a folder that cannot be used fails here with its `FolderProblem`'s sentence.
2. The frozen base's features of every picture are computed once (or reused from an earlier
   run on the same folder) and cached in the run folder (`features.py`).
3. A new head (dropout, Dense softmax) learns the classes on the cached features: epochs of
   milliseconds. With augmentation the pictures change every epoch, so there is no cache: the
   whole model runs, base frozen. `scratch` has no base: its small CNN trains whole.
4. Fine-tuning, if asked: the base's top N layers unfrozen, the whole model at a tenth of the
   rate. The whole model (base + head) is saved as model.keras.
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.predictions import add_colour_images, save_predictions
from tui_dl.data.my_images.load import load_images
from tui_dl.data.my_images.other import check_apart
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.data.my_images.scan import scan_folder
from tui_dl.data.my_images.split import split_folder
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.experiments.my_images import split_settings
from tui_dl.engine.export.templates import my_images_keras as script
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import (
    begin,
    emit_started,
    fit_reported,
    save_model,
)
from tui_dl.engine.trainers.my_images import bases
from tui_dl.engine.trainers.my_images.features import features_of
from tui_dl.engine.trainers.transfer_digits import compile_model as compiled

THUMBNAIL = 28
"""The confusion and mistakes views draw 28×28 grey test images; the colour pictures are kept
beside them as `colour_images` at `COLOUR_THUMBNAIL`."""
COLOUR_THUMBNAIL = 48
FINE_TUNE_RATE = 0.1


def read_folder(p: dict[str, Any], emit, cancel):
    emit(Event.PHASE, phase=f"reading your folder {p['folder']}")

    def progress(done: int, total: int) -> None:
        cancel.raise_if_requested()

    try:
        folder = scan_folder(p["folder"], other=p.get("other") or None, progress=progress)
        check_apart(folder)
        split = split_folder(folder, split_settings(p))
    except FolderProblem as exc:
        raise RunFailure("FolderProblem", str(exc)) from None
    return folder, split


def load_all(folder, base: bases.Base, emit, cancel) -> np.ndarray:
    height, width = base.size
    emit(Event.PHASE, phase=f"loading {len(folder.images):,} pictures at {height}×{width}")

    def progress(done: int, total: int) -> None:
        cancel.raise_if_requested()

    try:
        return load_images(
            [i.path for i in folder.images], base.size, base.channels, progress=progress
        )
    except FolderProblem as exc:
        raise RunFailure("FolderProblem", str(exc)) from None


def thumbnails(pixels: np.ndarray, size: int, grey: bool) -> np.ndarray:
    """Small uint8 copies of the test pictures for the views (grey 2-D, or RGB)."""
    import tensorflow as tf

    small = tf.image.resize(pixels, (size, size), antialias=True).numpy()
    if grey:
        small = small.mean(axis=-1) if small.shape[-1] == 3 else small[..., 0]
    elif small.shape[-1] == 1:
        small = np.repeat(small, 3, axis=-1)
    return np.clip(np.rint(small), 0, 255).astype(np.uint8)


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    p = spec["params"]
    folder, split = read_folder(p, emit, cancel)
    start = begin(spec)
    run_dir = start.run_dir
    base = bases.build(p, run_dir, spec.get("data_dir"), emit)
    pixels = load_all(folder, base, emit, cancel)
    labels = np.array(folder.labels(), np.int64)
    names = list(folder.classes)
    tr, va, te = (np.array(part, np.int64) for part in (split.train, split.validation, split.test))
    sizes = {
        name: [int((labels[part] == c).sum()) for part in (tr, va, te)]
        for c, name in enumerate(names)
    }
    head = script.head_layers(len(names), p["dropout"])
    first = "head" if base.model is not None else "scratch"
    if base.model is None:
        model = compiled(
            script.scratch_model(base.size[0], len(names), p["dropout"], _augment(p)),
            p["learning_rate"],
        )
    else:
        base.model.trainable = False
        model = script.whole(base.model, head)
    emit_started(
        emit, spec, start, "my-images", str(folder.root), model,
        n_train=len(tr), n_validation=len(va), n_test=len(te), classes=names,
        split={"settings": split_settings(p).describe(), "seed": p["seed"], "classes": sizes},
        base={"name": p["base"], "title": base.title, "source": base.source,
              "size": list(base.size), "channels": base.channels},
        **({"other": str(folder.other)} if folder.other else {}),
        note=f"{len(names)} classes from {folder.root}{_other(folder)}: {len(tr)} train, "
        f"{len(va)} validation, {len(te)} test pictures; base: {base.title}",
        stages=[first, "fine-tune"] if p["fine_tune"] and base.model is not None else [first],
    )  # fmt: skip

    train_start = time.monotonic()
    features_info: dict[str, Any] | None = None
    if base.model is None or p["augment"] == "yes":
        what = "the whole CNN" if base.model is None else "the head, pictures augmented"
        emit(Event.PHASE, phase=f"training {what} (no feature cache)")
        if base.model is not None:
            compiled(model, p["learning_rate"])
        reporter, _ = fit_reported(
            model, pixels[tr], labels[tr], (pixels[va], labels[va]), p, emit, cancel,
            extra={"stage": first},
        )  # fmt: skip
    else:
        features, features_info = features_of(
            run_dir, base.model, base.key, folder, pixels, emit, cancel
        )
        head_model = compiled(
            keras.Sequential([keras.Input(features.shape[1:]), *head], name="head"),
            p["learning_rate"],
        )
        emit(Event.PHASE, phase="training the new head on the cached features")
        reporter, head_s = fit_reported(
            head_model, features[tr], labels[tr], (features[va], labels[va]), p, emit, cancel,
            extra={"stage": "head"},
        )  # fmt: skip
        features_info["head_s"] = round(head_s, 3)
    if p["fine_tune"] and base.model is not None:
        unfrozen = script.unfreeze_top(base.model, p["fine_tune"])
        rate = p["learning_rate"] * FINE_TUNE_RATE
        emit(
            Event.PHASE,
            phase=f"fine-tuning: the base's top {len(unfrozen)} layers unfrozen, rate {rate:g}, "
            f"{p['fine_tune_epochs']} epochs",
        )
        compiled(model, rate)
        reporter, _ = fit_reported(
            model, pixels[tr], labels[tr], (pixels[va], labels[va]), p, emit, cancel,
            epochs=p["fine_tune_epochs"], extra={"stage": "fine-tune"},
        )  # fmt: skip
    train_s = time.monotonic() - train_start

    emit(Event.PHASE, phase="evaluating on the test set")
    probabilities = model.predict(pixels[te], verbose=0, batch_size=64, callbacks=[reporter])
    cancel.raise_if_requested()
    predicted = probabilities.argmax(axis=1)
    test_accuracy = float((predicted == labels[te]).mean())
    per_class = {
        name: float((predicted[labels[te] == c] == c).mean()) for c, name in enumerate(names)
    }
    emit(Event.PHASE, phase="saving the model and predictions")
    for layer in model.layers:  # saved as a plain model: the attention job needs no flags
        layer.trainable = True
    save_model(model, run_dir)
    predictions = save_predictions(
        run_dir, thumbnails(pixels[te], THUMBNAIL, grey=True), labels[te], probabilities, names
    )
    _add_colour(run_dir, thumbnails(pixels[te], COLOUR_THUMBNAIL, grey=False), p, names)
    finished: dict[str, Any] = {"per_class": per_class}
    if features_info is not None:
        finished["features"] = features_info
    emit(
        Event.FINISHED,
        metrics={"test_accuracy": test_accuracy},
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={"model": runfiles.MODEL, "predictions": predictions, "log": runfiles.LOG},
        data_source=str(folder.root),
        device=spec["device"],
        **finished,
    )


def _other(folder) -> str:
    return f" (and 'other' from {folder.other})" if folder.other else ""


def _augment(p: dict[str, Any]) -> list:
    return script.augmentation(p["seed"]) if p["augment"] == "yes" else []


def _add_colour(run_dir, colour: np.ndarray, p: dict[str, Any], names: list[str]) -> None:
    """The colour thumbnails and the run's threshold, added to predictions.npz."""
    add_colour_images(run_dir, colour, p["threshold"])
