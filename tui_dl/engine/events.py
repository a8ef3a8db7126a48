"""Run events as JSON lines: the only channel from a training child to whoever watches it.

A run folder's `events.jsonl` is appended one line per event and flushed at once, so a
reader that comes later (the app re-attaching after an SSH drop) sees everything written.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from pathlib import Path
from typing import Any

EVENTS_FILE = "events.jsonl"
TERMINAL_EVENTS = frozenset({"finished", "failed", "cancelled"})

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    """Error text from TF/Keras may carry colour codes; a screen or a JSON report must not."""
    return _ANSI.sub("", text)


def _jsonable(value: Any) -> Any:
    """Numpy scalars and NaN/inf arrive from Keras logs; JSON wants plain floats or null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN/inf loss: the failed event says so in words
    return value


def append_event(run_dir: Path, event: str, **fields: Any) -> dict[str, Any]:
    """Append one event and make it visible to readers immediately (one write, O_APPEND)."""
    record = {"event": event, "t": round(time.time(), 3), **_jsonable(fields)}
    line = (json.dumps(record, allow_nan=False) + "\n").encode()
    fd = os.open(Path(run_dir) / EVENTS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return record


class EventLog:
    """Incremental reader of a run's events: each `read_new()` returns only what is new.

    A line still being written (no trailing newline yet) is left for the next read.
    """

    def __init__(self, run_dir: Path) -> None:
        self.path = Path(run_dir) / EVENTS_FILE
        self.offset = 0

    def read_new(self) -> list[dict[str, Any]]:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
        except FileNotFoundError:
            return []
        end = chunk.rfind(b"\n")
        if end < 0:
            return []
        self.offset += end + 1
        events = []
        for raw in chunk[: end + 1].splitlines():
            try:
                events.append(json.loads(raw))
            except ValueError:
                continue  # a torn line from a killed writer: skip it, keep the rest
        return events

    def read_all(self) -> list[dict[str, Any]]:
        self.offset = 0
        return self.read_new()
