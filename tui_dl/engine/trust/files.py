"""Reading and appending files that another user may have made.

A file in a shared folder is whatever its owner made it: a symlink to someone's
`~/.bashrc`, a FIFO that blocks the reader, a gigabyte of zeros, JSON with `NaN` in it.
Every read here opens without following a symlink (`O_NOFOLLOW`), without blocking on a FIFO
(`O_NONBLOCK`), accepts only a regular file, and reads at most a stated number of bytes;
anything else is `Unreadable`, with a reason a screen can show in the file's row.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

DEFAULT_LIMIT = 4 * 1024 * 1024
"""What a settings file or a record may weigh (a spec is a few hundred bytes)."""


class Unreadable(ValueError):
    """A file that cannot be believed: missing, a symlink, not a regular file, too big, not
    the JSON it should be. `str()` is the reason, in a few words."""


def owner_of(path: Path | str) -> int | None:
    """The uid that owns `path` itself (a symlink's own owner), or None when it is gone."""
    try:
        return os.lstat(path).st_uid
    except OSError:
        return None


def is_mine(path: Path | str) -> bool:
    """Whether this process's user owns `path` (and it is not a symlink)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return info.st_uid == os.geteuid() and not stat.S_ISLNK(info.st_mode)


def user_name(uid: int | None) -> str:
    """A uid as a user name (the uid itself where there is no passwd entry)."""
    if uid is None:
        return "?"
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        return str(uid)


def read_bytes(path: Path | str, limit: int = DEFAULT_LIMIT) -> bytes:
    """The bytes of a regular file, never through a symlink, at most `limit` of them."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except OSError as exc:
        if os.path.islink(path):
            raise Unreadable("a symbolic link (not followed)") from None
        raise Unreadable(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"{info.st_size:,} bytes, over the {limit:,}-byte limit")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(f"over the {limit:,}-byte limit")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def read_text(path: Path | str, limit: int = DEFAULT_LIMIT) -> str:
    return read_bytes(path, limit).decode("utf-8", "replace")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_json(path: Path | str, limit: int = DEFAULT_LIMIT) -> Any:
    """A JSON file's value (strict: no NaN or Infinity), or Unreadable saying why."""
    text = read_text(path, limit)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        raise Unreadable(f"not JSON ({exc})") from None
    except RecursionError:  # [[[[…]]]] nested beyond what Python's parser recurses
        raise Unreadable("not JSON (nested too deep)") from None


def append_line(path: Path | str, line: bytes, mode: int = 0o644) -> None:
    """Append one line to a file this user owns (made if missing), never through a symlink.

    The line starts on a line of its own even when the file ends in a torn, unfinished line
    (a writer killed mid-write), so neither line is glued to the other. PermissionError for a
    file another user owns, or a new file in another user's folder: a reader never writes
    there."""
    if not line.endswith(b"\n"):
        line += b"\n"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.lexists(path) and not is_mine(folder):
        raise PermissionError(f"{path}: another user's folder ({user_name(owner_of(folder))}'s)")
    # Read and write: the last byte is read to tell a torn line (O_WRONLY cannot pread).
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        info = os.fstat(fd)
        if info.st_uid != os.geteuid():
            raise PermissionError(f"{path}: another user's file ({user_name(info.st_uid)}'s)")
        if not stat.S_ISREG(info.st_mode):
            raise PermissionError(f"{path}: not a regular file")
        if info.st_size and os.pread(fd, 1, info.st_size - 1) != b"\n":
            line = b"\n" + line
        os.write(fd, line)
    finally:
        os.close(fd)
