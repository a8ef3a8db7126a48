"""`my-images`: a network taught the learner's own classes from a folder of pictures (issue 26).

The declaration, and what is checked before launch without TensorFlow: the folder is scanned
and split (every `FolderProblem` said as it is), an ImageNet base's weights are looked for,
and a base run (`run:ID`) must have a model whose layers include a convolution — read from the
model file's own config.json, so a wrong run is refused in a second, not after a Keras import.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui_dl.engine import runfiles
from tui_dl.engine.experiments.experiment import Checks, Experiment, Reference
from tui_dl.engine.experiments.params import (
    SEED_MAX,
    ChoiceParam,
    FloatParam,
    FolderParam,
    IntParam,
    TextParam,
)

if TYPE_CHECKING:
    from tui_dl.data.my_images.scan import Folder
    from tui_dl.data.my_images.split import SplitSettings

IMAGENET_BASES = {"mobilenetv2": "MobileNetV2", "resnet50": "ResNet50", "vgg16": "VGG16"}
"""The pretrained networks a base may be (keras.applications), by the name typed."""
BASES = (*IMAGENET_BASES, "scratch")
RUN_PREFIX = "run:"
CONV_KINDS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")
"""Layer classes that make a run's model a convolutional base."""
FEATURE_KINDS = (
    *CONV_KINDS,
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "Flatten",
)
"""A base run's layers are taken up to the last of these, in the models inside it too (the
rest is its old head)."""
RAW_PIXELS = ("my-images",)
"""Experiments whose models take pixels 0–255 (their preprocessing inside); the others' read
0–1."""
SAY_EVERY_S = 0.1
"""How often the scan before launch says how far it is (the lab redraws at most 10 times a
second)."""
CONFIG_LIMIT = 4 * 1024 * 1024
"""A model file's config.json larger than this is not read."""


def base_name(text: str) -> str:
    """What `--base` may be: an ImageNet network, `scratch`, or `run:ID` (checked at launch)."""
    text = text.strip()
    if text in BASES:
        return text
    if text.startswith(RUN_PREFIX) and text[len(RUN_PREFIX) :].strip():
        return RUN_PREFIX + text[len(RUN_PREFIX) :].strip()
    raise ValueError(f"{text!r}: choose one of {', '.join(BASES)}, or run:ID (a finished run)")


@dataclass(frozen=True)
class RunBase:
    """A finished run's model as a base: where it is and the input it takes."""

    run_id: str
    model: Path
    input_shape: tuple[int, int, int]
    """(height, width, channels), from the model's config."""
    experiment: str


def _layers(config: dict[str, Any]) -> list[dict[str, Any]]:
    inner = config.get("config", {})
    layers = inner.get("layers", []) if isinstance(inner, dict) else []
    return [layer for layer in layers if isinstance(layer, dict)]


def _kinds(config: dict[str, Any], depth: int = 0) -> list[str]:
    """Every layer's class, the layers of the models inside it too (Sequential or
    functional, nested up to 20 deep)."""
    kinds: list[str] = []
    for layer in _layers(config):
        kinds.append(str(layer.get("class_name")))
        if depth < 20:
            kinds += _kinds(layer, depth + 1)
    return kinds


def base_scale(run_dir: Path) -> float:
    """What a base run's pixels are multiplied by before its model: 1 where its experiment's
    model takes 0–255 (RAW_PIXELS), else 1/255 (its runs read 0–1)."""
    try:
        experiment = json.loads((run_dir / runfiles.SPEC).read_text()).get("experiment")
    except (OSError, ValueError, AttributeError):
        experiment = None
    return 1.0 if experiment in RAW_PIXELS else 1 / 255


def _input_shape(config: dict[str, Any]) -> tuple[int, int, int] | None:
    for layer in _layers(config):
        if layer.get("class_name") == "InputLayer":
            shape = layer.get("config", {}).get("batch_shape") or []
            if len(shape) == 4 and all(isinstance(d, int) and d > 0 for d in shape[1:]):
                return int(shape[1]), int(shape[2]), int(shape[3])
    return None


def run_base(text: str, runs: Path) -> RunBase:
    """`run:ID` as a base, or ValueError naming the run and what it lacks."""
    import zipfile

    from tui_dl.engine.store import RunStore

    wanted = text[len(RUN_PREFIX) :]
    try:
        run_dir = RunStore(runs).resolve(wanted)
    except (KeyError, ValueError, LookupError) as exc:
        raise ValueError(f"Base {text}: no such run here ({exc}).") from None
    model = run_dir / runfiles.MODEL
    try:
        with zipfile.ZipFile(model) as archive:
            if archive.getinfo("config.json").file_size > CONFIG_LIMIT:
                raise ValueError("config.json too large")
            config = json.loads(archive.read("config.json"))
    except FileNotFoundError:
        raise ValueError(
            f"Base {text}: run {run_dir.name} has no model ({runfiles.MODEL}): it did not "
            "finish, or its experiment keeps none. Choose a finished image classifier's run "
            "(mnist-cnn, transfer-digits)."
        ) from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"Base {text}: {model} cannot be read ({exc}).") from None
    kinds = _kinds(config)
    shape = _input_shape(config)
    if not any(kind in CONV_KINDS for kind in kinds) or shape is None:
        raise ValueError(
            f"Base {text}: run {run_dir.name}'s model has no convolutional layers "
            f"({', '.join(k for k in kinds if k != 'InputLayer') or 'none'}): there are "
            "no features of pictures to borrow. Choose a CNN's run (mnist-cnn, "
            "transfer-digits), an ImageNet network or scratch."
        )
    spec = json.loads((run_dir / runfiles.SPEC).read_text())
    return RunBase(run_dir.name, model, shape, str(spec.get("experiment", "")))


def weights_problem(base: str, data_dir: str | None) -> str | None:
    """Why an ImageNet base cannot have its weights here (None: they are here)."""
    from tui_dl.data.registry import get_dataset
    from tui_dl.data.sources import find_local

    if find_local(get_dataset(f"{base}-weights"), data_dir) is not None:
        return None
    others = ", ".join(b for b in (*BASES, "run:ID") if b != base)
    return (
        f"The {IMAGENET_BASES[base]} ImageNet weights are not on this machine: fetch them with "
        f"`tui-dl data fetch {base}-weights` (or copy the file into ~/.keras/models), or "
        f"choose another base: {others}; --weights none trains the same network from random "
        "weights."
    )


def scanned(params: dict[str, Any], checks: Checks) -> Folder:
    """The folder (and its 'other' folder) scanned, every picture read and hashed, saying how
    far it is: once for all the launches that share `checks` (a sweep's cells), its problem
    too (ValueError)."""
    from tui_dl.data.my_images.other import check_apart
    from tui_dl.data.my_images.problems import FolderProblem
    from tui_dl.data.my_images.scan import scan_folder

    key = f"my-images folder {params['folder']!s} other {params.get('other') or ''!s}"
    said = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - said[0] >= SAY_EVERY_S or done == total:
            said[0] = now
            checks.say(f"Reading your folder: {done:,} of {total:,} files")

    if key not in checks.memo:
        try:
            folder = scan_folder(
                params["folder"], other=params.get("other") or None, progress=progress
            )
            check_apart(folder)
            checks.memo[key] = folder
        except (FolderProblem, ValueError) as exc:
            checks.memo[key] = ValueError(str(exc))
    found = checks.memo[key]
    if isinstance(found, ValueError):
        raise found
    return cast("Folder", found)


def untrained(params: dict[str, Any], n_classes: int | None = None) -> str | None:
    """The line said before a run on an ImageNet network without its weights (None: not)."""
    if params.get("base") not in IMAGENET_BASES or params.get("weights") != "none":
        return None
    chance = f"{1 / n_classes:.0%} for {n_classes} classes" if n_classes else "1/N for N classes"
    return (
        f"Weights none: an untrained {IMAGENET_BASES[params['base']]} gives random features, "
        f"so the head stays near chance ({chance}); fetch {params['base']}-weights to teach."
    )


def ready(params: dict[str, Any], data_dir: str | None, runs: Path, checks: Checks) -> list[str]:
    """The folder, its split and the base checked before launch (ValueError: why not)."""
    from tui_dl.data.my_images.problems import FolderProblem
    from tui_dl.data.my_images.split import split_folder

    folder = scanned(params, checks)  # the folder first: without pictures, nothing matters
    try:
        split = split_folder(folder, split_settings(params))
    except (FolderProblem, ValueError) as exc:
        raise ValueError(str(exc)) from None
    base = params["base"]
    imagenet = base in IMAGENET_BASES and params["weights"] == "imagenet"
    if imagenet:
        problem = weights_problem(base, data_dir)
        if problem:
            raise ValueError(problem)
    if imagenet and params["image_size"] not in (0, 224):
        raise ValueError(
            f"Image size: the {IMAGENET_BASES[base]} ImageNet weights were trained at 224×224; "
            "set 0 (its own) or 224, or --weights none for another size."
        )
    said = [f"base: run {run_base(base, runs).run_id}"] if base.startswith(RUN_PREFIX) else []
    skipped = f" ({len(folder.skipped)} skipped)" if folder.skipped else ""
    other = f", 'other' from {folder.other}" if folder.other else ""
    said.append(
        f"{folder.root}: {len(folder.classes)} classes{other}, {len(folder.images):,} pictures"
        f"{skipped}; split {len(split.train):,} train, {len(split.validation):,} validation, "
        f"{len(split.test):,} test"
    )
    caution = untrained(params, len(folder.classes))
    if caution:
        said.append(caution)
    if params["augment"] == "yes" and base != "scratch":
        said.append(
            "augment: the pictures change every epoch, so the base's features cannot be "
            "cached: every epoch runs the whole base over every training picture (tens to "
            "hundreds of times slower than the head on cached features)"
        )
    return said


def split_settings(params: dict[str, Any]) -> SplitSettings:
    """The run's split (ValueError when its fractions do not add up)."""
    from tui_dl.data.my_images.split import SplitSettings

    return SplitSettings(
        train=1 - params["validation"] - params["test"],
        validation=params["validation"],
        test=params["test"],
        seed=params["seed"],
    )


MY_IMAGES = Experiment(
    name="my-images",
    title="Your own images — teach a network your classes",
    summary="A folder with one subfolder of pictures per class. A network someone trained "
    "(an ImageNet network, or one of your own CNN runs) computes each picture's features "
    "once; a new head learns your classes on them in milliseconds an epoch; then, if asked, "
    "the top of the base is fine-tuned at a lower rate.",
    dataset="my-images",
    runner="tui_dl.engine.trainers.my_images.train:train",
    writes=(runfiles.MODEL, runfiles.MODEL_SUMMARY, runfiles.PREDICTIONS),
    reference=Reference(
        metric="test_accuracy",
        value=None,
        text="no figure of its own (the course's transfer-learning move on your pictures): "
        "compare a borrowed base with scratch on the same folder",
    ),
    params=(
        FolderParam(
            "folder", "Your folder", "", help="one subfolder of pictures per class (PNG, JPEG…)"
        ),
        FolderParam(
            "other",
            "Other folder",
            "",
            optional=True,
            help="pictures of anything that is none of your classes (in it or in subfolders): "
            "one more class, 'other', so it can answer none of these (empty: none)",
        ),
        TextParam(
            "base",
            "Base",
            "mobilenetv2",
            help="mobilenetv2, resnet50, vgg16 (ImageNet), run:ID (one of your CNN runs) or "
            "scratch (a small CNN from nothing)",
            example="scratch, or run:ID (an id from `tui-dl runs`)",
            shape=base_name,
        ),
        ChoiceParam(
            "weights",
            "Weights",
            "imagenet",
            choices=("imagenet", "none"),
            help="for an ImageNet base; none: the same network untrained (random)",
        ),
        IntParam("epochs", "Epochs", 20, minimum=1, maximum=1000, help="of the new head"),
        IntParam("batch_size", "Batch size", 32, minimum=1, maximum=65536),
        FloatParam(
            "learning_rate", "Learning rate", 0.001, minimum=1e-12, maximum=10.0, help="Adam's"
        ),
        IntParam(
            "image_size",
            "Image size",
            0,
            minimum=0,
            maximum=512,
            help="pictures resized to N×N (0 = the base's own: 224 ImageNet, 64 scratch; a "
            "run's model says its own)",
        ),
        FloatParam("dropout", "Dropout", 0.2, minimum=0.0, maximum=0.95, help="in the head"),
        IntParam(
            "fine_tune",
            "Unfreeze top",
            0,
            minimum=0,
            maximum=1000,
            help="then unfreeze the base's top N layers and train at a tenth of the rate",
        ),
        IntParam("fine_tune_epochs", "Tuning epochs", 5, minimum=1, maximum=1000),
        ChoiceParam(
            "augment",
            "Augment",
            "no",
            choices=("no", "yes"),
            help="flip, rotate, zoom each epoch; turns the feature cache off (slow)",
        ),
        FloatParam(
            "threshold",
            "Threshold",
            0.0,
            minimum=0.0,
            maximum=1.0,
            help="below this confidence, predict answers 'none of these' (0 = off)",
        ),
        FloatParam("validation", "Validation", 0.15, minimum=0.01, maximum=0.5),
        FloatParam("test", "Test", 0.15, minimum=0.01, maximum=0.5),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
    ),
    notes=(
        "As Teachable Machine does it:\n"
        "  1 each picture through the frozen base once: its features\n"
        "    (kept in the run folder, reused while the folder is the same)\n"
        "  2 a new head (dropout, Dense softmax) learns your classes on them\n"
        "  3 fine-tune (optional): the base's top layers unfrozen, rate ÷ 10\n"
        "Augment changes the pictures every epoch: no cache, slow."
    ),
    ready=ready,
    caution=untrained,
)
