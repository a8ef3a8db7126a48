# %% The setup: the run's settings, and Keras seeded as the run was
# The course's generative adversarial network on Fashion-MNIST as a plain Keras script: the
# same images (train and test together, as the course trains it), generator, discriminator,
# train step, settings and seed as the run, and the same random draws in the same order (the
# run trained its variety classifier first, then the GAN; after every epoch it measured the
# variety of a thousand samples: so does this script). Its last line holds what the run
# reported at its end: the last epoch's losses and the discriminator's accuracy on real and on
# fake images, the variety, and the classifier's accuracy. It needs keras (with TensorFlow),
# numpy, pandas and scikit-learn.
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
# include: all_images


def scaled(pictures):
    """uint8 (n, 28, 28) as the networks take them: float32 (n, 28, 28, 1) in [0, 1]."""
    return (pictures.astype("float32") / 255.0)[..., None]


images = scaled(images)

# %% The model: the generator, the discriminator, their train step, and the variety measures
# include: gan_model
# %% The variety classifier: trained before the GAN, as the run trained it
classifier, classifier_accuracy = train_classifier(
    scaled(x_train[:CLASSIFIER_IMAGES]), y_train[:CLASSIFIER_IMAGES], scaled(x_test), y_test
)
real_spread = pixel_spread(scaled(x_test[:PAIRS]))
print(f"variety classifier: test accuracy {classifier_accuracy:.4f}", file=sys.stderr)


# %% The training: the GAN built, then after every epoch the variety of the same samples
gan = build_gan(SETTINGS)
gan.generator.summary()
gan.discriminator.summary()


class Variety(keras.callbacks.Callback):
    """The run's measure after every epoch, added to the epoch's logs."""

    def __init__(self):
        super().__init__()
        self.noise = variety_noise(SETTINGS["seed"], SETTINGS["noise_dim"])
        self.last = {}

    def on_epoch_end(self, epoch, logs=None):
        measured, shares = variety(gan.generator, classifier, self.noise, real_spread)
        logs.update(measured)
        self.last = {name: float(value) for name, value in logs.items()}
        print(f"epoch {epoch + 1}: {measured['classes']:.2f} classes, shares {shares}")


watch = Variety()
gan.fit(
    images,
    None,
    batch_size=SETTINGS["batch_size"],
    epochs=SETTINGS["epochs"],
    verbose=2,
    shuffle=True,
    callbacks=[watch],
)

# %% The evaluation: the run's measures at its end, as JSON on the last line
metrics = {**watch.last, "classifier_accuracy": classifier_accuracy}
# include: report
