"""Where a trained model looks, and what it says about things it never saw (TensorFlow side).

Grad-CAM for convolutional models: the gradients of a class score with respect to the last
convolutional layer's feature maps weight those maps into a heatmap. That layer may sit inside
a base nested in the model as a sub-model (a my-images run's base and head): it is found there
and the gradients taken through it. Models without a convolutional layer (the MLP) get a
gradient saliency map: how much each pixel moves the score.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

BATCH = 16
"""Pictures taken through the model at once (VGG16 at 224×224: about 60 MB each on the tape)."""


def model_inputs(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """uint8 28×28 images → whatever the model was trained on (flat 784 or 28×28×1), 0–1."""
    shape = tuple(model.inputs[0].shape[1:])
    return images.astype("float32").reshape((len(images), *shape)) / 255.0


def last_conv_layer(model: keras.Model) -> keras.layers.Layer | None:
    """The last 2-D convolution: its feature maps still know where things are in the image."""
    path = conv_path(model)
    return path[-1] if path else None


def conv_path(model: keras.Model) -> list[keras.layers.Layer]:
    """The way down to the last 2-D convolution: [the layer] when it is at the model's top
    level, [sub-model, …, the layer] when it sits in a nested model; [] when there is none."""
    for layer in reversed(model.layers):
        if "Conv2D" in type(layer).__name__:
            return [layer]
        if isinstance(layer, keras.Model):
            inner = conv_path(layer)
            if inner:
                return [layer, *inner]
    return []


def is_chain(model: keras.Model) -> bool:
    """A Sequential model, or a functional one whose layers each take the one before's output
    (pixels → base → dropout → dense): one that can be run a layer at a time.

    Read from the model's own graph, backwards from its output: a nested model's `input` and
    `output` are those of its own graph, not of the call in the model around it."""
    if isinstance(model, keras.Sequential):
        return True
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return False
    walked: list[Any] = []
    tensor = model.outputs[0]
    while tensor is not model.inputs[0]:
        history = getattr(tensor, "_keras_history", None)
        if history is None or len(walked) > len(model.layers):
            return False
        operation, node_index, _ = history
        inputs = operation._inbound_nodes[node_index].input_tensors
        if len(inputs) != 1:
            return False
        walked.append(operation)
        tensor = inputs[0]
    layers = [each for each in model.layers if not isinstance(each, keras.layers.InputLayer)]
    return walked[::-1] == layers


def _normalise(maps: np.ndarray) -> np.ndarray:
    """Each map to 0–1 on its own (a map of zeros stays zeros)."""
    peak = maps.reshape(len(maps), -1).max(axis=1).reshape(-1, *([1] * (maps.ndim - 1)))
    return np.divide(maps, peak, out=np.zeros_like(maps), where=peak > 0)


def _score_model(model: keras.Model, extra: list) -> tuple[keras.Model, bool]:
    """A model giving `extra` outputs and the class scores *before* softmax when it can.

    Gradients of a saturated softmax (p ≈ 1, a confident model) vanish; the logits' do not.
    Built from `model.inputs` and `model.outputs[0]`: `model.input`/`model.output` fail on
    Sequential models in Keras 3, and a layer's `input` is that of its first call, which may
    be in another model.
    """
    if _ends_in_probabilities(model):  # the last layer's input in this model's own graph
        operation, node_index, _ = model.outputs[0]._keras_history
        before = operation._inbound_nodes[node_index].input_tensors[0]
        return keras.Model(model.inputs, [*extra, before]), True
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
    model: keras.Model, inputs: tf.Tensor, path: list[keras.layers.Layer], scores: bool = True
) -> tuple[tf.Tensor, tf.Tensor]:
    """The output of `path`'s last layer (the inputs when `path` is empty) and the model's
    outputs — the class scores before softmax when `scores` — in one pass; call it inside the
    tape.

    A Sequential model (or a functional chain holding the convolution in a nested model) is run
    layer by layer: one loaded from a .keras file has each layer built twice (two inbound
    nodes), and a model made from `layer.output` and the model's inputs then runs without its
    gradients reaching that output (every mnist-cnn run's attention maps failed so). A nested
    model on the path is run the same way, one level down."""
    layer = path[0] if path else None
    if is_chain(model) and (isinstance(model, keras.Sequential) or len(path) > 1):
        layers = [each for each in model.layers if not isinstance(each, keras.layers.InputLayer)]
        logits = scores and _ends_in_probabilities(model)
        hidden, features = inputs, inputs
        for each in layers[:-1] if logits else layers:
            if each is layer and len(path) > 1:
                features, hidden = _forward(each, hidden, path[1:], scores=False)
            else:
                hidden = each(hidden, training=False)
                if each is layer:
                    features = hidden
        return features, _scores(model, hidden, logits)
    if len(path) > 1:
        raise NoConvolution(
            f"the convolution {path[-1].name} sits in {path[0].name}, a nested model this "
            "model does not run as a plain chain of layers"
        )
    extra = [layer.output] if layer is not None else []
    if scores:
        grad_model, logits = _score_model(model, extra)
    else:  # a nested model's own output, as the model around it takes it
        grad_model, logits = keras.Model(model.inputs, [*extra, model.outputs[0]]), False
    if layer is None:
        outputs = grad_model(inputs, training=False)
        outputs = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
        return inputs, _scores(model, outputs, logits)
    features, outputs = grad_model(inputs, training=False)
    return features, _scores(model, outputs, logits)


class NoConvolution(ValueError):
    """No convolutional layer the gradients can reach: the maps are saliency maps instead."""


def grad_cams(
    model: keras.Model,
    x: np.ndarray,
    classes: list[int],
    layer: keras.layers.Layer | list[keras.layers.Layer],
    size: tuple[int, int] | None = None,
) -> np.ndarray:
    """Heatmaps (n, len(classes), H, W), 0–1, at `size` (the input's when None): one forward
    pass, one gradient per class. `layer` is the convolution, or the path down to it."""
    path = layer if isinstance(layer, list) else [layer]
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape(persistent=True) as tape:
        features, scores = _forward(model, inputs, path)
        per_class = [scores[:, c] for c in classes]
    size = size or x.shape[1:3]
    maps = []
    for score in per_class:
        grads = tape.gradient(score, features)
        if grads is None:
            raise NoConvolution(f"no gradient reaches {path[-1].name} from the class scores")
        weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
        cam = tf.nn.relu(tf.reduce_sum(weights * features, axis=-1))
        cam = tf.image.resize(cam[..., tf.newaxis], size, method="bilinear")[..., 0]
        maps.append(_normalise(cam.numpy()))
    del tape
    return np.stack(maps, axis=1)


def saliency(model: keras.Model, x: np.ndarray, class_index: int) -> np.ndarray:
    """|∂ score / ∂ pixel| for each image, (n, 28, 28), 0–1 (99th percentile = 1)."""
    return saliencies(model, x, [class_index])[:, 0]


def saliencies(
    model: keras.Model, x: np.ndarray, classes: list[int], size: tuple[int, int] = (28, 28)
) -> np.ndarray:
    """Saliency maps (n, len(classes), *size): one forward pass, one gradient per class; a
    colour picture's pixel counts its channel that moves the score most."""
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        _, scores = _forward(model, inputs, [])
        per_class = [scores[:, c] for c in classes]
    maps = []
    for score in per_class:
        grads = np.abs(tape.gradient(score, inputs).numpy())
        if grads.ndim == 4:
            grads = grads.max(axis=-1)
        grads = grads.reshape(len(x), *(grads.shape[1:3] if grads.ndim == 3 else (28, 28)))
        if grads.shape[1:] != tuple(size):
            grads = tf.image.resize(grads[..., None], size, method="area").numpy()[..., 0]
        top = np.percentile(grads.reshape(len(x), -1), 99, axis=1).reshape(-1, 1, 1)
        maps.append(np.clip(np.divide(grads, top, out=np.zeros_like(grads), where=top > 0), 0, 1))
    del tape
    return np.stack(maps, axis=1)


def attention_maps(model: keras.Model, images: np.ndarray, n_classes: int) -> dict:
    """Maps for every class of every digit: {'maps': (n, classes, 28, 28), 'method', 'layer'}."""
    return maps_of(model, model_inputs(model, images), n_classes, (28, 28))


def maps_of(model: keras.Model, x: np.ndarray, n_classes: int, size: tuple[int, int]) -> dict:
    """Maps for every class of every input `x` (as the model takes it), each at `size`:
    {'maps': (n, classes, *size), 'method', 'layer'}; saliency where no convolution is
    reachable.

    The model is run forward once and each class's gradient taken from that pass (ten
    models built and run, one a class, took most of the attention view's wait)."""
    path = conv_path(model)
    classes = list(range(n_classes))
    parts = range(0, len(x), BATCH)  # the tape holds every layer's activations of a batch
    if path:
        try:
            maps = np.concatenate(
                [grad_cams(model, x[i : i + BATCH], classes, path, size) for i in parts]
            )
        except NoConvolution:
            path = []
    if not path:
        maps = np.concatenate([saliencies(model, x[i : i + BATCH], classes, size) for i in parts])
    return {
        "maps": maps.astype(np.float32),
        "method": "grad-cam" if path else "saliency",
        "layer": path[-1].name if path else "",
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
