"""Following a run (or a sweep) from a screen: what it wrote so far at once, then what it
writes next.

The lab, the project screen and the model zoo all show a run the same way: every event already
in its file (a finished run is rebuilt from them), then a poll while it lives. If the run goes
quiet, the source is asked whether it still runs: the store writes the last word (a failed
event) for a process that died without one, and the next read picks it up. The sweep screen
follows a sweep the same way, through its tracker (which does its own liveness check).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.timer import Timer

from tui_dl.engine.events import TERMINAL_EVENTS
from tui_dl.engine.sweeps.state import SweepState, SweepTracker
from tui_dl.ui.screens.app_screen import AppScreen

POLL_S = 0.1
SWEEP_POLL_S = 0.25
"""A sweep reads its own events and every cell's: a little less often."""
LIVENESS_S = 2.0
"""After this long without an event, check that the run's process is still there."""


class RunFollower:
    """Hands a run's events to `on_events`; stops by itself after a terminal event."""

    def __init__(
        self, screen: AppScreen, on_events: Callable[[list[dict[str, Any]]], None]
    ) -> None:
        self.screen = screen
        self.on_events = on_events
        self.run_id: str | None = None
        self._reader: Any = None
        self._timer: Timer | None = None
        self._last_event_at = 0.0

    def follow(self, run_id: str) -> None:
        """Everything `run_id` wrote so far now (even nothing), then new events while it runs."""
        self.stop()
        self.run_id = run_id
        note = self.screen.app.source.launch_note(run_id)  # once, just after its launch
        if note:
            self.screen.notify(note, title="Starting TensorFlow", severity="warning")
        self._reader = self.screen.app.source.reader(run_id)
        self._last_event_at = time.monotonic()
        if self._deliver(self._reader.read_new(), always=True):
            self._timer = self.screen.set_interval(POLL_S, self.poll)

    def poll(self) -> None:
        if not self.screen.is_attached:  # the screen was closed: the run goes on without it
            self.stop()
            return
        events = self._reader.read_new()
        now = time.monotonic()
        if events:
            self._last_event_at = now
            self._deliver(events)
        elif now - self._last_event_at > LIVENESS_S and self.run_id is not None:
            self._last_event_at = now
            if not self.screen.app.source.is_active(self.run_id):
                self._deliver(self._reader.read_new())

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _deliver(self, events: list[dict[str, Any]], always: bool = False) -> bool:
        """Pass events on; False once the run has ended (and polling stopped)."""
        live = not any(e.get("event") in TERMINAL_EVENTS for e in events)
        if not live:
            self.stop()
        if events or always:
            self.on_events(events)
        return live


class SweepFollower:
    """Hands a sweep's state to `on_change` whenever its events or its cells' say something
    new; stops by itself once the sweep has ended."""

    def __init__(self, screen: AppScreen, on_change: Callable[[SweepState], None]) -> None:
        self.screen = screen
        self.on_change = on_change
        self.tracker: SweepTracker | None = None
        self._timer: Timer | None = None

    def follow(self, tracker: SweepTracker) -> None:
        """Everything the sweep wrote so far now, then what it writes while it runs."""
        self.stop()
        self.tracker = tracker
        tracker.update()
        self.on_change(tracker.state)
        if not tracker.state.done:
            self._timer = self.screen.set_interval(SWEEP_POLL_S, self.poll)

    def poll(self) -> None:
        if self.tracker is None or not self.screen.is_attached:
            self.stop()
            return
        if self.tracker.update():
            self.on_change(self.tracker.state)
        if self.tracker.state.done:
            self.stop()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
