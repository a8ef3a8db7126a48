"""The data view's work off the UI thread: scanning the learner's folder and reading small
copies of its pictures to draw. Pillow and numpy are imported here, in the worker's thread,
never before the first frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from tui_dl.data.my_images.progress import Progress
    from tui_dl.data.my_images.scan import Folder, ImageFile
    from tui_dl.data.my_images.summary import FolderSummary

THUMBNAIL_PIXELS = 48
"""The longer side of the copy of a picture that is drawn: enough for the largest thumbnail
(12 columns × 6 rows of half blocks is 12 × 12 pixels) several times over."""
FIRST_PAGE = 64
"""Pictures of the first class read with the scan, so the first page is drawn at once (the
other classes' are read when they are turned to: a folder may have 200 classes)."""


@dataclass
class Scanned:
    """A folder as the data view shows it."""

    folder: Folder
    summary: FolderSummary
    pictures: dict[str, list[ImageFile]]
    """Class → its pictures, in folder order."""


def scan(root: Path, progress: Progress, other: Path | None = None) -> Scanned:
    """The folder scanned (with `other`, that folder as the class "other") and summed up;
    `FolderProblem` when it cannot be used."""
    from tui_dl.data.my_images.scan import scan_folder
    from tui_dl.data.my_images.summary import summarize

    folder = scan_folder(root, other=other, progress=progress)
    pictures: dict[str, list[ImageFile]] = {name: [] for name in folder.classes}
    for image in folder.images:
        pictures[image.label].append(image)
    return Scanned(folder, summarize(folder), pictures)


def first_page(scanned: Scanned) -> list[ImageFile]:
    """The pictures read with the scan: the first `FIRST_PAGE` of the first class."""
    return next(iter(scanned.pictures.values()))[:FIRST_PAGE]


def thumbnail_size(image: ImageFile) -> tuple[int, int]:
    """(height, width) of the copy drawn: the picture's shape, its longer side
    `THUMBNAIL_PIXELS` (never larger than the picture)."""
    longest = max(image.width, image.height)
    scale = min(1.0, THUMBNAIL_PIXELS / longest)
    return max(1, round(image.height * scale)), max(1, round(image.width * scale))


def read_thumbnails(
    images: list[ImageFile], progress: Progress | None = None
) -> dict[Path, np.ndarray | None]:
    """Each picture's small copy as (H, W, 3) 0–255; None for one that cannot be read after
    all (corrupt past the header the scan checked)."""
    from tui_dl.data.my_images.load import load_image
    from tui_dl.data.my_images.problems import FolderProblem
    from tui_dl.data.my_images.progress import for_each

    found: dict[Path, np.ndarray | None] = {}

    def read(image: ImageFile) -> np.ndarray | None:
        try:
            return load_image(image.path, thumbnail_size(image), 3, fit="stretch")
        except (FolderProblem, OSError, ValueError):
            return None

    def keep(i: int, pixels: np.ndarray | None) -> None:
        found[images[i].path] = pixels

    for_each(read, images, keep, progress=progress)
    return found
