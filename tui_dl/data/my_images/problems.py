"""The two exceptions of a learner's folder: one that stops the folder being used, one that
skips a file. Pillow-free, so that checking a split's sizes imports no image library."""

from __future__ import annotations


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
