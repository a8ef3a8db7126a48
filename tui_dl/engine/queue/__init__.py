"""The run queue: at most K runs per GPU and N on the CPU at once, the rest waiting in
order — files and locks in the shared tui-dl folder, no daemon (see queue.py)."""

from tui_dl.engine.queue.limits import Limits, device_key, limits
from tui_dl.engine.queue.queue import Held, QueueState, RunQueue, Waiting, ordinal

__all__ = [
    "Held",
    "Limits",
    "QueueState",
    "RunQueue",
    "Waiting",
    "device_key",
    "limits",
    "ordinal",
]
