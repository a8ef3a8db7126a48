"""Trust on a shared box, as OpenSSH, Postfix and git practise it: who did something is who
owns the file (its uid), never what a file says; a reader never follows a symlink it did not
make and never writes into another user's folder; a signal goes only to a process proven to
be the run's. Headless and small: every layer may use it."""

from tui_dl.engine.trust.files import (
    Unreadable,
    append_line,
    is_mine,
    owner_of,
    read_bytes,
    read_json,
    read_text,
    user_name,
)
from tui_dl.engine.trust.pids import PID_MAX, parse_pid, proven_process
from tui_dl.engine.trust.values import loads, problem, typed_problem

__all__ = [
    "PID_MAX",
    "Unreadable",
    "append_line",
    "is_mine",
    "loads",
    "owner_of",
    "parse_pid",
    "problem",
    "proven_process",
    "read_bytes",
    "read_json",
    "read_text",
    "typed_problem",
    "user_name",
]
