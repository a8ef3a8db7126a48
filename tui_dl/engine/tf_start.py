"""How long TensorFlow usually takes to start here, measured from earlier runs.

A run's child says "starting TensorFlow" before it imports it, and its next event (the data
loading, or `started` with the devices TensorFlow sees) after: the gap is this machine's
start-up, 5 s on a quiet laptop, 25 s on a busy shared one. The screens that wait on a child
say the median of the newest such gaps instead of a bare "Starting TensorFlow…".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui_dl.engine.events import Event

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

STARTING = "starting TensorFlow"
"""The phase a child announces before it imports TensorFlow."""
WARM = "TensorFlow already started (by a spare)"
"""What a run or job served by a spare (tui_dl.engine.spare) says instead: not a start, so
not counted in the usual start."""
NEWEST = 20
"""How many of the newest measured starts the median is taken over."""


@dataclass(frozen=True)
class UsualStart:
    seconds: float
    """The median start, in seconds."""
    starts: int
    """How many earlier starts it is the median of."""


def start_gap(events: list[dict[str, Any]]) -> float | None:
    """Seconds from a run's "starting TensorFlow" to its next event, if it got that far."""
    for index, event in enumerate(events):
        if event.get("event") == Event.PHASE and event.get("phase") == STARTING:
            began = event.get("t")
            after = events[index + 1] if index + 1 < len(events) else None
            if after is None or after.get("event") in (Event.FAILED, Event.CANCELLED):
                return None
            ended = after.get("t")
            ok = all(isinstance(v, int | float) and math.isfinite(v) for v in (began, ended))
            if ok and 0 < float(ended) - float(began) < 3600:  # type: ignore[arg-type]
                return float(ended) - float(began)  # type: ignore[arg-type]
            return None
    return None


def usual_start(runs: Iterable[RunInfo]) -> UsualStart | None:
    """The median start of the newest runs that measured one (runs come newest first)."""
    gaps = []
    for info in runs:
        gap = start_gap(info.events)
        if gap is not None:
            gaps.append(gap)
        if len(gaps) == NEWEST:
            break
    if not gaps:
        return None
    return UsualStart(statistics.median(gaps), len(gaps))


def starting_words(usual: UsualStart | None) -> str:
    """What a screen says while a child starts TensorFlow, with how long that takes here."""
    if usual is None:
        return "Starting TensorFlow (the first start here, not timed yet)…"
    seconds = max(1, round(usual.seconds))
    if usual.starts == 1:
        return f"Starting TensorFlow: about {seconds} s here (timed once before)…"
    return f"Starting TensorFlow: about {seconds} s here (median of {usual.starts} starts)…"
