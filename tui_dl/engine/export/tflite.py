"""The TFLite export's TensorFlow side, a short job on a finished run: its model.keras
converted (`tf.lite.TFLiteConverter`), then checked to run — a few of the run's own test
pictures through the TFLite interpreter and through the Keras model, their largest difference
said — and only then written, whole, where the learner asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from tui_dl.data.my_images.load import load_images
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.data.my_images.scan import scan_folder
from tui_dl.data.my_images.split import split_folder
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.experiments.my_images import split_settings
from tui_dl.engine.failures import RunFailure
from tui_dl.engine.runfiles import RunSpec
from tui_dl.paths import write_atomic_with

COMPARED = 8
"""How many test pictures go through both models."""
TOLERANCE = 1e-4
"""The largest difference in any class's probability the TFLite file may show against Keras
(float32 both: they agree to about 1e-6; more means the conversion changed the model)."""


def test_pictures(spec: RunSpec, shape: tuple[int, int, int]) -> tuple[np.ndarray, str]:
    """Up to `COMPARED` of the run's test pictures at the model's input size, and what they
    are; where the folder cannot be read any more, random pictures (seeded), said so."""
    p = spec.get("params", {})
    height, width, channels = shape
    try:
        folder = scan_folder(p["folder"], other=p.get("other") or None)
        test = split_folder(folder, split_settings(p)).test[:COMPARED]
        files = [folder.images[i].path for i in test]
        return load_images(files, (height, width), channels), f"{len(files)} test pictures"
    except (FolderProblem, KeyError, ValueError) as exc:
        rng = np.random.default_rng(0)
        pixels = rng.uniform(0, 255, (COMPARED, *shape)).astype(np.float32)
        return pixels, f"{COMPARED} random pictures (the folder cannot be read now: {exc})"


def run_tflite(content: bytes, pixels: np.ndarray) -> np.ndarray:
    """The TFLite model's outputs for these pictures, through its interpreter."""
    interpreter = tf.lite.Interpreter(model_content=content)
    given = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(given["index"], list(pixels.shape))
    interpreter.allocate_tensors()
    interpreter.set_tensor(given["index"], pixels.astype(given["dtype"]))
    interpreter.invoke()
    return np.asarray(interpreter.get_tensor(interpreter.get_output_details()[0]["index"]))


def tflite_job(run_dir: Path, spec: RunSpec, args: dict[str, Any], emit: Emit) -> None:
    if spec.get("experiment") != "my-images":
        raise RunFailure(
            "ExportProblem",
            f"run {run_dir.name} is a {spec.get('experiment')} run: export takes my-images "
            "runs for now",
        )
    target = Path(args["path"])
    emit(Event.PHASE, phase="loading the model")
    model = keras.models.load_model(run_dir / runfiles.MODEL, compile=False)
    emit(Event.PHASE, phase="converting it to TensorFlow Lite")
    content = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    shape = tuple(int(d) for d in model.input_shape[1:])
    pixels, what = test_pictures(spec, (shape[0], shape[1], shape[2]))
    emit(Event.PHASE, phase=f"checking it runs: {what} through TFLite and Keras")
    difference = float(np.abs(run_tflite(content, pixels) - model.predict(pixels, verbose=0)).max())
    if not difference <= TOLERANCE:
        raise RunFailure(
            "ExportProblem",
            f"the TFLite model answers differently from the Keras model on {what} (largest "
            f"difference {difference:.3g}, over {TOLERANCE:g}): not written",
        )
    write_atomic_with(target, lambda out: out.write(content))
    emit(
        Event.FINISHED,
        artifact=str(target),
        bytes=len(content),
        max_difference=difference,
        compared=what,
        count=len(pixels),
    )
