"""A pseudo-terminal for the benchmarks that watch the app paint (first_frame.py,
interaction.py): `python -m tui_dl` in a session of its own, 80×24, TERM=xterm-256color."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from typing import Any

ESCAPE = rb"\x1b(\[[0-9;?<>=!]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|"
ANSI = re.compile(ESCAPE + rb".)")
"""Every escape sequence the app writes: what is left is the text it paints."""
COMPLETE_ESCAPE = re.compile(ESCAPE + rb"[^\[\]()])")
"""An escape sequence not cut off at the end of what was read so far."""


def open_pty(columns: int, lines: int) -> tuple[int, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    return master, slave


def terminal_env(home: str, columns: int, lines: int) -> dict[str, str]:
    """The app's environment: its own tui-dl folder, a colour terminal of this size.

    Python may write its bytecode cache, as it does for a learner: a shell that forbids it
    (PYTHONDONTWRITEBYTECODE, set on some build machines) would have every launch compile
    tui-dl's modules from source again, 20–30 ms that no learner's second start pays."""
    env = {**os.environ, "TUI_DL_HOME": home, "TERM": "xterm-256color"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(COLUMNS=str(columns), LINES=str(lines))
    return env


def spawn(args: list[str], env: dict[str, str], **streams: Any) -> subprocess.Popen[bytes]:
    """`python -m tui_dl ARGS` in a session of its own, so that its process group can be killed."""
    command = [sys.executable, "-m", "tui_dl", *args]
    return subprocess.Popen(command, env=env, start_new_session=True, close_fds=True, **streams)
