"""The plain baseline for tf-lowlevel in `engine_vs_keras.py`: the same raw-TensorFlow loop,
no engine.

It imports the trainer's own `RawNetwork`, `make_step`, `cross_entropy` and `accuracy`, builds
the same shuffled, repeating tf.data pipeline (same seed, batch size, learning rate) and runs the
course's loop: a step per batch and, every `display_every` steps, the loss, the batch accuracy
and the test-set loss and accuracy — what the engine computes for each point it plots. No
cancel check, no events. The time of every display step is recorded (time.time), as the engine's
`epoch_end` events record theirs. Prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import tensorflow as tf

from tui_dl.engine.experiments import TF_LOWLEVEL
from tui_dl.engine.trainers.tf_lowlevel import (
    LOADERS,
    RawNetwork,
    accuracy,
    cross_entropy,
    make_step,
)


def main() -> None:
    p = TF_LOWLEVEL.defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=p["steps"])
    args = parser.parse_args()
    p["steps"] = args.steps

    data = LOADERS[p["dataset"]](None, allow_download=True)
    x_train = data.x_train.reshape(-1, 784).astype(np.float32) / 255.0
    x_test = data.x_test.reshape(-1, 784).astype(np.float32) / 255.0
    y_test = data.y_test.astype(np.int64)
    batches = iter(
        tf.data.Dataset.from_tensor_slices((x_train, data.y_train.astype(np.int64)))
        .repeat()
        .shuffle(len(x_train), seed=p["seed"])
        .batch(p["batch_size"])
        .prefetch(1)
    )
    network = RawNetwork(p["seed"])
    step = make_step(network, p["learning_rate"])
    marks, ends, points = [], [], []
    start = time.monotonic()
    for number in range(1, p["steps"] + 1):
        x, y = next(batches)
        loss, batch_accuracy = step(x, y)
        if number % p["display_every"] and number != p["steps"]:
            continue
        test_probabilities = network(x_test)
        points.append(
            (
                float(loss),
                float(batch_accuracy),
                float(cross_entropy(test_probabilities, y_test)),
                float(accuracy(test_probabilities, y_test)),
            )
        )
        marks.append(number)
        ends.append(time.time())
    result = {
        "n_train": int(len(x_train)),
        "fit_s": time.monotonic() - start,
        "steps": marks,
        "step_ends": ends,
        "test_accuracy": points[-1][3],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
