"""The pictures a learner names to ask a trained network about (`tui-dl predict RUN PATH...`,
the predict screen's ctrl+o): each path a picture, or a folder whose pictures (below it too)
are all asked about — no classes here, the network names them.

The same rules as a class folder's scan (`scan.py`): the format by content, hidden files and
linked folders left out and named, links followed only in the learner's own folders; a file
that cannot be used is skipped with its reason, and the rest still asked about.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui_dl.data.my_images.problems import FolderProblem, PictureProblem
from tui_dl.data.my_images.progress import Progress, for_each
from tui_dl.data.my_images.scan import ImageFile, Skipped, examine, walk_below

MAX_NAMED = 2_000
"""The most pictures one question takes (their thumbnails and answers are kept)."""


@dataclass
class Named:
    """The usable pictures among those named, in the order named, and the files skipped."""

    images: list[ImageFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def named_pictures(
    paths: Sequence[str | os.PathLike[str]],
    *,
    limit: int = MAX_NAMED,
    progress: Progress | None = None,
) -> Named:
    """Each path a picture or a folder of them. `FolderProblem` for a path that is not there
    or not readable, more than `limit` pictures, or nothing usable at all."""
    candidates: list[tuple[Path, str, bool]] = []  # (path, as shown, links followed)
    skipped: list[Skipped] = []
    for given in paths:
        path = Path(given).expanduser()
        if not os.path.lexists(path):
            raise FolderProblem(f"{given}: there is no such file or folder.")
        if path.is_dir():
            try:
                own = path.stat().st_uid == os.geteuid()
            except OSError as exc:
                raise FolderProblem(f"{given}: cannot be read: {exc.strerror or exc}") from exc
            files, not_walked = walk_below(path)
            candidates += [(file, f"{given}/{relative}", own) for file, relative in files]
            skipped += not_walked
        else:
            candidates.append((path, str(given), True))
        if len(candidates) > limit:
            raise FolderProblem(
                f"{given}: more than {limit:,} pictures named at once; name a smaller folder."
            )
    results: list[ImageFile | Skipped] = []

    def check(candidate: tuple[Path, str, bool]) -> ImageFile | Skipped:
        path, shown, follow = candidate
        try:
            return examine(path, shown, "", follow_link=follow)
        except PictureProblem as problem:
            return Skipped(shown, problem.kind, problem.reason)

    for_each(check, candidates, lambda _, r: results.append(r), progress=progress)
    found = Named(
        [r for r in results if isinstance(r, ImageFile)],
        skipped + [r for r in results if isinstance(r, Skipped)],
    )
    if not found.images:
        why = f": {found.skipped[0].relative} — {found.skipped[0].reason}" if found.skipped else ""
        raise FolderProblem(f"No picture to ask about among {', '.join(map(str, paths))}{why}.")
    return found
