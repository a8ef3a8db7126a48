"""Which process is a run's: proven, never taken on a file's word.

A run folder's `pid` file says which process runs it, but whoever can write the folder can
write any number there: `-1` (every process of the reader's), `0` (the reader's process
group), `1`, a number too big for the kernel, another user's shell. A pid is believed only
when it is a plain positive number above 1 and at most the kernel's largest, and
`/proc/PID` shows a process owned by the folder's owner whose command line names the folder.
A spare (tui_dl.engine.spare) was started before its run existed: taking the run, it writes
the folder into its own command line, and moves into the folder. Where the first could not be
done, the folder's owner (who alone may read another process's working folder: ptrace rules)
proves it by a spare's command line and the run's folder as its working folder.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PID_MAX = 4_194_304
"""The largest pid Linux can hand out (`/proc/sys/kernel/pid_max` at most)."""
KERNEL_THREAD = 0x00200000
"""PF_KTHREAD in /proc/PID/stat's flags: a kernel thread, whose command line is always empty."""
EXEC_WAIT_S = 0.2
"""How long a process with an empty command line is read again (see `_command_line`)."""


def parse_pid(text: str | bytes) -> int | None:
    """The pid a `pid` file holds, or None when it is not a plausible one."""
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        return None
    pid = int(text)
    return pid if 1 < pid <= PID_MAX else None


def proven_process(pid: int, folder: Path | str, uid: int | None) -> bool | None:
    """Whether `pid` is alive and is the process of `folder`, owned by `uid`.

    True: proven. False: no such process, a zombie no longer its, or another's process.
    None: this system has no /proc to prove it with (not Linux): never signal then."""
    if not isinstance(pid, int) or not 1 < pid <= PID_MAX:
        return False
    if not os.path.isdir("/proc/self"):
        return None
    proc = Path(f"/proc/{pid}")
    try:
        owner = proc.stat().st_uid
        fields = (proc / "stat").read_text().rsplit(")", 1)[-1].split()
        state, flags = fields[0], int(fields[6])
    except (OSError, IndexError, ValueError):
        return False
    if uid is not None and owner != uid:
        return False
    if state == "Z":
        # Exited, not yet reaped: the process that launched it is about to record how it
        # ended, so it still counts as the run's (its command line is gone by now).
        return True
    try:
        cmdline = _command_line(proc, flags)
    except OSError:
        return False
    return _names(cmdline, Path(folder)) or _spare_in(proc, cmdline, Path(folder))


def _command_line(proc: Path, flags: int) -> bytes:
    """The process's command line. One that has just been started can show an empty one:
    exec puts the new program in place before its arguments, and its launcher may already
    have its pid by then (Python's subprocess returns then; on a busy machine the new process
    may wait a while for a core before it sets them). So an empty command line is read again
    for up to EXEC_WAIT_S, except a kernel thread's, which stays empty; still empty, it names
    nothing."""
    cmdline = (proc / "cmdline").read_bytes()
    deadline = time.monotonic() + EXEC_WAIT_S
    while not cmdline and not flags & KERNEL_THREAD and time.monotonic() < deadline:
        time.sleep(0.002)
        cmdline = (proc / "cmdline").read_bytes()
    return cmdline


SPARE_MODULE = b"tui_dl.engine.spare.child"
"""The module a spare runs (`python -m SPARE_MODULE DEVICE LOG`)."""


def _spare_in(proc: Path, cmdline: bytes, folder: Path) -> bool:
    """Whether the process is a spare that has taken over the run in `folder`: its command
    line runs the spare's module, and its working folder is `folder` (readable only for
    one's own processes: the owner was checked above)."""
    if SPARE_MODULE not in cmdline.split(b"\0"):
        return False
    try:
        return os.path.realpath(os.readlink(proc / "cwd")) == os.path.realpath(folder)
    except OSError:
        return False


def _names(cmdline: bytes, folder: Path) -> bool:
    """Whether one of the command line's arguments is `folder`, however it was spelt (a
    symlinked or relative home reaches the same folder)."""
    want = os.path.realpath(folder)
    for arg in cmdline.split(b"\0"):
        if arg and os.fsdecode(arg).rstrip("/").endswith(folder.name):
            if os.path.realpath(os.fsdecode(arg)) == want:
                return True
    return False
