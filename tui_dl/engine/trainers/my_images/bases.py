"""The bases a learner's classes are taught on, each a Keras model from raw pixels (0–255) to
one feature vector, with its preprocessing inside it: so the saved model.keras takes pictures
as they are read, and every layer sits at its top level (Grad-CAM finds the last convolution).

The models are built by the exported script's own functions (`export/templates/
my_images_keras.py`, imported here as `script`), so a run and its script cannot drift apart;
this module finds what they need (the weights file, the base run) and says what it built.

- an ImageNet network (keras.applications): with its weights, the full network at 224×224 up
  to the layer before its 1,000-class head; without, the network with no head at any size,
  averaged over its last feature map;
- `run:ID`: a finished run's model (Sequential or functional, models inside it too) up to its
  last convolution or pooling, on the input size and channels that model takes;
- `scratch`: no base at all (a small CNN trained whole, `script.scratch_model`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras

from tui_dl.engine import runfiles
from tui_dl.engine.experiments.my_images import (
    FEATURE_KINDS,
    IMAGENET_BASES,
    RUN_PREFIX,
    base_scale,
)
from tui_dl.engine.export.templates import my_images_keras as script
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.trainers.imagenet import ZOO, weights_file

SCRATCH_SIZE = 64
IMAGENET_SIZE = 224
ADDED = ("pixels", "preprocess", "augment_", "features_flat")
"""The layers a base adds around a run's own (left out where it says what it took)."""


@dataclass
class Base:
    model: keras.Model | None
    """Pixels → features (None: scratch)."""
    size: tuple[int, int]
    channels: int
    title: str
    source: str
    """Where its weights came from, in words."""
    key: dict[str, Any] = field(default_factory=dict)
    """What the features depend on: a cache made under another key is not used."""


def imagenet_base(p: dict[str, Any], data_dir: str | None, emit, augment: list) -> Base:
    zoo = ZOO[p["base"]]
    settings: dict[str, Any] = {"network": IMAGENET_BASES[p["base"]], "base": p["base"]}
    if p["weights"] == "imagenet":
        weights = weights_file(zoo, data_dir, emit)
        size, source = IMAGENET_SIZE, weights.label
        settings.update(image_size=size, weights=str(weights.path))
    else:
        size = p["image_size"] or IMAGENET_SIZE
        source = f"no weights: an untrained {zoo.title} (random, seed {p['seed']})"
        settings.update(image_size=size, weights="none")
    model = script.imagenet_base(settings, augment)
    key = {"base": p["base"], "weights": p["weights"], "size": size}
    if p["weights"] == "none":
        key["seed"] = p["seed"]
    kind = "ImageNet" if p["weights"] == "imagenet" else "random"
    title = f"{IMAGENET_BASES[p['base']]} ({kind})"
    return Base(model, (size, size), 3, title, source, key)


def run_base(p: dict[str, Any], run_dir: Path, augment: list) -> Base:
    """A finished run's model up to its last convolution or pooling (`script.run_features`),
    fed its pixels as its own run fed them (`base_scale`)."""
    from tui_dl.engine.store import RunStore

    wanted = p["base"][len(RUN_PREFIX) :]
    source_dir = RunStore(run_dir.parent).resolve(wanted)
    path = source_dir / runfiles.MODEL
    try:
        old = keras.saving.load_model(path, compile=False)
    except Exception as exc:  # noqa: BLE001 — Keras raises many kinds for a bad file
        raise RunFailure("BadBase", f"{path} could not be loaded ({exc}).") from exc
    try:
        model = script.run_features(old, FEATURE_KINDS, base_scale(source_dir), augment)
    except ValueError:
        raise RunFailure(
            "BadBase", f"run {source_dir.name}'s model has no convolutional layers."
        ) from None
    height, width, channels = (int(d) for d in model.inputs[0].shape[1:])
    stamp = path.stat()
    key = {"base": p["base"], "run": source_dir.name, "model": [stamp.st_size, stamp.st_mtime]}
    title = f"run {source_dir.name}'s convolutional layers"
    taken = [
        type(layer).__name__
        for layer in model.layers
        if not layer.name.startswith(ADDED) and not isinstance(layer, keras.layers.Identity)
    ]
    source = f"{taken} of run {source_dir.name}"
    return Base(model, (height, width), channels, title, source, key)


def build(p: dict[str, Any], run_dir: Path, data_dir: str | None, emit) -> Base:
    augment = script.augmentation(p["seed"]) if p["augment"] == "yes" else []
    if p["base"] == "scratch":
        size = p["image_size"] or SCRATCH_SIZE
        return Base(None, (size, size), 3, "a small CNN from scratch", "no base: from nothing")
    if p["base"].startswith(RUN_PREFIX):
        return run_base(p, run_dir, augment)
    return imagenet_base(p, data_dir, emit, augment)
