"""Opening one of the learner's pictures safely: the formats read, Pillow's pixel limit held as
an error (never a warning on the terminal).

The formats are the four Keras's `image_dataset_from_directory` reads, so the plain Keras
script exported from a run reads the same pictures this package does. A format is decided by
the file's content (Pillow's identification), not by its name.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

from PIL import Image

from tui_dl.data.my_images.problems import PictureProblem

FORMATS = ("PNG", "JPEG", "BMP", "GIF")
"""Pillow's names of the formats read, in the order messages list them."""

EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif"})
"""Names that promise a picture: such a file Pillow cannot read is corrupt, not "not a picture"."""

_OPENING = threading.Lock()
"""`warnings.catch_warnings` swaps process-wide state: one opening at a time holds it. Opening
reads a header only (a fraction of a millisecond); decoding, the slow part, runs in parallel."""


def pixel_limit(max_pixels: int | None = None) -> int | None:
    """The limit a picture's declared width × height is held to: the caller's, else Pillow's
    `Image.MAX_IMAGE_PIXELS` (None: no limit)."""
    return Image.MAX_IMAGE_PIXELS if max_pixels is None else max_pixels


def open_picture(path: Path, max_pixels: int | None = None) -> Image.Image:
    """`path` opened lazily (only its header read), checked to be one of `FORMATS` and within the
    pixel limit. Pillow's `DecompressionBombWarning` is raised as an error here, so a huge
    declared size never reaches the terminal as a warning line.

    Raises `PictureProblem`; the caller closes the image it gets.
    """
    limit = pixel_limit(max_pixels)
    try:
        with _OPENING, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PictureProblem("bomb", f"a decompression bomb: {exc}") from exc
    except Image.UnidentifiedImageError as exc:
        if path.suffix.lower() in EXTENSIONS:
            raise PictureProblem("corrupt", "corrupt: Pillow cannot identify it") from exc
        raise PictureProblem("not a picture", "not a picture") from exc
    except OSError as exc:
        if exc.errno is None:  # Pillow's own: the data, not the file system
            raise PictureProblem("corrupt", f"corrupt: {exc}") from exc
        raise PictureProblem("unreadable", f"cannot be read: {exc.strerror or exc}") from exc
    except Exception as exc:  # a damaged header raises whatever its parser meets
        raise PictureProblem("corrupt", f"corrupt: {exc}") from exc
    width, height = image.size
    if image.format not in FORMATS:
        image.close()
        names = ", ".join(FORMATS)
        raise PictureProblem("format", f"a {image.format} picture: only {names} are read")
    if limit is not None and width * height > limit:
        image.close()
        raise PictureProblem(
            "bomb",
            f"a decompression bomb: it declares {width:,}×{height:,} = {width * height:,} "
            f"pixels, over the limit of {limit:,}",
        )
    return image
