"""The course's notebook code as a plain script: its VAE or its GAN on Fashion-MNIST, trained
by `model.fit` with the notebook's own `train_step` (a GradientTape), nothing else — no events,
no sample grids, no run folder. The baseline for `generative.py`.

Written from the course's description (shared/COURSE.md), not from tui-dl's trainers: the
same layers, losses, optimisers, batch sizes and data (train + test together, the first N
images). Run as its own process so it pays its own TensorFlow start and shares no state.
Prints one JSON object on its last stdout line: the per-epoch wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import keras
import numpy as np
import tensorflow as tf

from tui_dl.data.images import load_fashion_mnist

layers = keras.layers


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=tf.shape(z_mean))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


class VAE(keras.Model):
    def __init__(self, latent_dim: int = 2, kl_weight: float = 3.0) -> None:
        super().__init__()
        inputs = keras.Input(shape=(28, 28, 1))
        x = layers.Conv2D(128, 3, activation="relu", strides=2, padding="same")(inputs)
        x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
        x = layers.Dense(256, activation="relu")(layers.Flatten()(x))
        z_mean = layers.Dense(latent_dim)(x)
        z_log_var = layers.Dense(latent_dim)(x)
        self.encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])
        latent = keras.Input(shape=(latent_dim,))
        y = layers.Reshape((7, 7, 64))(layers.Dense(7 * 7 * 64, activation="relu")(latent))
        y = layers.Conv2DTranspose(128, 3, activation="relu", strides=2, padding="same")(y)
        y = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(y)
        out = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(y)
        self.decoder = keras.Model(latent, out)
        self.kl_weight = kl_weight
        self.total = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.total]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            rec = tf.reduce_mean(
                tf.reduce_sum(keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2))
            )
            kl = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
            loss = rec + self.kl_weight * tf.reduce_mean(tf.reduce_sum(kl, axis=1))
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights, strict=True))
        self.total.update_state(loss)
        return {"loss": self.total.result()}


class GAN(keras.Model):
    def __init__(self, noise: int = 150) -> None:
        super().__init__()
        self.noise = noise
        self.generator = keras.Sequential(
            [
                keras.Input((noise,)),
                layers.Dense(7 * 7 * 256),
                layers.LeakyReLU(0.2),
                layers.Reshape((7, 7, 256)),
                layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
                layers.LeakyReLU(0.2),
                layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
                layers.LeakyReLU(0.2),
                layers.Conv2DTranspose(1, 3, padding="same", activation="sigmoid"),
            ]
        )
        self.discriminator = keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Conv2D(256, 3, strides=2, padding="same", activation="relu"),
                layers.Conv2D(128, 3, strides=2, padding="same", activation="relu"),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dropout(0.5),
                layers.Dense(1, activation="sigmoid"),
            ]
        )
        self.d_optimizer = keras.optimizers.Adam(0.0002)
        self.g_optimizer = keras.optimizers.Adam(0.0002)
        self.bce = keras.losses.BinaryCrossentropy()
        self.d_tracker = keras.metrics.Mean(name="d_loss")

    @property
    def metrics(self):
        return [self.d_tracker]

    def train_step(self, real):
        batch = tf.shape(real)[0]
        fake = self.generator(tf.random.normal((batch, self.noise)))
        with tf.GradientTape() as tape:
            on_real = self.discriminator(real, training=True)
            on_fake = self.discriminator(fake, training=True)
            d_loss = self.bce(tf.ones_like(on_real), on_real) + self.bce(
                tf.zeros_like(on_fake), on_fake
            )
        d_weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(
            zip(tape.gradient(d_loss, d_weights), d_weights, strict=True)
        )
        with tf.GradientTape() as tape:
            judged = self.discriminator(
                self.generator(tf.random.normal((batch, self.noise)), training=True)
            )
            g_loss = self.bce(tf.ones_like(judged), judged)
        g_weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(
            zip(tape.gradient(g_loss, g_weights), g_weights, strict=True)
        )
        self.d_tracker.update_state(d_loss)
        return {"d_loss": self.d_tracker.result()}


class EpochTimer(keras.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.durations: list[float] = []
        self._begin = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._begin = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        self.durations.append(time.monotonic() - self._begin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("vae", "gan"), required=True)
    parser.add_argument("--images", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    keras.utils.set_random_seed(42)
    data = load_fashion_mnist(os.environ.get("TUI_DL_DATA"), allow_download=True)
    images = np.concatenate([data.x_train, data.x_test])[: args.images]
    x = (images.astype("float32") / 255.0)[..., None]
    if args.model == "vae":
        model, batch = VAE(), 128
        model.compile(optimizer=keras.optimizers.Adam(0.001))
    else:
        model, batch = GAN(), 64
        model.compile()
    timer = EpochTimer()
    model.fit(x, batch_size=batch, epochs=args.epochs, verbose=0, callbacks=[timer])
    print(json.dumps({"n_train": len(x), "epoch_durations": timer.durations}))


if __name__ == "__main__":
    main()
