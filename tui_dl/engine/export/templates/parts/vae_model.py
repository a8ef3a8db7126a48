"""The course's variational autoencoder: the fashion-vae trainer (`trainers/vae.py`) builds
with these, and the exported script holds this code (`vae_keras.py` includes it), so a run and
its script cannot drift apart. Plain Keras and TensorFlow: nothing of tui-dl."""

import keras
import tensorflow as tf


class Sampling(keras.layers.Layer):
    """z = μ + exp(½·log σ²)·ε, ε ~ N(0, 1): the reparameterisation that lets gradients flow
    through the random draw."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=tf.shape(z_mean))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


def build_encoder(latent_dim):
    """28×28×1 → Conv2D 128 → Conv2D 64 → Flatten → Dense 256 → (z_mean, z_log_var, z)."""
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
    """z → Dense 7·7·64 → Conv2DTranspose 128 → 64 → 1 (sigmoid): a 28×28 picture."""
    inputs = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * 64, activation="relu")(inputs)
    x = keras.layers.Reshape((7, 7, 64))(x)
    x = keras.layers.Conv2DTranspose(128, 3, activation="relu", strides=2, padding="same")(x)
    x = keras.layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    outputs = keras.layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(inputs, outputs, name="decoder")


class VAE(keras.Model):
    """Loss = reconstruction (binary cross-entropy summed over the pixels) + weight × KL, each
    tracked apart: the course's own train step."""

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
        pixels = keras.losses.binary_crossentropy(data, reconstruction)  # (batch, 28, 28)
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


def build_vae(latent_dim, kl_weight, rate):
    """The encoder, the decoder and the VAE that trains them, compiled with Adam at `rate`."""
    vae = VAE(build_encoder(latent_dim), build_decoder(latent_dim), kl_weight)
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate=rate))
    return vae
