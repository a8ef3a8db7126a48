"""The workshop folder: made once for a class, shared by every seat.

    DIR/workshop.json   who the instructor is (the Unix user who opened it), since when
    DIR/runs/ sweeps/   every seat's runs and sweeps (as in a single user's tui-dl folder)
    DIR/queue/          the run queue (tui_dl.engine.queue)
    DIR/seats/          the browser seats and their names (seats.py)
    DIR/board.json      the share code the instructor put on every seat (board.py)

Learners may share one Unix account or each have their own; for the second, the folder
belongs to a group they are all in and is group-writable with the set-group-id bit, so what
any of them writes stays the group's (`open_workshop` sets the bit and the mode; the README
shows the commands). A run is cancelled only by its owner or the instructor.
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
from tui_dl.engine.workshop.seats import current_seat, identity, owner_label, unix_user

RECORD = "workshop.json"
FOLDERS = ("runs", "sweeps", "queue", "seats")
GROUP_MODE = 0o2775
UMASK = 0o002
"""Files any seat writes stay writable by the group (the queue's locks, a run's cancel)."""


def open_workshop(folder: Path | str, instructor: bool = True) -> dict[str, Any]:
    """Make (or check) a workshop folder; the first to open it as instructor is recorded.
    Returns its record. OSError when the folder cannot be made or written."""
    root = Path(folder).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    for name in ("", *FOLDERS):
        path = root / name
        path.mkdir(exist_ok=True)
        with contextlib.suppress(OSError):  # not ours to change: the owner set it up
            if path.stat().st_uid == os.getuid():
                path.chmod(GROUP_MODE)
    if not os.access(root, os.W_OK):
        raise PermissionError(f"{root}: this user ({unix_user()}) cannot write there")
    record = read_record(root)
    if instructor and not record.get("instructor"):
        record = {"instructor": unix_user(), "since": time.time()}
        paths.write_atomic(root / RECORD, json.dumps(record, indent=1) + "\n")
        with contextlib.suppress(OSError):
            (root / RECORD).chmod(0o664)
    return record


def enter_workshop() -> None:
    """For a process working in the workshop: files it makes stay the group's to write."""
    if paths.workshop() is not None:
        os.umask(UMASK)


def read_record(root: Path | None = None) -> dict[str, Any]:
    root = root or paths.workshop()
    if root is None:
        return {}
    try:
        data = json.loads((root / RECORD).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_instructor() -> bool:
    """This process is the instructor's: their Unix user, not at a browser seat (or no
    workshop at all: a single user is their own instructor)."""
    if paths.workshop() is None:
        return True
    return current_seat() is None and read_record().get("instructor") == unix_user()


def cancel_refusal(spec: dict[str, Any]) -> str | None:
    """Why this process may not cancel the run of `spec`, or None when it may: a run is
    cancelled only by its owner or the instructor."""
    if paths.workshop() is None:
        return None
    owner = spec.get("owner") or {}
    if not owner:
        return None  # a run from before owners were kept
    me = identity()
    if owner.get("user") == me["user"] and owner.get("seat") == me.get("seat"):
        return None
    if is_instructor():
        return None
    return (
        f"This run is {owner_label(spec)}'s: only they or the instructor can cancel it "
        "(you can watch it, and start your own from its settings with n)."
    )


def is_group_shared(root: Path) -> bool:
    """Whether the folder is set up for several Unix users (group-writable, set-group-id)."""
    try:
        mode = root.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_IWGRP and mode & stat.S_ISGID)
