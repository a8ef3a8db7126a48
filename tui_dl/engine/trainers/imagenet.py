"""Someone else's model: a pretrained keras.applications classifier names what is in a photo.

Nothing is trained. The photo is read and the weights are found (the data folder, the Keras
cache, or a download) before TensorFlow starts, so a file that is not a picture or weights
that cannot be had are said in a second, not after a Keras traceback. Then the network
predicts, and Grad-CAM on its last convolutional block shows where it looked for each of
its top guesses (the course's "attention" lesson).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_dl.analysis.artifacts import ImageNetResult, save_imagenet
from tui_dl.data.download import is_online
from tui_dl.data.registry import DatasetUnavailable, get_dataset
from tui_dl.data.sources import Located, fetch, find_local
from tui_dl.data.status import SHORT_KINDS
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.trainers import Cancel

SIZE = 224
"""Every one of these networks was trained on 224×224 photos."""


@dataclass(frozen=True)
class Zoo:
    """One pretrained network: its keras.applications name and where Grad-CAM looks."""

    title: str
    module: str
    """keras.applications.<module>: its constructor and its own preprocess_input."""
    constructor: str
    layer: str
    """The last convolutional block's output: coarse, but it still knows where things are."""
    weights: str
    """The data registry's name for its weights file."""


ZOO = {
    "resnet50": Zoo("ResNet50", "resnet50", "ResNet50", "conv5_block3_out", "resnet50-weights"),
    "vgg16": Zoo("VGG16", "vgg16", "VGG16", "block5_conv3", "vgg16-weights"),
    "mobilenetv2": Zoo(
        "MobileNetV2", "mobilenet_v2", "MobileNetV2", "out_relu", "mobilenetv2-weights"
    ),
}


@dataclass
class Photo:
    pixels: np.ndarray
    """224×224×3 uint8: what the network sees (squeezed to a square, as the course did)."""
    name: str
    width: int
    height: int


def read_photo(path: str) -> Photo:
    """The learner's file as 224×224 RGB, or a failure that says what is wrong with it."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = Path(path).name
    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)  # phone photos: the right way up
            width, height = image.size
            rgb = image.convert("RGB").resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    except FileNotFoundError:
        raise RunFailure("NoImage", f"There is no file {path}.") from None
    except IsADirectoryError:
        raise RunFailure("NoImage", f"{path} is a folder: name an image file.") from None
    except UnidentifiedImageError:
        raise RunFailure(
            "NotAnImage",
            f"{name} is not a picture that can be read: give a JPEG, PNG, GIF, BMP or WebP "
            "file (a photo of your own, say).",
        ) from None
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RunFailure(
            "NotAnImage", f"{name} could not be read as a picture ({exc}). Try another file."
        ) from None
    return Photo(np.asarray(rgb, dtype=np.uint8), name, width, height)


def weights_file(zoo: Zoo, data_dir: str | None, emit) -> Located:
    """The weights on this machine, or downloaded into the Keras cache when online."""
    dataset = get_dataset(zoo.weights)
    found = find_local(dataset, data_dir)
    if found is not None:
        return found
    download = dataset.downloads[0]
    size = (dataset.count or "").rpartition(", ")[2]
    if not is_online():
        raise DatasetUnavailable(
            f"The {zoo.title} ImageNet weights ({download.fname}, {size}) are not on this "
            "machine, and there is no internet connection to download them. Set Weights to "
            "none to run the same network untrained, or copy the file into ~/.keras/models.",
            dataset.name,
        )
    emit(Event.PHASE, phase=f"downloading the {zoo.title} weights ({size})")
    return fetch(dataset.name, data_dir)


def class_names(data_dir: str | None) -> tuple[list[tuple[str, str]] | None, str]:
    """(ImageNet id, name) for the 1,000 classes, and where they came from (or why not)."""
    dataset = get_dataset("imagenet-classes")
    found = find_local(dataset, data_dir)
    if found is None and is_online():
        try:
            found = fetch(dataset.name, data_dir)
        except DatasetUnavailable:
            found = None
    if found is None:
        return None, (
            "the class names file (imagenet_class_index.json) is not here: classes are shown "
            "by number — `tui-dl data fetch imagenet-classes` on a machine with internet"
        )
    try:
        index = json.loads(found.path.read_text())
        return [tuple(index[str(i)]) for i in range(1000)], found.label
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"the class names file {found.path} could not be read ({exc})"


def label(names: list[tuple[str, str]] | None, index: int) -> tuple[str, str]:
    """(WordNet id, readable name): 'African_elephant' → 'African elephant'."""
    if names is None:
        return "", f"class {index}"
    wnid, name = names[index]
    return wnid, name.replace("_", " ")


def build(zoo: Zoo, weights: Located | None):
    import keras

    module = getattr(keras.applications, zoo.module)
    constructor = getattr(module, zoo.constructor)
    if weights is None:
        keras.utils.set_random_seed(0)  # the same untrained network every time
        return constructor(weights=None), module.preprocess_input
    try:
        model = constructor(weights=str(weights.path))
    except Exception as exc:  # noqa: BLE001 — h5py and Keras raise many kinds for a bad file
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise RunFailure(
            "BadWeights",
            f"The weights file {weights.path} could not be loaded ({first}). Delete it and "
            f"run `tui-dl data fetch {zoo.weights}` again.",
        ) from exc
    return model, module.preprocess_input


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    p = spec["params"]
    zoo = ZOO[p["model"]]
    data_dir = spec.get("data_dir")
    emit(Event.PHASE, phase="reading your image")
    photo = read_photo(p["image"])
    weights = None
    if p["weights"] == "imagenet":
        emit(Event.PHASE, phase=f"looking for the {zoo.title} weights")
        weights = weights_file(zoo, data_dir, emit)
    names, names_source = class_names(data_dir)
    cancel.raise_if_requested()

    emit(Event.PHASE, phase="starting TensorFlow")
    from tui_dl.engine.jobs.maps import grad_cam
    from tui_dl.engine.trainers.common import begin, emit_started

    start = begin(spec)
    emit(
        Event.PHASE,
        phase=f"loading the {zoo.title} weights"
        if weights
        else f"building an untrained {zoo.title}",
    )
    model, preprocess = build(zoo, weights)
    source = weights.label if weights else f"no weights: an untrained {zoo.title} (random start)"
    from tui_dl.engine.jobs.layers_task import write_summary

    write_summary(model, start.run_dir, f"keras.applications {zoo.constructor}")
    layer = model.get_layer(zoo.layer)
    emit_started(
        emit, spec, start, "imagenet", source,
        model={"name": zoo.title, "parameters": int(model.count_params()), "layer": zoo.layer},
        image={"name": photo.name, "width": photo.width, "height": photo.height},
        class_names=names_source,
    )  # fmt: skip

    emit(Event.PHASE, phase="predicting")
    x = preprocess(photo.pixels.astype("float32")[np.newaxis].copy())
    probabilities = np.asarray(model.predict(x, verbose=0)[0], dtype=np.float64)
    order = [int(i) for i in np.argsort(-probabilities)[: p["top"]]]
    maps = []
    for rank, index in enumerate(order, 1):
        cancel.raise_if_requested()
        emit(Event.PHASE, phase=f"where it looked for guess {rank} of {len(order)}")
        maps.append(grad_cam(model, x, index, layer)[0])
    top = []
    for rank, index in enumerate(order, 1):
        wnid, name = label(names, index)
        top.append(
            {
                "rank": rank,
                "index": index,
                "id": wnid,
                "label": name,
                "probability": round(float(probabilities[index]), 6),
                "looked": bool(maps[rank - 1].max() > 0),
            }
        )
    grid = [int(d) for d in layer.output.shape[1:3]]
    result = {
        "model": zoo.title,
        "weights": p["weights"],
        "weights_source": source,
        "weights_from": SHORT_KINDS.get(weights.kind, weights.kind) if weights else "none",
        "class_names": names_source,
        "image": {"name": photo.name, "width": photo.width, "height": photo.height},
        "layer": zoo.layer,
        "grid": grid,
        "top": top,
    }
    artifacts = save_imagenet(
        start.run_dir,
        ImageNetResult(result, photo.pixels, np.rint(np.stack(maps) * 255).astype(np.uint8)),
        order,
        probabilities[order],
    )
    emit(
        Event.FINISHED,
        metrics={"top1_probability": top[0]["probability"]},
        top=[{k: g[k] for k in ("rank", "index", "label", "probability")} for g in top],
        duration_s=round(time.monotonic() - started, 2),
        data_source=source,
        device=spec["device"],
        artifacts={**artifacts, "log": runfiles.LOG},
    )
