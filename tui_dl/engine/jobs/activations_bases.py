"""Which of a model's layers came from a pretrained base, and which of a deep base's layers the
activations view keeps. Plain Python on layer names and types (no TensorFlow), so the choice
is tested on its own.

A base is either a model nested in the run's model (its layers are grouped under its name by
the job) or, for the experiments that flatten their base into the model so that Grad-CAM
finds its last convolution, the layers `flat_base` names: my-images' network between its
preprocessing and its new head, transfer-digits' convolutions taught on digits 0–4.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui_dl.engine.experiments.my_images import RUN_PREFIX

MAX_KEPT = 16
"""The most layers of one base the view keeps (a MobileNetV2 has 150 and more)."""
SHOWN_KINDS = (
    "Conv",
    "Pooling",
    "ReLU",
    "Activation",
    "Add",
    "Concatenate",
    "Flatten",
)
"""Kinds of layer (parts of their Keras class names) whose outputs a deep base's selection is
drawn from: convolutions, poolings, activations and the joins of branches; batch
normalizations, paddings and dropouts are left out of it."""
MY_IMAGES_OWN = ("pixels", "preprocess", "augment_", "head_")
"""my-images' layers around its base: the pictures in, their scaling, augmentation, the head."""
TRANSFER_BASE = ("conv_1", "pool_1", "conv_2", "pool_2", "features")
"""transfer-digits' transferred layers (`trainers.transfer_digits.conv_base`)."""


def flat_base(spec: dict[str, Any], names: Sequence[str]) -> tuple[str, set[str]]:
    """The base's name in words and which of `names` (a flat model's layers) are its layers;
    ("", empty) when the run's model has no base flattened into it."""
    experiment, p = spec.get("experiment"), spec.get("params") or {}
    if experiment == "my-images" and str(p.get("base", "scratch")) != "scratch":
        base = str(p["base"])
        title = f"run {base[len(RUN_PREFIX) :]}'s layers" if base.startswith(RUN_PREFIX) else base
        return title, {name for name in names if not name.startswith(MY_IMAGES_OWN)}
    if experiment == "transfer-digits":
        return "base from digits 0–4", {name for name in names if name in TRANSFER_BASE}
    return "", set()


def selection(types: Sequence[str], most: int = MAX_KEPT) -> list[int]:
    """Which of a base's layers (their Keras class names, in order) are kept: all when they
    are `most` or fewer; else those of `SHOWN_KINDS`, spread evenly over the base when there
    are still too many, its last layer (the base's output) always among them."""
    n = len(types)
    if n <= most:
        return list(range(n))
    chosen = [i for i, kind in enumerate(types) if any(k in kind for k in SHOWN_KINDS)]
    if n - 1 not in chosen:
        chosen.append(n - 1)
    if len(chosen) <= most:
        return chosen
    picks = {chosen[round(j * (len(chosen) - 1) / (most - 1))] for j in range(most)}
    return sorted(picks)
