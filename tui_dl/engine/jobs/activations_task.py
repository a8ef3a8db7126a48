"""The activations job's TensorFlow side: one input (a test image of the run's, or a picture
of the learner's) through the run's model, every layer's output kept (a model nested in it, a
pretrained base, opened into its own layers, grouped under its name; a deep base's cut to a
selection, `activations_bases`), and each 2-D convolution's kernel beside it — into the
viewer's notes folder for the run (`analysis/activations/files.py` reads it back)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.activations.files import (
    Activations,
    LayerOutput,
    picture_file,
    save_activations,
    test_image_file,
)
from tui_dl.analysis.predictions import load_predictions
from tui_dl.data.my_images.load import load_images
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.jobs.activations_bases import flat_base, selection
from tui_dl.engine.runfiles import RunSpec
from tui_dl.engine.workshop.seats import notes_dir

OWN_SCALE = ("my-images",)
"""Experiments whose models take 0–255 pixels (their preprocessing is inside the model);
the others were taught on 0–1."""


Found = tuple[Any, np.ndarray, str]
"""A layer, its output for the batch, the base it sits in ("" for none)."""


def unreadable(message: str) -> RunFailure:
    return RunFailure("LayersUnreadable", message)


def shown_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The model's own layers in order, its input layer left out (it is the input)."""
    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def layer_outputs(model: keras.Model, x: np.ndarray) -> list[np.ndarray]:
    """Each shown layer's output for the batch `x`, in the model's order. A Sequential model
    is run a layer at a time; another through one model giving every layer's output (its
    inputs and `layer.output`: `model.input` fails on Sequential models in Keras 3)."""
    return [out for _layer, out, _group in walk(model, x)]


def called_on(layer: keras.Model) -> Any:
    """The tensor a model nested in another is called on, in the outer model's graph."""
    node = layer._inbound_nodes[0]  # noqa: SLF001 — Keras keeps no public handle on it
    tensors = node.input_tensors
    if len(tensors) != 1:
        raise unreadable(f"{layer.name} takes {len(tensors)} inputs: not drawn here")
    return tensors[0]


def walk(model: keras.Model, x: np.ndarray, group: str = "") -> list[Found]:
    """Each shown layer with its output for `x`, in the model's order; a model nested in it
    (a pretrained base) replaced by its own layers, each with the base's name as its group
    (nested deeper: "outer › inner")."""
    layers = shown_layers(model)
    found: list[Found] = []
    if isinstance(model, keras.Sequential):
        hidden = keras.ops.convert_to_tensor(x)
        for layer in layers:
            if isinstance(layer, keras.Model):
                inner = join(group, layer.name)
                found.extend(walk(layer, keras.ops.convert_to_numpy(hidden), inner))
            hidden = layer(hidden, training=False)
            if not isinstance(layer, keras.Model):
                found.append((layer, keras.ops.convert_to_numpy(hidden), group))
        return found
    nested = [layer for layer in layers if isinstance(layer, keras.Model)]
    try:
        wanted = [layer.output for layer in layers if layer not in nested]
        wanted += [called_on(layer) for layer in nested]
    except (AttributeError, ValueError, RuntimeError, IndexError) as exc:
        raise unreadable(f"this model's layers cannot be read one by one ({exc})") from None
    if any(isinstance(w, (list, tuple)) for w in wanted):
        raise unreadable("a layer of this model gives several outputs: not drawn here")
    probe = keras.Model(model.inputs, wanted)
    values = probe(keras.ops.convert_to_tensor(x), training=False)
    values = values if isinstance(values, (list, tuple)) else [values]
    values = [keras.ops.convert_to_numpy(v) for v in values]
    split = len(wanted) - len(nested)
    own = iter(values[:split])
    fed = {id(layer): v for layer, v in zip(nested, values[split:], strict=True)}
    for layer in layers:
        if layer in nested:
            found.extend(walk(layer, fed[id(layer)], join(group, layer.name)))
        else:
            found.append((layer, next(own), group))
    return found


def join(outer: str, inner: str) -> str:
    return f"{outer} › {inner}" if outer else inner


def grouped(found: list[Found], spec: RunSpec) -> tuple[list[Found], dict[str, int]]:
    """The layers of a base flattened into the model put in its group (`flat_base`); every
    group cut to its selection (`activations_bases.selection`); each group's count of layers."""
    title, members = flat_base(dict(spec), [layer.name for layer, _, group in found if not group])
    if members:
        found = [(lay, out, title if not g and lay.name in members else g) for lay, out, g in found]
    groups: dict[str, list[int]] = {}
    for i, (_layer, _out, group) in enumerate(found):
        if group:
            groups.setdefault(group, []).append(i)
    dropped: set[int] = set()
    for where in groups.values():
        kept = {where[j] for j in selection([type(found[i][0]).__name__ for i in where])}
        dropped.update(i for i in where if i not in kept)
    totals = {group: len(where) for group, where in groups.items()}
    return [f for i, f in enumerate(found) if i not in dropped], totals


def kernel_of(layer: keras.layers.Layer) -> np.ndarray | None:
    if isinstance(layer, keras.layers.Conv2D) and len(layer.kernel.shape) == 4:
        return np.asarray(keras.ops.convert_to_numpy(layer.kernel), np.float32)
    return None


def picture_size(shape: tuple[int, ...]) -> tuple[int, int, int]:
    """(height, width, channels) of the pictures a model takes: its image input, or the
    square a flat input of n×n pixels was (the MLP's 784 = 28×28)."""
    if len(shape) == 3:
        return int(shape[0]), int(shape[1]), int(shape[2])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1]), 1
    side = math.isqrt(int(shape[0])) if len(shape) == 1 and shape[0] else 0
    if len(shape) != 1 or side * side != shape[0]:
        raise unreadable(f"the model takes inputs of shape {shape}, not pictures")
    return side, side, 1


def nearest(image: np.ndarray, height: int, width: int) -> np.ndarray:
    rows = np.arange(height) * image.shape[0] // height
    cols = np.arange(width) * image.shape[1] // width
    return image[np.ix_(rows, cols)]


def to_model(pixels: np.ndarray, shape: tuple[int, ...], channels: int, scaled: bool) -> np.ndarray:
    """(H, W) or (H, W, 3) 0–255 pixels → a batch of one as the model takes it."""
    x = pixels.astype(np.float32)
    if x.ndim == 3 and channels == 1:
        x = x.mean(axis=-1)
    if x.ndim == 2 and channels == 3:
        x = np.repeat(x[..., None], 3, axis=-1)
    x = x if scaled else x / 255.0
    return x.reshape((1, *shape))


def the_input(
    run_dir: Path, spec: RunSpec, args: dict[str, Any], shape: tuple[int, ...]
) -> tuple[str, str, np.ndarray, np.ndarray]:
    """The file's name, the input in words, as drawn (uint8) and as the model takes it."""
    height, width, channels = picture_size(shape)
    scaled = spec.get("experiment") in OWN_SCALE
    if args.get("path"):
        path = Path(str(args["path"]))
        try:
            pixels = load_images([path], (height, width), 3 if channels == 3 else 1)[0]
        except FolderProblem as exc:
            raise RunFailure("PictureProblem", str(exc)) from None
        shown = np.clip(np.rint(pixels), 0, 255).astype(np.uint8)
        shown = shown[..., 0] if shown.shape[-1] == 1 else shown
        return (
            picture_file(path),
            f"your picture {path.name}",
            shown,
            to_model(shown, shape, channels, scaled),
        )
    p = load_predictions(run_dir)
    index = int(args.get("index", 0))
    if not 0 <= index < len(p.y_true):
        raise RunFailure("NoSuchImage", f"the test set has images 0 to {len(p.y_true) - 1}")
    shown = p.colour_images[index] if p.colour_images is not None else p.images[index]
    shown = np.asarray(shown)
    pixels = nearest(shown, height, width) if shown.shape[:2] != (height, width) else shown
    return (
        test_image_file(index),
        f"test image #{index}",
        shown,
        to_model(pixels, shape, channels, scaled),
    )


def activations_job(run_dir: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    path = run_dir / runfiles.MODEL
    if not path.is_file():
        raise RunFailure("NoModel", f"run {run_dir.name} has no {runfiles.MODEL}")
    emit(Event.PHASE, phase="loading the model")
    model = keras.models.load_model(path, compile=False)
    shape = tuple(int(d) for d in model.inputs[0].shape[1:])
    name, source, shown, x = the_input(run_dir, spec, args, shape)
    layers = shown_layers(model)
    emit(Event.PHASE, phase=f"{source} through its {len(layers)} layers")
    every, groups = grouped(walk(model, x), spec)
    found = [
        LayerOutput(layer.name, type(layer).__name__, out[0], kernel_of(layer), group)
        for layer, out, group in every
    ]
    if not found:
        raise unreadable("the model has no layers to show")
    inside = Activations(source, shown, found, groups)
    kept = save_activations(notes_dir(run_dir, spec), name, inside)
    emit(Event.FINISHED, artifact=f"{runfiles.ACTIVATIONS}/{kept}", layers=len(found))
