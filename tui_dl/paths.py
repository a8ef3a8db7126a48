"""Where tui-dl keeps its things: runs, progress, caches. No heavy imports here."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from platformdirs import user_data_path

APP_NAME = "tui-dl"
HOME_ENV = "TUI_DL_HOME"


def home() -> Path:
    """The user's tui-dl folder; `TUI_DL_HOME` overrides the platform default.

    Absolute, with symlinks resolved, so that a run's folder is spelt one way everywhere (a
    live run is recognised by its folder). A relative or symlinked `TUI_DL_HOME` is written
    back resolved: a run's process works in its own folder and would resolve it there."""
    override = os.environ.get(HOME_ENV)
    path = Path(override).expanduser() if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return _settled(HOME_ENV, path.resolve())


def _settled(variable: str, path: Path) -> Path:
    """`path`, also written back to the environment `variable` that named it when it was
    spelt otherwise, so the processes this one starts find the same folder."""
    if os.environ.get(variable, "").strip() and os.environ[variable] != str(path):
        os.environ[variable] = str(path)
    return path


def home_problem() -> str | None:
    """Why tui-dl cannot keep its runs and progress in its folder, in one line that names
    the folder and what to do; None when it can."""
    named = os.environ.get(HOME_ENV)
    where = (
        f"{HOME_ENV}={named}"
        if named
        else f"tui-dl's folder {user_data_path(APP_NAME, appauthor=False)}"
    )
    fix = f"set {HOME_ENV} to a folder you can write"
    try:
        path = home()
    except FileExistsError:
        return f"{where} is a file, not a folder; {fix}"
    except OSError as exc:
        return f"{where} cannot be made ({exc.strerror or exc}); {fix}"
    if not os.access(path, os.W_OK | os.X_OK):
        return f"{where} is read-only (tui-dl keeps its runs and progress there); {fix}"
    return None


WORKSHOP_ENV = "TUI_DL_WORKSHOP"


def workshop() -> Path | None:
    """The workshop folder every seat shares (`TUI_DL_WORKSHOP`), or None for a single user."""
    override = os.environ.get(WORKSHOP_ENV, "").strip()
    return _settled(WORKSHOP_ENV, Path(override).expanduser().resolve()) if override else None


def shared() -> Path:
    """Where runs, sweeps, the run queue and the seats live: the workshop folder when there
    is one, else the user's own tui-dl folder. (Lesson progress stays the user's own.)"""
    folder = workshop()
    if folder is None:
        return home()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sub(name: str) -> Path:
    path = shared() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def runs_dir() -> Path:
    """One sub-folder per run, named by its run id."""
    return _sub("runs")


def exports_dir() -> Path:
    """Where the app writes a run's exports (script, model, TFLite): the user's own folder,
    never a workshop's shared one."""
    path = home() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sweeps_dir() -> Path:
    """One sub-folder per sweep, beside the runs."""
    return _sub("sweeps")


def queue_dir() -> Path:
    """The run queue's slots and tickets (tui_dl.engine.queue)."""
    return _sub("queue")


def seats_dir() -> Path:
    """One sub-folder per seat of a workshop (tui_dl.engine.workshop.seats)."""
    return _sub("seats")


def keras_cache_dir() -> Path:
    """Where `keras.utils.get_file` caches datasets (honours `KERAS_HOME`)."""
    base = os.environ.get("KERAS_HOME")
    root = Path(base).expanduser() if base else Path.home() / ".keras"
    return root / "datasets"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold `path` for a read-modify-write: an exclusive `flock` on a lock file beside it
    (`.NAME.lock`), so two processes updating it at once both keep their change. Released
    when the block ends, or when the process dies."""
    import fcntl  # POSIX; imported here so that `paths` stays importable anywhere

    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path.with_name(f".{path.name}.lock"), flags, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and the lock with it


def new_folder(parent: Path, name: Callable[[str], str], tries: int = 50) -> Path:
    """A folder made in `parent` (made too when missing) and named `name(suffix)`, the suffix
    four random hex digits. `mkdir` fails on a name already taken, so two folders named in the
    same second (thirty runs queued at once, a sweep's cells, a workshop's seats sharing one
    runs folder) never get one name: a taken one is drawn again."""
    import secrets  # here: it imports hashlib and hmac, which reading needs not

    parent.mkdir(parents=True, exist_ok=True)
    for _ in range(tries):
        folder = parent / name(secrets.token_hex(2))
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(f"{parent}: no free name after {tries} tries")


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader (or a crash) never
    sees half a file. The file gets the mode any new file would (the umask's), not the
    temporary file's private 0600: the group reads a run's spec in a workshop."""
    write_atomic_with(path, lambda handle: handle.write(text.encode("utf-8")))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write_atomic` for any content: `write` fills the temporary file (opened binary)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    """This process's umask, read without changing it where Linux says it (/proc)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
