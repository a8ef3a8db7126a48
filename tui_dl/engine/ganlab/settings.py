"""A GAN Lab setup: the real points, the noise, both networks' sizes and how each learns.

One frozen value: the screen, the command line and the tests change it through `with_`,
which refuses what cannot be (saying why) and leaves the setup as it was. The defaults are
ones that learn: on the line within a few hundred iterations, on the ring within a few
thousand (tests/test_ganlab_engine.py holds them to it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tui_dl.engine.experiments.params import SEED_MAX
from tui_dl.engine.ganlab.datasets import DATASETS
from tui_dl.engine.ganlab.optimizers import OPTIMIZERS

SOURCES = (*DATASETS, "csv")
"""Where the real points come from: a built-in shape, or the learner's CSV (`csv`)."""
NOISES = ("uniform", "normal")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
MAX_STEPS = 10
MAX_LAYERS = 4
MAX_NEURONS = 64
LIVE = {"d_learning_rate", "g_learning_rate", "d_steps", "g_steps", "optimizer"}
"""Changed while it trains, as in GAN Lab: the networks go on from where they are."""


class SettingError(ValueError):
    """A setup that cannot be: the message says which value and why."""


@dataclass(frozen=True)
class GanSettings:
    dataset: str = "ring"
    """One of SOURCES: `csv` takes the points from the file `csv` names."""
    csv: str = ""
    """The learner's CSV of x,y rows (its path), or ''; kept when another dataset is chosen,
    so that the arrows can come back to it."""
    noise: str = "uniform"
    """The generator's 2-D input: uniform on [−1, 1]², or standard normal."""
    optimizer: str = "sgd"
    """Both networks' optimiser, `sgd` or `adam` (each network has its own), GAN Lab's SGD."""
    d_learning_rate: float = 0.3
    """The discriminator learns faster than the generator, so that the verdict G follows
    stays up to date: with 0.3 and 0.1 the line is learnt within 300 iterations and the ring
    within a few thousand, where 0.1 and 0.1 takes about twice as long."""
    g_learning_rate: float = 0.1
    d_steps: int = 1
    """Discriminator updates per iteration, made before the generator's."""
    g_steps: int = 1
    """Generator updates per iteration."""
    g_layers: int = 2
    g_neurons: int = 16
    g_activation: str = "relu"
    """The generator's hidden layers: ReLU (as GAN Lab's), which folds and bends the plane
    of noise piece by piece."""
    d_layers: int = 2
    d_neurons: int = 16
    d_activation: str = "tanh"
    """The discriminator's: tanh, which levels off far from the points. With ReLU its verdict
    grows without end in some direction, and on long runs (the line, 5000 iterations) the
    fakes followed it off the plane."""
    batch_size: int = 128
    """Real points and noise values per update."""
    seed: int = 1
    """Everything drawn (the points, the first weights, every batch) follows from it."""

    def with_(self, **changes: object) -> GanSettings:
        new = dataclasses.replace(self, **changes)  # type: ignore[arg-type]
        new.check()
        return new

    def check(self) -> None:
        """Raise SettingError naming the first value that cannot be."""
        choices = {
            "dataset": SOURCES,
            "noise": NOISES,
            "optimizer": OPTIMIZERS,
            "g_activation": ACTIVATIONS,
            "d_activation": ACTIVATIONS,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                value = getattr(self, name)
                raise SettingError(f"{name}={value}: one of {', '.join(allowed)}")
        for name in ("d_learning_rate", "g_learning_rate"):
            rate = getattr(self, name)
            if not isinstance(rate, int | float) or not 0 < rate <= 10:
                raise SettingError(f"{name}={rate}: must be above 0 and at most 10")
        for name, low, high in (
            ("d_steps", 0, MAX_STEPS),
            ("g_steps", 0, MAX_STEPS),
            ("g_layers", 1, MAX_LAYERS),
            ("d_layers", 1, MAX_LAYERS),
            ("g_neurons", 1, MAX_NEURONS),
            ("d_neurons", 1, MAX_NEURONS),
            ("batch_size", 1, 1024),
            ("seed", 0, SEED_MAX),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise SettingError(f"{name}={value}: must be a whole number {low} to {high}")
        if self.dataset == "csv" and not self.csv:
            raise SettingError("dataset=csv: no CSV file chosen yet (ctrl+o picks one)")
        if self.d_steps == 0 and self.g_steps == 0:
            raise SettingError("0 discriminator and 0 generator steps: nothing would learn")
