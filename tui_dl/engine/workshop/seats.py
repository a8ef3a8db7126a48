"""Seats: who sits where in a workshop, and who owns a run.

A browser tab served by `tui-dl serve` is a seat: the server gives each one an id (kept in
the browser's cookie, so a reload sits down at the same seat) and passes it to the seat's
app as `TUI_DL_SEAT`. The learner types a name once; it is kept in the seat's folder.

    seats/SEAT/name          the learner's name, as typed (written by the seat's app)
    seats/SEAT/state.json    connected, pid, when, last key, why it closed (by the server)

An SSH user has no seat: their runs carry their Unix user name. Every run's spec carries
its `owner` (`identity()`), which the class view shows and cancelling checks.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths

SEAT_ENV = "TUI_DL_SEAT"
"""The seat id the server gives a browser tab's app."""
NAME_FILE = "name"
STATE_FILE = "state.json"
MAX_NAME = 32
SEAT_ID = re.compile(r"^[a-z0-9]{6,40}$")


def current_seat() -> str | None:
    """This process's seat id (`TUI_DL_SEAT`), or None over SSH or alone."""
    seat = os.environ.get(SEAT_ENV, "").strip().lower()
    return seat if SEAT_ID.match(seat) else None


def unix_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): the uid will do
        return str(os.getuid())


def validate_seat_name(text: str) -> str:
    """A name as a learner typed it → the name kept; ValueError saying what is wrong."""
    name = " ".join(text.split())
    if any(unicodedata.category(ch).startswith("C") for ch in text if ch not in " \t"):
        raise ValueError(
            "A name cannot hold control characters (a stray escape or newline): "
            "type letters, digits, spaces or - . _ '"
        )
    if not name:
        raise ValueError("Type a name first: the instructor sees it beside your runs.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A name of at most {MAX_NAME} characters, please ({len(name)} now).")
    allowed = set(" -._'")
    if not all(ch.isalnum() or ch in allowed for ch in name):
        bad = next(ch for ch in name if not (ch.isalnum() or ch in allowed))
        raise ValueError(f"{bad!r} cannot be part of a name: letters, digits, spaces, - . _ '")
    return name


def seat_folder(seat: str) -> Path:
    if not SEAT_ID.match(seat):
        raise ValueError(f"{seat!r} is not a seat id")
    return paths.seats_dir() / seat


def seat_name(seat: str | None = None) -> str | None:
    """The name the learner at `seat` (default: this one) typed, or None."""
    seat = seat or current_seat()
    if seat is None:
        return None
    try:
        text = (seat_folder(seat) / NAME_FILE).read_text(encoding="utf-8").strip()
        return validate_seat_name(text)
    except (OSError, ValueError):
        return None


def set_seat_name(name: str, seat: str | None = None) -> str:
    """Validate and keep a seat's name; returns it as kept. ValueError for a bad name or
    when there is no seat."""
    seat = seat or current_seat()
    if seat is None:
        raise ValueError("there is no seat here: names are for seats of `tui-dl serve`")
    name = validate_seat_name(name)
    paths.write_atomic(seat_folder(seat) / NAME_FILE, name + "\n")
    return name


def write_seat_state(seat: str, **fields: Any) -> None:
    """The server's record of a seat (merged into what is there)."""
    path = seat_folder(seat) / STATE_FILE
    state = _read_json(path)
    state.update(fields)
    paths.write_atomic(path, json.dumps(state, indent=1) + "\n")


@dataclass
class Seat:
    seat: str
    name: str | None
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def connected(self) -> bool:
        return bool(self.state.get("connected"))

    @property
    def label(self) -> str:
        return self.name or f"seat {self.seat[:6]}"


def list_seats() -> list[Seat]:
    """Every seat that ever sat down in this workshop (or this user's folder)."""
    seats = []
    for folder in sorted(paths.seats_dir().iterdir()):
        if folder.is_dir() and SEAT_ID.match(folder.name):
            state = _read_json(folder / STATE_FILE)
            seats.append(Seat(folder.name, seat_name(folder.name), state))
    return seats


def identity() -> dict[str, Any]:
    """Who launches a run from this process: stored in the run's spec as its `owner`."""
    user = unix_user()
    seat = current_seat()
    name = seat_name(seat) if seat else None
    owner: dict[str, Any] = {"user": user, "name": name or user}
    if seat:
        owner["seat"] = seat
    return owner


def owner_label(spec: dict[str, Any]) -> str:
    """Whose run it is, in a few characters (old runs carry no owner: '—')."""
    owner = spec.get("owner") or {}
    return str(owner.get("name") or owner.get("user") or "—")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
