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
# include: all_images
images = (images.astype("float32") / 255.0)[..., None]
probe = (x_test[:2000].astype("float32") / 255.0)[..., None]  # what the run encoded each epoch


# %% The model: encoder → z = μ + σ·ε → decoder, its own train step
# include: vae_model
vae = build_vae(SETTINGS["latent_dim"], SETTINGS["kl_weight"], SETTINGS["learning_rate"])
encoder, decoder = vae.encoder, vae.decoder
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
