"""The workshop's board: the one share code the instructor puts on every seat.

`board.json` in the shared folder holds the code (as text: this layer does not read codes),
a label and when. Only the instructor writes it (the workshop folder's top is theirs alone),
and a seat believes a board only when the instructor owns the file: who put it there is the
file's owner, never a field in it. Each seat's app looks at the file's time every few
seconds and offers the code when it changes.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

from tui_dl import paths
from tui_dl.engine.trust import Unreadable, owner_of, read_json, user_name

BOARD = "board.json"
MAX_CODE = 4096
MAX_LABEL = 80


@dataclass(frozen=True)
class Pushed:
    code: str
    label: str
    by: str
    at: float


def board_path() -> Path:
    return paths.shared() / BOARD


def push_code(code: str, label: str = "") -> Pushed:
    """Put a code on every seat: the instructor only (PermissionError for anyone else)."""
    from tui_dl.engine.workshop.folder import is_instructor

    if not is_instructor():
        raise PermissionError("only the instructor puts a code on every seat")
    code, label = code.strip()[:MAX_CODE], " ".join(label.split())[:MAX_LABEL]
    pushed = Pushed(code, label, user_name(os.geteuid()), time.time())
    record = {"code": pushed.code, "label": pushed.label, "at": pushed.at}
    paths.write_atomic(board_path(), json.dumps(record, indent=1) + "\n")
    with contextlib.suppress(OSError):
        board_path().chmod(0o644)
    return pushed


def pushed() -> Pushed | None:
    """What is on the board, or None: nothing there, a file that is not a board's, or one
    the instructor does not own (in a workshop; alone, the user's own)."""
    from tui_dl.engine.workshop.folder import instructor_uid

    path = board_path()
    uid = owner_of(path)
    trusted = instructor_uid() if paths.workshop() is not None else os.geteuid()
    if uid is None or uid != trusted:
        return None
    try:
        data = read_json(path, 65536)
    except Unreadable:
        return None
    if not isinstance(data, dict):
        return None
    code, label, at = data.get("code"), data.get("label", ""), data.get("at")
    if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE:
        return None
    if not isinstance(label, str) or isinstance(at, bool) or not isinstance(at, int | float):
        return None
    if not math.isfinite(at):
        return None
    label = "".join(ch if ch.isprintable() else " " for ch in label)[:MAX_LABEL]
    return Pushed(code.strip(), label.strip(), user_name(uid), float(at))


def board_time() -> float:
    """When the board last changed (0 when there is none): a cheap stat to poll."""
    try:
        return board_path().stat().st_mtime
    except OSError:
        return 0.0


def clear_board() -> None:
    from tui_dl.engine.workshop.folder import is_instructor

    if not is_instructor():
        raise PermissionError("only the instructor clears the board")
    board_path().unlink(missing_ok=True)
