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

The networks, the train step and the variety measures are the exported script's own code
(`export/templates/parts/gan_model.py`): a run and its script cannot drift apart.
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.artifacts import GenerativeSamples, save_samples
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.export.templates.parts.gan_model import (
    CLASSIFIER_IMAGES,
    GAN,
    PAIRS,
    build_gan,
    pixel_spread,
    train_classifier,
    variety,
    variety_noise,
)
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import begin, emit_started, fit_reported
from tui_dl.engine.trainers.generative import (
    as_pixels,
    fixed_noise,
    load_images,
    scaled,
)


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
        self.variety_noise = variety_noise(seed, gan.noise)
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
            measured, shares = variety(
                self.gan.generator, self.classifier, self.variety_noise, self.real_spread
            )
            logs.update(measured)
            self.shares.append(shares)
        self.seconds += time.monotonic() - started
        self.last_logs = {k: float(v) for k, v in (logs or {}).items()}

    def record(self) -> None:
        self.grids.append(as_pixels(self.gan.generator(self.noise, training=False)))
        save_samples(self.run_dir, GenerativeSamples(np.stack(self.grids), self.noise))


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

    gan = build_gan(p)
    noise = fixed_noise(p["seed"], p["noise_dim"])
    samples = Samples(run_dir, gan, noise, classifier, real_spread, p["seed"], cancel)
    models = {"generator": gan.generator, "discriminator": gan.discriminator}
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
