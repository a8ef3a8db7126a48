"""The course's generative adversarial network on Fashion-MNIST, watched as it learns.

The course's models: noise of 150 normal values; a generator Dense 7·7·256 → three
Conv2DTranspose (LeakyReLU) up to 28×28×1 (sigmoid); a discriminator Conv2D 256 → Conv2D 128
→ Flatten → Dense 64 → Dropout → Dense 1 (sigmoid). Binary cross-entropy, two Adam optimisers
with their own learning rates. Per batch: the discriminator learns real (1) from fake (0) —
`d_steps` times, as the original paper did more than once — then the generator learns to make
the discriminator say 1. Reported per epoch: the discriminator's loss and its accuracy on real
and on fake images, the generator's loss.

After every epoch the same fixed noise (saved with the run) is drawn into a grid of samples
(samples.npz), so the learner watches the same items go from blobs to shirts.
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from tui_dl.analysis.artifacts import GenerativeSamples, save_samples
from tui_dl.data.images import load_fashion_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.trainers.common import begin, fit_reported, summary_params
from tui_dl.engine.trainers.vae import as_pixels

SAMPLES = 16


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


class Samples(keras.callbacks.Callback):
    """After every epoch: the same noise through the generator, the grids written at once."""

    def __init__(self, run_dir: Any, generator: keras.Model, noise: np.ndarray) -> None:
        super().__init__()
        self.run_dir, self.generator, self.noise = run_dir, generator, noise
        self.grids: list[np.ndarray] = []
        self.seconds = 0.0
        self.last_logs: dict[str, float] = {}

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.last_logs = {k: float(v) for k, v in (logs or {}).items()}
        started = time.monotonic()
        self.record()
        self.seconds += time.monotonic() - started

    def record(self) -> None:
        self.grids.append(as_pixels(self.generator.predict(self.noise, verbose=0)))
        save_samples(self.run_dir, GenerativeSamples(np.stack(self.grids), self.noise))


def train(spec: dict[str, Any], emit, cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading data")
    data = load_fashion_mnist(spec.get("data_dir"), allow_download=True)
    images = np.concatenate([data.x_train, data.x_test])
    if p["train_limit"]:
        images = images[: p["train_limit"]]
    x = (images.astype("float32") / 255.0)[..., None]
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
    noise = np.random.default_rng(p["seed"]).normal(size=(SAMPLES, p["noise_dim"]))
    samples = Samples(run_dir, generator, noise.astype(np.float32))
    emit(
        Event.STARTED,
        devices=start.devices,
        device=spec["device"],
        dataset="fashion-mnist",
        data_source=data.describe(),
        n_train=int(len(x)),
        n_test=0,
        tf_version=keras.version(),
        model={
            "generator": summary_params(generator),
            "discriminator": summary_params(discriminator),
            "parameters": int(generator.count_params() + discriminator.count_params()),
        },
        reference=start.experiment.reference_fields(),
    )
    samples.record()  # epoch 0: noise through an untrained generator
    _, train_s = fit_reported(gan, x, None, None, p, emit, cancel, callbacks=[samples])
    emit(
        Event.FINISHED,
        metrics=samples.last_logs,
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        watch_s=round(samples.seconds, 2),
        artifacts={"samples": runfiles.SAMPLES, "log": runfiles.LOG},
        data_source=data.describe(),
        device=spec["device"],
    )
