"""Transfer learning's networks, and the few examples they learn from: the transfer-digits
trainer (`trainers/transfer_digits.py`) builds with these, and the exported script holds this
code (`transfer_digits_keras.py` includes it), so a run and its script cannot drift apart.
Plain Keras and numpy: nothing of tui-dl."""

import keras
import numpy as np


def conv_base():
    """The part that is transferred: two convolutions and poolings, flattened."""
    return [
        keras.layers.Conv2D(32, (3, 3), activation="relu", name="conv_1"),
        keras.layers.MaxPooling2D((2, 2), name="pool_1"),
        keras.layers.Conv2D(64, (3, 3), activation="relu", name="conv_2"),
        keras.layers.MaxPooling2D((2, 2), name="pool_2"),
        keras.layers.Flatten(name="features"),
    ]


def head(n_classes, prefix):
    """A new head: Dense 128 → Dropout 0.5 → Dense softmax over the classes."""
    return [
        keras.layers.Dense(128, activation="relu", name=f"{prefix}_dense"),
        keras.layers.Dropout(0.5, name=f"{prefix}_dropout"),
        keras.layers.Dense(n_classes, activation="softmax", name=f"{prefix}_out"),
    ]


def network(base, name, prefix, shape):
    """One flat Sequential of `base`'s layers and a new head over five classes (flat, so
    Grad-CAM finds the convolutions after the model is reloaded)."""
    return keras.Sequential([keras.Input(shape=shape), *base, *head(5, prefix)], name=name)


def compile_model(model, rate):
    """Adam at `rate`, sparse categorical cross-entropy, accuracy."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def few_examples(labels, few, seed):
    """`few` indices spread as evenly as possible over the classes present, seeded."""
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    picks = []
    for k, c in enumerate(classes):
        share = few // len(classes) + (1 if k < few % len(classes) else 0)
        where = np.flatnonzero(labels == c)
        picks.append(rng.choice(where, min(share, len(where)), replace=False))
    return rng.permutation(np.concatenate(picks))
