"""The workshop folder: made once for a class, shared by every seat.

    DIR/                the instructor's (or root's); nobody else adds, removes or renames
                        anything here (2755)
    DIR/workshop.json   the instructor is the Unix user who owns this file
    DIR/board.json      the share code on every seat (board.py): believed only when the
                        instructor owns it
    DIR/runs/ sweeps/   shared areas (3775: group-writable and sticky, as /tmp): each user
                        makes their own run folders there, which only they can write (2755)
                        and nobody else can remove
    DIR/queue/          the run queue (tui_dl.engine.queue): everyone adds their own ticket
    DIR/cancels/        cancel requests, one file a run: a run obeys one owned by its own
                        user or by the instructor, and ignores the rest
    DIR/seats/          the browser seats and their names (seats.py), the server's user's

Who did something is who owns the file (`st_uid`), never what a file says: the instructor is
the owner of `workshop.json`, a run's owner the owner of its folder. `tui-dl workshop init`
sets the folder up with these owners and modes, `tui-dl workshop check` lists anything a
learner could alter that they should not.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.engine import runfiles
from tui_dl.engine.trust import Unreadable, owner_of, read_json, user_name
from tui_dl.engine.workshop.seats import current_seat, seat_of_spec, who_ran

RECORD = "workshop.json"
CANCELS = "cancels"
SHARED_AREAS = ("runs", "sweeps", "queue", "seats", CANCELS)
"""Where every user adds their own things and removes only their own (sticky)."""
ROOT_MODE = 0o2755
SHARED_MODE = 0o3775
"""Group-writable, set-group-id (what is made inside stays the group's), sticky (only a
file's owner removes or renames it)."""
OWN_MODE = 0o2755
"""A user's own folder in a shared area (a run, a sweep): only they write there."""
UMASK = 0o022
"""What a process in the workshop makes is readable by the group, writable by its user only."""


def open_workshop(folder: Path | str, instructor: bool = True) -> dict[str, Any]:
    """Use a workshop folder; one that does not exist yet is made by this user, who becomes
    its instructor (`tui-dl workshop init` does the same with a group). Returns its record
    (`instructor` is the owner of workshop.json, by name). OSError when it cannot be used."""
    root = Path(folder).expanduser().resolve()
    if not root.exists() and instructor:
        init_workshop(root)
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a folder")
    for name in SHARED_AREAS:  # an old folder, or one made by hand: what is missing
        with contextlib.suppress(OSError):
            make_shared(root / name)
    return read_record(root)


def init_workshop(
    folder: Path | str, group: str | None = None, instructor: str | None = None
) -> list[str]:
    """Set a workshop folder up with the owners and modes above; what it did, in lines.

    Run as the instructor, or as root naming `instructor`. PermissionError or ValueError
    (a group this user is not in, no such user) when it cannot."""
    root = Path(folder).expanduser().absolute()
    uid, gid = os.geteuid(), -1
    if instructor is not None:
        import pwd

        try:
            uid = pwd.getpwnam(instructor).pw_uid
        except KeyError:
            raise ValueError(f"no user {instructor!r} on this machine") from None
        if uid != os.geteuid() and os.geteuid() != 0:
            raise PermissionError("only root can make a workshop for another user")
    if group is not None:
        import grp

        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise ValueError(f"no group {group!r} on this machine") from None
    done = []
    if root.is_symlink():
        raise ValueError(f"{root} is a symbolic link: name the folder itself")
    made = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    _own(root, uid, gid, ROOT_MODE)
    who = user_name(uid) + (f", group {group}" if group else "")
    done.append(
        f"{'made' if made else 'took'} {root} ({who}, {ROOT_MODE:o}: only {user_name(uid)} "
        "adds or removes things at its top)"
    )
    record = root / RECORD
    if record.is_symlink() or (record.exists() and owner_of(record) != uid):
        record.unlink()
    if not record.exists():
        text = json.dumps({"since": time.time()}, indent=1) + "\n"
        paths.write_atomic(record, text)
    _own(record, uid, gid, 0o644)
    done.append(f"{RECORD}: {user_name(uid)}'s, so {user_name(uid)} is the instructor")
    for name in SHARED_AREAS:
        area = root / name
        if area.is_symlink():
            area.unlink()
        area.mkdir(exist_ok=True)
        _own(area, uid, gid, SHARED_MODE)
    done.append(
        f"{', '.join(n + '/' for n in SHARED_AREAS)}: {SHARED_MODE:o} — everyone adds their "
        "own, nobody removes another's"
    )
    from tui_dl.engine.queue.queue import prepare_queue

    done += prepare_queue(root / "queue", uid, gid)
    board = root / "board.json"
    if board.exists() and owner_of(board) != uid:
        board.unlink()
        done.append("board.json: removed (not the instructor's)")
    return done


def _own(path: Path, uid: int, gid: int, mode: int) -> None:
    if os.geteuid() == 0 or gid != -1:
        os.chown(path, uid if os.geteuid() == 0 else -1, gid, follow_symlinks=False)
    os.chmod(path, mode)


def make_shared(path: Path) -> None:
    """A shared area that is missing: made (by whoever gets here first) with the shared
    mode, so it works; `workshop check` says when it is not the instructor's."""
    if path.exists() or path.is_symlink():
        return
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.chmod(SHARED_MODE)


def enter_workshop() -> None:
    """For a process working in the workshop: what it makes is its own to write."""
    if paths.workshop() is not None:
        os.umask(UMASK)


def instructor_uid(root: Path | None = None) -> int | None:
    """The instructor: the owner of workshop.json, believed only when nobody else could have
    put it there — the folder is the instructor's or root's and not writable by others, or
    is sticky. None when there is no workshop record or the folder is unsafe."""
    root = root or paths.workshop()
    if root is None:
        return None
    try:
        top = os.lstat(root)
        info = os.lstat(root / RECORD)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or not stat.S_ISDIR(top.st_mode):
        return None
    if top.st_uid not in (0, info.st_uid):
        return None
    if top.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not top.st_mode & stat.S_ISVTX:
        return None
    return info.st_uid


def read_record(root: Path | None = None) -> dict[str, Any]:
    """The workshop's record: who the instructor is (by the file's owner) and since when."""
    root = root or paths.workshop()
    if root is None:
        return {}
    uid = instructor_uid(root)
    if uid is None:
        return {}
    record: dict[str, Any] = {"instructor": user_name(uid), "uid": uid, "spare": False}
    with contextlib.suppress(Unreadable):
        data = read_json(root / RECORD, 65536)
        since = data.get("since") if isinstance(data, dict) else None
        if isinstance(since, int | float) and not isinstance(since, bool):
            record["since"] = float(since)
        if isinstance(data, dict) and data.get("spare") is True:
            record["spare"] = True
    return record


SPARE_MEMORY = "about 0.7 GB"
"""What one spare holds while it waits (TensorFlow, Keras and the trainers imported, nothing
built; measured on the CPU, BENCHMARKS.md): per app, so per seat in a workshop."""


def set_spare(root: Path | str, on: bool) -> str:
    """The instructor turns the seats' spare TensorFlow processes on or off (engine/spare):
    recorded in workshop.json, which only the instructor writes. What it did, in a line;
    PermissionError for anyone else."""
    root = Path(root).expanduser().resolve()
    uid = instructor_uid(root)
    if uid is None:
        raise PermissionError(f"{root} has no workshop record that can be trusted")
    if uid != os.geteuid():
        raise PermissionError(
            f"only the instructor ({user_name(uid)}) turns the spare on or off for {root}"
        )
    try:
        data = read_json(root / RECORD, 65536)
    except Unreadable:
        data = {}
    data = {**(data if isinstance(data, dict) else {}), "spare": on}
    paths.write_atomic(root / RECORD, json.dumps(data, indent=1) + "\n")
    with contextlib.suppress(OSError):
        (root / RECORD).chmod(0o644)
    if on:
        return (
            f"Spare TensorFlow processes on for every seat of {root}: each app keeps one "
            f"ready ({SPARE_MEMORY} of memory each), so a run's first epoch comes in about a "
            "second instead of after TensorFlow's start."
        )
    return f"Spare TensorFlow processes off for {root}: each run starts TensorFlow itself."


def is_instructor() -> bool:
    """This process is the instructor's: their Unix user, never at a browser seat (with or
    without a workshop folder); with no workshop, a single user is their own instructor."""
    if current_seat() is not None:
        return False
    return paths.workshop() is None or instructor_uid() == os.geteuid()


def cancel_refusal(run_dir: Path | str, spec: dict[str, Any] | None = None) -> str | None:
    """Why this process may not cancel the run in `run_dir`, or None when it may: a run is
    cancelled only by its owner (the user who owns its folder; at a browser seat, that seat)
    or by the instructor."""
    owner = owner_of(run_dir)
    mine = owner == os.geteuid()
    seat = current_seat()
    if mine and (seat is None or seat_of_spec(spec or {}) == seat):
        return None
    if is_instructor():
        return None
    whose = who_ran(Path(run_dir), spec or {}).label
    return (
        f"This run is {whose}'s: only they or the instructor can cancel it "
        "(you can watch it, and start your own from its settings with n)."
    )


def is_group_shared(root: Path) -> bool:
    """Whether the folder is set up for several Unix users (a group, set-group-id)."""
    try:
        mode = root.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID)


def cancels_dir() -> Path | None:
    """Where cancel requests go in a workshop (None alone: a run's own `cancel` file does)."""
    root = paths.workshop()
    return None if root is None else root / CANCELS


def cancel_asked(folder: Path) -> bool:
    """Whether someone allowed asked the run (or sweep) in `folder` to stop: its own
    `cancel` file (only its owner can write in its folder), or, in a workshop, a request in
    cancels/ owned by the folder's owner or by the instructor — anyone else's is ignored."""
    folder = Path(folder)
    if os.path.lexists(folder / runfiles.CANCEL):
        return True
    requests = cancels_dir()
    if requests is None:
        return False
    try:
        info = os.lstat(requests / folder.name)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    return info.st_uid in (owner_of(folder), instructor_uid())


def request_cancel(folder: Path) -> Path:
    """Ask another user's run (or sweep) to stop: a request file in the workshop's cancels/,
    which the run obeys when its owner or the instructor owns it. PermissionError saying
    why when this user may not (not the instructor; no workshop)."""
    folder = Path(folder)
    refusal = cancel_refusal(folder)
    if refusal:
        raise PermissionError(refusal)
    requests = cancels_dir()
    if requests is None:
        raise PermissionError(f"{folder.name} is {user_name(owner_of(folder))}'s run")
    make_shared(requests)
    path = requests / folder.name
    if os.path.lexists(path) and owner_of(path) != os.geteuid():
        path.unlink()  # someone else's file in the way: the folder's owner may remove it
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    try:
        os.write(fd, f"{time.time():.3f}\n".encode())
    finally:
        os.close(fd)
    return path
