"""Scanning a learner's folder of pictures: one subfolder per class, as Keras's
`image_dataset_from_directory` reads it (class names are the subfolder names, sorted; a class's
pictures may sit in folders below its own).

What is read, and what is not:
- Each file's format is decided by its content. Files that are not pictures are skipped and
  counted by reason; a corrupt, empty or too large picture, or a decompression bomb, is skipped
  and named.
- Hidden files and folders (a name starting with ".") are ignored, as Keras ignores them.
- A link to a file is read, wherever it points, in the learner's own folder; in a folder someone
  else owns (a class's shared pictures) links are not followed, as a reader of another user's
  folder should not (STYLE.md, "Trust"). A link to a folder is never followed, and is named
  among the skipped: that alone keeps a loop of links from being walked forever. A link that
  leads nowhere (a loop, a missing target) is named too.
- Whatever stops the folder being used at all raises `FolderProblem` with one plain sentence.

Only headers are parsed where a format allows it: PNG's chunks are checked by `verify()`,
a JPEG is decoded at an eighth of its size (`draft`), BMP and GIF are decoded; each file is
hashed (sha256, read in chunks) so that the same picture in two classes is found. A PNG whose
chunks are whole but whose pixel data is short passes (decoding every PNG would make the scan
10–15 times slower); `load.load_image` names it when it is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from tui_dl.data.my_images.pictures import open_picture
from tui_dl.data.my_images.problems import FolderProblem, PictureProblem, require_folder
from tui_dl.data.my_images.progress import Progress, for_each

MAX_CLASSES = 200
"""More class subfolders than this is taken for a wrong folder (a photo library, a home)."""

MAX_FILE_BYTES = 256 * 1024 * 1024
"""A file larger than this is skipped unread: no picture a learner teaches with is this big."""


@dataclass(frozen=True)
class ImageFile:
    """One usable picture, as its header and content describe it."""

    path: Path
    """Where it is read from (the folder's path joined with `relative`)."""
    relative: str
    """Its path inside the folder, with "/" between parts: "cats/tabby/01.png" (in the other
    folder: that folder's path and its path inside it, see `other.py`)."""
    label: str
    """Its class: the name of the subfolder of the folder it sits under (`other.OTHER` for
    the other folder's pictures)."""
    format: str
    """Pillow's name for its content's format: "PNG", "JPEG", "BMP" or "GIF"."""
    width: int
    height: int
    mode: str
    """Pillow's mode as stored: "RGB", "L", "P", "RGBA", "I;16", "CMYK"…"""
    bytes: int
    sha256: str
    """Of the file's content: equal hashes are the same picture."""


@dataclass(frozen=True)
class Skipped:
    """A file or folder the scan did not use, and why."""

    relative: str
    """Its path inside the folder ("" for the folder itself)."""
    kind: str
    """What the skipped are counted by: "not a picture", "corrupt", "empty", "bomb", "format",
    "too big", "linked folder", "broken link", "link", "not a file", "unreadable",
    "outside a class"."""
    reason: str
    """One plain phrase: "corrupt: image file is truncated"."""


@dataclass
class Folder:
    """What a scan found: the classes, their usable pictures, and what was skipped."""

    root: Path
    classes: list[str]
    """The class subfolders sorted, then `other.OTHER` where there is an other folder: a
    class's index in this list is its label number."""
    images: list[ImageFile] = field(default_factory=list)
    """In class order, then by path."""
    skipped: list[Skipped] = field(default_factory=list)
    other: Path | None = None
    """The folder the "other" class was read from (`--other`), if any."""

    def counts(self) -> dict[str, int]:
        """Pictures per class, in class order."""
        found = Counter(image.label for image in self.images)
        return {name: found[name] for name in self.classes}

    def labels(self) -> list[int]:
        """Each picture's class index, in `images` order."""
        index = {name: i for i, name in enumerate(self.classes)}
        return [index[image.label] for image in self.images]

    def skipped_counts(self) -> dict[str, int]:
        """Skipped files and folders per kind."""
        return dict(Counter(s.kind for s in self.skipped))


def scan_folder(
    root: str | os.PathLike[str],
    *,
    other: str | os.PathLike[str] | None = None,
    max_classes: int = MAX_CLASSES,
    max_pixels: int | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Folder:
    """Every usable picture under `root`'s class subfolders, and every file skipped; with
    `other`, that folder's pictures as one more class (`other.py`).

    `max_pixels` defaults to Pillow's `Image.MAX_IMAGE_PIXELS`; `workers` is how many files are
    examined at once (default: one a core, up to 8); `progress` may raise to cancel.

    Raises `FolderProblem` when the folder cannot be used: missing, not a folder, unreadable, no
    class subfolders, one class, more than `max_classes`, or a class with no usable picture;
    and for an other folder that cannot be one (`other.other_root`, `other.check_has_pictures`).
    """
    folder = Path(root).expanduser()
    class_dirs, skipped = _class_folders(folder, max_classes)
    own = folder.stat().st_uid == os.geteuid()
    candidates: list[tuple[str, Path, str, bool]] = []  # (class, path, as shown, links followed)
    for name in class_dirs:
        files, not_walked = _walk_class(folder, name)
        candidates += [(name, path, relative, own) for path, relative in files]
        skipped += not_walked
    classes = list(class_dirs)
    outside: Path | None = None
    if other is not None:
        from tui_dl.data.my_images import other as other_class

        outside = other_class.other_root(folder, other, class_dirs)
        files, not_walked = other_class.other_files(outside)
        follow = outside.stat().st_uid == os.geteuid()
        candidates += [(other_class.OTHER, path, shown, follow) for path, shown in files]
        skipped += not_walked
        classes.append(other_class.OTHER)
    results: list[ImageFile | Skipped] = []

    def check(candidate: tuple[str, Path, str, bool]) -> ImageFile | Skipped:
        label, path, relative, follow = candidate
        try:
            return examine(path, relative, label, max_pixels, max_file_bytes, follow)
        except PictureProblem as problem:
            return Skipped(relative, problem.kind, problem.reason)

    for_each(check, candidates, lambda _, r: results.append(r), workers=workers, progress=progress)
    images = [r for r in results if isinstance(r, ImageFile)]
    skipped += [r for r in results if isinstance(r, Skipped)]
    found = Folder(folder, classes, images, skipped, outside)
    _check_every_class_has_pictures(found)
    if outside is not None:
        other_class.check_has_pictures(found)
    return found


def _class_folders(folder: Path, max_classes: int) -> tuple[list[str], list[Skipped]]:
    require_folder(
        folder, str(folder), "name the folder that holds one subfolder of pictures per class."
    )
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise FolderProblem(f"{folder} cannot be read: {exc.strerror or exc}.") from exc
    classes, skipped = [], []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and entry.is_dir():
            skipped.append(_linked_folder(entry.name))
        elif entry.is_dir(follow_symlinks=False):
            classes.append(entry.name)
        else:
            skipped.append(Skipped(entry.name, "outside a class", "outside any class subfolder"))
    if not classes:
        held = f"it holds {len(skipped)} files but " if skipped else "it is empty: "
        raise FolderProblem(
            f"{folder} has no class subfolders: {held}each class is a subfolder holding that "
            f"class's pictures (e.g. {folder / 'cats'}, {folder / 'dogs'})."
        )
    if len(classes) == 1:
        raise FolderProblem(
            f"{folder} has one class subfolder ({classes[0]}): a network needs at least two "
            "classes to tell apart; add a subfolder of pictures for each other class."
        )
    if len(classes) > max_classes:
        raise FolderProblem(
            f"{folder} has {len(classes):,} class subfolders; the limit is {max_classes:,}. "
            "Is it the right folder? Each subfolder is taken for one class."
        )
    return classes, skipped


def _linked_folder(relative: str) -> Skipped:
    return Skipped(
        relative,
        "linked folder",
        "a link to a folder: links to folders are not followed (one could lead back up and loop)",
    )


def _walk_class(folder: Path, name: str) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """A class folder's files (below it too), sorted, and the folders not walked."""
    return walk_below(folder, name)


def walk_below(folder: Path, name: str = "") -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """The files below `folder / name` (each with its path from `folder`), sorted, hidden ones
    and linked folders left out, and the folders not walked with why."""
    files: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename or folder / name)
        relative = where.relative_to(folder).as_posix() if where.is_relative_to(folder) else name
        skipped.append(Skipped(relative, "unreadable", f"cannot be read: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(folder / name, onerror=unreadable):
        here = Path(dirpath)
        inside = here.relative_to(folder).as_posix()
        prefix = "" if inside == "." else f"{inside}/"
        for sub in sorted(dirnames):
            if not sub.startswith(".") and (here / sub).is_symlink():
                skipped.append(_linked_folder(f"{prefix}{sub}"))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files += [(here / f, f"{prefix}{f}") for f in sorted(filenames) if not f.startswith(".")]
    files.sort(key=lambda pair: pair[1])
    return files, skipped


def examine(
    path: Path,
    relative: str,
    label: str,
    max_pixels: int | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    follow_link: bool = True,
) -> ImageFile:
    """One file as an `ImageFile`, or `PictureProblem` saying why it cannot be one."""
    if not follow_link and path.is_symlink():
        raise PictureProblem("link", "a link, in a folder that is not yours: not followed")
    try:
        info = os.stat(path)
    except OSError as exc:
        if path.is_symlink():
            raise PictureProblem(
                "broken link", "a link that leads nowhere (a loop or a missing target)"
            ) from exc
        raise PictureProblem("unreadable", f"cannot be read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise PictureProblem("not a file", "not a regular file (a pipe, a device…)")
    if info.st_size == 0:
        raise PictureProblem("empty", "empty (0 bytes)")
    if info.st_size > max_file_bytes:
        raise PictureProblem(
            "too big", f"{info.st_size:,} bytes, over the limit of {max_file_bytes:,}"
        )
    with open_picture(path, max_pixels) as image:
        width, height, mode, kind = image.width, image.height, image.mode, image.format or ""
        _check_decodes(image)
    try:
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        raise PictureProblem("unreadable", f"cannot be read: {exc.strerror or exc}") from exc
    return ImageFile(path, relative, label, kind, width, height, mode, info.st_size, digest)


def _check_decodes(image: Image.Image) -> None:
    """Corruption past the header, found as cheaply as the format allows."""
    try:
        if image.format == "PNG":
            image.verify()  # every chunk's CRC, no decoding
        else:
            if image.format == "JPEG":
                image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Exception as exc:  # each decoder raises its own kind of error
        raise PictureProblem("corrupt", f"corrupt: {exc}") from exc


def _check_every_class_has_pictures(folder: Folder) -> None:
    counts = folder.counts()
    own = folder.classes[:-1] if folder.other is not None else folder.classes
    empty = [name for name in own if counts[name] == 0]
    if not empty:
        return
    lines = []
    for name in empty:
        inside = [s for s in folder.skipped if s.relative.startswith(f"{name}/")]
        why = Counter(s.kind for s in inside)
        held = ", ".join(f"{n} {kind}" for kind, n in sorted(why.items()))
        lines.append(f"{folder.root / name}" + (f" (skipped: {held})" if held else " (empty)"))
    which = "this class has" if len(empty) == 1 else f"these {len(empty)} classes have"
    raise FolderProblem(f"No usable picture: {which} none: " + "; ".join(lines) + ".")
