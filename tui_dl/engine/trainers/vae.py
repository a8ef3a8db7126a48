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

The networks and the train step are the exported script's own code
(`export/templates/parts/vae_model.py`): a run and its script cannot drift apart.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from tui_dl.analysis.artifacts import GenerativeSamples, LatentSpace, save_latent, save_samples
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.export.templates.parts.vae_model import VAE, build_vae
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started, fit_reported
from tui_dl.engine.trainers.generative import (
    as_pixels,
    fixed_noise,
    load_images,
    scaled,
)

LATENT_POINTS = 2000
"""Test images encoded for the latent scatter."""
REAL_IMAGES = 64
"""Of those, the first ones kept with their reconstructions, to pick from."""
MANIFOLD = 31
"""The decoded grid over the latent plane: MANIFOLD × MANIFOLD images, 0.2 apart, fine enough
for the latent screen's cursor to show an image wherever it stands (from the centre, 0, 0),
with no TensorFlow in the UI."""
SPAN = 3.0
"""The latent plane drawn: [−SPAN, SPAN]² (the prior's ±3σ)."""


class Watch(keras.callbacks.Callback):
    """After every epoch: the fixed noise's samples and the latent space, written before the
    epoch's event announces them."""

    def __init__(
        self,
        run_dir: Path,
        vae: VAE,
        noise: np.ndarray,
        probe: np.ndarray,
        labels: np.ndarray,
        cancel,
    ) -> None:
        super().__init__()
        self.run_dir, self.vae, self.noise, self.cancel = run_dir, vae, noise, cancel
        self.probe, self.labels = probe, labels
        self.grids: list[np.ndarray] = []
        self.seconds = 0.0
        """Time spent here, to report against the epochs' own."""
        axis = np.linspace(-SPAN, SPAN, MANIFOLD)
        self.plane = np.zeros((MANIFOLD * MANIFOLD, noise.shape[1]), dtype=np.float32)
        self.plane[:, 0] = np.tile(axis, MANIFOLD)  # row by row from the top: y high first
        if noise.shape[1] > 1:
            self.plane[:, 1] = np.repeat(axis[::-1], MANIFOLD)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.cancel.check():  # stopping: the epoch is not whole
            return
        started = time.monotonic()
        self.record()
        self.seconds += time.monotonic() - started

    def record(self) -> None:
        decoder, encoder = self.vae.decoder, self.vae.encoder
        self.grids.append(as_pixels(decoder(self.noise, training=False)))
        save_samples(self.run_dir, GenerativeSamples(np.stack(self.grids), self.noise))
        means = encoder.predict(self.probe, verbose=0, batch_size=512)[0]
        decoded = as_pixels(decoder.predict(self.plane, verbose=0, batch_size=512))
        real = self.probe[:REAL_IMAGES]
        save_latent(
            self.run_dir,
            LatentSpace(
                means.astype(np.float32),
                self.labels,
                decoded.reshape(MANIFOLD, MANIFOLD, 28, 28),
                SPAN,
                len(self.grids) - 1,
                as_pixels(real),
                as_pixels(decoder(means[: len(real)], training=False)),
            ),
        )


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params
    images = load_images(spec, p, emit, cancel)
    test = images.data
    probe_count = min(LATENT_POINTS, len(test.x_test))
    probe = scaled(test.x_test[:probe_count])

    vae = build_vae(p["latent_dim"], p["kl_weight"], p["learning_rate"])
    encoder, decoder = vae.encoder, vae.decoder
    noise = fixed_noise(p["seed"], p["latent_dim"])
    watch = Watch(run_dir, vae, noise, probe, test.y_test[:probe_count], cancel)
    models = {"encoder": encoder, "decoder": decoder}
    emit_started(
        emit, spec, start, "fashion-mnist", images.data.describe(), models,
        n_train=int(len(images.x)), n_test=0,
    )  # fmt: skip
    watch.record()  # epoch 0: what the untrained decoder makes of the noise
    _, train_s = fit_reported(vae, images.x, None, None, p, emit, cancel, before=[watch])

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
        data_source=test.describe(),
        device=spec["device"],
    )
