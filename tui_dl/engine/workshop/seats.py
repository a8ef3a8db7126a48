"""Seats: who sits where in a workshop, and who owns a run.

A browser tab served by `tui-dl serve` is a seat: the server gives each one an id (kept in
the browser's cookie, so a reload sits down at the same seat) and passes it to the seat's
app as `TUI_DL_SEAT`. The learner types a name once; it is kept in the seat's folder.

    seats/SEAT/name          the learner's name, as typed (written by the seat's app)
    seats/SEAT/state.json    connected, pid, when, last key, why it closed (by the server)

An SSH user has no seat. Every run's spec carries its `owner` (`identity()`) as a note, but
who a run is really by comes from the file system (`who_ran`): the user who owns its folder,
and a seat only when that same user owns the seat's folder (the server's user), since any
learner can write any seat id into a spec of their own.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.engine.trust import Unreadable, is_mine, owner_of, read_json, read_text, user_name

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
        folder = seat_folder(seat)
        if owner_of(folder / NAME_FILE) != owner_of(folder):
            return None  # a name put there by someone else
        return validate_seat_name(read_text(folder / NAME_FILE, 1024).strip())
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
    user: str = ""
    """The Unix user whose seat folder it is (the server's): who its runs are by."""

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
        if SEAT_ID.match(folder.name) and folder.is_dir() and not folder.is_symlink():
            uid = owner_of(folder)
            state = _read_json(folder / STATE_FILE) if owner_of(folder / STATE_FILE) == uid else {}
            seats.append(Seat(folder.name, seat_name(folder.name), state, user_name(uid)))
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


def seat_of_spec(spec: Mapping[str, Any]) -> str | None:
    """The seat a spec says its run was started at (not yet believed: see `who_ran`)."""
    owner = spec.get("owner") if isinstance(spec, dict) else None
    seat = owner.get("seat") if isinstance(owner, dict) else None
    return seat if isinstance(seat, str) and SEAT_ID.match(seat) else None


@dataclass(frozen=True)
class Owner:
    """Who a run is by, from the file system: its folder's user, and its seat if proven."""

    key: str
    """'seat:ID' or 'user:NAME' — one person in the class view."""
    label: str
    user: str
    seat: str | None = None


def who_ran(run_dir: Path, spec: dict[str, Any]) -> Owner:
    """The owner of a run: the Unix user who owns its folder; a browser seat when the spec
    names one whose folder the same user owns (seats are the server user's)."""
    uid = owner_of(run_dir)
    user = user_name(uid)
    seat = seat_of_spec(spec)
    if seat is not None and uid is not None:
        try:
            seat_uid = owner_of(seat_folder(seat))
        except ValueError:
            seat_uid = None
        if seat_uid == uid:
            return Owner(f"seat:{seat}", seat_name(seat) or f"seat {seat[:6]}", user, seat)
    return Owner(f"user:{user}", user, user)


NOTES = "views"
"""In a viewer's own folder: what they worked out about others' runs, by run id."""


def is_own_run(run_dir: Path, spec: Mapping[str, Any]) -> bool:
    """Whether the run is this process's to write into: its folder is this user's and, at a
    browser seat (every seat is the server's user), the run was started at this seat."""
    if not is_mine(run_dir):
        return False
    seat = current_seat()
    return seat is None or seat_of_spec(spec) == seat


def notes_dir(run_dir: Path, spec: Mapping[str, Any]) -> Path:
    """Where this viewer keeps what they work out about a run — its attention maps, its
    confidence probe, a project report: the run's own folder when it is theirs, else a folder
    of their own (their seat's, or their tui-dl home), since nobody writes into another's
    run. Not made here."""
    run_dir = Path(run_dir)
    if is_own_run(run_dir, spec):
        return run_dir
    seat = current_seat()
    base = seat_folder(seat) if seat else paths.home()
    return base / NOTES / run_dir.name


def owner_label(spec: dict[str, Any], run_dir: Path | None = None) -> str:
    """Whose run it is, in a few characters: from its folder's owner when the folder is
    given; else what the spec says (a note, for a run not on this disk)."""
    if run_dir is not None:
        return who_ran(Path(run_dir), spec).label
    owner = spec.get("owner") if isinstance(spec, dict) else None
    if not isinstance(owner, dict):
        return "—"
    return str(owner.get("name") or owner.get("user") or "—")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = read_json(path, 65536)
    except Unreadable:
        return {}
    return data if isinstance(data, dict) else {}
