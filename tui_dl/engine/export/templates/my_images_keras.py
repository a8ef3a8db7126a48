# A tui-dl my-images run as a plain Keras script: the same folder, split, base, head, settings
# and seed, in the order the run did them, so that it trains the same model again. It needs
# keras (with TensorFlow), numpy, Pillow and scikit-learn, and nothing of tui-dl.
import json
import os
import stat
import sys
import warnings
from pathlib import Path

import keras
import numpy as np
from PIL import Image, ImageOps
from sklearn.model_selection import train_test_split

SETTINGS: dict = {}  # the run's settings (written here by the export)

FORMATS = ("PNG", "JPEG", "BMP", "GIF")
LARGEST_FILE = 256 * 1024 * 1024
FINE_TUNE_RATE = 0.1  # fine-tuning trains at a tenth of the head's rate
CAFFE_MEAN = (103.939, 116.779, 123.68)  # ResNet50's and VGG16's preprocessing (BGR)


# ----- the pictures: one subfolder per class, read as the run read them -------------------


def usable(path):
    """Is this file a picture the run read? (PNG, JPEG, BMP or GIF that decodes.)"""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= LARGEST_FILE:
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in FORMATS:
                    return False
                if image.format == "PNG":
                    image.verify()
                else:
                    if image.format == "JPEG":
                        image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()
    except Exception:  # not a picture, corrupt, unreadable or a decompression bomb: skipped
        return False
    return True


def pictures_below(top):
    """Every usable picture below `top`, sorted by path; hidden files and folders left out
    (os.walk does not enter a linked folder)."""
    found = []
    for here, folders, names in os.walk(top):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found += [Path(here) / n for n in names if not n.startswith(".")]
    found.sort(key=lambda path: path.relative_to(top).as_posix())
    return [path for path in found if usable(path)]


def list_pictures(folder, other):
    """The class names (the subfolders, sorted; then "other" where the run had an other
    folder), and every usable picture of each with its class number."""
    classes = sorted(
        entry.name
        for entry in os.scandir(folder)
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
    )
    tops = [folder / name for name in classes]
    if other:  # everything that is none of the classes, taught as one more class
        classes.append("other")
        tops.append(Path(other))
    files, labels = [], []
    for label, top in enumerate(tops):
        kept = pictures_below(top)
        files += kept
        labels += [label] * len(kept)
    return classes, files, np.array(labels, np.int64)


def load_picture(path, size, channels):
    """One picture as float32 (height, width, channels), 0-255: the camera's orientation
    applied, transparency laid on white, 16-bit grey scaled to 0-255, then resized to fill
    `size` (bilinear) and its middle cut out, as Keras's crop_to_aspect_ratio does."""
    with Image.open(path) as opened:
        if opened.format == "JPEG":  # decoded at the smallest scale still at least `size`
            opened.draft("L" if channels == 1 else None, (max(size), max(size)))
        opened.load()
        image = ImageOps.exif_transpose(opened)
        if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
            wide = np.asarray(image).astype(np.float32)
            image = Image.fromarray(np.clip(wide, 0, 65535) / 257.0)
        else:
            if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
                white = Image.new("RGBA", image.size, (255, 255, 255, 255))
                image = Image.alpha_composite(white, image.convert("RGBA"))
            if image.mode != "L":
                image = image.convert("L" if channels == 1 else "RGB")
        height, width = size
        image = ImageOps.fit(image, (width, height), Image.Resampling.BILINEAR)
        pixels = np.asarray(image, dtype=np.float32)
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[..., None], channels, axis=-1)
    return pixels


def split(labels, validation_share, test_share, seed):
    """Train, validation and test indices: each class split on its own (stratified), its
    validation and test shares rounded to the nearest picture but at least one."""
    random_state = np.random.RandomState(seed)
    train: list[int] = []
    validation: list[int] = []
    test: list[int] = []
    for c in range(labels.max() + 1):
        members = np.flatnonzero(labels == c).tolist()
        n_test = max(1, int(np.floor(test_share * len(members) + 0.5)))
        n_validation = max(1, int(np.floor(validation_share * len(members) + 0.5)))
        rest, tested = train_test_split(members, test_size=n_test, random_state=random_state)
        trained, validated = train_test_split(
            rest, test_size=n_validation, random_state=random_state
        )
        train += trained
        validation += validated
        test += tested
    return [np.array(sorted(part), np.int64) for part in (train, validation, test)]


# ----- the model: a base that turns pixels into features, a new head ------------------------


def augmentation(seed):
    return [
        keras.layers.RandomFlip("horizontal", seed=seed, name="augment_flip"),
        keras.layers.RandomRotation(0.1, seed=seed, name="augment_rotate"),
        keras.layers.RandomZoom(0.1, seed=seed, name="augment_zoom"),
    ]


def pixels_in(size, channels, augment):
    inputs = keras.Input((*size, channels), name="pixels")
    x = inputs
    for layer in augment:
        x = layer(x)
    return inputs, x


def preprocess(name, x):
    """The ImageNet network's own preprocess_input, as layers saved with the model."""
    if name == "mobilenetv2":
        return keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="preprocess")(x)
    to_bgr = keras.layers.Conv2D(3, 1, name="preprocess_bgr", trainable=False)
    out = to_bgr(x)
    kernel = np.zeros((1, 1, 3, 3), np.float32)
    for c in range(3):
        kernel[0, 0, 2 - c, c] = 1.0
    to_bgr.set_weights([kernel, -np.array(CAFFE_MEAN, np.float32)])
    return out


def imagenet_base(s, augment):
    constructor = getattr(keras.applications, s["network"])
    size = (s["image_size"], s["image_size"])
    inputs, x = pixels_in(size, 3, augment)
    if s["weights"] != "none":  # the ImageNet weights: the whole network but its last layer
        net = constructor(input_tensor=preprocess(s["base"], x), weights=s["weights"])
        return keras.Model(inputs, net.layers[-2].output, name=f"{s['base']}_features")
    net = constructor(
        input_tensor=preprocess(s["base"], x), weights=None, include_top=False, pooling="avg"
    )
    return keras.Model(inputs, net.outputs[0], name=f"{s['base']}_features")


def replay(model, x, skip=("augment_",)):
    """`model`'s layers called on `x` one by one, weights shared, as a Sequential's would be:
    they join the new model at its top level (where Grad-CAM finds the last convolution). Its
    augmentation layers (`skip`) are left out: they only ever changed its training pictures."""

    def same(layer):
        return keras.layers.Identity() if layer.name.startswith(skip) else layer

    return model._run_through_graph(x, operation_fn=same)


def conv_part(model, kinds):
    """The model from its input up to and including its last layer of `kinds` (its last
    convolution or pooling block), looking into the models inside it, as a functional model
    of its layers (None: it has none). Sequential or functional, branches and all."""
    for layer in reversed(model.layers):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if type(layer).__name__ in kinds:
            return keras.Model(model.inputs[0], layer.output)
        if isinstance(layer, keras.Model):
            inner = conv_part(layer, kinds)
            if inner is not None:  # the tensor this inner model is called on, in `model`
                called_on = layer._inbound_nodes[0].input_tensors[0]
                return keras.Model(model.inputs[0], replay(inner, called_on))
    return None


def run_features(old, kinds, scale, augment):
    """Pixels (0-255) to features: `old`'s convolutional part, fed as its run fed it (its
    pixels times `scale`: 1/255 for runs that read 0-1), flattened to one vector."""
    part = conv_part(old, kinds)
    if part is None:
        raise ValueError(f"{old.name} has no convolutional layers")
    height, width, channels = (int(d) for d in part.inputs[0].shape[1:])
    inputs, x = pixels_in((height, width), channels, augment)
    if scale != 1:
        x = keras.layers.Rescaling(scale, name="preprocess")(x)
    x = replay(part, x)
    if len(x.shape) > 2:
        x = keras.layers.Flatten(name="features_flat")(x)
    return keras.Model(inputs, x, name="run_features")


def run_base(s, augment):
    """Another run's model up to its last convolution or pooling."""
    old = keras.saving.load_model(s["base_model"], compile=False)
    return run_features(old, s["feature_kinds"], s["base_scale"], augment)


def scratch_model(size, n_classes, dropout, augment):
    """A small CNN from nothing: three conv blocks, pooled, a softmax."""
    inputs, x = pixels_in((size, size), 3, augment)
    x = keras.layers.Rescaling(1 / 255.0, name="preprocess")(x)
    for i, filters in enumerate((32, 64, 128), 1):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{i}")(x)
        x = keras.layers.MaxPooling2D(name=f"pool_{i}")(x)
    x = keras.layers.GlobalAveragePooling2D(name="features")(x)
    x = keras.layers.Dropout(dropout, name="head_dropout")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="head_out")(x)
    return keras.Model(inputs, outputs, name="scratch")


def head_layers(n_classes, dropout):
    """The new head: dropout, then one Dense softmax over the classes."""
    return [
        keras.layers.Dropout(dropout, name="head_dropout"),
        keras.layers.Dense(n_classes, activation="softmax", name="head_out"),
    ]


def whole(base, head):
    """Base and head as one flat model (the head's layers shared, so trained already)."""
    x = base.outputs[0]
    for layer in head:
        x = layer(x)
    return keras.Model(base.inputs, x, name="my_images")


def unfreeze_top(base, n):
    """The base's top `n` layers that hold weights made trainable (batch normalization kept
    frozen, in inference mode, as Keras's transfer-learning guide advises); their names."""
    weighted = [
        layer
        for layer in base.layers
        if layer.weights and not layer.name.startswith(("preprocess", "augment"))
    ]
    chosen = weighted[-n:] if n else []
    for layer in chosen:
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    return [layer.name for layer in chosen if layer.trainable]


def compiled(model, learning_rate):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# ----- training, as the run did it ----------------------------------------------------------


def main(s):
    folder = Path(s["folder"])
    classes, files, labels = list_pictures(folder, s.get("other"))
    if classes != s["classes"] or len(files) != s["pictures"]:
        print(
            f"Note: the run read {s['pictures']} pictures in {len(s['classes'])} classes, "
            f"{folder} holds {len(files)} in {len(classes)} now: the results will differ.",
            file=sys.stderr,
        )
    train, validation, test = split(labels, s["validation"], s["test"], s["seed"])
    keras.utils.set_random_seed(s["seed"])  # every initial weight, dropout and shuffle
    augment = augmentation(s["seed"]) if s["augment"] == "yes" else []
    if s["base"] == "scratch":
        base, size, channels = None, (s["image_size"], s["image_size"]), 3
    else:
        base = run_base(s, augment) if s["base"].startswith("run:") else imagenet_base(s, augment)
        size, channels = tuple(base.inputs[0].shape[1:3]), base.inputs[0].shape[3]
    print(f"loading {len(files)} pictures at {size[0]}x{size[1]}", file=sys.stderr)
    pixels = np.stack([load_picture(path, size, channels) for path in files])
    head = head_layers(len(classes), s["dropout"])
    fit = {"batch_size": s["batch_size"], "verbose": 2, "shuffle": True}
    if base is None:  # scratch: the small CNN trains whole
        model = compiled(scratch_model(size[0], len(classes), s["dropout"], augment), s["rate"])
    else:
        base.trainable = False
        model = whole(base, head)
    if base is None or s["augment"] == "yes":  # the pictures change every epoch: no features
        if base is not None:
            compiled(model, s["rate"])
        model.fit(
            pixels[train],
            labels[train],
            epochs=s["epochs"],
            validation_data=(pixels[validation], labels[validation]),
            **fit,
        )
    else:  # the frozen base's features once, then the new head on them (fast)
        features = base.predict(pixels, batch_size=32, verbose=0).reshape(len(pixels), -1)
        head_model = keras.Sequential([keras.Input(features.shape[1:]), *head], name="head")
        compiled(head_model, s["rate"])
        head_model.fit(
            features[train],
            labels[train],
            epochs=s["epochs"],
            validation_data=(features[validation], labels[validation]),
            **fit,
        )
    if s["fine_tune"] and base is not None:  # the base's top layers, at a tenth of the rate
        unfreeze_top(base, s["fine_tune"])
        compiled(model, s["rate"] * FINE_TUNE_RATE)
        model.fit(
            pixels[train],
            labels[train],
            epochs=s["fine_tune_epochs"],
            validation_data=(pixels[validation], labels[validation]),
            **fit,
        )
    predicted = model.predict(pixels[test], batch_size=64, verbose=0).argmax(axis=1)
    accuracy = float((predicted == labels[test]).mean())
    per_class = {
        name: float((predicted[labels[test] == c] == c).mean()) for c, name in enumerate(classes)
    }
    print(f"test accuracy {accuracy:.4f}; the run had {s['run_test_accuracy']:.4f}")
    print(json.dumps({"test_accuracy": accuracy, "n_test": len(test), "per_class": per_class}))


if __name__ == "__main__":
    main(SETTINGS)
