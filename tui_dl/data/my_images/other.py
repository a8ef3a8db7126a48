"""The "other" class: a folder of pictures of everything that is none of the learner's classes
(`--other DIR`), taught as one more class so that the network can answer "none of these"
honestly instead of forcing every picture into a class it knows.

The other folder may hold its pictures directly or in subfolders of any depth: all of them
are one class, named `OTHER`, put after the folder's own classes. They are read by the same
rules as a class folder's (`scan.py`): the format by content, hidden files and linked folders
left out and named, links followed only in a folder of the learner's own. Each of its pictures
is known by its own path (absolute), so no message can take it for one of the folder's.

Refused before anything trains, each in a sentence naming the folder: an other folder that is
missing, not a folder or has no usable picture; one that is the class folder itself, inside it
or holding it; a class folder that already has a class named "other"; and (`check_apart`) the
same picture, by content, in the other folder and in a class.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tui_dl.data.my_images.problems import FolderProblem, require_folder

if TYPE_CHECKING:
    from tui_dl.data.my_images.scan import Folder, Skipped

OTHER = "other"
"""The other class's name: what the network answers for a picture it puts there."""
LISTED = 3
"""Copies named in the message that refuses pictures found in both places (the rest counted)."""


def other_root(root: Path, other: str | os.PathLike[str], classes: list[str]) -> Path:
    """The other folder (absolute, its links not resolved), checked against the class folder
    `root` and its `classes`; `FolderProblem` naming what is wrong."""
    given = Path(other).expanduser()
    named = f"The other folder {given}"
    require_folder(
        given, named, "name a folder of pictures of anything that is none of your classes."
    )
    mine, theirs = root.resolve(), given.resolve()
    if theirs == mine:
        raise FolderProblem(
            f"{named} is your folder itself: name a folder of pictures of everything else, "
            f"outside {root}."
        )
    if theirs.is_relative_to(mine):
        raise FolderProblem(
            f"{named} is inside your folder {root}, where it would be read as a class (or a "
            "class's pictures): keep the other pictures in a folder outside it."
        )
    if mine.is_relative_to(theirs):
        raise FolderProblem(
            f"Your folder {root} is inside the other folder {given}: the other class "
            "would hold all your classes' pictures. Name a folder apart from yours."
        )
    taken = [name for name in classes if name.casefold() == OTHER]
    if taken:
        raise FolderProblem(
            f"{root / taken[0]}: your folder already has a class named {taken[0]!r}, the name "
            f"the other folder's class takes. Rename that class, or leave out the other "
            f"folder ({given})."
        )
    return Path(os.path.abspath(given))  # its pictures shown by a path that says where


def other_files(other: Path) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Every file below the other folder, each with its path as shown (the folder's own path
    and the file's inside it), and the folders not walked."""
    from tui_dl.data.my_images.scan import Skipped, walk_below

    files, not_walked = walk_below(other)
    return (
        [(path, f"{other}/{relative}") for path, relative in files],
        [Skipped(f"{other}/{s.relative}", s.kind, s.reason) for s in not_walked],
    )


def check_has_pictures(folder: Folder) -> None:
    """`FolderProblem` when the other folder gave no usable picture (what was skipped said)."""
    if folder.other is None or folder.counts().get(OTHER):
        return
    prefix = f"{folder.other}/"
    inside = [s for s in folder.skipped if s.relative.startswith(prefix)]
    kinds: dict[str, int] = {}
    for skipped in inside:
        kinds[skipped.kind] = kinds.get(skipped.kind, 0) + 1
    held = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    raise FolderProblem(
        f"The other folder {folder.other} has no usable picture"
        + (f" (skipped: {held})" if held else ": it is empty")
        + ": fill it with pictures of anything that is none of your classes."
    )


def check_apart(folder: Folder) -> None:
    """`FolderProblem` naming the pictures (by content) that are both in the other folder and
    in a class: a picture cannot be one of the classes and none of them at once."""
    if folder.other is None:
        return
    in_classes: dict[str, str] = {}
    for image in folder.images:
        if image.label != OTHER:
            in_classes.setdefault(image.sha256, image.relative)
    both = [
        f"{image.relative} = {folder.root / in_classes[image.sha256]}"
        for image in folder.images
        if image.label == OTHER and image.sha256 in in_classes
    ]
    if not both:
        return
    more = f" (and {len(both) - LISTED:,} more)" if len(both) > LISTED else ""
    raise FolderProblem(
        f"The other folder {folder.other} and your folder {folder.root} hold the same "
        f"picture{'s' if len(both) > 1 else ''}: {'; '.join(both[:LISTED])}{more}. A picture "
        "cannot be one of your classes and none of them: remove it from one of the two."
    )
