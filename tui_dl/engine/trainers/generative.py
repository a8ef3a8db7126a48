"""What the VAE and the GAN trainers share: the course's 70,000 Fashion-MNIST images, the
fixed noise of the sample grids, and images kept small.

Both learn from the training and the test images together, as the course does (they need no
labels, so nothing is held out); the labels stay at hand for what measures a run (the VAE's
latent scatter by class, the GAN's variety of classes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tui_dl.data.images import ImageData, load_fashion_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event

SAMPLES = 16
"""Images in each epoch's grid: the same noise every epoch."""


@dataclass
class Images:
    x: np.ndarray
    """(n, 28, 28, 1) float32 in [0, 1]: what the model learns from."""
    data: ImageData
    """The dataset as loaded (its test images and labels measure the run)."""


def load_images(spec: runfiles.TrainerSpec, p: dict[str, Any], emit, cancel) -> Images:
    emit(Event.PHASE, phase="loading data")
    data = load_fashion_mnist(spec.get("data_dir"), allow_download=True)
    images = np.concatenate([data.x_train, data.x_test])  # the course trains on all 70,000
    if p["train_limit"]:
        images = images[: p["train_limit"]]
    cancel.raise_if_requested()
    return Images(scaled(images), data)


def scaled(images: np.ndarray) -> np.ndarray:
    """uint8 (n, 28, 28) as the models take them: float32 (n, 28, 28, 1) in [0, 1]."""
    return (images.astype("float32") / 255.0)[..., None]


def fixed_noise(seed: int, size: int) -> np.ndarray:
    """The noise the grids are drawn from, every epoch the same (saved with the run)."""
    return np.random.default_rng(seed).normal(size=(SAMPLES, size)).astype(np.float32)


def as_pixels(images: Any) -> np.ndarray:
    """Model outputs (…, 28, 28, 1) in [0, 1] as uint8 (…, 28, 28): small to keep."""
    return np.clip(np.asarray(images)[..., 0] * 255 + 0.5, 0, 255).astype(np.uint8)
