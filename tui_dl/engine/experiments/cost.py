"""What a run will cost on a CPU, said before it starts, and a smaller setup that fits.

The course trained its VAE and GAN on a GPU (about 10 and 30 minutes); on a laptop's CPU the
same 70,000 images × 30 epochs take hours. An experiment with a `Cost` knows its seconds of
training per image on a CPU — from this machine's own last CPU run of it when there is one
(the speed that run's ETA was computed from), else from the figure measured on a 2-core
machine (benchmarks/generative.py, BENCHMARKS.md §8) — so the lab and `tui-dl run` can say
"about 3 h 10 min" and offer the same model on fewer images and epochs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui_dl.engine.events import Event, last_event

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
            return (
                f"about {duration(self.seconds)} on this CPU ({work} per image, the speed its "
                "last run here showed)"
            )
        return (
            f"about {duration(self.seconds)} on a 2-core CPU ({work} per image as measured on "
            "one; a run here measures this machine, and its ETA says how it compares)"
        )


def estimate(
    cost: Cost, params: dict[str, Any], past: Iterable[tuple[dict[str, Any], list[dict]]] = ()
) -> Estimate:
    """The CPU time of a run with these settings. `past`: (spec, events) of this experiment's
    earlier runs, newest first; the first CPU one that measured its speed gives the rate —
    the speed its ETA showed, so the offer and the next run's ETA agree."""
    per_image, here = cost.cpu_s_per_image, False
    for spec, events in past:
        rate = measured_rate(cost, spec, events)
        if rate is not None:
            per_image, here = rate, True
            break
    images, epochs = cost.images_of(params), int(params.get("epochs", 1))
    seconds = per_image * cost.factor(params) * images * epochs
    return Estimate(seconds, per_image, here, images, epochs)


MEASURED_S = 30.0
"""A run's speed counts once it has trained this long: before, tracing the model's first
step weighs too much in it."""


def measured_rate(cost: Cost, spec: dict[str, Any], events: list[dict]) -> float | None:
    """Seconds per image per epoch (at one step) of a CPU run, the same speed its own ETA was
    computed from: its last progress event's time since training began over the images
    trained on by then (the per-epoch pictures included, as the ETA counts them). A finished,
    a cancelled and a running run all count, once they have trained MEASURED_S; None else."""
    if spec.get("device", "cpu") != "cpu":
        return None
    started = next((e for e in events if e.get("event") == Event.STARTED), None)
    progress = last_event(events, Event.PROGRESS)
    if not started or not progress:
        return None
    n, elapsed = started.get("n_train"), progress.get("elapsed_s")
    epoch, samples = progress.get("epoch"), progress.get("samples")
    if not (isinstance(n, int) and isinstance(epoch, int) and isinstance(samples, int)):
        return None
    if not isinstance(elapsed, int | float):
        return None
    images = (epoch - 1) * n + samples
    if n <= 0 or images <= 0 or elapsed < MEASURED_S:
        return None
    rate = elapsed / images / cost.factor(spec.get("params", {}))
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
