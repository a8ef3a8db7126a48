"""The jobs' TensorFlow side: load the run's model, compute, save the artifact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.artifacts import Probe, save_attention, save_probe
from tui_dl.analysis.predictions import load_predictions, mistakes
from tui_dl.data.images import load_fashion_mnist, load_mnist
from tui_dl.data.registry import DatasetUnavailable
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.jobs.maps import attention_maps, maps_of, probe
from tui_dl.engine.jobs.run_pictures import pictures_of
from tui_dl.engine.runfiles import RunSpec
from tui_dl.engine.workshop.seats import notes_dir

MAX_MISTAKES = 60
"""Maps for this many of the most confident mistakes are computed up front."""


def attention_job(run_dir: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    emit(Event.PHASE, phase="loading the model")
    model = keras.models.load_model(run_dir / runfiles.MODEL, compile=False)
    p = load_predictions(run_dir)
    indices = np.array(args.get("indices") or mistakes(p)[:MAX_MISTAKES], dtype=np.int64)
    if len(indices) == 0:
        indices = np.arange(min(10, len(p.y_true)))  # a perfect model: show some right answers
    note = ""
    if spec.get("experiment") == "my-images":  # colour pictures at the base's size
        _, height, width, channels = model.input_shape
        pictures = f"{len(indices)} test picture{'' if len(indices) == 1 else 's'}"
        emit(Event.PHASE, phase=f"reading {pictures} at {height}×{width}")
        x, note = pictures_of(p, spec.get("params", {}), indices, (height, width, channels))
        shown = p.colour_images if p.colour_images is not None else p.images
        emit(Event.PHASE, phase=f"computing maps for {pictures} × {p.n_classes} classes")
        result = maps_of(model, x, p.n_classes, shown.shape[1:3])
    else:
        emit(Event.PHASE, phase=f"computing maps for {len(indices)} images × {p.n_classes} classes")
        result = attention_maps(model, p.images[indices], p.n_classes)
    one = args.get("index")  # one more test image, asked for on the screen
    out = notes_dir(run_dir, spec)  # the run's folder, or the viewer's own for another's run
    name = save_attention(
        out, indices, result["maps"], result["method"], result["layer"], one, note
    )
    emit(
        Event.FINISHED,
        artifact=name,
        method=result["method"],
        layer=result["layer"],
        count=int(len(indices)),
    )


def probe_job(run_dir: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    emit(Event.PHASE, phase="loading the model")
    model = keras.models.load_model(run_dir / runfiles.MODEL, compile=False)
    p = load_predictions(run_dir)
    trained_on = spec.get("params", {}).get("dataset", "mnist")
    emit(Event.PHASE, phase="loading pictures it never saw")
    notes: list[str] = []
    unfamiliar: tuple[str, np.ndarray] | tuple[str, np.ndarray, str] | None
    try:
        if spec.get("experiment") == "transfer-digits":  # the course's egg rolls
            loader = load_mnist if trained_on == "mnist" else load_fashion_mnist
            other = loader(spec.get("data_dir"), allow_download=False)
            names = other.class_names[:5]
            unfamiliar = (
                f"{names[0]}–{names[-1]}, never taught",
                other.x_test[other.y_test < 5],
                "the first task's classes: its new head can only answer with the second's",
            )
        elif trained_on == "mnist":
            other = load_fashion_mnist(spec.get("data_dir"), allow_download=False)
            unfamiliar = ("Fashion-MNIST clothes", other.x_test)
        else:
            other = load_mnist(spec.get("data_dir"), allow_download=False)
            unfamiliar = ("MNIST digits", other.x_test)
        notes.append(f"unfamiliar pictures: {other.describe()}")
    except DatasetUnavailable as exc:
        unfamiliar = None
        notes.append(f"no unfamiliar dataset here ({exc.reason})")
    emit(Event.PHASE, phase="asking the model")
    result = probe(model, p.images, p.y_true, unfamiliar, seed=int(args.get("seed", 0)))
    summary = {"groups": result["groups"], "notes": notes, "class_names": list(p.class_names)}
    probed = Probe(summary, result["images"], result["pred"], result["conf"])
    name = save_probe(notes_dir(run_dir, spec), probed)
    emit(Event.FINISHED, artifact=name, groups=len(result["groups"]))
