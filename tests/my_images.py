"""Folders of pictures made for the tests, in a temporary folder: coloured shapes per class in
every mode and format the scan reads, the files it must skip, and three Fashion-MNIST classes
written as PNG files where the shared datasets are on this machine."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from tests.conftest import SHARED_DATA

SHAPES = {"circles": (220, 30, 30), "squares": (30, 180, 30), "triangles": (30, 30, 220)}
"""Class → the colour its shapes are drawn in, on white."""

KINDS = ("png", "palette", "rgba", "grey", "grey16", "jpeg", "gif", "bmp")
"""How each class's pictures are stored, in turn: every mode and format the scan reads."""

FASHION = {1: "Trouser", 5: "Sandal", 8: "Bag"}
"""Fashion-MNIST label → class folder name, for three classes a network tells apart easily."""


def shape_picture(label: str, size: tuple[int, int], seed: int) -> Image.Image:
    """An RGB picture (width, height) of `label`'s shape, in its colour, placed by `seed`."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(seed)
    w, h = size
    r = int(min(w, h) * rng.uniform(0.25, 0.4))
    cx, cy = int(w * rng.uniform(0.4, 0.6)), int(h * rng.uniform(0.4, 0.6))
    colour = SHAPES[label]
    if label == "circles":
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    elif label == "squares":
        draw.rectangle((cx - r, cy - r, cx + r, cy + r), fill=colour)
    else:
        draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colour)
    return image


def is_shape(pictures: np.ndarray) -> np.ndarray:
    """Where pictures drawn by `shape_picture` (…, 3) are their shape, not the white around."""
    return pictures.astype(int).min(axis=-1) < 200


def save_as(image: Image.Image, path: Path, kind: str) -> Path:
    """`image` written at `path` (its suffix set by `kind`) in that kind's mode and format."""
    if kind == "palette":
        image.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(path.with_suffix(".png"))
    elif kind == "rgba":
        rgba = image.convert("RGBA")
        rgba.putalpha(200)
        rgba.save(path.with_suffix(".png"))
    elif kind == "grey":
        image.convert("L").save(path.with_suffix(".png"))
    elif kind == "grey16":
        sixteen = np.asarray(image.convert("L"), np.uint16) * 257
        Image.fromarray(sixteen).save(path.with_suffix(".png"))
    elif kind == "jpeg":
        image.save(path.with_suffix(".jpg"), quality=90)
    elif kind == "gif":
        image.save(path.with_suffix(".gif"))
    elif kind == "bmp":
        image.save(path.with_suffix(".bmp"))
    else:
        image.save(path.with_suffix(".png"))
    return path.with_suffix({"jpeg": ".jpg", "gif": ".gif", "bmp": ".bmp"}.get(kind, ".png"))


def shapes_folder(root: Path, per_class: int | dict[str, int] = 8, seed: int = 0) -> Path:
    """`root` holding circles/, squares/ and triangles/, `per_class` pictures each (a number,
    or class → number), at mixed sizes and in turn every kind of `KINDS`."""
    counts = per_class if isinstance(per_class, dict) else dict.fromkeys(SHAPES, per_class)
    for c, (label, count) in enumerate(counts.items()):
        (root / label).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            size = (32 + (7 * i) % 40, 24 + (11 * i) % 50)
            picture = shape_picture(label, size, seed * 1000 + c * 100 + i)
            save_as(picture, root / label / f"{i:03d}", KINDS[i % len(KINDS)])
    return root


def declared_png(path: Path, width: int, height: int) -> Path:
    """A valid-looking PNG header declaring width × height grey pixels, with almost no data:
    a decompression bomb as Pillow sees it from the header, made in microseconds."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
    return path


def fashion_folder(root: Path, per_class: int = 30) -> Path | None:
    """Three Fashion-MNIST classes (`FASHION`) written as 28×28 grey PNG files under `root`,
    the first `per_class` of each from the test set; None where the shared datasets are not
    on this machine (`TUI_DL_DATA`)."""
    source = Path(SHARED_DATA or "/nonexistent") / "fashion-mnist"
    if not (source / "t10k-images-idx3-ubyte.gz").exists():
        return None
    from tui_dl.data.images import read_idx

    images = read_idx(source / "t10k-images-idx3-ubyte.gz", 3)
    labels = read_idx(source / "t10k-labels-idx1-ubyte.gz", 1)
    for label, name in FASHION.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in np.flatnonzero(labels == label)[:per_class]:
            Image.fromarray(images[i]).save(root / name / f"{i:05d}.png")
    return root
