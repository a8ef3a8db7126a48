"""Every layer's output for one input, as the activations job leaves it: one .npz per input in
the viewer's notes folder for the run (`activations/test-12.npz`, `activations/picture-….npz`),
so stepping back to an input already seen reads a file instead of starting TensorFlow.

A layer inside a base (a model nested in the run's model, or the part of a flat model that a
pretrained base gave it) carries its group's name; a group of a deep base keeps a selection of
its layers, and the file says how many the group has in all.

The loader believes nothing: the layer names and types are lists of the same length, every
output is finite numbers with the example's own shape (1 to 3 dimensions), a kernel has as
many filters as its layer's output has channels, and every group a layer names is listed
with a count of its layers no smaller than the layers kept. numpy only: the UI reads it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tui_dl.analysis.artifacts import UnreadableArtifact, check_array, open_npz, save_npz
from tui_dl.engine import runfiles

MAX_LAYERS = 2_000
"""More top-level layers than any model here has."""


@dataclass(frozen=True)
class LayerOutput:
    name: str
    type: str
    """Its Keras class: Conv2D, MaxPooling2D, Dense…"""
    output: np.ndarray
    """What it gave for the one input, without the batch: (H, W, channels), (units,), …"""
    kernel: np.ndarray | None = None
    """A 2-D convolution's kernel (height, width, input channels, filters); None otherwise."""
    group: str = ""
    """The base it sits in ("" for the model's own top-level layers)."""

    @property
    def is_map(self) -> bool:
        """An output of pictures (H, W, channels): drawn a channel at a time."""
        return self.output.ndim == 3

    @property
    def channels(self) -> int:
        return int(self.output.shape[-1]) if self.is_map else 0


@dataclass(frozen=True)
class Activations:
    source: str
    """What the input was, in words: "test image #12", "your picture cat.jpg"."""
    image: np.ndarray
    """The input as it is drawn: (H, W) grey or (H, W, 3) colour, uint8."""
    layers: list[LayerOutput]
    groups: dict[str, int] = field(default_factory=dict)
    """Each base's name → how many layers it has in all (its layers kept here may be fewer)."""


def test_image_file(index: int) -> str:
    return f"test-{int(index)}.npz"


def picture_file(path: Path) -> str:
    """A picture's file, named by where it is (the same picture picked again: the same file)."""
    digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:12]
    return f"picture-{digest}.npz"


def save_activations(folder: Path, name: str, found: Activations) -> str:
    """Written atomically into `folder`/activations/; returns its name there."""
    where = Path(folder) / runfiles.ACTIVATIONS
    where.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {
        "source": np.array(found.source),
        "image": found.image,
        "names": np.array([layer.name for layer in found.layers]),
        "types": np.array([layer.type for layer in found.layers]),
        "groups": np.array([layer.group for layer in found.layers], dtype=str),
        "group_names": np.array(list(found.groups), dtype=str),
        "group_totals": np.array(list(found.groups.values()), dtype=np.int64),
    }
    for i, layer in enumerate(found.layers):
        arrays[f"out_{i}"] = layer.output.astype(np.float32)
        if layer.kernel is not None:
            arrays[f"kernel_{i}"] = layer.kernel.astype(np.float32)
    save_npz(where / name, **arrays)
    return name


def load_activations(folder: Path, name: str) -> Activations:
    """The file `name` in `folder`/activations/, checked: FileNotFoundError when it is not
    there, UnreadableArtifact when it cannot be believed."""
    if Path(name).name != name or not name.endswith(".npz"):
        raise UnreadableArtifact(f"{name}: not an activations file's name")
    data = open_npz(Path(folder) / runfiles.ACTIVATIONS / name, ("source", "image", "names"))
    names = check_array(f"{name}: names", data["names"], "U", 1)
    n = len(names)
    types = check_array(f"{name}: types", data.get("types", np.array([])), "U", 1, n)
    if n > MAX_LAYERS:
        raise UnreadableArtifact(f"{name}: {n:,} layers, more than any model here has")
    image = data["image"]
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or 0 in image.shape:
        raise UnreadableArtifact(f"{name}: image: not a picture of uint8")
    if image.ndim == 3 and image.shape[-1] != 3:
        raise UnreadableArtifact(f"{name}: image: {image.shape[-1]} colours, not 3")
    groups = read_groups(name, data, n)
    layers = []
    for i in range(n):
        label = f"{name}: layer {names[i]}"
        if f"out_{i}" not in data:
            raise UnreadableArtifact(f"{label}: no output")
        output = data[f"out_{i}"]
        if output.ndim not in (1, 2, 3) or 0 in output.shape:
            raise UnreadableArtifact(f"{label}: an output of shape {output.shape}")
        output = check_array(label, output, "f", output.ndim).astype(np.float32)
        kernel = data.get(f"kernel_{i}")
        if kernel is not None:
            kernel = check_array(f"{label}: kernel", kernel, "f", 4).astype(np.float32)
            if output.ndim != 3 or kernel.shape[-1] != output.shape[-1]:
                raise UnreadableArtifact(
                    f"{label}: a kernel of {kernel.shape[-1]} filters for an output of "
                    f"shape {output.shape}"
                )
        layers.append(LayerOutput(str(names[i]), str(types[i]), output, kernel, groups[0][i]))
    source = check_array(f"{name}: source", data["source"], "U", 0)
    return Activations(str(source), image, layers, groups[1])


def read_groups(name: str, data: dict[str, np.ndarray], n: int) -> tuple[list[str], dict[str, int]]:
    """Each layer's group and each group's count of layers (a file from before groups: none)."""
    if "groups" not in data:
        return [""] * n, {}
    of_layer = [str(g) for g in check_array(f"{name}: groups", data["groups"], "U", 1, n)]
    names = check_array(f"{name}: group_names", data.get("group_names", np.array([], str)), "U", 1)
    totals = check_array(
        f"{name}: group_totals", data.get("group_totals", np.array([], int)), "i", 1, len(names)
    )
    groups = {str(g): int(t) for g, t in zip(names, totals, strict=True)}
    for group in dict.fromkeys(of_layer):
        kept = of_layer.count(group)
        if group and not kept <= groups.get(group, -1) <= MAX_LAYERS:
            raise UnreadableArtifact(
                f"{name}: group {group!r} keeps {kept} layers but says it has "
                f"{groups.get(group, 'no count of')}"
            )
    return of_layer, groups


def find_activations(run_dir: Path, notes: Path, name: str) -> Activations:
    """The viewer's own file for this input, else the run's (FileNotFoundError: neither)."""
    for folder in dict.fromkeys((Path(notes), Path(run_dir))):
        try:
            return load_activations(folder, name)
        except FileNotFoundError:
            continue
    raise FileNotFoundError(f"{runfiles.ACTIVATIONS}/{name}: missing")
