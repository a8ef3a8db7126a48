"""The learner's pictures as one float32 array a network reads: (N, height, width, channels),
values 0–255 (each base's own preprocessing is applied later, by the trainer).

Every mode becomes the same kind of pixel: a palette is looked up to RGB; transparency (RGBA,
LA, a palette's or a PNG's transparent colour) is laid on white, as a viewer shows it; 16-bit
grey is scaled to 0–255 (65535 → 255); grey is copied into three channels where three are
asked for, and colour becomes grey (Pillow's ITU-R 601-2 luma) where one is. The camera's
EXIF orientation is applied first, so a photo taken upright is upright. An animated GIF gives
its first frame.

The aspect ratio is kept by one of three documented fits:
- "crop" (the default): resized to fill the size, then the middle cut out — what Keras's
  `image_dataset_from_directory(crop_to_aspect_ratio=True)` does; nothing is stretched, the
  edges of a long picture are lost.
- "pad": resized to fit inside, the rest black — Keras's `pad_to_aspect_ratio=True`.
- "stretch": resized to the size, whatever its shape — Keras's default.
Resizing is bilinear, as Keras's default is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from tui_dl.data.my_images.pictures import open_picture
from tui_dl.data.my_images.problems import FolderProblem, PictureProblem
from tui_dl.data.my_images.progress import Progress, for_each

FITS = ("crop", "pad", "stretch")
MAX_ARRAY_BYTES = 2 * 1024**3
"""`load_images` refuses an array larger than this (2 GiB): load in parts, or smaller."""

SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N", "I")
"""Grey modes of more than 8 bits; "I" (32-bit) is read as 16-bit, as PNG stores it."""
ALPHA = ("RGBA", "LA", "PA", "RGBa", "La")


def load_image(
    path: str | os.PathLike[str],
    size: tuple[int, int],
    channels: int = 3,
    fit: str = "crop",
    max_pixels: int | None = None,
) -> np.ndarray:
    """One picture as float32 (height, width, channels), 0–255; `size` is (height, width), as
    Keras gives it. Raises `FolderProblem` naming the file when it cannot be read."""
    path = Path(path)
    try:
        with open_picture(path, max_pixels) as image:
            if image.format == "JPEG":  # decode at the smallest scale still at least `size`
                image.draft("L" if channels == 1 else None, (max(size), max(size)))
            try:
                image.load()
            except Exception as exc:  # each decoder raises its own kind of error
                raise PictureProblem("corrupt", f"corrupt: {exc}") from exc
            return to_pixels(image, size, channels, fit)
    except PictureProblem as problem:
        raise FolderProblem(f"{path}: {problem.reason}.") from problem
    except OSError as exc:
        raise FolderProblem(f"{path} cannot be read: {exc.strerror or exc}.") from exc


def to_pixels(
    image: Image.Image, size: tuple[int, int], channels: int = 3, fit: str = "crop"
) -> np.ndarray:
    """An open picture as float32 (height, width, channels), 0–255 (see the module's text)."""
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, not {channels}")
    if fit not in FITS:
        raise ValueError(f"fit must be one of {', '.join(FITS)}, not {fit!r}")
    image = _flatten(ImageOps.exif_transpose(image), channels)
    height, width = size
    if fit == "crop":
        image = ImageOps.fit(image, (width, height), Image.Resampling.BILINEAR)
    elif fit == "pad":
        black = (0, 0, 0) if image.mode == "RGB" else 0
        image = ImageOps.pad(image, (width, height), Image.Resampling.BILINEAR, color=black)
    else:
        image = image.resize((width, height), Image.Resampling.BILINEAR)
    pixels = np.asarray(image, dtype=np.float32)
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[..., None], channels, axis=-1)
    return pixels


def _flatten(image: Image.Image, channels: int) -> Image.Image:
    """Mode "RGB" (channels 3), "L" (grey, 8-bit) or "F" (grey, 0–255 from 16 bits)."""
    if image.mode in SIXTEEN_BIT:
        wide = np.asarray(image).astype(np.float32)
        return Image.fromarray(np.clip(wide, 0, 65535) / 257.0)
    if image.mode in ALPHA or "transparency" in image.info:
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image.convert("RGBA"))
    if image.mode == "L":
        return image
    if channels == 1:
        return image.convert("L")
    return image.convert("RGB")


def load_images(
    paths: Sequence[str | os.PathLike[str]],
    size: tuple[int, int],
    channels: int = 3,
    fit: str = "crop",
    *,
    progress: Progress | None = None,
    max_bytes: int = MAX_ARRAY_BYTES,
    max_pixels: int | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """The pictures at `paths` as float32 (N, height, width, channels), 0–255, in order.

    Refuses, with a `FolderProblem` that says how much it would take, an array over
    `max_bytes`; a picture that cannot be read raises `FolderProblem` naming it. `workers`
    pictures are read at once (default: one a core, up to 8); `progress` may raise to cancel.
    """
    height, width = size
    shape = (len(paths), height, width, channels)
    need = int(np.prod(shape)) * np.dtype(np.float32).itemsize
    if need > max_bytes:
        raise FolderProblem(
            f"{len(paths):,} pictures at {height}×{width}×{channels} take "
            f"{need / 2**20:,.0f} MiB as float32, over the limit of {max_bytes / 2**20:,.0f} "
            "MiB: use fewer pictures or a smaller size."
        )
    out = np.empty(shape, np.float32)

    def load(path: str | os.PathLike[str]) -> np.ndarray:
        return load_image(path, size, channels, fit, max_pixels)

    def keep(i: int, pixels: np.ndarray) -> None:
        out[i] = pixels

    for_each(load, paths, keep, workers=workers, progress=progress)
    return out
