"""The course's variational autoencoder on Fashion-MNIST, watched as it learns.

The course's model: an encoder Conv2D 128 → Conv2D 64 → Flatten → Dense 256 → (z_mean,
z_log_var) of the latent dimension; the sampling layer z = μ + exp(½·log σ²)·ε; a decoder
Dense 7·7·64 → Conv2DTranspose 128 → 64 → 1 (sigmoid). Its own `train_step` with a
GradientTape: reconstruction (binary cross-entropy summed over the pixels) + KL weight × KL
divergence, each tracked apart and reported every epoch. Adam; on train + test together
(70,000 images), as the course trains it.

After every epoch it decodes the same fixed noise (saved with the run) into a grid of samples,
encodes test images to their latent means and decodes a grid over the latent plane, so the
screens draw all of it without TensorFlow (samples.npz, latent.npz).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from tui_dl.analysis.artifacts import GenerativeSamples, LatentSpace, save_latent, save_samples
from tui_dl.data.images import load_fashion_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.trainers.common import begin, fit_reported, summary_params

SAMPLES = 16
"""Images in each epoch's grid: the same noise every epoch."""
LATENT_POINTS = 2000
"""Test images encoded for the latent scatter."""
MANIFOLD = 24
"""The decoded grid over the latent plane: MANIFOLD × MANIFOLD images."""
SPAN = 3.0
"""The latent plane drawn: [−SPAN, SPAN]² (the prior's ±3σ)."""


class Sampling(keras.layers.Layer):
    """z = μ + exp(½·log σ²)·ε, ε ~ N(0, 1): the reparameterisation that lets gradients
    flow through the random draw."""

    def call(self, inputs: tuple[tf.Tensor, tf.Tensor]) -> tf.Tensor:
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=tf.shape(z_mean))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


def build_encoder(latent_dim: int) -> keras.Model:
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(128, 3, activation="relu", strides=2, padding="same")(inputs)
    x = keras.layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(256, activation="relu")(x)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = keras.layers.Dense(latent_dim, name="z_log_var")(x)
    z = Sampling()((z_mean, z_log_var))
    return keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")


def build_decoder(latent_dim: int) -> keras.Model:
    inputs = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * 64, activation="relu")(inputs)
    x = keras.layers.Reshape((7, 7, 64))(x)
    x = keras.layers.Conv2DTranspose(128, 3, activation="relu", strides=2, padding="same")(x)
    x = keras.layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    outputs = keras.layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(inputs, outputs, name="decoder")


class VAE(keras.Model):
    """The course's custom model: its own train step and three loss trackers."""

    def __init__(self, encoder: keras.Model, decoder: keras.Model, kl_weight: float) -> None:
        super().__init__()
        self.encoder, self.decoder, self.kl_weight = encoder, decoder, kl_weight
        self.total_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.total_tracker, self.reconstruction_tracker, self.kl_tracker]

    def losses_of(self, data: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        z_mean, z_log_var, z = self.encoder(data)
        reconstruction = self.decoder(z)
        pixels = keras.losses.binary_crossentropy(data, reconstruction)  # (batch, 28, 28)
        reconstruction_loss = tf.reduce_mean(tf.reduce_sum(pixels, axis=(1, 2)))
        kl = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
        kl_loss = tf.reduce_mean(tf.reduce_sum(kl, axis=1))
        return reconstruction_loss + self.kl_weight * kl_loss, reconstruction_loss, kl_loss

    def train_step(self, data: tf.Tensor) -> dict[str, tf.Tensor]:
        with tf.GradientTape() as tape:
            total, reconstruction, kl = self.losses_of(data)
        grads = tape.gradient(total, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights, strict=True))
        self.total_tracker.update_state(total)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}


def as_pixels(images: np.ndarray) -> np.ndarray:
    """Decoder outputs (…, 28, 28, 1) in [0, 1] as uint8 (…, 28, 28): small to keep."""
    return np.clip(np.asarray(images)[..., 0] * 255 + 0.5, 0, 255).astype(np.uint8)


class Watch(keras.callbacks.Callback):
    """After every epoch: the fixed noise's samples and the latent space, written at once."""

    def __init__(
        self, run_dir: Path, vae: VAE, noise: np.ndarray, probe: np.ndarray, labels: np.ndarray
    ) -> None:
        super().__init__()
        self.run_dir, self.vae, self.noise = run_dir, vae, noise
        self.probe, self.labels = probe, labels
        self.grids: list[np.ndarray] = []
        self.seconds = 0.0
        """Time spent here, to report against the epochs' own."""

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        started = time.monotonic()
        self.record()
        self.seconds += time.monotonic() - started

    def record(self) -> None:
        decoder, encoder = self.vae.decoder, self.vae.encoder
        self.grids.append(as_pixels(decoder.predict(self.noise, verbose=0)))
        save_samples(self.run_dir, GenerativeSamples(np.stack(self.grids), self.noise))
        means = encoder.predict(self.probe, verbose=0, batch_size=512)[0]
        axis = np.linspace(SPAN, -SPAN, MANIFOLD)  # rows from the top: the second latent high
        plane = np.zeros((MANIFOLD * MANIFOLD, self.noise.shape[1]), dtype=np.float32)
        plane[:, 0] = np.tile(axis[::-1], MANIFOLD)
        if plane.shape[1] > 1:
            plane[:, 1] = np.repeat(axis, MANIFOLD)
        decoded = as_pixels(decoder.predict(plane, verbose=0, batch_size=512))
        save_latent(
            self.run_dir,
            LatentSpace(
                means.astype(np.float32),
                self.labels,
                decoded.reshape(MANIFOLD, MANIFOLD, 28, 28),
                SPAN,
                len(self.grids),
            ),
        )


def train(spec: dict[str, Any], emit, cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading data")
    data = load_fashion_mnist(spec.get("data_dir"), allow_download=True)
    images = np.concatenate([data.x_train, data.x_test])  # the course trains on all 70,000
    if p["train_limit"]:
        images = images[: p["train_limit"]]
    x = (images.astype("float32") / 255.0)[..., None]
    probe_count = min(LATENT_POINTS, len(data.x_test))
    probe = (data.x_test[:probe_count].astype("float32") / 255.0)[..., None]
    cancel.raise_if_requested()

    encoder, decoder = build_encoder(p["latent_dim"]), build_decoder(p["latent_dim"])
    vae = VAE(encoder, decoder, p["kl_weight"])
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate=p["learning_rate"]))
    noise = np.random.default_rng(p["seed"]).normal(size=(SAMPLES, p["latent_dim"]))
    watch = Watch(run_dir, vae, noise.astype(np.float32), probe, data.y_test[:probe_count])
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
            "encoder": summary_params(encoder),
            "decoder": summary_params(decoder),
            "parameters": int(encoder.count_params() + decoder.count_params()),
        },
        reference=start.experiment.reference_fields(),
    )
    watch.record()  # epoch 0: what the untrained decoder makes of the noise
    _, train_s = fit_reported(vae, x, None, None, p, emit, cancel, callbacks=[watch])

    emit(Event.PHASE, phase="measuring")
    total, reconstruction, kl = (float(v) for v in vae.losses_of(tf.constant(probe[:512])))
    emit(
        Event.FINISHED,
        metrics={
            "loss": total,
            "reconstruction_loss": reconstruction,
            "kl_loss": kl,
        },
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        watch_s=round(watch.seconds, 2),
        artifacts={"samples": runfiles.SAMPLES, "latent": runfiles.LATENT, "log": runfiles.LOG},
        data_source=data.describe(),
        device=spec["device"],
    )
