"""The run queue: files and locks in the shared tui-dl folder, no daemon.

Every run's child — launched by any seat's app, over SSH or in a browser, by `tui-dl run` or
a sweep — takes its place here before it imports TensorFlow, and trains only once it holds a
slot of its device. The design, in the folder `queue/`:

    queue/DEVICE/slot-0 … slot-(K-1)   a run holds a slot by holding an exclusive flock(2) on
                                       its file; what it writes there says which run it is
    queue/DEVICE/counter               the next ticket's number (read and bumped under a lock)
    queue/DEVICE/wait/NNNNNNNNNN-RUN   a waiting run's ticket, flock-ed by its waiting child
    queue/config.json                  the limits (limits.py)

- **Never two in one slot.** flock is atomic: of two processes racing for a slot's file, one
  gets the lock and the other's non-blocking attempt fails, and it tries the next slot. A
  slot's count can therefore never exceed K, whatever the timing.
- **A dead run frees its slot.** The kernel drops a process's flocks when it exits, however it
  exits (kill -9 included, or the out-of-memory killer): nothing to clean, no stale lock.
  A dead waiter's ticket is unlocked; the next reader removes it.
- **In order.** Tickets are numbered from the counter. A waiter takes a free slot only when
  fewer live tickets are ahead of it than slots are free, so later arrivals do not overtake.
- **Cancelling a waiting run** is the run's ordinary cancel: its child is asleep between
  polls, the signal ends it, and its ticket goes with it.

A ticket is written under a temporary name, locked, then renamed into place, so no reader
ever sees a ticket that is not yet locked (and takes it for a dead one). The folder must be
on a local file system (flock over NFS is not reliable). Files are made group-writable, so
the seats of a workshop that run as different Unix users share one queue.
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.engine.queue.limits import Limits, limits

FILE_MODE = 0o664
WAIT = "wait"
COUNTER = "counter"
POLL_S = 0.25


@dataclass
class Waiting:
    """A run that waits for a slot of its device."""

    seq: int
    run_id: str
    info: dict[str, Any]
    position: int = 0
    """How many live tickets are ahead of it (0: next in line)."""


@dataclass
class Holder:
    """A run that holds one of its device's slots."""

    slot: int
    info: dict[str, Any]


@dataclass
class DeviceQueue:
    device: str
    slots: int
    held: list[Holder] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def free(self) -> int:
        return max(0, self.slots - len(self.held))


@dataclass
class QueueState:
    """Every device's slots and line, as read at one moment."""

    devices: dict[str, DeviceQueue]

    def where(self, run_id: str) -> tuple[str, int | None] | None:
        """('held', slot) or ('waiting', position) for a run in the queue, else None."""
        for queue in self.devices.values():
            for holder in queue.held:
                if holder.info.get("run_id") == run_id:
                    return "held", holder.slot
            for waiting in queue.waiting:
                if waiting.run_id == run_id:
                    return "waiting", waiting.position
        return None


class Held:
    """A slot this process holds until `release()` (or until it exits)."""

    def __init__(self, device: str, slot: int, fd: int, waited_s: float) -> None:
        self.device = device
        self.slot = slot
        self.waited_s = waited_s
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> Held:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class RunQueue:
    """The queue in one shared folder (default: `paths.queue_dir()`)."""

    def __init__(self, root: Path | None = None, limit: Limits | None = None) -> None:
        self.root = Path(root) if root else paths.queue_dir()
        self.limit = limit or limits(self.root)

    # ----- waiting for a slot (a run's child) -----------------------------------------------
    def wait_for_slot(
        self,
        device: str,
        info: dict[str, Any],
        slots: int,
        on_wait: Callable[[Waiting, DeviceQueue], None] | None = None,
        check: Callable[[], None] | None = None,
        poll_s: float = POLL_S,
    ) -> Held:
        """Block until this process holds one of `device`'s `slots`; returns the slot.

        `info` (the run's id, folder, owner, estimate) is what others read about it. `on_wait`
        is told where the run stands whenever it has to wait; `check` may raise to give up
        (a cancel) — the ticket goes with it.
        """
        folder = self._device_dir(device)
        started = time.monotonic()
        if not self._live_tickets(folder):  # nobody waits: a free slot is this run's
            held = self._take_slot(folder, device, slots, info, started)
            if held is not None:
                return held
        seq, ticket_fd, ticket = self._ticket(folder, info)
        try:
            while True:
                if check is not None:
                    check()
                queue = self._read_device(device, slots)
                me = next((w for w in queue.waiting if w.seq == seq), None)
                ahead = me.position if me is not None else 0
                if ahead < queue.free:
                    held = self._take_slot(folder, device, slots, info, started)
                    if held is not None:
                        return held
                if on_wait is not None and me is not None:
                    on_wait(me, queue)
                time.sleep(poll_s)
        finally:
            with contextlib.suppress(OSError):
                ticket.unlink()
            os.close(ticket_fd)

    def _take_slot(
        self,
        folder: Path,
        device: str,
        slots: int,
        info: dict[str, Any],
        started: float,
    ) -> Held | None:
        """Try every slot once; the first whose lock this process gets is its own."""
        for slot in range(slots):
            fd = _open(folder / f"slot-{slot}")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            record = {**info, "slot": slot, "since": time.time(), "pid": os.getpid()}
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
            return Held(device, slot, fd, time.monotonic() - started)
        return None

    def _ticket(self, folder: Path, info: dict[str, Any]) -> tuple[int, int, Path]:
        wait = folder / WAIT
        wait.mkdir(parents=True, exist_ok=True)
        with _locked(folder / COUNTER) as fd:
            raw = os.pread(fd, 32, 0).decode().strip()
            seq = int(raw) if raw.isdigit() else 0
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{seq + 1}\n".encode(), 0)
        name = f"{seq:010d}-{info.get('run_id', os.getpid())}"
        temp = wait / f".{name}.tmp"
        fd = _open(temp)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.pwrite(fd, (json.dumps({**info, "seq": seq, "pid": os.getpid()}) + "\n").encode(), 0)
        final = wait / name
        os.replace(temp, final)
        return seq, fd, final

    # ----- reading it (the class view, the lab, `tui-dl queue`) ----------------------------
    def state(self, slots_of: Callable[[str], int] | None = None) -> QueueState:
        """Every device with a folder here: who holds which slot, who waits in what order."""
        devices = {}
        if self.root.is_dir():
            for folder in sorted(self.root.iterdir()):
                if folder.is_dir():
                    device = folder.name
                    slots = slots_of(device) if slots_of else self.limit.slots(device)
                    devices[device] = self._read_device(device, slots)
        return QueueState(devices)

    def _read_device(self, device: str, slots: int) -> DeviceQueue:
        folder = self._device_dir(device)
        queue = DeviceQueue(device, slots)
        for path in sorted(folder.glob("slot-*")):
            number = path.name.partition("-")[2]
            if not number.isdigit():
                continue
            info = _held_info(path)
            if info is not None:
                queue.held.append(Holder(int(number), info))
        for position, (seq, run_id, info) in enumerate(self._live_tickets(folder)):
            queue.waiting.append(Waiting(seq, run_id, info, position))
        return queue

    def _live_tickets(self, folder: Path) -> list[tuple[int, str, dict[str, Any]]]:
        """Tickets whose waiter is alive, in order; a dead waiter's ticket is removed."""
        live: list[tuple[int, str, dict[str, Any]]] = []
        wait = folder / WAIT
        if not wait.is_dir():
            return live
        for path in sorted(wait.iterdir()):
            seq_text, _, run_id = path.name.partition("-")
            if path.name.startswith(".") or not seq_text.isdigit():
                continue
            info = _ticket_info(path)
            if info is None:
                continue
            live.append((int(seq_text), run_id, info))
        return live

    def _device_dir(self, device: str) -> Path:
        folder = self.root / device
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # ----- how long the line is --------------------------------------------------------
    @staticmethod
    def eta_s(
        queue: DeviceQueue, me: Waiting, remaining: Callable[[Holder], float | None]
    ) -> float | None:
        """When `me` should get a slot, in seconds from now: the holders' time left and each
        earlier waiter's estimate played through the slots. None when any is unknown."""
        free_at: list[float] = [0.0] * queue.free
        for holder in queue.held:
            left = remaining(holder)
            if left is None:
                return None
            free_at.append(max(0.0, left))
        if not free_at:
            return None
        heapq.heapify(free_at)
        for waiting in queue.waiting:
            if waiting.seq == me.seq:
                return heapq.heappop(free_at)
            estimate = waiting.info.get("estimate_s")
            if not isinstance(estimate, int | float):
                return None
            heapq.heappush(free_at, heapq.heappop(free_at) + float(estimate))
        return None


def _open(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    with contextlib.suppress(OSError):  # someone else's file in a shared folder: theirs
        os.fchmod(fd, FILE_MODE)
    return fd


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[int]:
    fd = _open(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def _held_info(path: Path) -> dict[str, Any] | None:
    """What the holder of a slot wrote, or None when nobody holds it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _json(os.pread(fd, 65536, 0)) or {}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _ticket_info(path: Path) -> dict[str, Any] | None:
    """A live ticket's record; a dead waiter's ticket is removed (None)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _json(os.pread(fd, 65536, 0)) or {}
        with contextlib.suppress(OSError):
            path.unlink()  # unlocked: its waiter is gone
        return None
    finally:
        os.close(fd)


def _json(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data.decode("utf-8", "replace").strip() or "null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
