"""The course's image classifiers on MNIST (or Fashion-MNIST): the trainer of mnist-mlp,
mnist-mlp-dropout and mnist-cnn (`trainers/images.py`) builds with these, and the exported
script holds this code (`images_keras.py` includes it), so a run and its script cannot drift
apart. Plain Keras: nothing of tui-dl (the script includes `optimizer` beside it)."""

import keras

from .optimizer import optimizer


def mlp(hidden, dropout):
    """784 → a Dense relu layer of each width in `hidden` (each followed by Dropout when
    `dropout` is above 0) → Dense 10 softmax."""
    layers = [keras.Input(shape=(784,))]
    for units in hidden:
        layers.append(keras.layers.Dense(units, activation="relu"))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    return keras.Sequential(layers, name="mlp")


def cnn(filters=32, kernel=3, blocks=1, dense=128):
    """The course's network with its settings: `blocks` of Conv2D → Conv2D → MaxPool →
    Dropout 0.25 (block b's convolutions have filters·2^b and twice that), then Dense `dense`
    → Dropout 0.5 → Dense 10. The defaults are the course's: Conv2D 32 → Conv2D 64 → one pool
    → Dense 128."""
    layers = [keras.Input(shape=image_shape())]
    for block in range(blocks):
        width = filters * 2**block
        layers += [
            keras.layers.Conv2D(width, (kernel, kernel), activation="relu"),
            keras.layers.Conv2D(2 * width, (kernel, kernel), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Dropout(0.25),
        ]
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(dense, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ]
    return keras.Sequential(layers, name="cnn")


def image_shape():
    """28×28×1 or 1×28×28: what the backend's image_data_format says (the course checks too)."""
    if keras.backend.image_data_format() == "channels_first":
        return (1, 28, 28)
    return (28, 28, 1)


def compile_model(model, name, rate, momentum):
    """Categorical cross-entropy and accuracy, with the optimizer named `name`."""
    model.compile(
        optimizer=optimizer(name, rate, momentum),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def prepare(images, shape=(784,)):
    """Scale 0–255 to 0–1 and shape as the model wants: flat 784 for an MLP, as the course
    does; a 28×28 picture for the CNN."""
    return images.reshape(len(images), *shape).astype("float32") / 255.0
