"""What a browser seat may open, and where it writes: its own folder, nothing else.

Every seat's app runs as the server's Unix user, so the file system cannot keep a seat out
of another seat's files or the server user's home (`~/.ssh`, a mode-700 `grades.csv`): this
module does. At a seat (`TUI_DL_SEAT`), a file is opened only from

- the seat's own folder, `seats/SEAT/files/` (made on first use, mode 700, owned by the
  server's user — a folder someone else made or can write to is refused, as git refuses a
  repository it does not own), where the seat's exports land too; or
- read-only, the data folder the server was given (`tui-dl serve --data-dir DIR`, passed to
  each seat as `TUI_DL_SEAT_DATA`): a browser cannot upload, so this is where an instructor
  puts the CSVs and photos a class is to pick. Without `--data-dir`, only the seat's folder.

A path is judged after `..` and every symlink are resolved (`Path.resolve`), and a relative
one is taken from the seat's folder, not the server's working directory; `~` means nothing
special at a seat. Outside a seat (SSH, alone) nothing is confined: the user's own
permissions are the rule.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_dl.engine.workshop.seats import current_seat, seat_folder

if TYPE_CHECKING:
    from tui_dl.engine.experiments.params import Param

SEAT_DATA_ENV = "TUI_DL_SEAT_DATA"
"""The data folder a seat may read (the server's `--data-dir`), set by the server."""
FILES = "files"


class OutsideSeatFolder(ValueError):
    """A seat asked for a file outside its folder (or its folder cannot be trusted)."""


@dataclass(frozen=True)
class SeatFiles:
    """A seat's own folder (read and write) and the server's data folder (read only)."""

    folder: Path
    """`seats/SEAT/files`, resolved: where the seat's files and exports live."""
    data: Path | None
    """The server's `--data-dir`, resolved, or None."""

    @property
    def roots(self) -> tuple[Path, ...]:
        return (self.folder,) if self.data is None else (self.folder, self.data)

    def inside(self, path: Path) -> bool:
        """Whether `path` (resolved here) lies in the seat's folder or the data folder."""
        real = path.resolve()
        return any(real == root or real.is_relative_to(root) for root in self.roots)

    def confine(self, path: str | Path) -> Path:
        """The file a seat named, resolved, if it may be read; OutsideSeatFolder if not."""
        given = Path(path)
        real = (given if given.is_absolute() else self.folder / given).resolve()
        if any(real == root or real.is_relative_to(root) for root in self.roots):
            return real
        raise OutsideSeatFolder(f"{path}: {self.where()}")

    def where(self) -> str:
        data = f", or read one from the workshop's data folder {self.data}" if self.data else ""
        return (
            f"at a browser seat, files come from your seat's folder {self.folder}{data} "
            "— nowhere else on the server"
        )


def here() -> SeatFiles | None:
    """This seat's folders, or None outside a seat. OutsideSeatFolder when the seat's folder
    cannot be made, or is not the server user's alone."""
    seat = current_seat()
    if seat is None:
        return None
    folder = seat_folder(seat) / FILES
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for part in (folder.parent, folder):
            info = part.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                raise OutsideSeatFolder(f"{part}: not a folder of this server's user")
        if folder.lstat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:
        raise OutsideSeatFolder(f"your seat's folder {folder} cannot be used: {exc}") from exc
    data_text = os.environ.get(SEAT_DATA_ENV, "").strip()
    data = Path(data_text).resolve() if data_text and Path(data_text).is_absolute() else None
    return SeatFiles(folder.resolve(), data if data is not None and data.is_dir() else None)


def readable(path: str | Path) -> Path:
    """A file a seat may read, resolved (OutsideSeatFolder if not); elsewhere, as given."""
    seat = here()
    return Path(path) if seat is None else seat.confine(path)


def export_folder(default: Path) -> Path:
    """Where an export is written: the seat's own folder at a seat, else `default`."""
    seat = here()
    return default if seat is None else seat.folder


def picker_roots(default: Path) -> tuple[Path, ...]:
    """The folders a file picker shows: the seat's own (then the data folder) at a seat,
    else `default` (the working directory)."""
    seat = here()
    return (default,) if seat is None else seat.roots


def confine_value(param: Param, text: str) -> str:
    """A setting as typed, with the file or folder it names (a path, my-images' folders, a
    Playground state's CSV) checked against the seat's folders before anything opens it — the
    run's process reads it as the server's user. Unchanged outside a seat."""
    from tui_dl.engine.experiments.params import FolderParam, PathParam

    seat = here() if text.strip() else None
    if seat is None:
        return text
    if isinstance(param, PathParam | FolderParam):
        return str(seat.confine(text.strip()))
    if param.name == "state":
        return confine_state(text, seat)
    return text


def confine_state(text: str, seat: SeatFiles) -> str:
    """A Playground state whose CSV (if any) the seat may read."""
    from tui_dl.engine.playground.state import StateError, parse_state

    try:
        state = parse_state(text)
    except StateError:
        return text  # not a state: the experiment's own check says why
    if not state.csv:
        return text
    return state.with_(csv=str(seat.confine(state.csv))).to_string()
