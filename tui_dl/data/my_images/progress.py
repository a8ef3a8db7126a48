"""A long pass over many pictures (a scan, a load): in threads, in order, with progress for a
UI to show, and stopped by the progress callback raising (a cancel).

Threads, not processes: Pillow's decoders and hashlib release the GIL, and the work per picture
is small, so threads overlap it without copying pictures between processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

PROGRESS_EVERY_S = 0.1
"""How often, at most, the callback hears of pictures between the first and the last."""

WORKERS = min(8, os.cpu_count() or 1)
"""Threads a pass uses unless told: one a core, up to 8."""

Progress = Callable[[int, int], None]
"""Called with (done, total): at the start, at most every `PROGRESS_EVERY_S`, and at the end.
An exception it raises stops the pass (the pictures under way finish, no other starts) and
propagates to the caller: that is how a UI cancels."""

Item = TypeVar("Item")
Result = TypeVar("Result")


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


def for_each(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    consume: Callable[[int, Result], None],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> None:
    """`consume(i, work(items[i]))` for every item, in order, `work` run in `workers` threads
    (default `WORKERS`; 1: in this thread)."""
    report = Reporter(progress, len(items))
    workers = WORKERS if workers is None else workers
    if workers <= 1:
        for i, item in enumerate(items):
            consume(i, work(item))
            report(i + 1)
        return
    pool = ThreadPoolExecutor(workers, thread_name_prefix="my-images")
    try:
        for i, result in enumerate(pool.map(work, items)):
            consume(i, result)
            report(i + 1)
    finally:
        pool.shutdown(cancel_futures=True)
