"""Progress of a long pass over many pictures (a scan, a load), for a UI to show."""

from __future__ import annotations

import time
from collections.abc import Callable

PROGRESS_EVERY_S = 0.1
"""How often, at most, the callback hears of pictures between the first and the last."""

Progress = Callable[[int, int], None]
"""Called with (done, total): at the start, at most every `PROGRESS_EVERY_S`, and at the end."""


class Reporter:
    """Calls `progress` with (0, total) at once, then as `done` grows, throttled, and always
    with (total, total) at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.last = progress, total, time.monotonic()
        if progress is not None:
            progress(0, total)

    def __call__(self, done: int) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if done == self.total or now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            self.progress(done, self.total)
