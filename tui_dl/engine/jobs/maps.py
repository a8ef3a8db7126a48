"""Where a trained model looks, and what it says about things it never saw (TensorFlow side).

Grad-CAM for convolutional models: the gradients of a class score with respect to the last
convolutional layer's feature maps weight those maps into a heatmap. Models without a
convolutional layer (the MLP) get a gradient saliency map: how much each pixel moves the score.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf


def model_inputs(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """uint8 28×28 images → whatever the model was trained on (flat 784 or 28×28×1), 0–1."""
    shape = tuple(model.inputs[0].shape[1:])
    return images.astype("float32").reshape((len(images), *shape)) / 255.0


def last_conv_layer(model: keras.Model) -> keras.layers.Layer | None:
    """The last 2-D convolution: its feature maps still know where things are in the image."""
    for layer in reversed(model.layers):
        if "Conv2D" in type(layer).__name__:
            return layer
    return None


def _normalise(maps: np.ndarray) -> np.ndarray:
    """Each map to 0–1 on its own (a map of zeros stays zeros)."""
    peak = maps.reshape(len(maps), -1).max(axis=1).reshape(-1, *([1] * (maps.ndim - 1)))
    return np.divide(maps, peak, out=np.zeros_like(maps), where=peak > 0)


def _score_model(model: keras.Model, extra: list) -> tuple[keras.Model, bool]:
    """A model giving `extra` outputs and the class scores *before* softmax when it can.

    Gradients of a saturated softmax (p ≈ 1, a confident model) vanish; the logits' do not.
    Built from `model.inputs` and `model.outputs[0]`: `model.input`/`model.output` fail on
    Sequential models in Keras 3.
    """
    if _ends_in_probabilities(model):
        return keras.Model(model.inputs, [*extra, model.layers[-1].input]), True
    return keras.Model(model.inputs, [*extra, model.outputs[0]]), False


def _ends_in_probabilities(model: keras.Model) -> bool:
    """A last Dense layer with softmax or sigmoid: its scores before it are taken instead."""
    last = model.layers[-1]
    return isinstance(last, keras.layers.Dense) and last.activation in (
        keras.activations.softmax,
        keras.activations.sigmoid,
    )


def _scores(model: keras.Model, outputs: tf.Tensor, logits: bool) -> tf.Tensor:
    if not logits:
        return outputs
    last = model.layers[-1]
    return tf.matmul(outputs, last.kernel) + last.bias


def grad_cam(
    model: keras.Model, x: np.ndarray, class_index: int, layer: keras.layers.Layer
) -> np.ndarray:
    """Heatmaps (n, H, W) at the input's spatial size, 0–1, for one class."""
    return grad_cams(model, x, [class_index], layer)[:, 0]


def _forward(
    model: keras.Model, inputs: tf.Tensor, layer: keras.layers.Layer | None
) -> tuple[tf.Tensor, tf.Tensor]:
    """`layer`'s output (the inputs when None) and the class scores, in one pass; call it
    inside the tape.

    A Sequential model is run layer by layer: one loaded from a .keras file has each layer
    built twice (two inbound nodes), and a model made from `layer.output` and the model's
    inputs then runs without its gradients reaching that output (every mnist-cnn run's
    attention maps failed so)."""
    if isinstance(model, keras.Sequential):
        last, logits = model.layers[-1], _ends_in_probabilities(model)
        hidden, features = inputs, inputs
        for each in model.layers[:-1]:
            hidden = each(hidden, training=False)
            if each is layer:
                features = hidden
        outputs = hidden if logits else last(hidden, training=False)
        return features, _scores(model, outputs, logits)
    grad_model, logits = _score_model(model, [layer.output] if layer is not None else [])
    if layer is None:
        outputs = grad_model(inputs, training=False)
        outputs = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
        return inputs, _scores(model, outputs, logits)
    features, outputs = grad_model(inputs, training=False)
    return features, _scores(model, outputs, logits)


def grad_cams(
    model: keras.Model, x: np.ndarray, classes: list[int], layer: keras.layers.Layer
) -> np.ndarray:
    """Heatmaps (n, len(classes), H, W), 0–1: one forward pass, one gradient per class."""
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape(persistent=True) as tape:
        features, scores = _forward(model, inputs, layer)
        per_class = [scores[:, c] for c in classes]
    size = x.shape[1:3]
    maps = []
    for score in per_class:
        grads = tape.gradient(score, features)
        weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
        cam = tf.nn.relu(tf.reduce_sum(weights * features, axis=-1))
        cam = tf.image.resize(cam[..., tf.newaxis], size, method="bilinear")[..., 0]
        maps.append(_normalise(cam.numpy()))
    del tape
    return np.stack(maps, axis=1)


def saliency(model: keras.Model, x: np.ndarray, class_index: int) -> np.ndarray:
    """|∂ score / ∂ pixel| for each image, (n, 28, 28), 0–1 (99th percentile = 1)."""
    return saliencies(model, x, [class_index])[:, 0]


def saliencies(model: keras.Model, x: np.ndarray, classes: list[int]) -> np.ndarray:
    """Saliency maps (n, len(classes), 28, 28): one forward pass, one gradient per class."""
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        _, scores = _forward(model, inputs, None)
        per_class = [scores[:, c] for c in classes]
    maps = []
    for score in per_class:
        grads = np.abs(tape.gradient(score, inputs).numpy()).reshape(len(x), 28, 28)
        top = np.percentile(grads.reshape(len(x), -1), 99, axis=1).reshape(-1, 1, 1)
        maps.append(np.clip(np.divide(grads, top, out=np.zeros_like(grads), where=top > 0), 0, 1))
    del tape
    return np.stack(maps, axis=1)


def attention_maps(model: keras.Model, images: np.ndarray, n_classes: int) -> dict:
    """Maps for every class of every image: {'maps': (n, classes, 28, 28), 'method', 'layer'}.

    The model is run forward once and each class's gradient taken from that pass (ten
    models built and run, one a class, took most of the attention view's wait)."""
    x = model_inputs(model, images)
    layer = last_conv_layer(model)
    classes = list(range(n_classes))
    if layer is not None:
        maps = grad_cams(model, x, classes, layer).reshape(len(images), n_classes, 28, 28)
    else:
        maps = saliencies(model, x, classes)
    method = "grad-cam" if layer is not None else "saliency"
    return {
        "maps": maps.astype(np.float32),
        "method": method,
        "layer": layer.name if layer is not None else "",
    }


def shifted(images: np.ndarray, by: int) -> np.ndarray:
    """Digits moved `by` pixels right and down, the vacated border black."""
    out = np.zeros_like(images)
    out[:, by:, by:] = images[:, : images.shape[1] - by, : images.shape[2] - by]
    return out


def probe(
    model: keras.Model,
    digits: np.ndarray,
    labels: np.ndarray,
    unfamiliar: tuple[str, np.ndarray] | tuple[str, np.ndarray, str] | None,
    seed: int = 0,
) -> dict:
    """The model's confidence on inputs it was and was not trained for, group by group."""
    rng = np.random.default_rng(seed)
    take = min(200, len(digits))
    pick = rng.choice(len(digits), take, replace=False)
    cases: list[tuple[str, str, np.ndarray, np.ndarray | None]] = [
        ("test images", "held-out examples of what it was trained on", digits[pick], labels[pick]),
    ]
    if unfamiliar is not None:
        name, images, *described = unfamiliar
        cases.append(
            (
                name,
                described[0] if described else "a different kind of picture altogether",
                images[rng.choice(len(images), min(200, len(images)), replace=False)],
                None,
            )
        )
    cases += [
        ("blank", "an all-black image: nothing there", np.zeros((1, 28, 28), np.uint8), None),
        ("noise", "random pixels", rng.integers(0, 256, (100, 28, 28)).astype(np.uint8), None),
        (
            "inverted",
            "the test images in negative: dark ink on white",
            255 - digits[pick],
            labels[pick],
        ),
        (
            "shifted",
            "the test images moved 8 pixels right and down",
            shifted(digits[pick], 8),
            labels[pick],
        ),
    ]
    groups: list[dict[str, Any]] = []
    examples: list[np.ndarray] = []
    example_pred: list[int] = []
    example_conf: list[float] = []
    for name, description, images, truth in cases:
        probs = model.predict(model_inputs(model, images), verbose=0, batch_size=512)
        conf, pred = probs.max(axis=1), probs.argmax(axis=1)
        answers = np.bincount(pred, minlength=probs.shape[1])
        best = np.argsort(-conf)[:2]
        groups.append(
            {
                "name": name,
                "description": description,
                "n": int(len(images)),
                "mean_confidence": float(conf.mean()),
                "confident_share": float((conf >= 0.9).mean()),
                "accuracy": None if truth is None else float((pred == truth).mean()),
                "top_answer": int(answers.argmax()),
                "top_answer_share": float(answers.max() / len(images)),
                "examples": [len(examples) + i for i in range(len(best))],
            }
        )
        examples.extend(images[best])
        example_pred.extend(pred[best])
        example_conf.extend(conf[best])
    return {
        "groups": groups,
        "images": np.stack(examples),
        "pred": np.array(example_pred),
        "conf": np.array(example_conf, np.float32),
    }
