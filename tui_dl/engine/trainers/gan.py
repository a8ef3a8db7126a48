"""The course's generative adversarial network on Fashion-MNIST, watched as it learns.

The course's models: noise of 150 normal values; a generator Dense 7·7·256 → three
Conv2DTranspose (LeakyReLU) up to 28×28×1 (sigmoid); a discriminator Conv2D 256 → Conv2D 128
→ Flatten → Dense 64 → Dropout → Dense 1 (sigmoid). Binary cross-entropy, two Adam optimisers
with their own learning rates. Per batch: the discriminator learns real (1) from fake (0) —
`d_steps` times, as the original paper did more than once — then the generator learns to make
the discriminator say 1. Reported per epoch: the discriminator's loss and its accuracy on real
and on fake images, the generator's loss.

After every epoch the same fixed noise (saved with the run) is drawn into a grid of samples
(samples.npz), so the learner watches the same items go from blobs to shirts; and a thousand
fresh samples are measured for variety — which of the ten classes a small classifier (trained
here, on real images, before the GAN starts) finds among them, and how far apart they are
pixel by pixel, against real images — so mode collapse shows as a falling line.
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from tui_dl.analysis.artifacts import GenerativeSamples, save_samples
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started, fit_reported
from tui_dl.engine.trainers.generative import (
    as_pixels,
    fixed_noise,
    load_images,
    scaled,
)

VARIETY_SAMPLES = 1000
"""Fresh samples measured after every epoch."""
CLASSIFIER_IMAGES = 10_000
"""Real training images the variety classifier learns from (whatever the run's own limit)."""
PAIRS = 200
"""Images compared pairwise for the pixel spread (fake against fake, real against real)."""


def build_generator(noise: int) -> keras.Model:
    leaky = keras.layers.LeakyReLU
    return keras.Sequential(
        [
            keras.Input((noise,)),
            keras.layers.Dense(7 * 7 * 256),
            leaky(0.2),
            keras.layers.Reshape((7, 7, 256)),
            keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
            leaky(0.2),
            keras.layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
            leaky(0.2),
            keras.layers.Conv2DTranspose(1, 3, padding="same", activation="sigmoid"),
        ],
        name="generator",
    )


def build_discriminator() -> keras.Model:
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(256, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Conv2D(128, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="discriminator",
    )


class GAN(keras.Model):
    """Two networks, two optimisers, one train step: the discriminator first, then the
    generator against it."""

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        noise: int,
        d_steps: int,
        d_optimizer: keras.optimizers.Optimizer,
        g_optimizer: keras.optimizers.Optimizer,
    ) -> None:
        super().__init__()
        self.generator, self.discriminator = generator, discriminator
        self.noise, self.d_steps = noise, d_steps
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.bce = keras.losses.BinaryCrossentropy()
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in ("loss", "d_loss", "g_loss", "d_acc_real", "d_acc_fake")
        }

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def train_step(self, real: tf.Tensor) -> dict[str, tf.Tensor]:
        batch = tf.shape(real)[0]
        for _ in range(self.d_steps):
            fake = self.generator(tf.random.normal((batch, self.noise)))
            with tf.GradientTape() as tape:
                on_real = self.discriminator(real, training=True)
                on_fake = self.discriminator(fake, training=True)
                d_loss = self.bce(tf.ones_like(on_real), on_real) + self.bce(
                    tf.zeros_like(on_fake), on_fake
                )
            weights = self.discriminator.trainable_weights
            self.d_optimizer.apply_gradients(
                zip(tape.gradient(d_loss, weights), weights, strict=True)
            )
        with tf.GradientTape() as tape:
            on_fake = self.discriminator(
                self.generator(tf.random.normal((batch, self.noise)), training=True)
            )
            g_loss = self.bce(tf.ones_like(on_fake), on_fake)  # "say these are real"
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, weights), weights, strict=True))
        values = {
            "loss": d_loss + g_loss,
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_acc_real": tf.reduce_mean(tf.cast(on_real > 0.5, tf.float32)),
            "d_acc_fake": tf.reduce_mean(tf.cast(on_fake < 0.5, tf.float32)),
        }
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


def train_classifier(x: np.ndarray, y: np.ndarray, x_test: np.ndarray, y_test: np.ndarray):
    """A small MLP that names the class of a 28×28 image: the instrument that counts which
    classes a generator makes. Its test accuracy is reported with the run (about 0.85)."""
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="variety_classifier",
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=256, epochs=3, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, batch_size=1024, verbose=0)
    return model, float(accuracy)


def pixel_spread(images: np.ndarray) -> float:
    """Mean distance between two of these images (flattened): how unlike each other they are."""
    flat = images.reshape(len(images), -1).astype(np.float64)
    squares = (flat * flat).sum(axis=1)
    d2 = np.maximum(squares[:, None] + squares[None, :] - 2 * flat @ flat.T, 0.0)
    n = len(flat)
    return float(np.sqrt(d2).sum() / (n * (n - 1))) if n > 1 else 0.0


def class_variety(probabilities: np.ndarray) -> tuple[float, list[float]]:
    """The effective number of classes among these predictions — e^entropy of their class
    shares: 10 when all ten come equally often, 1 when every sample is one class — and the
    shares."""
    counts = np.bincount(probabilities.argmax(axis=1), minlength=10).astype(float)
    shares = counts / max(1.0, counts.sum())
    present = shares[shares > 0]
    return float(np.exp(-(present * np.log(present)).sum())), [round(float(v), 4) for v in shares]


class Samples(keras.callbacks.Callback):
    """After every epoch: the same noise through the generator, the grids written, and the
    variety of a thousand fresh samples added to the epoch's logs (`classes`, `spread`)."""

    def __init__(
        self,
        run_dir: Any,
        gan: GAN,
        noise: np.ndarray,
        classifier: keras.Model,
        real_spread: float,
        seed: int,
        cancel,
    ) -> None:
        super().__init__()
        self.run_dir, self.gan, self.noise = run_dir, gan, noise
        self.classifier, self.real_spread, self.cancel = classifier, real_spread, cancel
        self.variety_noise = (
            np.random.default_rng(seed + 1)
            .normal(size=(VARIETY_SAMPLES, gan.noise))
            .astype(np.float32)
        )
        self.grids: list[np.ndarray] = []
        self.seconds = 0.0
        self.last_logs: dict[str, float] = {}
        self.shares: list[list[float]] = []

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.cancel.check():
            return
        started = time.monotonic()
        self.record()
        if logs is not None:
            logs.update(self.variety())
        self.seconds += time.monotonic() - started
        self.last_logs = {k: float(v) for k, v in (logs or {}).items()}

    def record(self) -> None:
        self.grids.append(as_pixels(self.gan.generator(self.noise, training=False)))
        save_samples(self.run_dir, GenerativeSamples(np.stack(self.grids), self.noise))

    def variety(self) -> dict[str, float]:
        fakes = self.gan.generator.predict(self.variety_noise, verbose=0, batch_size=500)
        classes, shares = class_variety(self.classifier.predict(fakes, verbose=0, batch_size=500))
        self.shares.append(shares)
        spread = pixel_spread(fakes[:PAIRS]) / self.real_spread if self.real_spread else 0.0
        return {"classes": classes, "spread": spread}


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params
    images = load_images(spec, p, emit, cancel)
    data = images.data

    emit(Event.PHASE, phase="training the variety classifier")
    classifier, classifier_accuracy = train_classifier(
        scaled(data.x_train[:CLASSIFIER_IMAGES]),
        data.y_train[:CLASSIFIER_IMAGES],
        scaled(data.x_test),
        data.y_test,
    )
    real_spread = pixel_spread(scaled(data.x_test[:PAIRS]))
    cancel.raise_if_requested()

    generator, discriminator = build_generator(p["noise_dim"]), build_discriminator()
    gan = GAN(
        generator,
        discriminator,
        p["noise_dim"],
        p["d_steps"],
        d_optimizer=keras.optimizers.Adam(learning_rate=p["d_learning_rate"]),
        g_optimizer=keras.optimizers.Adam(learning_rate=p["learning_rate"]),
    )
    gan.compile()  # its train step steps its own two optimisers
    noise = fixed_noise(p["seed"], p["noise_dim"])
    samples = Samples(run_dir, gan, noise, classifier, real_spread, p["seed"], cancel)
    models = {"generator": generator, "discriminator": discriminator}
    emit_started(
        emit, spec, start, "fashion-mnist", images.data.describe(), models,
        n_train=int(len(images.x)), n_test=0,
    )  # fmt: skip
    samples.record()  # epoch 0: noise through an untrained generator
    _, train_s = fit_reported(gan, images.x, None, None, p, emit, cancel, before=[samples])
    emit(
        Event.FINISHED,
        metrics={**samples.last_logs, "classifier_accuracy": classifier_accuracy},
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        watch_s=round(samples.seconds, 2),
        artifacts={"samples": runfiles.SAMPLES, "log": runfiles.LOG},
        data_source=data.describe(),
        device=spec["device"],
    )
