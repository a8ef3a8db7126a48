"""Where a model looks, and the probe, computed by the engine (TensorFlow in these tests)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tui_dl.engine import runfiles
from tui_dl.engine.events import EventLog
from tui_dl.engine.jobs.insights import launch_job
from tui_dl.engine.jobs.launch import launch_run

pytestmark = pytest.mark.slow


SHAPES = 3


def shapes(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 0 a horizontal bar, 1 a vertical bar, 2 a square, each anywhere in a dim,
    noisy image: what tells them apart is their shape, so a map must find where it is."""
    images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    labels = np.arange(n) % SHAPES
    for i, label in enumerate(labels):
        r, c = rng.integers(2, 16), rng.integers(2, 16)
        height, width = ((2, 10), (10, 2), (6, 6))[label]
        images[i, r : r + height, c : c + width] = 255
    return images, labels


def test_grad_cam_on_a_tiny_cnn_points_at_the_evidence():
    import keras

    from tui_dl.engine.jobs.maps import attention_maps, last_conv_layer

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    images, labels = shapes(600, rng)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(16, 3, activation="relu", name="last_conv"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(SHAPES, activation="softmax"),
        ]
    )
    model.compile(
        keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(images[..., None] / 255.0, labels, epochs=8, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    assert last_conv_layer(model).name == "last_conv"

    test, test_labels = shapes(9, np.random.default_rng(1))
    result = attention_maps(model, test, n_classes=SHAPES)
    assert result["method"] == "grad-cam" and result["layer"] == "last_conv"
    maps = result["maps"]
    assert maps.shape == (9, SHAPES, 28, 28)  # the input's spatial size
    assert 0.0 <= maps.min() and maps.max() <= 1.0
    for i, label in enumerate(test_labels):
        heat = maps[i, label]
        assert heat.std() > 0.01, "not a constant map"
        shape = test[i] == 255
        assert heat[shape].mean() > heat[~shape].mean(), "the map lights up the shape"


def test_grad_cam_on_a_saved_and_loaded_cnn_is_the_same_as_on_the_trained_one(tmp_path):
    """What the attention job does: the model comes from the run's model.keras. A Sequential
    model loaded so has each layer built twice, and every mnist-cnn run's maps once failed
    with gradients that did not reach the last convolution."""
    import keras

    from tui_dl.engine.jobs.maps import attention_maps

    keras.utils.set_random_seed(0)
    images, labels = shapes(300, np.random.default_rng(0))
    model = keras.Sequential(
        [  # mnist-cnn's layers, smaller
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Dropout(0.25),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(SHAPES, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(images[..., None] / 255.0, labels, epochs=2, batch_size=32, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    test, _ = shapes(6, np.random.default_rng(1))
    fresh, again = attention_maps(model, test, SHAPES), attention_maps(loaded, test, SHAPES)
    assert again["method"] == "grad-cam" and again["maps"].max() > 0
    np.testing.assert_allclose(again["maps"], fresh["maps"], atol=1e-5)
    mlp = keras.Sequential(  # and an MLP's saliency maps the same way
        [keras.Input((784,)), keras.layers.Dense(16, "relu"), keras.layers.Dense(SHAPES, "softmax")]
    )
    mlp.save(tmp_path / "mlp.keras")
    fresh = attention_maps(mlp, test, SHAPES)
    again = attention_maps(keras.models.load_model(tmp_path / "mlp.keras"), test, SHAPES)
    assert again["method"] == "saliency" and again["maps"].max() > 0
    np.testing.assert_allclose(again["maps"], fresh["maps"], atol=1e-5)


def test_attention_and_probe_jobs_leave_their_artifacts(tmp_path):
    handle = launch_run("mnist-mlp", {"epochs": 1, "train_limit": 500, "hidden_units": 32})
    assert handle.wait(120) == 0
    handle.reaper.join(5)
    run_dir = handle.run_dir

    for kind in ("attention", "probe"):
        job = launch_job(run_dir, kind)
        assert job.wait(120) == 0, (job.run_dir / runfiles.LOG).read_text()[-2000:]
        job.reaper.join(5)
        events = EventLog(job.run_dir).read_all()
        assert events[-1]["event"] == "finished", events[-1]

    with np.load(run_dir / runfiles.ATTENTION) as data:
        assert str(data["method"]) == "saliency"  # an MLP has no convolutional layer
        assert data["maps"].shape == (len(data["indices"]), 10, 28, 28)
        assert float(data["maps"].astype(np.float32).std()) > 0

    summary = json.loads((run_dir / runfiles.PROBE_REPORT).read_text())
    names = [g["name"] for g in summary["groups"]]
    assert names[0] == "test images" and {"blank", "noise", "inverted", "shifted"} <= set(names)
    digits = summary["groups"][0]
    assert digits["accuracy"] is not None and 0 <= digits["mean_confidence"] <= 1
    with np.load(run_dir / runfiles.PROBE_EXAMPLES) as data:
        assert data["images"].shape[1:] == (28, 28)


def test_a_job_on_a_run_without_a_model_fails_clearly(tmp_path):
    from tui_dl.engine.store import RunStore

    run_dir = RunStore().create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    job = launch_job(run_dir, "attention")
    job.wait(60)
    job.reaper.join(5)
    failed = EventLog(job.run_dir).read_all()[-1]
    assert failed["event"] == "failed"
    assert runfiles.MODEL in failed["message"] or "predictions" in failed["message"]
