# %% The setup: the run's settings
# The course's "hard way", as a plain TensorFlow script: tf.Variable weights drawn from one
# seeded generator, h = sigmoid(x·W + b), p = softmax(h·W2 + b2), cross-entropy with clipping,
# plain SGD through GradientTape on shuffled batches: the run's steps, in the run's order. It
# needs tensorflow, numpy, pandas and scikit-learn.
import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split

SETTINGS: dict = {}  # the run's settings (written here by the export)

# %% The data
# include: data_path
# include: mnist_data
# include: train_limit
x_train = x_train.reshape(-1, 784).astype(np.float32) / 255.0
x_test = x_test.reshape(-1, 784).astype(np.float32) / 255.0
batches = iter(
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .repeat()
    .shuffle(len(x_train), seed=SETTINGS["seed"])
    .batch(SETTINGS["batch_size"])
    .prefetch(1)
)

# %% The model: weights (random normal, first layer to last) and zero biases, by hand
init = tf.random.Generator.from_seed(SETTINGS["seed"])
sizes = [784, *[SETTINGS["hidden_units"]] * SETTINGS["hidden_layers"], 10]
variables = []
for inputs, outputs in zip(sizes, sizes[1:], strict=False):
    variables += [tf.Variable(init.normal([inputs, outputs])), tf.Variable(tf.zeros([outputs]))]


def network(x):
    *hidden, w_out, b_out = variables
    for w, b in zip(hidden[::2], hidden[1::2], strict=True):
        x = tf.nn.sigmoid(tf.matmul(x, w) + b)
    return tf.nn.softmax(tf.matmul(x, w_out) + b_out)


def cross_entropy(probabilities, labels):
    """Mean of −Σ y·log p, with p clipped away from 0 so log never sees it."""
    one_hot = tf.one_hot(labels, depth=10)
    clipped = tf.clip_by_value(probabilities, 1e-9, 1.0)
    return tf.reduce_mean(-tf.reduce_sum(one_hot * tf.math.log(clipped), axis=1))


def accuracy(probabilities, labels):
    hits = tf.equal(tf.argmax(probabilities, axis=1), tf.cast(labels, tf.int64))
    return tf.reduce_mean(tf.cast(hits, tf.float32))


# %% The training: SGD, one batch a step
sgd = tf.optimizers.SGD(SETTINGS["learning_rate"])


@tf.function
def step(x, y):
    with tf.GradientTape() as tape:
        probabilities = network(x)
        loss = cross_entropy(probabilities, y)
    sgd.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
    return loss, accuracy(probabilities, y)


for number in range(1, SETTINGS["steps"] + 1):
    loss, batch_accuracy = step(*next(batches))
    if number % SETTINGS["display_every"] == 0 or number == SETTINGS["steps"]:
        print(f"step {number}: loss {float(loss):.4f}, batch accuracy {float(batch_accuracy):.4f}")

# %% The evaluation: the test metrics, as JSON on the last line
probabilities = network(x_test)
metrics = {
    "test_accuracy": float(accuracy(probabilities, y_test)),
    "test_loss": float(cross_entropy(probabilities, y_test)),
}
# include: report
