"""The two exceptions of a learner's folder: one that stops the folder being used, one that
skips a file; and the first check of any folder named (the classes', the other class's).
Pillow-free, so that checking a split's sizes imports no image library."""

from __future__ import annotations

import os
from pathlib import Path


class FolderProblem(Exception):
    """Something about the learner's folder that stops it being used, in one plain sentence that
    names the folder or file and what is wrong. Shown as it is: never a traceback."""


class PictureProblem(Exception):
    """One file that cannot be used as a picture (corrupt, a bomb, an unread format); the scan
    skips it and names it, a load turns it into a `FolderProblem`."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        """A short key the skipped files are counted by: "corrupt", "bomb", "format", …"""
        self.reason = reason


def require_folder(folder: Path, named: str, hint: str) -> None:
    """`FolderProblem` unless `folder` is a folder that is there: `named` is how the sentence
    names it, `hint` what a file in its place should have been."""
    if not os.path.lexists(folder):
        raise FolderProblem(f"{named}: there is no such folder.")
    if not folder.exists():
        raise FolderProblem(f"{named}: a link that leads nowhere (a loop or a missing target).")
    if not folder.is_dir():
        raise FolderProblem(f"{named} is a file, not a folder: {hint}")
