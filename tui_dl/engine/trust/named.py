"""A file the learner names themselves (a CSV typed on the command line or picked with
ctrl+o): read only when it is a plain file under the limit its kind allows.

The checks come before a byte is read, so a gigabyte costs a `stat`, not a minute and
gigabytes of memory, and a FIFO never blocks the reader. Unlike a file in a shared folder,
the learner's own symlink is followed: they chose the name. The read itself is
`files.read_bytes`, which holds to the limit even for a file that grows meanwhile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tui_dl.engine.trust.files import Unreadable, read_bytes


def limit_text(limit: int) -> str:
    """A limit in words: 2_000_000 → '2 MB'."""
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB"
    return f"{limit / 1000:g} kB" if limit >= 1000 else f"{limit} bytes"


def check_named(path: Path | str, limit: int | None = None) -> int:
    """The size of the file the learner named, or Unreadable saying why it cannot be read,
    in a few words: no such file, a folder, not a regular file (a FIFO, a device), or its
    size and the limit it is over. Nothing is opened."""
    try:
        info = os.stat(Path(path).expanduser())
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file (a FIFO, a device or a socket), so not read")
    if limit is not None and info.st_size > limit:
        raise Unreadable(f"{info.st_size:,} bytes, over the {limit_text(limit)} limit")
    return info.st_size


def read_named(path: Path | str, limit: int) -> bytes:
    """The bytes of the file the learner named, once `check_named` finds nothing wrong."""
    path = Path(path).expanduser()
    check_named(path, limit)
    try:
        return read_bytes(os.path.realpath(path), limit)
    except Unreadable as exc:  # grown since the stat: said the same way
        if "limit" in str(exc):
            raise Unreadable(f"over the {limit_text(limit)} limit") from None
        raise
