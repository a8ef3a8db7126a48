"""What the finder trains for each experiment: the run's own model (built by its trainer's
functions, with its settings and optimizer), compiled at the finder's first rate, and the
examples its batches are drawn from — as a run of those settings would train it.

- the image classifiers (mnist-mlp, mnist-mlp-dropout, mnist-cnn): their model on their data;
- tf-lowlevel: its network (the same weights its run starts from) as the Keras model it is
  saved as, with plain SGD, on MNIST;
- votes-kfold, mammogram: one model of the folds' (every fold trains the same one, fresh),
  on the first fold's training rows, scaled as that fold scales them;
- imdb-lstm: the LSTM on the padded reviews;
- transfer-digits: its first stage, the network learning digits 0–4 (the three stages share
  the one rate);
- fashion-vae: the VAE, its loss the reconstruction plus the weighted KL term;
- my-images: what the run trains at its rate — the new head on the base's features
  (computed once, or reused from a run on the same folder), or with augmentation or from
  scratch the whole model on the pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.lrfind import START
from tui_dl.engine.events import Emit, Event

SETTINGS_RATE = "learning_rate"


@dataclass
class Pass:
    model: keras.Model
    """Compiled; the finder sets its optimizer's rate before every step."""
    x: np.ndarray
    y: np.ndarray | None
    """None for a model that learns from its inputs alone (the VAE)."""
    what: str
    """What one example is, in words: "images", "reviews", "rows"."""


class NoCancel:
    """The finder is stopped by ending its process: nothing to check in between."""

    interruptible = True

    def check(self) -> bool:
        return False

    def raise_if_requested(self) -> None:
        return None


Recipe = Callable[[dict[str, Any], dict[str, Any], Path, Emit], Pass]


def image_classifier(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from tui_dl.engine.trainers.images import ARCHITECTURES, LOADERS, compile_model, prepare

    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    x, y = limited(data.x_train, data.y_train, p.get("train_limit"))
    arch = ARCHITECTURES[spec["experiment"]](p)
    model = compile_model(arch, p["optimizer"], START, p["momentum"])
    x = prepare(x, tuple(model.inputs[0].shape[1:]))
    return Pass(model, x, keras.utils.to_categorical(y, 10), "images")


def tf_lowlevel(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from tui_dl.engine.trainers.images import LOADERS
    from tui_dl.engine.trainers.tf_lowlevel import RawNetwork, as_keras

    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    model = as_keras(RawNetwork(p["seed"], p["hidden_units"], p["hidden_layers"]))
    model.compile(optimizer=keras.optimizers.SGD(START), loss="sparse_categorical_crossentropy")
    x = data.x_train.reshape(-1, 784).astype(np.float32) / 255.0
    return Pass(model, x, data.y_train.astype(np.int64), "images")


def k_fold(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from sklearn.model_selection import StratifiedKFold

    from tui_dl.analysis.kfold import scaled_fold
    from tui_dl.engine.trainers.kfold import build_model

    if spec["experiment"] == "mammogram":
        from tui_dl.engine.trainers.mammogram import load_project_data

        data = load_project_data(spec, p["k"])  # type: ignore[arg-type]
        x, y = data.x, data.y
    else:
        from tui_dl.analysis.votes import load_votes

        votes = load_votes(spec.get("data_dir"))
        x, y = votes.x, votes.y
    folds = StratifiedKFold(p["k"], shuffle=True, random_state=p["seed"]).split(x, y)
    train_rows, test_rows = next(iter(folds))
    x_train, _, _ = scaled_fold(x, train_rows, test_rows)
    model = build_model(
        p["hidden"], p["activation"], p["optimizer"], START, 1, x.shape[1], p["momentum"]
    )
    return Pass(model, x_train.astype(np.float32), y[train_rows].astype(np.float32), "rows")


def imdb(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from tui_dl.data.reviews import load_imdb, pad
    from tui_dl.engine.export.templates.parts.imdb_model import build_lstm
    from tui_dl.engine.trainers.common import make_optimizer

    reviews = load_imdb(p["vocabulary"], spec.get("data_dir"), allow_download=True)
    x, y = limited(reviews.x_train, reviews.y_train, p.get("train_limit"))
    model = build_lstm(p)  # the run's network; compiled again at the pass's first rate
    model.compile(optimizer=make_optimizer("adam", START), loss="binary_crossentropy")
    cut = "start" if p["truncate"] == "start" else "end"
    return Pass(model, pad(x, p["maxlen"], cut), np.asarray(y, np.float32), "reviews")


def transfer_digits(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from tui_dl.engine.export.templates.parts.image_models import image_shape, prepare
    from tui_dl.engine.trainers.images import LOADERS
    from tui_dl.engine.trainers.transfer_digits import SPLIT, compile_model, conv_base, network

    data = LOADERS[p["dataset"]](spec.get("data_dir"), allow_download=True)
    first = data.y_train < SPLIT
    model = compile_model(network(conv_base(), "base_0_to_4", "old"), START)
    x = prepare(data.x_train[first], image_shape())
    return Pass(model, x, data.y_train[first], "images of 0–4")


def vae(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from tui_dl.engine.export.templates.parts.vae_model import VAE, build_decoder, build_encoder
    from tui_dl.engine.trainers.generative import load_images

    class OneBatchVAE(VAE):
        """The course's VAE, its own train step given the batch alone (`train_on_batch`
        hands a train step (x, y, weights), where `fit(x)` hands it x)."""

        def train_step(self, data: Any) -> dict[str, Any]:
            x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
            return super().train_step(x)

    images = load_images(spec, p, emit, NoCancel())  # type: ignore[arg-type]
    encoder, decoder = build_encoder(p["latent_dim"]), build_decoder(p["latent_dim"])
    model = OneBatchVAE(encoder, decoder, p["kl_weight"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=START))
    return Pass(model, images.x, None, "images")


def my_images(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    from tui_dl.engine.export.templates import my_images_keras as script
    from tui_dl.engine.trainers.my_images import bases
    from tui_dl.engine.trainers.my_images.features import features_of
    from tui_dl.engine.trainers.my_images.train import load_all, read_folder
    from tui_dl.engine.trainers.transfer_digits import compile_model

    cancel = NoCancel()
    pictures, split = read_folder(p, emit, cancel)
    runs = Path(spec.get("runs_dir") or folder.parent)
    base = bases.build(p, runs / folder.name, spec.get("data_dir"), emit)
    pixels = load_all(pictures, base, emit, cancel)
    labels = np.array(pictures.labels(), np.int64)
    train = np.array(split.train, np.int64)
    n_classes = len(pictures.classes)
    augment = script.augmentation(p["seed"]) if p["augment"] == "yes" else []
    if base.model is None:
        model = script.scratch_model(base.size[0], n_classes, p["dropout"], augment)
        return Pass(compile_model(model, START), pixels[train], labels[train], "pictures")
    head = script.head_layers(n_classes, p["dropout"])
    base.model.trainable = False
    if augment:
        model = compile_model(script.whole(base.model, head), START)
        return Pass(model, pixels[train], labels[train], "pictures")
    features, _ = features_of(folder, base.model, base.key, pictures, pixels, emit, cancel)
    head_model = keras.Sequential([keras.Input(features.shape[1:]), *head], name="head")
    return Pass(compile_model(head_model, START), features[train], labels[train], "pictures")


def limited(x: Any, y: Any, limit: int | None) -> tuple[Any, Any]:
    return (x[:limit], y[:limit]) if limit else (x, y)


RECIPES: dict[str, Recipe] = {
    "mnist-mlp": image_classifier,
    "mnist-mlp-dropout": image_classifier,
    "mnist-cnn": image_classifier,
    "tf-lowlevel": tf_lowlevel,
    "votes-kfold": k_fold,
    "mammogram": k_fold,
    "imdb-lstm": imdb,
    "transfer-digits": transfer_digits,
    "fashion-vae": vae,
    "my-images": my_images,
}
"""How the finder trains each experiment of `launch.SUPPORTED`."""


def the_pass(spec: dict[str, Any], p: dict[str, Any], folder: Path, emit: Emit) -> Pass:
    emit(Event.PHASE, phase="loading data")
    return RECIPES[spec["experiment"]](spec, p, folder, emit)
