"""A Playground as a Keras script a learner keeps and runs: `python playground_keras.py`.

The script is `keras_model.py`'s own text (read here as text, never imported: that module
imports Keras and this one must not, so the app can export without loading TensorFlow)
followed by the Playground's network, its current weights and its points as Python literals.
The playground trainer imports `keras_model` itself: the script and the lab's Keras runs
build, compile and measure the network with the very same code.

Every number is written as `repr` writes it, which reads back as the same float: the script
starts from exactly the weights the Playground has now, on exactly its points. Every value
is a Python literal and every comment one line: a state (its CSV path) is the learner's text.
"""

from __future__ import annotations

import pprint
from importlib import resources
from typing import Any

from tui_dl.engine.playground.session import Playground
from tui_dl.text import one_line

SCRIPT_NAME = "playground_keras.py"
"""What a learner's copy is called (the script's own comments say to run it so)."""
DEFAULT_EPOCHS = 300
"""How long the script trains when the state sets no stop after so many epochs."""
BUILDER = "keras_model.py"


def network_setup(playground: Playground) -> dict[str, Any]:
    """The network and its training as plain data: what `keras_model` builds from."""
    state, net = playground.state, playground.network
    return {
        "features": list(state.features),
        "layers": net.sizes[1:],
        "activations": [net.layer_activation(i) for i in range(len(net.weights))],
        "dropout": [float(rate) for rate in net.dropout],
        "loss": "xent" if net.output_activation == "softmax" else "square",
        "classes": playground.classes,
        "learning_rate": float(state.learningRate),
        "batch_size": int(state.batchSize),
        "regularization": state.regularization,
        "regularization_rate": float(state.regularizationRate),
        "stop_loss": float(state.stopLoss),
    }


def parameters(playground: Playground) -> tuple[list[Any], list[Any]]:
    """The network's weights (fan_in × fan_out, Keras's kernel layout) and biases as lists."""
    net = playground.network
    return [w.tolist() for w in net.weights], [b.tolist() for b in net.biases]


def points(playground: Playground) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The training and test points and their labels (class numbers, or values)."""
    found = playground.points

    def labels(values: Any) -> list[Any]:
        return values.tolist() if found.regression else [int(v) for v in values]

    return (
        {"xy": found.train_xy.tolist(), "labels": labels(found.train_y)},
        {"xy": found.test_xy.tolist(), "labels": labels(found.test_y)},
    )


def builder_source() -> str:
    """`keras_model.py` as text."""
    return resources.files(__package__).joinpath(BUILDER).read_text(encoding="utf-8")


def keras_script(playground: Playground, epochs: int | None = None) -> str:
    """A standalone script (Keras and numpy, no tui-dl) that trains this Playground's network,
    from its current weights, on its points, for `epochs` (default: the state's stop, or
    DEFAULT_EPOCHS; `python playground_keras.py 50` asks for 50)."""
    state = playground.state
    epochs = epochs or state.stopEpochs or DEFAULT_EPOCHS
    weights, biases = parameters(playground)
    train, test = points(playground)
    text = state.to_string()
    header = [
        f"# A Playground network in Keras, written by tui-dl: python {SCRIPT_NAME} [EPOCHS]",
        "# The Playground's state (open it on the web: https://playground.tensorflow.org/#…):",
        comment(text),
        f"# Its weights as they were after {playground.epoch} epochs of the Playground's "
        "training are where Keras starts.",
    ]
    data = [
        "# ----- the Playground's network, its weights and its points " + "-" * 30,
        f"STATE = {text!r}",
        f"EPOCHS = {int(epochs)}",
        f"NETWORK = {_literal(network_setup(playground))}",
        f"WEIGHTS = {_literal(weights)}",
        f"BIASES = {_literal(biases)}",
        f"TRAIN = {_literal(train)}",
        f"TEST = {_literal(test)}",
        "",
        'if __name__ == "__main__":',
        "    import sys",
        "",
        "    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS",
        "    main(NETWORK, WEIGHTS, BIASES, TRAIN, TEST, epochs)",
    ]
    return "\n".join(header) + "\n" + builder_source().rstrip() + "\n\n\n" + "\n".join(data) + "\n"


def comment(text: str) -> str:
    """`text` as one comment line: a control character (a newline from `%0A` in a CSV path, in
    a state string or a share code) is written as its escape, so nothing after it is code."""
    return f"# {one_line(text)}"


def _literal(value: Any) -> str:
    """A Python literal of plain data, floats as `repr` writes them (exact)."""
    return pprint.pformat(value, width=100, compact=True, sort_dicts=False)
