"""The course's GAN, and how a run of it is measured: the fashion-gan trainer
(`trainers/gan.py`) builds and measures with these, and the exported script holds this code
(`gan_keras.py` includes it), so a run and its script cannot drift apart. Plain Keras and
numpy: nothing of tui-dl."""

import keras
import numpy as np
import tensorflow as tf

VARIETY_SAMPLES = 1000  # fresh samples measured after every epoch
CLASSIFIER_IMAGES = 10_000  # real training images the variety classifier learns from
PAIRS = 200  # images compared pairwise for the pixel spread (fake/fake, real/real)


def build_generator(noise):
    """Noise → Dense 7·7·256 → three Conv2DTranspose (LeakyReLU) up to 28×28×1 (sigmoid)."""
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


def build_discriminator():
    """28×28×1 → Conv2D 256 → Conv2D 128 → Flatten → Dense 64 → Dropout → Dense 1 (sigmoid)."""
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
    """Two networks, two optimisers, one train step: the discriminator learns real (1) from
    fake (0) `d_steps` times, then the generator learns to make it say 1."""

    def __init__(self, generator, discriminator, noise, d_steps, d_optimizer, g_optimizer):
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
    def metrics(self):
        return list(self.trackers.values())

    def train_step(self, real):
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


def build_gan(s):
    """The generator, the discriminator and the GAN that trains them, from the run's settings:
    each network its own Adam (`learning_rate` the generator's, `d_learning_rate` the other's)."""
    generator, discriminator = build_generator(s["noise_dim"]), build_discriminator()
    gan = GAN(
        generator,
        discriminator,
        s["noise_dim"],
        s["d_steps"],
        d_optimizer=keras.optimizers.Adam(learning_rate=s["d_learning_rate"]),
        g_optimizer=keras.optimizers.Adam(learning_rate=s["learning_rate"]),
    )
    gan.compile()  # its train step steps its own two optimisers
    return gan


def train_classifier(x, y, x_test, y_test):
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


def pixel_spread(images):
    """Mean distance between two of these images (flattened): how unlike each other they are."""
    flat = images.reshape(len(images), -1).astype(np.float64)
    squares = (flat * flat).sum(axis=1)
    d2 = np.maximum(squares[:, None] + squares[None, :] - 2 * flat @ flat.T, 0.0)
    n = len(flat)
    return float(np.sqrt(d2).sum() / (n * (n - 1))) if n > 1 else 0.0


def class_variety(probabilities):
    """The effective number of classes among these predictions — e^entropy of their class
    shares: 10 when all ten come equally often, 1 when every sample is one class — and the
    shares."""
    counts = np.bincount(probabilities.argmax(axis=1), minlength=10).astype(float)
    shares = counts / max(1.0, counts.sum())
    present = shares[shares > 0]
    return float(np.exp(-(present * np.log(present)).sum())), [round(float(v), 4) for v in shares]


def variety_noise(seed, noise):
    """The noise of the samples measured for variety, every epoch the same."""
    return np.random.default_rng(seed + 1).normal(size=(VARIETY_SAMPLES, noise)).astype(np.float32)


def variety(generator, classifier, noise, real_spread):
    """What the generator makes of `noise`, measured: how many classes the classifier finds
    among it (`class_variety`, and each class's share) and how unlike each other its samples
    are, against real images (`real_spread`, `pixel_spread` of real ones)."""
    fakes = generator.predict(noise, verbose=0, batch_size=500)
    classes, shares = class_variety(classifier.predict(fakes, verbose=0, batch_size=500))
    spread = pixel_spread(fakes[:PAIRS]) / real_spread if real_spread else 0.0
    return {"classes": classes, "spread": spread}, shares
