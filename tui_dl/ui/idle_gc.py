"""Full garbage collections while the learner is not pressing keys, instead of whenever.

Textual leaves cyclic garbage behind every screen that closes, and a screen lives long enough
for its objects to reach the oldest generation; Python's own full collections then came about
once a second while screens were opened and closed, 0.1–0.25 s each — a stall on whichever
key came next (measured with benchmarks/interaction.py). So, once the app has started and
imported its screens, what it holds for good is frozen out of the collector's sight, the
automatic full collections are turned off, and a timer runs one when no key has come for a
moment. The young generations are still collected as usual; only the full pass moves.

Before that, from the command line's first line to the first frame, the collector is off
altogether (`tui_dl.cli.main`): the start makes objects fast enough for Python to run its
collections ~130 times, one of them a full pass, about 45 ms of a 0.4 s start on two cores,
nearly all on objects that stay. `start` turns it back on.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

QUIET_S = 1.5
"""No key for this long: the learner is reading, and a full collection goes unnoticed."""
EVERY_S = 3.0
"""How often to look for such a moment."""
AT_LEAST_S = 60.0
"""A learner who never pauses still gets a full collection this often."""
NO_AUTOMATIC_FULL = 1_000_000
"""The collector's third threshold: full collections only when asked for."""
FREEZES = True
"""Whether `start` freezes what the process holds (and `stop` thaws it). A process that runs
many apps one after another and freezes between them itself turns it off (the test suite:
tests/conftest.py); a thaw at an app's close would hand every earlier app's survivors back to
the collector."""


class IdleCollector:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.last_key = self.last_collection = time.monotonic()
        self.collections = 0
        self.stopped = False
        """The app has closed: a start that comes after (the preload thread's, queued while
        the app was closing) must not turn the automatic full collections off for whatever
        runs next in this process (tests run many apps)."""

    def start(self) -> None:
        """After the start-up imports: freeze what stays, move full collections to idle time."""
        if self.stopped:
            return
        gc.enable()
        # The two young generations only: with the collector off since the command line's
        # first line, everything the start made is young, so this finds its garbage; the
        # oldest generation holds only what was there before (in a test process, every earlier
        # test's objects: a full pass over them cost each app of the suite 0.13 s and more).
        gc.collect(1)
        if FREEZES:
            gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL)
        self.app.set_interval(EVERY_S, self.tick)

    def pressed(self) -> None:
        self.last_key = time.monotonic()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last_key >= QUIET_S or now - self.last_collection >= AT_LEAST_S:
            gc.collect()
            self.last_collection = now
            self.collections += 1

    def stop(self) -> None:
        """The collector's own settings back (the app is closing; tests run many apps)."""
        self.stopped = True
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 10)
        if FREEZES:
            gc.unfreeze()
        gc.enable()
