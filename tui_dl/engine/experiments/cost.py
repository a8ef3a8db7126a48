"""What a run will cost on a CPU, said before it starts, and a smaller setup that fits.

The course trained its VAE and GAN on a GPU (about 10 and 30 minutes); on a laptop's CPU the
same 70,000 images × 30 epochs take hours. An experiment with a `Cost` knows its seconds of
training per image on a CPU — from this machine's own last finished CPU run of it when there
is one, else from the figure measured on a 2-core machine (benchmarks/generative.py,
BENCHMARKS.md §8) — so the lab and `tui-dl run` can say "about 3 h 10 min" and offer the same
model on fewer images and epochs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui_dl.engine.events import Event

LONG_S = 15 * 60
"""A CPU run longer than this is worth a word before it starts."""
SMALLER_S = 5 * 60
"""What the smaller setup aims at."""
SMALLER_EPOCHS = 5
MIN_IMAGES = 1000


@dataclass(frozen=True)
class Cost:
    cpu_s_per_image: float
    """Seconds of training per image per epoch on a 2-core CPU (BENCHMARKS.md §8)."""
    images: int
    """How many images a run without a train limit learns from."""
    steps_param: str = ""
    """A setting that multiplies the work per image (the GAN's discriminator steps: each
    costs about as much as the generator's one, so k steps cost (k + 1) / 2 of one)."""

    def factor(self, params: dict[str, Any]) -> float:
        if not self.steps_param:
            return 1.0
        return (int(params.get(self.steps_param, 1)) + 1) / 2

    def images_of(self, params: dict[str, Any]) -> int:
        limit = int(params.get("train_limit") or 0)
        return min(limit, self.images) if limit else self.images


@dataclass(frozen=True)
class Estimate:
    seconds: float
    per_image: float
    """Seconds per image per epoch, at one step of `steps_param`."""
    measured_here: bool
    images: int
    epochs: int

    @property
    def long(self) -> bool:
        return self.seconds > LONG_S

    def smaller(self, cost: Cost, params: dict[str, Any]) -> dict[str, int]:
        """Fewer epochs and images, the rest as set, to take about SMALLER_S."""
        epochs = min(self.epochs, SMALLER_EPOCHS)
        per_epoch_image = self.per_image * cost.factor(params)
        fit = SMALLER_S / max(1e-9, per_epoch_image * epochs)
        images = max(MIN_IMAGES, int(fit) // 1000 * 1000)
        return {"epochs": epochs, "train_limit": min(images, self.images)}

    def sentence(self) -> str:
        epochs = f"{self.epochs} epoch" + ("s" if self.epochs != 1 else "")
        work = f"{self.images:,} images × {epochs} at {1000 * self.per_image:.2f} ms"
        if self.measured_here:
            return f"about {duration(self.seconds)} on this CPU ({work} per image, its last run)"
        return (
            f"about {duration(self.seconds)} on a 2-core CPU ({work} per image as measured on "
            "one; a finished run here measures this machine)"
        )


def estimate(
    cost: Cost, params: dict[str, Any], past: Iterable[tuple[dict[str, Any], list[dict]]] = ()
) -> Estimate:
    """The CPU time of a run with these settings. `past`: (spec, events) of this experiment's
    earlier runs, newest first; the first finished CPU one gives the rate."""
    per_image, here = cost.cpu_s_per_image, False
    for spec, events in past:
        rate = measured_rate(cost, spec, events)
        if rate is not None:
            per_image, here = rate, True
            break
    images, epochs = cost.images_of(params), int(params.get("epochs", 1))
    seconds = per_image * cost.factor(params) * images * epochs
    return Estimate(seconds, per_image, here, images, epochs)


def measured_rate(cost: Cost, spec: dict[str, Any], events: list[dict]) -> float | None:
    """Seconds per image per epoch (at one step) of a finished CPU run, or None."""
    if spec.get("device", "cpu") != "cpu":
        return None
    finished = next((e for e in reversed(events) if e.get("event") == Event.FINISHED), None)
    started = next((e for e in events if e.get("event") == Event.STARTED), None)
    epochs = sum(1 for e in events if e.get("event") == Event.EPOCH_END)
    if not finished or not started or not epochs:
        return None
    train_s, n = finished.get("train_s"), started.get("n_train")
    if not isinstance(train_s, int | float) or not isinstance(n, int) or n <= 0:
        return None
    work = max(0.0, train_s - float(finished.get("watch_s") or 0.0))
    rate = work / (n * epochs) / cost.factor(spec.get("params", {}))
    return rate if math.isfinite(rate) and rate > 0 else None


def duration(seconds: float) -> str:
    """'a few seconds', '40 s', '12 min', '3 h 10 min'."""
    if seconds < 10:
        return "a few seconds"
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"
