"""One GAN Lab: its real points, its two networks, and training them a step at a time.

What the screen, the command line and the tests all drive. Nothing here knows about Textual;
the screen trains in a worker thread and reads `snapshot()`s.

An iteration is GAN Lab's: `d_steps` discriminator updates, then `g_steps` generator updates.
`step_d()` and `step_g()` make one update of either outside that rhythm (the learner's own
moves); `advance()` makes the next update of the current iteration, for slow motion.

Each update draws a fresh batch: real points picked from the set, noise from the noise's
distribution. What is shown is measured on fixed draws instead (the same noise every frame),
so a fake point on the screen is the same noise value's image from frame to frame and its
movement is the generator's learning, not a new sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tui_dl.engine.ganlab.datasets import RealPoints, generate, load_csv
from tui_dl.engine.ganlab.model import Gan
from tui_dl.engine.ganlab.optimizers import Optimizer
from tui_dl.engine.ganlab.settings import GanSettings

MEASURED = 1000
"""Fixed noise values whose images the metrics are measured on."""
SHOWN_FAKE, SHOWN_REAL = 300, 450
"""How many of each are drawn (GAN Lab shows 450 real points)."""
MANIFOLD_LINES, MANIFOLD_POINTS = 11, 41
"""The noise grid whose image is the generator's manifold: lines each way, points a line."""
KL_CELLS = 10
"""The KL divergence compares the two sets' shares of a KL_CELLS² grid over the plane."""
NORMAL_SPAN = 2.0
"""The normal noise's manifold is drawn over [−2, 2]² (95 % of its values per axis)."""
FLOWN = 25.0
"""Fakes this far out (25 times the plane's half-width) mean the generator has been flung
off: its learning rate overshoots, and it will not come back."""


@dataclass
class GanMetrics:
    d_loss: float
    """On the last discriminator update's batch, just before that update (before any
    update: on the fixed draws)."""
    g_loss: float
    """The same for the generator."""
    d_on_real: float
    """D's mean verdict on real points: 1 is sure they are real."""
    d_on_fake: float
    """D's mean verdict on fakes: 0 is sure they are fake, ½ cannot tell."""
    distance: float
    """Mean distance from a fake point to the nearest real one."""
    kl: float
    """KL(real ‖ fake) over a grid of cells: 0 when both fill the cells alike."""


@dataclass
class GanSnapshot:
    """What a screen draws, copied out of the training thread."""

    iteration: int
    d_updates: int
    g_updates: int
    metrics: GanMetrics
    history: list[tuple[float, float]]
    """(D loss, G loss) after each move."""
    real: np.ndarray
    fake: np.ndarray
    push: np.ndarray
    """For each fake point, where the generator's loss pushes it (−∂loss/∂point)."""
    verdict: np.ndarray
    """D(x) over the plane, (rows, columns), row 0 at the top (y = +1)."""
    manifold: np.ndarray
    """The images of the noise grid's lines: (lines, points, 2)."""
    stopped: str = ""


def plane_points(columns: int, rows: int) -> np.ndarray:
    """The centre of each pixel of a picture of [−1, 1]², row by row from the top: (n, 2)."""
    xs = -1 + (np.arange(columns) + 0.5) * 2 / columns
    ys = 1 - (np.arange(rows) + 0.5) * 2 / rows
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def load_real(settings: GanSettings, rng: np.random.Generator) -> RealPoints:
    if settings.dataset == "csv":
        return load_csv(settings.csv)
    return generate(settings.dataset, rng)


@dataclass
class GanLab:
    settings: GanSettings
    real: RealPoints = field(init=False)
    gan: Gan = field(init=False)
    iteration: int = 0
    d_updates: int = 0
    g_updates: int = 0
    history: list[tuple[float, float]] = field(default_factory=list)
    stopped: str = ""
    """Why training stopped by itself: it blew up."""

    def __post_init__(self) -> None:
        self.real = load_real(self.settings, self._stream(0))
        from scipy.spatial import KDTree  # here: the app preloads this module after its first frame

        self.real_tree = KDTree(self.real.xy)
        self.reset()

    def _stream(self, purpose: int) -> np.random.Generator:
        """The seed's own stream for each purpose (0 points, 1 weights, 2 batches, 3 measures)."""
        return np.random.default_rng([self.settings.seed, purpose])

    # ----- set-up -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Fresh networks on the same points: the seed's first weights, counters at 0."""
        s = self.settings
        self.gan = Gan.build(
            [s.g_neurons] * s.g_layers,
            [s.d_neurons] * s.d_layers,
            (s.g_activation, s.d_activation),
            s.optimizer,
            (s.g_learning_rate, s.d_learning_rate),
            self._stream(1),
        )
        self.batches = self._stream(2)
        measures = self._stream(3)
        self.measured_noise = self.noise(MEASURED, measures)
        self.measured_real = self.real.xy[measures.permutation(len(self.real.xy))[:MEASURED]]
        self.iteration = self.d_updates = self.g_updates = 0
        self._phase = 0
        self.stopped = ""
        with np.errstate(all="ignore"):
            fake = self.gan.generate(self.measured_noise)
            self.d_loss = self.gan.d_loss(self.measured_real, fake)
            self.g_loss = self.gan.g_loss(fake)
        self.history = [(self.d_loss, self.g_loss)]

    def retune(self, settings: GanSettings) -> None:
        """New learning rates, steps or optimiser on the same networks (GAN Lab's live
        settings): a new kind of optimiser starts with no momentum of its own."""
        old, self.settings = self.settings, settings
        gan = self.gan
        if settings.optimizer != old.optimizer:
            gan.d_optimizer = Optimizer(settings.optimizer, settings.d_learning_rate)
            gan.g_optimizer = Optimizer(settings.optimizer, settings.g_learning_rate)
        gan.d_optimizer.learning_rate = settings.d_learning_rate
        gan.g_optimizer.learning_rate = settings.g_learning_rate

    def noise(self, count: int, rng: np.random.Generator) -> np.ndarray:
        if self.settings.noise == "normal":
            return rng.normal(0.0, 1.0, (count, 2))
        return rng.uniform(-1.0, 1.0, (count, 2))

    # ----- training ---------------------------------------------------------------------------
    @property
    def plan(self) -> str:
        """One iteration's updates in order: `ddg` for two D steps and one G step."""
        return "d" * self.settings.d_steps + "g" * self.settings.g_steps

    def step(self) -> bool:
        """The rest of the current iteration (a whole one unless slow motion is half through
        it). False once training has stopped (the losses blew up)."""
        if self.stopped:
            return False
        iteration = self.iteration
        while self.iteration == iteration and not self.stopped:
            self._advance()
        self._record()
        return not self.stopped

    def advance(self) -> str:
        """The next update of the current iteration: `d` or `g`, '' once stopped."""
        if self.stopped:
            return ""
        move = self._advance()
        self._record()
        return move

    def step_d(self) -> bool:
        if not self.stopped:
            self._update("d")
            self._record()
        return not self.stopped

    def step_g(self) -> bool:
        if not self.stopped:
            self._update("g")
            self._record()
        return not self.stopped

    def train(self, iterations: int) -> None:
        for _ in range(iterations):
            if not self.step():
                break

    def _advance(self) -> str:
        plan = self.plan
        move = plan[min(self._phase, len(plan) - 1)]
        self._update(move)
        self._phase += 1
        if self._phase >= len(plan):
            self._phase = 0
            self.iteration += 1
        return move

    def _update(self, move: str) -> None:
        size = self.settings.batch_size
        with np.errstate(all="ignore"):
            if move == "d":
                real = self.real.xy[self.batches.integers(0, len(self.real.xy), size)]
                self.d_loss = self.gan.d_step(real, self.noise(size, self.batches))
                self.d_updates += 1
            else:
                self.g_loss = self.gan.g_step(self.noise(size, self.batches))
                self.g_updates += 1
        why = self._blown_up()
        if why:
            s = self.settings
            self.stopped = (
                f"training blew up in iteration {self.iteration + 1}: {why} (learning rates D "
                f"{s.d_learning_rate:g}, G {s.g_learning_rate:g} are too high for these "
                "networks); reset to start again"
            )

    def _blown_up(self) -> str:
        if not (math.isfinite(self.d_loss) and math.isfinite(self.g_loss) and self.gan.finite()):
            return "a loss is no longer a number"
        if not self.gan.farthest < FLOWN:
            return (
                f"the generator flung its points off the plane, as far as {self.gan.farthest:.3g}"
            )
        return ""

    def _record(self) -> None:
        self.history.append((self.d_loss, self.g_loss))

    # ----- what it shows ----------------------------------------------------------------------
    def metrics(self) -> GanMetrics:
        with np.errstate(all="ignore"):
            fake = self.gan.generate(self.measured_noise)
            on_real = self.gan.verdict(self.measured_real)
            on_fake = self.gan.verdict(fake)
        return GanMetrics(
            self.d_loss,
            self.g_loss,
            float(on_real.mean()),
            float(on_fake.mean()),
            nearest_distance(fake, self.real_tree),
            grid_kl(self.real.xy, fake),
        )

    def manifold(self) -> np.ndarray:
        """The generator's images of a regular grid of noise values, as lines: first those of
        constant z₂, then those of constant z₁."""
        span = NORMAL_SPAN if self.settings.noise == "normal" else 1.0
        ticks = np.linspace(-span, span, MANIFOLD_LINES)
        along = np.linspace(-span, span, MANIFOLD_POINTS)
        a, t = np.meshgrid(along, ticks)  # (lines, points)
        rows = np.stack([a, t], axis=-1)
        grid = np.concatenate([rows, rows[..., ::-1]])  # (2 · lines, points, 2)
        with np.errstate(all="ignore"):
            images = self.gan.generate(grid.reshape(-1, 2))
        return images.reshape(grid.shape)

    def snapshot(self, columns: int, rows: int) -> GanSnapshot:
        noise = self.measured_noise[:SHOWN_FAKE]
        with np.errstate(all="ignore"):
            fake = self.gan.generate(noise)
            _, _, at_points = self.gan.g_gradients(noise)
            verdict = self.gan.verdict(plane_points(columns, rows)).reshape(rows, columns)
        return GanSnapshot(
            self.iteration,
            self.d_updates,
            self.g_updates,
            self.metrics(),
            list(self.history),
            self.real.xy[:SHOWN_REAL].copy(),
            fake,
            -at_points * len(noise),
            verdict,
            self.manifold(),
            self.stopped,
        )


def nearest_distance(points: np.ndarray, to: Any) -> float:
    """Mean over `points` of the distance to the nearest point of `to` (inf if one is not a
    number: the generator has blown up)."""
    if not np.isfinite(points).all():
        return math.inf
    distances, _ = to.query(points)
    return float(distances.mean())


def grid_kl(real: np.ndarray, fake: np.ndarray) -> float:
    """KL(real ‖ fake) between the shares of a grid's cells over [−1, 1]² (points outside
    count in the edge cells); the fakes' shares smoothed by half a point a cell, so a cell
    they miss costs much but not infinitely."""

    def shares(xy: np.ndarray, smoothing: float) -> np.ndarray:
        cells = np.clip(np.nan_to_num(np.floor((xy + 1) / 2 * KL_CELLS)), 0, KL_CELLS - 1)
        index = (cells[:, 0] * KL_CELLS + cells[:, 1]).astype(int)
        counts = np.bincount(index, minlength=KL_CELLS**2) + smoothing
        return counts / counts.sum()

    p, q = shares(real, 0.0), shares(fake, 0.5)
    held = p > 0
    return float((p[held] * np.log(p[held] / q[held])).sum())
