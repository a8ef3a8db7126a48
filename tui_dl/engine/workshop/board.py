"""The workshop's board: the one share code the instructor puts on every seat.

`board.json` in the shared folder holds the code (as text: this layer does not read codes),
a label, who put it there and when. Each seat's app looks at the file's time every few
seconds and offers the code when it changes.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from tui_dl import paths
from tui_dl.engine.workshop.seats import unix_user

BOARD = "board.json"


@dataclass(frozen=True)
class Pushed:
    code: str
    label: str
    by: str
    at: float


def board_path() -> Path:
    return paths.shared() / BOARD


def push_code(code: str, label: str = "") -> Pushed:
    pushed = Pushed(code.strip(), label.strip(), unix_user(), time.time())
    paths.write_atomic(board_path(), json.dumps(pushed.__dict__, indent=1) + "\n")
    with contextlib.suppress(OSError):
        board_path().chmod(0o664)
    return pushed


def pushed() -> Pushed | None:
    """What is on the board, or None (nothing there, or a file that is not a board's)."""
    try:
        data = json.loads(board_path().read_text())
        return Pushed(str(data["code"]), str(data.get("label", "")), str(data["by"]),
                      float(data["at"]))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def board_time() -> float:
    """When the board last changed (0 when there is none): a cheap stat to poll."""
    try:
        return board_path().stat().st_mtime
    except OSError:
        return 0.0


def clear_board() -> None:
    board_path().unlink(missing_ok=True)
