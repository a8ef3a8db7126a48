"""Messages the app's pieces send each other. Small dataclasses, one module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class RunEvents(Message):
    """New events from a watched run, in order (a poll's worth, merged)."""

    run_id: str
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OpenRun(Message):
    """Somebody picked a run to look at in the lab."""

    run_id: str
