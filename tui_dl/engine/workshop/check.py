"""`tui-dl workshop check`: everything in a workshop folder that a learner could alter but
should not be able to — read from owners and modes only, nothing changed.

A finding names the path and what someone could do with it ("anyone in the group can remove
or replace workshop.json"), so the instructor knows what to fix; `tui-dl workshop init`
fixes the folder's own parts, a learner's own run folder is theirs to fix.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tui_dl.engine.trust import user_name
from tui_dl.engine.workshop.folder import RECORD, SHARED_AREAS, instructor_uid

MAX_RUNS = 5000
"""How many run and sweep folders one check looks through."""


@dataclass(frozen=True)
class Finding:
    path: str
    """Relative to the workshop folder."""
    problem: str


def _writable_by(mode: int) -> str | None:
    if mode & stat.S_IWOTH:
        return "everyone"
    if mode & stat.S_IWGRP:
        return "the group"
    return None


def check_workshop(root: Path | str) -> list[Finding]:
    """What a learner could alter in the workshop at `root` that they should not."""
    root = Path(root).expanduser().absolute()
    found: list[Finding] = []

    def say(path: Path, problem: str) -> None:
        found.append(Finding(str(path.relative_to(root)) if path != root else ".", problem))

    try:
        top = os.lstat(root)
    except OSError as exc:
        return [Finding(".", f"cannot be read: {exc.strerror or exc}")]
    if stat.S_ISLNK(top.st_mode) or not stat.S_ISDIR(top.st_mode):
        return [Finding(".", "not a folder (a symbolic link or a file): name the folder itself")]
    teacher = instructor_uid(root)
    who = _writable_by(top.st_mode)
    if who and not top.st_mode & stat.S_ISVTX:
        say(root, f"writable by {who}: anyone there can remove or replace {RECORD} and "
                  "the board, becoming the instructor (workshop init fixes it)")  # fmt: skip
    if teacher is None:
        say(root / RECORD, "missing, not a plain file, or in a folder others can write: there is "
                           "no instructor anyone can trust (tui-dl workshop init)")  # fmt: skip
        return found
    trusted = {0, teacher}
    if top.st_uid not in trusted:
        say(root, f"owned by {user_name(top.st_uid)}, not the instructor or root")
    for name in ("board.json",):
        _instructors_file(root / name, trusted, say, "seats ignore it")
    for area in SHARED_AREAS:
        _shared_area(root / area, trusted, say)
    _instructors_file(root / "queue" / "config.json", trusted, say, "the queue ignores it")
    _queue(root / "queue", trusted, say)
    for area in ("runs", "sweeps"):
        _own_folders(root / area, say)
    _own_folders(root / "seats", say)
    return found


def _instructors_file(path: Path, trusted: set[int], say, ignored: str) -> None:
    try:
        info = os.lstat(path)
    except OSError:
        return
    if info.st_uid not in trusted:
        say(path, f"{user_name(info.st_uid)}'s, not the instructor's ({ignored})")
    elif stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        say(path, "not a plain file")
    elif who := _writable_by(info.st_mode):
        say(path, f"writable by {who}")


def _shared_area(path: Path, trusted: set[int], say) -> None:
    try:
        info = os.lstat(path)
    except OSError:
        say(path, "missing (tui-dl workshop init makes it)")
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        say(path, "not a folder (a symbolic link or a file)")
        return
    if info.st_uid not in trusted:
        say(path, f"owned by {user_name(info.st_uid)}: they can remove anyone's files in it")
    if _writable_by(info.st_mode) and not info.st_mode & stat.S_ISVTX:
        say(path, "not sticky: anyone who can add here can also remove or rename another's")


def _queue(folder: Path, trusted: set[int], say) -> None:
    try:
        devices = sorted(folder.iterdir())
    except OSError:
        return
    for device in devices:
        if device.name == "config.json":
            continue
        info = os.lstat(device)
        if stat.S_ISLNK(info.st_mode):
            say(device, "a symbolic link")
            continue
        if not stat.S_ISDIR(info.st_mode):
            continue
        _shared_area(device, trusted, say)
        for path in sorted(device.glob("slot-*")):
            slot = os.lstat(path)
            if stat.S_ISLNK(slot.st_mode) or not stat.S_ISREG(slot.st_mode):
                say(path, "not a plain file: no run can hold this slot")
            elif slot.st_uid not in trusted:
                say(path, f"{user_name(slot.st_uid)}'s: they could remove it from under the "
                          "run that holds it, and two runs would share the slot")  # fmt: skip
            elif who := _writable_by(slot.st_mode):
                say(path, f"writable by {who}")


def _own_folders(area: Path, say) -> None:
    """Each user's own folders (runs, sweeps, seats): only their owner may write in them."""
    try:
        entries = sorted(area.iterdir(), reverse=True)[:MAX_RUNS]
    except OSError:
        return
    for folder in entries:
        info = os.lstat(folder)
        if stat.S_ISLNK(info.st_mode):
            say(folder, f"a symbolic link ({user_name(info.st_uid)}'s): readers do not follow it")
            continue
        if not stat.S_ISDIR(info.st_mode):
            continue
        if who := _writable_by(info.st_mode):
            say(folder, f"writable by {who}: others can add, remove or replace "
                        f"{user_name(info.st_uid)}'s files in it")  # fmt: skip
        try:
            inside = sorted(folder.iterdir())
        except OSError:
            continue
        for path in inside:
            item = os.lstat(path)
            if stat.S_ISLNK(item.st_mode):
                say(path, "a symbolic link: readers do not follow it")
            elif item.st_uid != info.st_uid:
                say(path, f"{user_name(item.st_uid)}'s, in {user_name(info.st_uid)}'s folder")
            elif stat.S_ISREG(item.st_mode) and (who := _writable_by(item.st_mode)):
                say(path, f"writable by {who}: others can rewrite it")
