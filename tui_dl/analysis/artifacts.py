"""The run-folder files a job or the model zoo leaves, each written and read in one place.

A writer here is what the engine calls (the attention and probe jobs, the ImageNet trainer);
the loader beside it is what the screens and tests call. Both sides share the names in
`tui_dl.engine.runfiles`, so what a trainer writes and what a screen reads cannot drift.
Every write goes to a partial file first and is then renamed: a reader never sees half an
artifact. numpy and json only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tui_dl.engine import runfiles
from tui_dl.paths import write_atomic


def save_npz(path: Path, **arrays: Any) -> None:
    """Compressed arrays, written then renamed into place."""
    tmp = runfiles.partial(path)
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def save_json(path: Path, data: Any, indent: int | None = None) -> None:
    write_atomic(path, json.dumps(data, indent=indent) + "\n")


def load_json(path: Path) -> Any:
    return json.loads(Path(path).read_text())


# ----- where it looked ---------------------------------------------------------------------
@dataclass
class AttentionMaps:
    """Every map a run has: the first job's, and any asked for since."""

    method: str = ""
    """grad-cam or saliency."""
    layer: str = ""
    """The convolutional layer Grad-CAM used ('' for saliency)."""
    order: list[int] = field(default_factory=list)
    """Test image indices, in the order they were computed."""
    maps: dict[int, np.ndarray] = field(default_factory=dict)
    """Test image index → (classes, 28, 28) maps, 0–1."""


def save_attention(
    run_dir: Path,
    indices: np.ndarray,
    maps: np.ndarray,
    method: str,
    layer: str,
    index: int | None = None,
) -> str:
    """The maps of the mistakes (or of one more test image, `index`); returns the file name."""
    name = runfiles.ATTENTION if index is None else runfiles.ATTENTION_MORE.format(index=index)
    save_npz(
        Path(run_dir) / name,
        indices=indices,
        maps=maps.astype(np.float16),
        method=np.array(method),
        layer=np.array(layer),
    )
    return name


def load_attention(run_dir: Path, into: AttentionMaps | None = None) -> AttentionMaps:
    """All attention files of a run (added to `into`, keeping what it had)."""
    found = into or AttentionMaps()
    for path in runfiles.attention_files(run_dir):
        with np.load(path) as data:
            found.method, found.layer = str(data["method"]), str(data["layer"])
            for index, maps in zip(data["indices"], data["maps"], strict=True):
                if int(index) not in found.maps:
                    found.order.append(int(index))
                found.maps[int(index)] = maps.astype(np.float32)
    return found


# ----- the confidence probe ----------------------------------------------------------------
@dataclass
class Probe:
    summary: dict[str, Any]
    """groups (name, description, n, mean_confidence, confident_share, accuracy, top_answer,
    top_answer_share, examples), notes, class_names."""
    images: np.ndarray
    """The examples: the two it was surest about, per group."""
    pred: np.ndarray
    conf: np.ndarray


def save_probe(run_dir: Path, probe: Probe) -> str:
    run_dir = Path(run_dir)
    save_npz(
        run_dir / runfiles.PROBE_EXAMPLES, images=probe.images, pred=probe.pred, conf=probe.conf
    )
    save_json(run_dir / runfiles.PROBE_REPORT, probe.summary, indent=2)
    return runfiles.PROBE_REPORT


def has_probe(run_dir: Path) -> bool:
    run_dir = Path(run_dir)
    return (run_dir / runfiles.PROBE_REPORT).exists() and (
        run_dir / runfiles.PROBE_EXAMPLES
    ).exists()


def load_probe(run_dir: Path) -> Probe:
    run_dir = Path(run_dir)
    summary = load_json(run_dir / runfiles.PROBE_REPORT)
    with np.load(run_dir / runfiles.PROBE_EXAMPLES) as data:
        return Probe(summary, data["images"], data["pred"], data["conf"])


# ----- the model zoo -----------------------------------------------------------------------
@dataclass
class ImageNetResult:
    result: dict[str, Any]
    """model, weights, weights_source, weights_from, class_names, image, layer, grid, top."""
    image: np.ndarray
    """224×224×3 uint8: the photo as the network saw it."""
    maps: np.ndarray
    """One Grad-CAM map per guess, uint8 0–255."""


def save_imagenet(
    run_dir: Path, found: ImageNetResult, classes: list[int], probabilities: np.ndarray
) -> dict[str, str]:
    """Both files; returns them by role, for the finished event."""
    run_dir = Path(run_dir)
    save_json(run_dir / runfiles.IMAGENET_RESULT, found.result, indent=1)
    save_npz(
        run_dir / runfiles.IMAGENET_MAPS,
        image=found.image,
        maps=found.maps,
        classes=np.array(classes, dtype=np.int64),
        probabilities=probabilities.astype(np.float32),
    )
    return {"result": runfiles.IMAGENET_RESULT, "maps": runfiles.IMAGENET_MAPS}


def load_imagenet(run_dir: Path) -> ImageNetResult:
    run_dir = Path(run_dir)
    result = load_json(run_dir / runfiles.IMAGENET_RESULT)
    with np.load(run_dir / runfiles.IMAGENET_MAPS) as saved:
        return ImageNetResult(result, saved["image"], saved["maps"])


# ----- the Playground's network in Keras ---------------------------------------------------
@dataclass
class PlaygroundBoundary:
    """The Keras twin of a Playground as far as it has trained: what a screen draws of it."""

    state: str
    """The Playground state string it was built from."""
    epoch: int
    """Epochs trained when this was written."""
    epochs: int
    """Epochs the run was asked for."""
    value: np.ndarray
    """(rows, columns): the output as one number in [−1, 1] over [−6, 6]², row 0 at y = +6,
    column 0 at x = −6 (the numpy Playground's `value` of its `grid`)."""
    outputs: np.ndarray
    """(rows, columns, outputs): every output there (the class probabilities of softmax)."""
    losses: np.ndarray
    """(epoch + 1, 2): train and test loss, the Playground's way, before training and after
    each epoch."""
    accuracy: np.ndarray
    """(epoch + 1, 2): train and test accuracy beside them (NaN for regression)."""
    parameters: list[np.ndarray] = field(default_factory=list)
    """The Keras network's weights now: kernel (fan_in, fan_out) then bias, layer by layer."""


def save_playground_boundary(run_dir: Path, boundary: PlaygroundBoundary) -> str:
    """Written whole, then renamed into place (a screen may read it while training goes on)."""
    save_npz(
        Path(run_dir) / runfiles.PLAYGROUND,
        state=np.array(boundary.state),
        epoch=np.array(boundary.epoch),
        epochs=np.array(boundary.epochs),
        value=boundary.value.astype(np.float32),
        outputs=boundary.outputs.astype(np.float32),
        losses=np.asarray(boundary.losses, dtype=np.float64).reshape(-1, 2),
        accuracy=np.asarray(boundary.accuracy, dtype=np.float64).reshape(-1, 2),
        **{f"parameter_{i}": p for i, p in enumerate(boundary.parameters)},
    )
    return runfiles.PLAYGROUND


def load_playground_boundary(run_dir: Path) -> PlaygroundBoundary:
    """The latest boundary a playground run wrote (FileNotFoundError before its first)."""
    with np.load(Path(run_dir) / runfiles.PLAYGROUND) as saved:
        count = sum(1 for key in saved.files if key.startswith("parameter_"))
        return PlaygroundBoundary(
            state=str(saved["state"]),
            epoch=int(saved["epoch"]),
            epochs=int(saved["epochs"]),
            value=saved["value"],
            outputs=saved["outputs"],
            losses=saved["losses"],
            accuracy=saved["accuracy"],
            parameters=[saved[f"parameter_{i}"] for i in range(count)],
        )


# ----- generative models: samples as they form, a VAE's latent space ----------------------
@dataclass
class GenerativeSamples:
    grids: np.ndarray
    """(epochs + 1, n, 28, 28) uint8: the samples from the same noise before training and after
    each epoch."""
    noise: np.ndarray
    """(n, latent) the fixed noise they were decoded from."""


def save_samples(run_dir: Path, samples: GenerativeSamples) -> str:
    save_npz(Path(run_dir) / runfiles.SAMPLES, grids=samples.grids, noise=samples.noise)
    return runfiles.SAMPLES


def load_samples(run_dir: Path) -> GenerativeSamples:
    with np.load(Path(run_dir) / runfiles.SAMPLES) as saved:
        return GenerativeSamples(saved["grids"], saved["noise"])


@dataclass
class LatentSpace:
    means: np.ndarray
    """(n, latent) float32: test images' latent means (the encoder's z_mean)."""
    labels: np.ndarray
    """(n,) their classes."""
    manifold: np.ndarray
    """(rows, columns, 28, 28) uint8: the decoder's image at each point of a grid over the
    first two latent dimensions (the others 0), row 0 at the top (second dimension high)."""
    span: float
    """The grid covers [−span, span]²."""
    epoch: int
    """Epochs trained when this was written."""
    images: np.ndarray
    """(k, 28, 28) uint8: the first k of the encoded test images, to pick one and see its
    encoding's place (`means[:k]`) beside its reconstruction."""
    reconstructions: np.ndarray
    """(k, 28, 28) uint8: the decoder's image of each one's latent mean."""

    def cell(self, row: int, column: int) -> tuple[float, float]:
        """The latent point (first two dimensions) of a manifold cell."""
        rows, columns = self.manifold.shape[:2]
        x = -self.span + 2 * self.span * column / max(1, columns - 1)
        y = self.span - 2 * self.span * row / max(1, rows - 1)
        return x, y


def save_latent(run_dir: Path, latent: LatentSpace) -> str:
    save_npz(
        Path(run_dir) / runfiles.LATENT,
        means=latent.means,
        labels=np.asarray(latent.labels),
        manifold=latent.manifold,
        span=np.array(latent.span),
        epoch=np.array(latent.epoch),
        images=latent.images,
        reconstructions=latent.reconstructions,
    )
    return runfiles.LATENT


def load_latent(run_dir: Path) -> LatentSpace:
    with np.load(Path(run_dir) / runfiles.LATENT) as saved:
        return LatentSpace(
            saved["means"],
            saved["labels"],
            saved["manifold"],
            float(saved["span"]),
            int(saved["epoch"]),
            saved["images"],
            saved["reconstructions"],
        )
