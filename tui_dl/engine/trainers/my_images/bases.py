"""The bases a learner's classes are taught on, each a Keras model from raw pixels (0–255) to
one feature vector, with its preprocessing inside it: so the saved model.keras takes pictures
as they are read, and every layer sits at its top level (Grad-CAM finds the last convolution).

- an ImageNet network (keras.applications): with its weights, the full network at 224×224 up
  to the layer before its 1,000-class head; without, the network with no head at any size,
  averaged over its last feature map;
- `run:ID`: a finished run's model up to its last convolution, pooling or flatten, on the
  input size and channels that model takes;
- `scratch`: no base at all (a small CNN trained whole, see `scratch_model`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.engine.experiments.my_images import FEATURE_KINDS, IMAGENET_BASES, RUN_PREFIX
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.trainers.imagenet import ZOO, weights_file

CAFFE_MEAN = (103.939, 116.779, 123.68)
"""ResNet50's and VGG16's preprocessing: BGR order, these means subtracted (Keras's "caffe")."""
SCRATCH_SIZE = 64
IMAGENET_SIZE = 224


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


def augmentation(seed: int) -> list[keras.layers.Layer]:
    """Flip, rotate, zoom: new variants of each picture every epoch (training only)."""
    return [
        keras.layers.RandomFlip("horizontal", seed=seed, name="augment_flip"),
        keras.layers.RandomRotation(0.1, seed=seed, name="augment_rotate"),
        keras.layers.RandomZoom(0.1, seed=seed, name="augment_zoom"),
    ]


def _inputs(size: tuple[int, int], channels: int, augment: list) -> tuple[Any, Any]:
    inputs = keras.Input((*size, channels), name="pixels")
    x = inputs
    for layer in augment:
        x = layer(x)
    return inputs, x


def preprocess(name: str, x: Any) -> Any:
    """The network's own preprocess_input as layers that are saved with it."""
    if name == "mobilenetv2":
        return keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="preprocess")(x)
    to_bgr = keras.layers.Conv2D(3, 1, name="preprocess_bgr", trainable=False)
    out = to_bgr(x)
    kernel = np.zeros((1, 1, 3, 3), np.float32)
    for c in range(3):
        kernel[0, 0, 2 - c, c] = 1.0
    to_bgr.set_weights([kernel, -np.array(CAFFE_MEAN, np.float32)])
    return out


def imagenet_base(p: dict[str, Any], data_dir: str | None, emit, augment: list) -> Base:
    zoo = ZOO[p["base"]]
    constructor = getattr(getattr(keras.applications, zoo.module), zoo.constructor)
    if p["weights"] == "imagenet":
        weights = weights_file(zoo, data_dir, emit)
        inputs, x = _inputs((IMAGENET_SIZE, IMAGENET_SIZE), 3, augment)
        net = constructor(input_tensor=preprocess(p["base"], x), weights=str(weights.path))
        model = keras.Model(inputs, net.layers[-2].output, name=f"{p['base']}_features")
        size, source = IMAGENET_SIZE, weights.label
    else:
        size = p["image_size"] or IMAGENET_SIZE
        inputs, x = _inputs((size, size), 3, augment)
        net = constructor(
            input_tensor=preprocess(p["base"], x), weights=None, include_top=False, pooling="avg"
        )
        model = keras.Model(inputs, net.outputs[0], name=f"{p['base']}_features")
        source = f"no weights: an untrained {zoo.title} (random, seed {p['seed']})"
    key = {"base": p["base"], "weights": p["weights"], "size": size}
    if p["weights"] == "none":
        key["seed"] = p["seed"]
    kind = "ImageNet" if p["weights"] == "imagenet" else "random"
    title = f"{IMAGENET_BASES[p['base']]} ({kind})"
    return Base(model, (size, size), 3, title, source, key)


def run_base(p: dict[str, Any], run_dir: Path, augment: list) -> Base:
    """A finished run's model up to its last convolution, pooling or flatten."""
    from tui_dl.engine.store import RunStore

    wanted = p["base"][len(RUN_PREFIX) :]
    source_dir = RunStore(run_dir.parent).resolve(wanted)
    path = source_dir / "model.keras"
    try:
        old = keras.saving.load_model(path, compile=False)
    except Exception as exc:  # noqa: BLE001 — Keras raises many kinds for a bad file
        raise RunFailure("BadBase", f"{path} could not be loaded ({exc}).") from exc
    kinds = [type(layer).__name__ for layer in old.layers]
    last = max((i for i, kind in enumerate(kinds) if kind in FEATURE_KINDS), default=-1)
    if last < 0:
        raise RunFailure("BadBase", f"run {source_dir.name}'s model has no convolutional layers.")
    height, width, channels = (int(d) for d in old.inputs[0].shape[1:])
    inputs, x = _inputs((height, width), channels, augment)
    x = keras.layers.Rescaling(1 / 255.0, name="preprocess")(x)  # its runs read 0–1
    for layer in old.layers[: last + 1]:
        x = layer(x)
    if len(x.shape) > 2:
        x = keras.layers.Flatten(name="features_flat")(x)
    model = keras.Model(inputs, x, name="run_features")
    stamp = path.stat()
    key = {"base": p["base"], "run": source_dir.name, "model": [stamp.st_size, stamp.st_mtime]}
    title = f"run {source_dir.name}'s convolutional layers"
    source = f"{kinds[: last + 1]} of run {source_dir.name}"
    return Base(model, (height, width), channels, title, source, key)


def scratch_model(size: int, n_classes: int, dropout: float, augment: list) -> keras.Model:
    """A small CNN from nothing: three conv blocks, pooled, a softmax."""
    inputs, x = _inputs((size, size), 3, augment)
    x = keras.layers.Rescaling(1 / 255.0, name="preprocess")(x)
    for i, filters in enumerate((32, 64, 128), 1):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{i}")(x)
        x = keras.layers.MaxPooling2D(name=f"pool_{i}")(x)
    x = keras.layers.GlobalAveragePooling2D(name="features")(x)
    x = keras.layers.Dropout(dropout, name="head_dropout")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="head_out")(x)
    return keras.Model(inputs, outputs, name="scratch")


def build(p: dict[str, Any], run_dir: Path, data_dir: str | None, emit) -> Base:
    augment = augmentation(p["seed"]) if p["augment"] == "yes" else []
    if p["base"] == "scratch":
        size = p["image_size"] or SCRATCH_SIZE
        return Base(None, (size, size), 3, "a small CNN from scratch", "no base: from nothing")
    if p["base"].startswith(RUN_PREFIX):
        return run_base(p, run_dir, augment)
    return imagenet_base(p, data_dir, emit, augment)


def head_layers(n_classes: int, dropout: float) -> list[keras.layers.Layer]:
    return [
        keras.layers.Dropout(dropout, name="head_dropout"),
        keras.layers.Dense(n_classes, activation="softmax", name="head_out"),
    ]


def whole(base: keras.Model, head: list[keras.layers.Layer]) -> keras.Model:
    """Base and head as one flat model (the head's layers shared, so trained already)."""
    x = base.outputs[0]
    for layer in head:
        x = layer(x)
    return keras.Model(base.inputs, x, name="my_images")


def unfreeze_top(base: keras.Model, n: int) -> list[str]:
    """The base's top `n` layers that hold weights made trainable (batch normalization kept
    frozen, in inference mode, as Keras's transfer-learning guide advises); their names."""
    weighted = [
        layer
        for layer in base.layers
        if layer.weights and not layer.name.startswith(("preprocess", "augment"))
    ]
    chosen = weighted[-n:] if n else []
    for layer in chosen:
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    return [layer.name for layer in chosen if layer.trainable]
