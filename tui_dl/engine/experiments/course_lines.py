"""The course's figure as a line on the lab's plots, where the course reports one per epoch
curve: the MLP's 98 % test accuracy, the VAE's total loss 313 → 266 over 32 epochs, the GAN's
discriminator still about 80 % right at the end (COURSE.md). Each line's value is the
experiment's `reference` figure; its label says what the course trained on when this run's
data is not that (the offline 5,000-digit sample, a training limit).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_dl.engine.experiments.catalogue import EXPERIMENTS


@dataclass(frozen=True)
class CourseLine:
    key: str
    """The epoch logs' name of the curve it belongs beside."""
    figure: str
    """The course's figure in words, for the label."""
    trained_on: str
    """What the course trained on."""
    train_size: int
    """How many training examples that was: a run whose data says as many is on the same."""


COURSE_LINES = {
    "mnist-mlp": CourseLine("accuracy", "98 % test", "full MNIST 60k", 60_000),
    "fashion-vae": CourseLine("loss", "313→266 in 32 ep.", "Fashion-MNIST 70k", 70_000),
    "fashion-gan": CourseLine("d_acc_real", "D ~80 %", "Fashion-MNIST 70k", 70_000),
}


def course_line(experiment: str, key: str, data_source: str | None) -> tuple[float, str] | None:
    """(value, label) of the course's line on the plot of `key`, or None where it has none.
    `data_source`: the run's data as its started event says it (None: not known yet)."""
    line = COURSE_LINES.get(experiment)
    if line is None or line.key != key:
        return None
    value = EXPERIMENTS[experiment].reference.value
    if value is None:
        return None
    label = f"course {line.figure}"
    if not data_source or f"{line.train_size:,} train" not in data_source:
        label += f", on {line.trained_on}"
    return value, label
