# %% The setup: the run's settings, and Keras seeded as the run was
# The course's variational autoencoder on Fashion-MNIST as a plain Keras script: the same
# images (train and test together, as the course trains it), encoder, decoder, loss, settings
# and seed as the run, and the same random draws in the same order (the run encoded its test
# images after every epoch to draw its latent space: so does this script, and throws the
# result away). Its measure is the run's: the losses on the first 512 test images. It needs
# keras (with TensorFlow), numpy, pandas and scikit-learn.
import argparse
import gzip
import json
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split

SETTINGS: dict = {}  # the run's settings (written here by the export)

keras.utils.set_random_seed(SETTINGS["seed"])

# %% The data
# include: data_path
# include: mnist_data
images = np.concatenate([x_train, x_test])  # the course trains on all 70,000
if SETTINGS["train_limit"]:
    images = images[: SETTINGS["train_limit"]]
images = (images.astype("float32") / 255.0)[..., None]
probe = (x_test[:2000].astype("float32") / 255.0)[..., None]  # what the run encoded each epoch


# %% The model: encoder → z = μ + σ·ε → decoder, its own train step
class Sampling(keras.layers.Layer):
    """z = μ + exp(½·log σ²)·ε, ε ~ N(0, 1): gradients flow through the random draw."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=tf.shape(z_mean))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


def build_encoder(latent_dim):
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(128, 3, activation="relu", strides=2, padding="same")(inputs)
    x = keras.layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(256, activation="relu")(x)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = keras.layers.Dense(latent_dim, name="z_log_var")(x)
    z = Sampling()((z_mean, z_log_var))
    return keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")


def build_decoder(latent_dim):
    inputs = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * 64, activation="relu")(inputs)
    x = keras.layers.Reshape((7, 7, 64))(x)
    x = keras.layers.Conv2DTranspose(128, 3, activation="relu", strides=2, padding="same")(x)
    x = keras.layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    outputs = keras.layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(inputs, outputs, name="decoder")


class VAE(keras.Model):
    """Loss = reconstruction (binary cross-entropy summed over the pixels) + weight × KL."""

    def __init__(self, encoder, decoder, kl_weight):
        super().__init__()
        self.encoder, self.decoder, self.kl_weight = encoder, decoder, kl_weight
        self.total_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_tracker, self.reconstruction_tracker, self.kl_tracker]

    def losses_of(self, data):
        z_mean, z_log_var, z = self.encoder(data)
        reconstruction = self.decoder(z)
        pixels = keras.losses.binary_crossentropy(data, reconstruction)
        reconstruction_loss = tf.reduce_mean(tf.reduce_sum(pixels, axis=(1, 2)))
        kl = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
        kl_loss = tf.reduce_mean(tf.reduce_sum(kl, axis=1))
        return reconstruction_loss + self.kl_weight * kl_loss, reconstruction_loss, kl_loss

    def train_step(self, data):
        with tf.GradientTape() as tape:
            total, reconstruction, kl = self.losses_of(data)
        grads = tape.gradient(total, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights, strict=True))
        self.total_tracker.update_state(total)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}


encoder, decoder = build_encoder(SETTINGS["latent_dim"]), build_decoder(SETTINGS["latent_dim"])
vae = VAE(encoder, decoder, SETTINGS["kl_weight"])
vae.compile(optimizer=keras.optimizers.Adam(learning_rate=SETTINGS["learning_rate"]))
encoder.summary()
decoder.summary()


# %% The training
class AsTheRunDid(keras.callbacks.Callback):
    """The run encoded its test images after every epoch (its latent space): the same draws
    here, so the next epoch's ε are the run's."""

    def on_epoch_end(self, epoch, logs=None):
        encoder.predict(probe, verbose=0, batch_size=512)


encoder.predict(probe, verbose=0, batch_size=512)  # the run's epoch 0 picture
vae.fit(
    images,
    None,
    batch_size=SETTINGS["batch_size"],
    epochs=SETTINGS["epochs"],
    verbose=2,
    shuffle=True,
    callbacks=[AsTheRunDid()],
)

# %% The evaluation: the losses on the first 512 test images, as JSON on the last line
total, reconstruction, kl = (float(v) for v in vae.losses_of(tf.constant(probe[:512])))
metrics = {"loss": total, "reconstruction_loss": reconstruction, "kl_loss": kl}
# include: report
