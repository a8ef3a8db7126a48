"""The model's summary, where Keras is: every layer's type, output shape and parameters,
trainable and frozen, counted from its weights as `count_params()` counts them, with a nested
model's layers under it. A trainer writes it beside model.keras when it saves the model
(`trainers/common.save_model`); the model job writes it for an older run, or for a model-zoo
run (its network built again from its name, without weights: the same layers and counts),
into the viewer's notes folder for the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.layers.summary import LayerRow, ModelSummary, save_summary
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.runfiles import RunSpec
from tui_dl.engine.workshop.seats import notes_dir


def count(weights: list[Any]) -> int:
    return sum(int(np.prod(w.shape)) for w in weights)


def shape_of(layer: keras.layers.Layer) -> str:
    """Its output shape as Keras's own summary writes it; '?' when the layer has no single
    known output (a layer never called)."""
    try:
        output = layer.output
    except (AttributeError, ValueError, RuntimeError):
        return "?"
    outputs = output if isinstance(output, (list, tuple)) else [output]
    return ", ".join(str(tuple(o.shape)) for o in outputs)


def summarise(model: keras.Model, source: str, note: str = "") -> ModelSummary:
    rows: list[LayerRow] = []

    def walk(layers: list[keras.layers.Layer], depth: int) -> None:
        for layer in layers:
            rows.append(
                {
                    "name": layer.name,
                    "type": type(layer).__name__,
                    "shape": shape_of(layer),
                    "trainable": count(layer.trainable_weights),
                    "frozen": count(layer.non_trainable_weights),
                    "depth": depth,
                }
            )
            if isinstance(layer, keras.Model):
                walk(layer.layers, depth + 1)

    walk(model.layers, 0)
    summary: ModelSummary = {
        "model": model.name,
        "type": type(model).__name__,
        "trainable": count(model.trainable_weights),
        "frozen": count(model.non_trainable_weights),
        "layers": rows,
        "source": source,
        "note": note,
    }
    return summary


def write_summary(model: keras.Model, run_dir: Path, source: str = runfiles.MODEL) -> None:
    """The summary beside the model a trainer just saved. A model Keras cannot walk does not
    fail the run: its log says so, and the model job tries again when it is asked."""
    try:
        save_summary(run_dir, summarise(model, source))
    except Exception as exc:  # noqa: BLE001 — the run's model is saved; its summary can wait
        (run_dir / runfiles.MODEL_SUMMARY).unlink(missing_ok=True)  # an earlier model's
        print(f"tui-dl: the model's summary was not written ({type(exc).__name__}: {exc})")


def zoo_model(spec: RunSpec) -> tuple[keras.Model, str, str]:
    """A model-zoo run's network, built again without weights, and what to say about it."""
    from tui_dl.engine.trainers.imagenet import ZOO, build

    name = spec.get("params", {}).get("model", "")
    if name not in ZOO:
        raise RunFailure("NoModel", f"the model zoo has no network {name!r}")
    zoo = ZOO[name]
    model, _ = build(zoo, None)
    source = f"keras.applications {zoo.constructor}"
    return model, source, "built from its name without weights: the same layers and counts"


def model_job(run_dir: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    if spec.get("experiment") == "transfer-imagenet":
        emit(Event.PHASE, phase="building the network")
        model, source, note = zoo_model(spec)
    else:
        path = run_dir / runfiles.MODEL
        if not path.is_file():
            raise RunFailure("NoModel", f"run {run_dir.name} has no {runfiles.MODEL}")
        emit(Event.PHASE, phase="loading the model")
        model, source, note = keras.models.load_model(path, compile=False), runfiles.MODEL, ""
    emit(Event.PHASE, phase="counting its layers")
    summary = summarise(model, source, note)
    name = save_summary(notes_dir(run_dir, spec), summary)
    emit(Event.FINISHED, artifact=name, parameters=int(model.count_params()))
