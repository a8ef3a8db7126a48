"""A 3×3 filter sliding over a digit, and 2×2 max pooling: what a Conv2D layer computes.

Like every deep-learning library (Keras's Conv2D included), the "convolution" here is a
cross-correlation: the kernel is laid on the image as it is, not flipped. The widget fills
the feature map one position at a time, so `FilterSweep` keeps how many outputs are done.

A finished `mnist-cnn` run leaves its model in its run folder; its first layer's 32 filters
can be read without TensorFlow, straight from the `.keras` zip's weights file with h5py
(which Keras itself needs, so it is installed wherever tui-dl is).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tui_dl.engine import runfiles
from tui_dl.engine.events import EventLog, ended
from tui_dl.engine.store import read_spec

KERNELS: dict[str, tuple[str, np.ndarray]] = {
    "edge-h": (
        "horizontal edges",
        np.array([[-1.0, -1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
    ),
    "edge-v": (
        "vertical edges",
        np.array([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]),
    ),
    "blur": ("blur", np.full((3, 3), 1.0 / 9.0)),
    "sharpen": (
        "sharpen",
        np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    ),
}
"""Hand-made filters: name → (what it finds, the 3×3 weights). The edge filters answer
where brightness changes from top to bottom (or left to right): + one way, − the other."""
POOL = 2
CNN_EXPERIMENT = "mnist-cnn"
WEIGHTS_FILE = "model.weights.h5"
"""Inside a Keras 3 `.keras` zip: the weights, one h5 group per layer (`layers/conv2d/vars/0`
is the first Conv2D's kernel, shaped (3, 3, 1, 32); `vars/1` its 32 biases)."""


def correlate(image: np.ndarray, kernel: np.ndarray, bias: float = 0.0) -> np.ndarray:
    """Every 'valid' position's Σ patch × kernel + bias: a 28×28 image and a 3×3 kernel give
    26×26, the map a Conv2D layer (no padding, stride 1) computes before its activation."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel) + bias


def output_at(image: np.ndarray, kernel: np.ndarray, row: int, col: int, bias: float = 0.0):
    """One output: the patch under the kernel at (row, col), times the kernel, summed."""
    kh, kw = np.shape(kernel)
    patch = np.asarray(image, dtype=float)[row : row + kh, col : col + kw]
    return float(np.sum(patch * kernel) + bias)


def relu(values: np.ndarray) -> np.ndarray:
    return np.maximum(values, 0.0)


def max_pool(feature: np.ndarray, size: int = POOL) -> np.ndarray:
    """The largest value of each size×size block; a ragged last row or column is dropped,
    as Keras's MaxPooling2D does with 'valid' padding (26 → 13, 27 → 13)."""
    feature = np.asarray(feature, dtype=float)
    rows, cols = feature.shape[0] // size, feature.shape[1] // size
    blocks = feature[: rows * size, : cols * size].reshape(rows, size, cols, size)
    return blocks.max(axis=(1, 3))


def pool_winner(feature: np.ndarray, row: int, col: int, size: int = POOL) -> tuple[int, int]:
    """Where, in the feature map, pooled cell (row, col) took its value from."""
    block = np.asarray(feature)[row * size : (row + 1) * size, col * size : (col + 1) * size]
    r, c = np.unravel_index(int(np.argmax(block)), block.shape)
    return row * size + int(r), col * size + int(c)


@dataclass
class FilterSweep:
    """The kernel's walk over the image: `done` outputs of the feature map are computed (row by
    row), then `pooled` cells of the max-pooled map. `step` moves one position on."""

    image: np.ndarray
    kernel: np.ndarray
    bias: float = 0.0
    apply_relu: bool = True
    done: int = 0
    pooled: int = 0
    full: np.ndarray = field(init=False)
    """The whole feature map (after ReLU if on), computed up front: drawing scales by it."""
    pool: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.image = np.asarray(self.image, dtype=float)
        self.kernel = np.asarray(self.kernel, dtype=float)
        self.recompute()

    def recompute(self) -> None:
        raw = correlate(self.image, self.kernel, self.bias)
        self.full = relu(raw) if self.apply_relu else raw
        self.pool = max_pool(self.full)
        self.done = min(self.done, self.full.size)
        self.pooled = min(self.pooled, self.pool.size)

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.full.shape
        return rows, cols

    @property
    def total(self) -> int:
        """Positions in the whole walk: every output, then every pooled cell."""
        return self.full.size + self.pool.size

    @property
    def steps(self) -> int:
        return self.done + self.pooled

    @property
    def finished(self) -> bool:
        return self.steps >= self.total

    @property
    def pooling(self) -> bool:
        """True once the feature map is full: the steps now fill the pooled map."""
        return self.done >= self.full.size

    def step(self, count: int = 1) -> None:
        for _ in range(count):
            if self.done < self.full.size:
                self.done += 1
            elif self.pooled < self.pool.size:
                self.pooled += 1

    def fill(self) -> None:
        """Finish the phase under way: the rest of the map, or (once full) the pooling."""
        if not self.pooling:
            self.done = self.full.size
        else:
            self.pooled = self.pool.size

    def reset(self) -> None:
        self.done = self.pooled = 0

    @property
    def position(self) -> tuple[int, int] | None:
        """The output being computed now (the last one done), as (row, col) in the map."""
        if self.done == 0:
            return None
        return divmod(self.done - 1, self.shape[1])

    @property
    def pool_position(self) -> tuple[int, int] | None:
        if self.pooled == 0:
            return None
        return divmod(self.pooled - 1, self.pool.shape[1])

    def partial_map(self) -> np.ndarray:
        """The feature map so far: NaN where the kernel has not been yet."""
        shown = np.full(self.full.size, np.nan)
        shown[: self.done] = self.full.ravel()[: self.done]
        return shown.reshape(self.full.shape)

    def partial_pool(self) -> np.ndarray:
        shown = np.full(self.pool.size, np.nan)
        shown[: self.pooled] = self.pool.ravel()[: self.pooled]
        return shown.reshape(self.pool.shape)

    def patch(self) -> np.ndarray | None:
        """The pixels under the kernel at the current position."""
        where = self.position
        if where is None:
            return None
        (row, col), (kh, kw) = where, self.kernel.shape
        return self.image[row : row + kh, col : col + kw]


# ----- digits -------------------------------------------------------------------------------
def first_of_each_class(images: np.ndarray, labels: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(label, 0–1 image) for the first example of each class present, in class order."""
    chosen = []
    for label in sorted(set(int(y) for y in labels)):
        index = int(np.flatnonzero(labels == label)[0])
        chosen.append((label, np.asarray(images[index], dtype=float) / 255.0))
    return chosen


def _strokes(segments: list[tuple[float, float, float, float]], width: float = 1.3):
    rows, cols = np.mgrid[0:28, 0:28].astype(float)
    ink = np.zeros((28, 28))
    for r0, c0, r1, c1 in segments:
        d = np.array([r1 - r0, c1 - c0])
        t = ((rows - r0) * d[0] + (cols - c0) * d[1]) / float(d @ d)
        t = np.clip(t, 0.0, 1.0)
        distance = np.hypot(rows - (r0 + t * d[0]), cols - (c0 + t * d[1]))
        ink = np.maximum(ink, np.clip(width + 0.5 - distance, 0.0, 1.0))
    return ink


def drawn_seven() -> np.ndarray:
    """A 7 drawn with two strokes, for when no MNIST copy can be read: 28×28, 0–1."""
    return _strokes([(6, 7, 6, 21), (6, 21, 23, 12)])


# ----- a finished CNN run's first layer -----------------------------------------------------
class LearnedFilterError(ValueError):
    """A run's model whose first convolution could not be read (the message says why)."""


@dataclass(frozen=True)
class LearnedFilters:
    kernels: np.ndarray
    """(n, 3, 3): one kernel per filter of the first Conv2D (its single input channel)."""
    biases: np.ndarray
    run_id: str


def finished_cnn_runs(runs_root: Path) -> list[Path]:
    """The model files of finished mnist-cnn runs, newest first; reads specs and events only."""
    models: list[Path] = []
    if not runs_root.is_dir():
        return models
    for run_dir in sorted(runs_root.iterdir(), reverse=True):  # ids start with a timestamp
        try:
            spec = read_spec(run_dir)
        except (OSError, ValueError):
            continue
        model = run_dir / runfiles.MODEL
        if not isinstance(spec, dict) or spec.get("experiment") != CNN_EXPERIMENT:
            continue
        if model.is_file() and ended(EventLog(run_dir).read_all()) == "finished":
            models.append(model)
    return models


def read_first_layer(model_path: Path) -> LearnedFilters:
    """The first Conv2D's kernels and biases from a `.keras` file, with h5py, no Keras.

    The first layer is the one whose kernel takes one input channel (the grey image); the
    second Conv2D takes 32.
    """
    try:
        # lazy: 0.15 s, and only once the learner asks for the learned filters
        import h5py  # type: ignore[import-untyped]
    except ImportError as exc:
        raise LearnedFilterError("h5py is not installed, so the weights cannot be read") from exc
    try:
        with zipfile.ZipFile(model_path) as archive:
            raw = archive.read(WEIGHTS_FILE)
        with h5py.File(io.BytesIO(raw), "r") as weights:
            found: list[tuple[str, np.ndarray]] = []
            weights.visititems(
                lambda name, item: (
                    found.append((name, np.asarray(item)))
                    if isinstance(item, h5py.Dataset) and item.ndim == 4 and item.shape[2] == 1
                    else None
                )
            )
            if not found:
                raise LearnedFilterError(f"{model_path} holds no convolution on one channel")
            name, kernel = sorted(found)[0]
            bias_name = name.rsplit("/", 1)[0] + "/1"
            bias = np.asarray(weights[bias_name]) if bias_name in weights else None
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise LearnedFilterError(f"{model_path} cannot be read ({exc})") from exc
    kernels = np.moveaxis(kernel[:, :, 0, :], -1, 0).astype(float)
    biases = np.zeros(len(kernels)) if bias is None else bias.astype(float).reshape(-1)
    if kernels.shape[1:] != (3, 3) or biases.shape != (len(kernels),):
        raise LearnedFilterError(f"{model_path}: its first layer is not 3×3 filters")
    return LearnedFilters(kernels, biases, model_path.parent.name)
