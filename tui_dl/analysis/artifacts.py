"""The run-folder files a job or the model zoo leaves, each written and read in one place.

A writer here is what the engine calls (the attention and probe jobs, the ImageNet trainer);
the loader beside it is what the screens and tests call. Both sides share the names in
`tui_dl.engine.runfiles`, so what a trainer writes and what a screen reads cannot drift.
Every write goes to a partial file first and is then renamed: a reader never sees half an
artifact. numpy and json only.

A loader believes nothing in the file: it reads it without following a symlink and within a
size limit, with `allow_pickle=False`, and checks every array's kind and shape (and every
JSON report's types) once, here. A damaged file — empty, cut short, arrays of different
lengths, a report of the wrong shape — is `UnreadableArtifact`, a ValueError whose text is
"FILE: why", which a screen shows as "unreadable: …" and stays usable.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from tui_dl.engine import runfiles, trust
from tui_dl.paths import write_atomic

ARTIFACT_LIMIT = 1024 * 1024 * 1024
"""The most an artifact may weigh (a test set's images and probabilities: tens of MB)."""


class UnreadableArtifact(ValueError):
    """A run's file that cannot be believed; `str()` is "FILE: why"."""


def open_npz(path: Path, arrays: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """Every array of an .npz, read whole (no symlink, no pickles, within the limit);
    FileNotFoundError when it is not there, UnreadableArtifact when it cannot be read or
    lacks one of `arrays`."""
    path = Path(path)
    try:
        data = trust.read_bytes(path, ARTIFACT_LIMIT)
    except trust.Unreadable as exc:
        if str(exc) == "missing":
            raise FileNotFoundError(f"{path.name}: missing") from None
        raise UnreadableArtifact(f"{path.name}: {exc}") from None
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            found = {key: saved[key] for key in saved.files}
    except (EOFError, OSError, ValueError, zipfile.BadZipFile, KeyError) as exc:
        why = "empty" if not data else (str(exc).splitlines() or ["damaged"])[0][:120]
        raise UnreadableArtifact(f"{path.name}: not a numpy archive ({why})") from None
    missing = [name for name in arrays if name not in found]
    if missing:
        raise UnreadableArtifact(f"{path.name}: no {missing[0]!r} array")
    return found


def check_array(
    name: str, array: np.ndarray, kind: str, ndim: int, length: int | None = None
) -> np.ndarray:
    """`array` if it is of `kind` ('i' whole numbers, 'f' numbers, 'U' text) with `ndim`
    dimensions (and `length` first), else UnreadableArtifact naming it."""
    kinds = {"i": "iu", "f": "fiu", "U": "US", "b": "b"}[kind]
    if array.dtype.kind not in kinds or array.ndim != ndim:
        raise UnreadableArtifact(
            f"{name}: {array.dtype} with {array.ndim} dimension(s), not what it should be"
        )
    if length is not None and array.shape[0] != length:
        raise UnreadableArtifact(f"{name}: {array.shape[0]} entries where there are {length}")
    if kind == "f" and array.size and not np.isfinite(array.astype(np.float64)).all():
        raise UnreadableArtifact(f"{name}: holds numbers that are not finite")
    return array


def save_npz(path: Path, **arrays: Any) -> None:
    """Compressed arrays, written then renamed into place."""
    tmp = runfiles.partial(path)
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def save_json(path: Path, data: Any, indent: int | None = None) -> None:
    write_atomic(path, json.dumps(data, indent=indent) + "\n")


def load_json(path: Path, typed: Any = None) -> Any:
    """A JSON report (no symlink, no NaN, within the limit), checked against the TypedDict
    `typed` when given; FileNotFoundError when missing, UnreadableArtifact when bad."""
    path = Path(path)
    try:
        value = trust.read_json(path, 64 * 1024 * 1024)
    except trust.Unreadable as exc:
        if str(exc) == "missing":
            raise FileNotFoundError(f"{path.name}: missing") from None
        raise UnreadableArtifact(f"{path.name}: {exc}") from None
    problem = trust.typed_problem(value, typed) if typed is not None else None
    if problem:
        raise UnreadableArtifact(f"{path.name}: {problem}")
    return value


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
    """Test image index → (classes, H, W) maps, 0–1 (28×28 for digits, the colour
    pictures' size for a my-images run)."""
    note: str = ""
    """What the maps were computed on, where it is not the run's own test pictures."""


def save_attention(
    run_dir: Path,
    indices: np.ndarray,
    maps: np.ndarray,
    method: str,
    layer: str,
    index: int | None = None,
    note: str = "",
) -> str:
    """The maps of the mistakes (or of one more test image, `index`); returns the file name."""
    name = runfiles.ATTENTION if index is None else runfiles.ATTENTION_MORE.format(index=index)
    noted = {"note": np.array(note)} if note else {}
    save_npz(
        Path(run_dir) / name,
        indices=indices,
        maps=maps.astype(np.float16),
        method=np.array(method),
        layer=np.array(layer),
        **noted,
    )
    return name


def load_attention(run_dir: Path, into: AttentionMaps | None = None) -> AttentionMaps:
    """All attention files of a run (added to `into`, keeping what it had)."""
    found = into or AttentionMaps()
    for path in runfiles.attention_files(run_dir):
        data = open_npz(path, ("indices", "maps", "method", "layer"))
        indices = check_array(f"{path.name}: indices", data["indices"], "i", 1)
        maps = check_array(f"{path.name}: maps", data["maps"], "f", 4, len(indices))
        if (indices < 0).any():
            raise UnreadableArtifact(f"{path.name}: a negative image number")
        method = check_array(f"{path.name}: method", data["method"], "U", 0)
        layer = check_array(f"{path.name}: layer", data["layer"], "U", 0)
        found.method, found.layer = str(method), str(layer)
        if "note" in data:
            found.note = str(check_array(f"{path.name}: note", data["note"], "U", 0))
        for index, image_maps in zip(indices, maps, strict=True):
            if int(index) not in found.maps:
                found.order.append(int(index))
            found.maps[int(index)] = image_maps.astype(np.float32)
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


class ProbeGroup(TypedDict):
    name: str
    description: str
    n: int
    mean_confidence: float
    confident_share: float
    accuracy: float | None
    top_answer: int
    top_answer_share: float
    examples: list[int]


class _ProbeNotes(TypedDict, total=False):
    notes: list[str]
    class_names: list[str]


class ProbeSummary(_ProbeNotes):
    groups: list[ProbeGroup]


def load_probe(run_dir: Path) -> Probe:
    """The probe's report and its examples, checked (UnreadableArtifact when damaged)."""
    run_dir = Path(run_dir)
    summary = load_json(run_dir / runfiles.PROBE_REPORT, ProbeSummary)
    names = summary.get("class_names") or []
    for group in summary["groups"]:
        if group["top_answer"] < 0 or (names and group["top_answer"] >= len(names)):
            raise UnreadableArtifact(f"{runfiles.PROBE_REPORT}: an answer that is no class")
    data = open_npz(run_dir / runfiles.PROBE_EXAMPLES, ("images", "pred", "conf"))
    name = runfiles.PROBE_EXAMPLES
    images = check_array(f"{name}: images", data["images"], "f", 3)
    pred = check_array(f"{name}: pred", data["pred"], "i", 1, len(images))
    conf = check_array(f"{name}: conf", data["conf"], "f", 1, len(images))
    if any(not 0 <= i < len(images) for g in summary["groups"] for i in g["examples"]):
        raise UnreadableArtifact(f"{runfiles.PROBE_REPORT}: an example that is not there")
    if pred.size and (pred.min() < 0 or (names and pred.max() >= len(names))):
        raise UnreadableArtifact(f"{name}: pred: an answer that is no class")
    return Probe(summary, images, pred, conf)


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
    saved = open_npz(run_dir / runfiles.IMAGENET_MAPS, ("image", "maps"))
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
    path = Path(run_dir) / runfiles.PLAYGROUND
    wanted = ("state", "epoch", "epochs", "value", "outputs", "losses", "accuracy")
    saved = open_npz(path, wanted)
    count = sum(1 for key in saved if key.startswith("parameter_"))
    for key in ("epoch", "epochs"):
        check_array(f"{path.name}: {key}", saved[key], "i", 0)
    return PlaygroundBoundary(
        state=str(check_array(f"{path.name}: state", saved["state"], "U", 0)),
        epoch=int(saved["epoch"]),
        epochs=int(saved["epochs"]),
        value=check_array(f"{path.name}: value", saved["value"], "f", 2),
        outputs=check_array(f"{path.name}: outputs", saved["outputs"], "f", 3),
        losses=check_array(f"{path.name}: losses", saved["losses"], "f", 2),
        accuracy=saved["accuracy"],
        parameters=[saved[f"parameter_{i}"] for i in range(count) if f"parameter_{i}" in saved],
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
    path = Path(run_dir) / runfiles.SAMPLES
    saved = open_npz(path, ("grids", "noise"))
    grids = check_array(f"{path.name}: grids", saved["grids"], "f", 4)
    if not grids.shape[0] or not grids.shape[1]:
        raise UnreadableArtifact(f"{path.name}: grids: no samples in it")
    return GenerativeSamples(grids, saved["noise"])


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
    path = Path(run_dir) / runfiles.LATENT
    wanted = ("means", "labels", "manifold", "span", "epoch", "images", "reconstructions")
    saved = open_npz(path, wanted)
    means = check_array(f"{path.name}: means", saved["means"], "f", 2)
    images = check_array(f"{path.name}: images", saved["images"], "f", 3)
    reconstructions = check_array(
        f"{path.name}: reconstructions", saved["reconstructions"], "f", 3, len(images)
    )
    if len(images) > len(means) or means.shape[1] < 2:
        raise UnreadableArtifact(f"{path.name}: means: not one per image, in 2 dimensions")
    return LatentSpace(
        means,
        check_array(f"{path.name}: labels", saved["labels"], "i", 1, len(means)),
        check_array(f"{path.name}: manifold", saved["manifold"], "f", 4),
        float(check_array(f"{path.name}: span", saved["span"], "f", 0)),
        int(check_array(f"{path.name}: epoch", saved["epoch"], "i", 0)),
        images,
        reconstructions,
    )
