"""Where it looked, on runs of the learner's own pictures (my-images), computed by the engine:
Grad-CAM reaching the last convolution inside a nested base, and the attention job on real
tiny runs, whose maps must lie on the coloured shapes (TensorFlow in these tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.my_images import SHAPES, is_shape, shape_picture, shapes_folder
from tui_dl.engine import runfiles

CLASSES = list(SHAPES)


def peaks_on_shape(maps: np.ndarray, colour: np.ndarray) -> float:
    """The share of maps (n, H, W) whose brightest pixel lies on the picture's shape."""
    hits = []
    for heat, picture in zip(maps, colour, strict=True):
        row, col = np.unravel_index(np.argmax(heat), heat.shape)
        hits.append(bool(is_shape(picture)[row, col]))
    return float(np.mean(hits))


# ----- the engine (TensorFlow) --------------------------------------------------------------
def colour_shapes(n: int, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(n) % 3
    pictures = [
        np.asarray(shape_picture(CLASSES[c], (size, size), seed * 1000 + i))
        for i, c in enumerate(labels)
    ]
    return np.stack(pictures).astype(np.float32), labels


@pytest.mark.slow
def test_grad_cam_reaches_the_last_convolution_inside_a_nested_base(tmp_path):
    """A base nested in the model as a sub-model (pixels → base → dropout → dense): the
    convolution is found inside it and the gradients go through it; a model that does not run
    as a chain gets saliency maps instead, not a crash."""
    import keras

    from tui_dl.engine.jobs.maps import conv_path, maps_of

    keras.utils.set_random_seed(0)
    base_in = keras.Input((32, 32, 3))
    x = keras.layers.Rescaling(1 / 255.0)(base_in)
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="inner_conv")(x)
    base = keras.Model(base_in, keras.layers.GlobalAveragePooling2D()(x), name="base")
    dropout, dense = keras.layers.Dropout(0.2), keras.layers.Dense(3, "softmax", name="head_out")
    pixels = keras.Input((32, 32, 3))
    model = keras.Model(pixels, dense(dropout(base(pixels))))
    flat = keras.Model(base_in, dense(dropout(base.outputs[0])))  # the same layers, unnested
    model.compile(
        keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    train, labels = colour_shapes(150, 32, 0)
    history = model.fit(train, labels, epochs=10, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras", compile=False)
    assert [layer.name for layer in conv_path(loaded)] == ["base", "inner_conv"]

    test, _ = colour_shapes(12, 32, 1)
    result = maps_of(loaded, test, 3, (48, 48))
    assert result["method"] == "grad-cam" and result["layer"] == "inner_conv"
    assert result["maps"].shape == (12, 3, 48, 48) and result["maps"].max() == pytest.approx(1)
    np.testing.assert_allclose(result["maps"], maps_of(flat, test, 3, (48, 48))["maps"], atol=1e-4)
    predicted = loaded.predict(test, verbose=0).argmax(axis=1)
    pictures = np.stack(
        [np.asarray(Image.fromarray(t.astype(np.uint8)).resize((48, 48))) for t in test]
    )
    mine = peaks_on_shape(result["maps"][np.arange(12), predicted], pictures)
    chance = float(is_shape(pictures).mean())
    assert mine >= chance + 0.3, (mine, chance)

    two = keras.layers.Add()(
        [keras.layers.Dense(3)(base(pixels)), keras.layers.Dense(3)(base(pixels))]
    )
    branching = keras.Model(pixels, keras.layers.Softmax()(two))  # not a chain of layers
    assert maps_of(branching, test[:2], 3, (48, 48))["method"] == "saliency"


def finished(handle, timeout: float = 240) -> Path:
    from test_engine import ended, wait_for

    events = wait_for(handle.run_dir, ended, timeout=timeout)
    assert events[-1]["event"] == "finished", events[-1]
    return handle.run_dir


@pytest.mark.slow
def test_the_attention_job_on_a_scratch_run_looks_at_the_shapes(tmp_path):
    from tui_dl.analysis.predictions import load_predictions
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.insights import launch_job
    from tui_dl.engine.jobs.launch import launch_run

    folder = shapes_folder(tmp_path / "shapes", 30)
    params = {
        "folder": folder, "base": "scratch", "image_size": 32, "epochs": 12,
        "learning_rate": 0.003,
    }  # fmt: skip
    run_dir = finished(launch_run("my-images", params))
    p = load_predictions(run_dir)
    every = list(range(len(p.y_true)))
    job = launch_job(run_dir, "attention", {"indices": every})
    assert job.wait(180) == 0, (job.run_dir / runfiles.LOG).read_text()[-2000:]
    job.reaper.join(5)
    assert EventLog(job.run_dir).read_all()[-1]["event"] == "finished"
    with np.load(run_dir / runfiles.ATTENTION) as data:
        assert str(data["method"]) == "grad-cam" and str(data["layer"]) == "conv_3"
        assert "note" not in data  # the folder's own pictures, read again
        maps = data["maps"].astype(np.float32)
    assert maps.shape == (15, 3, 48, 48)
    colour = p.colour_images
    assert colour is not None
    mine = peaks_on_shape(maps[np.arange(15), p.y_true], colour)
    chance = float(is_shape(colour).mean())
    random = peaks_on_shape(np.random.default_rng(0).random((15, 48, 48)), colour)
    assert mine >= chance + 0.3 > random, (mine, chance, random)

    from tui_dl.engine.jobs.run_pictures import pictures_of

    spec_params = {**params, "folder": str(folder), "validation": 0.15, "test": 0.15, "seed": 42}
    x, note = pictures_of(p, spec_params, np.arange(3), (32, 32, 3))
    assert x.shape == (3, 32, 32, 3) and note == ""
    for picture in (folder / "circles").iterdir():  # the same files, other pictures
        shape_picture("squares", (40, 40), 99).save(picture, format="PNG")
    x, note = pictures_of(p, spec_params, np.arange(3), (32, 32, 3))
    assert x.shape == (3, 32, 32, 3) and "has changed since the run" in note
    assert "48×48 pictures kept with the run" in note


@pytest.mark.slow
def test_the_attention_job_on_an_untrained_mobilenetv2_base(tmp_path):
    """The whole path through an ImageNet network's layers (no weights here): the last
    convolution is MobileNetV2's Conv_1, the maps at the kept pictures' size."""
    from tui_dl.engine.jobs.insight_tasks import attention_job
    from tui_dl.engine.jobs.launch import launch_run
    from tui_dl.engine.store import read_spec

    folder = shapes_folder(tmp_path / "shapes", 8)
    params = {"folder": folder, "base": "mobilenetv2", "weights": "none", "image_size": 32}
    run_dir = finished(launch_run("my-images", {**params, "epochs": 1, "batch_size": 8}))
    events: list = []
    attention_job(run_dir, read_spec(run_dir), {}, lambda *a, **k: events.append((a, k)))
    assert events[-1][1]["method"] == "grad-cam" and events[-1][1]["layer"] == "Conv_1"
    with np.load(run_dir / runfiles.ATTENTION) as data:
        assert data["maps"].shape[1:] == (3, 48, 48)


def test_the_test_pictures_are_read_again_as_the_run_split_them_with_its_other_class(tmp_path):
    """A run taught an "other" class (`--other DIR`): its test pictures come from both folders,
    and they are found again only by scanning as the run did (no TensorFlow here: the run
    kept no colour copies, so nothing is resized)."""
    from tui_dl.analysis.predictions import Predictions
    from tui_dl.data.my_images.scan import scan_folder
    from tui_dl.data.my_images.split import SplitSettings, split_folder
    from tui_dl.engine.jobs.run_pictures import pictures_of

    folder = shapes_folder(tmp_path / "shapes", 9)
    other = shapes_folder(tmp_path / "elsewhere", {"triangles": 9}, seed=5)
    params = {"folder": str(folder), "other": str(other), "validation": 0.2, "test": 0.3}
    params["seed"] = 3
    scanned = scan_folder(folder, other=other)
    test = split_folder(scanned, SplitSettings(0.5, 0.2, 0.3, seed=3)).test
    labels = np.array(scanned.labels())[test]
    assert scanned.classes[-1] == "other" and (labels == 3).any()
    taught = Predictions(
        labels, labels, np.eye(4, dtype=np.float32)[labels], np.zeros((len(labels), 28, 28)),
        tuple(scanned.classes),
    )  # fmt: skip
    x, note = pictures_of(taught, params, np.arange(len(labels)), (20, 20, 3))
    assert x.shape == (len(labels), 20, 20, 3) and note == ""
