"""The activations job on a real tiny CNN (built and saved here, never trained): every layer's
output in the file is Keras's own intermediate output for that layer, in the model's order,
and each convolution's kernel is its weights — for a test image and for a picture of the
learner's. The one test here that starts TensorFlow."""

from __future__ import annotations

import keras
import numpy as np
from PIL import Image

from tui_dl.analysis.activations.files import find_activations, picture_file
from tui_dl.analysis.activations.files import test_image_file as file_of_test_image
from tui_dl.analysis.predictions import save_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.jobs.activations_task import activations_job, walk


def tiny_cnn() -> keras.Model:
    keras.utils.set_random_seed(1)
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(3, 3, activation="relu", name="conv"),
            keras.layers.MaxPooling2D(2, name="pool"),
            keras.layers.Conv2D(2, 3, activation="relu", name="conv_2"),
            keras.layers.Flatten(name="flat"),
            keras.layers.Dense(4, activation="softmax", name="answer"),
        ]
    )


def keras_outputs(model: keras.Model, x: np.ndarray) -> list[np.ndarray]:
    """Each layer's output as Keras gives it: a model from the inputs to that layer."""
    return [np.asarray(keras.Model(model.inputs, layer.output)(x))[0] for layer in model.layers]


def test_the_files_hold_keras_own_outputs_layer_by_layer_and_the_kernels(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    tiny_cnn().save(run_dir / runfiles.MODEL)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    save_predictions(run_dir, images, np.arange(5) % 4, np.full((5, 4), 0.25), list("abcd"))
    picture = tmp_path / "mine.png"
    Image.fromarray(images[4]).save(picture)
    events: list[tuple[str, dict]] = []
    spec = {"experiment": "mnist-cnn", "params": {}}

    def emit(event: str, **fields: object) -> None:
        events.append((event, fields))

    activations_job(run_dir, spec, {"index": 2}, emit)
    activations_job(run_dir, spec, {"path": str(picture)}, emit)
    finished = [fields for event, fields in events if event == Event.FINISHED]
    assert [f["artifact"] for f in finished] == [
        f"activations/{file_of_test_image(2)}",
        f"activations/{picture_file(picture)}",
    ]
    model = keras.models.load_model(run_dir / runfiles.MODEL, compile=False)
    for name, image in ((file_of_test_image(2), images[2]), (picture_file(picture), images[4])):
        found = find_activations(run_dir, run_dir, name)
        assert np.array_equal(found.image, image)
        x = image.astype("float32").reshape(1, 28, 28, 1) / 255.0
        # In the model's order: a file written in any other order fails here, by name and
        # by shape (conv's 26×26×3 is not conv_2's 11×11×2).
        assert [layer.name for layer in found.layers] == [layer.name for layer in model.layers]
        for kept, expected in zip(found.layers, keras_outputs(model, x), strict=True):
            assert kept.output.shape == expected.shape, kept.name
            np.testing.assert_allclose(kept.output, expected, rtol=1e-5, atol=1e-6)
        kernels = {layer.name: layer.kernel for layer in found.layers if layer.kernel is not None}
        assert sorted(kernels) == ["conv", "conv_2"]
        for layer_name, kernel in kernels.items():
            np.testing.assert_array_equal(kernel, np.asarray(model.get_layer(layer_name).kernel))
    assert found.source == "your picture mine.png"
    assert abs(float(found.layers[-1].output.sum()) - 1.0) < 1e-5  # the softmax's answer


def nested_cnn() -> tuple[keras.Model, keras.Model]:
    """A small functional model with a base nested in it (as the course's transfer learning
    builds one): the base's convolution, activation and pooling, then a head. And its base."""
    keras.utils.set_random_seed(2)
    pixels = keras.Input((28, 28, 1), name="base_in")
    x = keras.layers.Conv2D(3, 3, padding="same", name="b_conv")(pixels)
    x = keras.layers.ReLU(name="b_relu")(x)
    base = keras.Model(pixels, keras.layers.MaxPooling2D(2, name="b_pool")(x), name="base")
    inputs = keras.Input((28, 28, 1))
    x = base(keras.layers.Rescaling(2.0, name="scale")(inputs))
    x = keras.layers.Flatten(name="flat")(x)
    answer = keras.layers.Dense(4, activation="softmax", name="answer")(x)
    return keras.Model(inputs, answer, name="outer"), base


def test_a_nested_base_is_opened_into_its_layers_each_keras_own_output(tmp_path):
    """The base's layers, grouped under its name, each the output Keras gives for it (a model
    from the base's input to that layer, fed what the outer model feeds the base), in the
    outer model's order; the same through a Sequential outer model."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    model, base = nested_cnn()
    model.save(run_dir / runfiles.MODEL)
    images = np.random.default_rng(3).integers(0, 256, (2, 28, 28), dtype=np.uint8)
    save_predictions(run_dir, images, np.array([0, 1]), np.full((2, 4), 0.25), list("abcd"))
    activations_job(
        run_dir, {"experiment": "mnist-cnn", "params": {}}, {"index": 1}, lambda *_, **__: None
    )
    found = find_activations(run_dir, run_dir, file_of_test_image(1))
    names = [(layer.group, layer.name) for layer in found.layers]
    assert names == [
        ("", "scale"),
        ("base", "b_conv"),
        ("base", "b_relu"),
        ("base", "b_pool"),
        ("", "flat"),
        ("", "answer"),
    ]
    assert found.groups == {"base": 3}
    x = images[1].astype("float32").reshape(1, 28, 28, 1) / 255.0
    for kept in found.layers[1:4]:
        inner = keras.Model(base.inputs, base.get_layer(kept.name).output)
        np.testing.assert_allclose(kept.output, np.asarray(inner(x * 2.0))[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(found.layers[-1].output, np.asarray(model(x))[0], rtol=1e-5)
    assert found.layers[1].kernel is not None and found.layers[1].kernel.shape == (3, 3, 1, 3)
    flat = keras.Sequential([keras.Input((28, 28, 1)), base, keras.layers.Flatten(name="f")])
    walked = walk(flat, x)
    assert [(group, layer.name) for layer, _, group in walked] == [
        ("base", "b_conv"),
        ("base", "b_relu"),
        ("base", "b_pool"),
        ("", "f"),
    ]
    relu = keras.Model(base.inputs, base.get_layer("b_relu").output)(x)
    np.testing.assert_allclose(walked[1][1], np.asarray(relu), rtol=1e-5, atol=1e-6)
