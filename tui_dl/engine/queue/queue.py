"""The run queue: files and locks in the shared tui-dl folder, no daemon.

Every run's child — launched by any seat's app, over SSH or in a browser, by `tui-dl run` or
a sweep — takes its place here before it imports TensorFlow, and trains only once it holds a
slot of its device. The design, in the folder `queue/`:

    queue/DEVICE/slot-0 … slot-(K-1)   lock files: a run holds a slot by holding an exclusive
                                       flock(2) on one. A lock needs only a readable file, so
                                       they are the instructor's (made by `workshop init`),
                                       read-only to everyone else
    queue/DEVICE/t-RUN                 a run's ticket, its own file, flock-ed by its child for
                                       as long as it waits or trains: which run, and the slot
                                       once it holds one
    queue/config.json                  the limits (limits.py), the instructor's

- **Never two in one slot.** flock is atomic: of two processes racing for a slot's file, one
  gets the lock and the other's non-blocking attempt fails, and it tries the next slot. A
  slot's count can therefore never exceed K, whatever the timing.
- **A dead run frees its slot.** The kernel drops a process's flocks when it exits, however it
  exits (kill -9 included, or the out-of-memory killer): nothing to clean, no stale lock.
  A dead run's ticket is unlocked, so no reader counts it; its owner's next run removes it.
- **In order.** Tickets are in the order they were made: by the kernel's change time, which
  no user can set back (then by name). A waiter takes a free slot only when fewer live
  tickets are ahead of it than slots are free, so later arrivals do not overtake.
- **Nobody touches another's.** The folders are sticky (as /tmp): each user adds their own
  tickets and removes only their own; a reader only reads and locks (shared, for a moment),
  never writes; who a ticket is by is its file's owner, not what it says.
- **Cancelling a waiting run** is the run's ordinary cancel: its child is asleep between
  polls, the cancel ends it, and its ticket goes with it.

A ticket is written under a temporary name, locked, then renamed into place, so no reader
ever sees a ticket that is not yet locked (and takes it for a dead one). The folder must be
on a local file system (flock over NFS is not reliable).
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import json
import os
import re
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.engine.queue.limits import Limits, limits
from tui_dl.engine.trust import is_mine, owner_of, user_name

FILE_MODE = 0o644
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

    def __init__(
        self, device: str, slot: int, fd: int, waited_s: float, ticket: Ticket | None = None
    ) -> None:
        self.device = device
        self.slot = slot
        self.waited_s = waited_s
        self._fd: int | None = fd
        self._ticket = ticket

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None
        if self._ticket is not None:
            self._ticket.close()
            self._ticket = None

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

        `info` (the run's id, folder, estimate) is what others read about it. `on_wait` is
        told where the run stands whenever it has to wait; `check` may raise to give up
        (a cancel) — the ticket goes with it.
        """
        folder = self._device_dir(device)
        started = time.monotonic()
        ticket = Ticket.make(folder, info)
        try:
            while True:
                if check is not None:
                    check()
                queue = self._read_device(device, slots)
                me = next((w for w in queue.waiting if w.seq == ticket.seq), None)
                ahead = me.position if me is not None else 0
                if ahead < queue.free:
                    taken = _take_slot(folder, slots)
                    if taken is not None:
                        slot, fd = taken
                        ticket.hold(slot)
                        return Held(device, slot, fd, time.monotonic() - started, ticket)
                if on_wait is not None and me is not None:
                    on_wait(me, queue)
                time.sleep(poll_s)
        except BaseException:
            ticket.close()
            raise

    # ----- reading it (the class view, the lab, `tui-dl queue`) ----------------------------
    def state(self, slots_of: Callable[[str], int] | None = None) -> QueueState:
        """Every device with a folder here: who holds which slot, who waits in what order."""
        devices = {}
        if self.root.is_dir():
            for folder in sorted(self.root.iterdir()):
                if DEVICE.match(folder.name) and folder.is_dir() and not folder.is_symlink():
                    device = folder.name
                    slots = slots_of(device) if slots_of else self.limit.slots(device)
                    devices[device] = self._read_device(device, slots)
        return QueueState(devices)

    def _read_device(self, device: str, slots: int) -> DeviceQueue:
        folder = self.root / device
        queue = DeviceQueue(device, slots)
        held = sorted(_held_slots(folder))
        tickets = _live_tickets(folder)
        holders: dict[int, dict[str, Any]] = {}
        waiting = []
        for ticket in tickets:
            slot = ticket.info.get("slot")
            if isinstance(slot, int) and not isinstance(slot, bool) and slot in held:
                holders.setdefault(slot, ticket.info)
            else:
                waiting.append(ticket)
        queue.held = [Holder(slot, holders.get(slot, {})) for slot in held]
        for position, ticket in enumerate(waiting):
            queue.waiting.append(Waiting(ticket.seq, ticket.run_id, ticket.info, position))
        return queue

    def _device_dir(self, device: str) -> Path:
        if not DEVICE.match(device):
            raise ValueError(f"{device!r} is not a device the queue knows (cpu, gpu0, gpu1…)")
        folder = self.root / device
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            if paths.workshop() is not None:  # made by whoever got here first: shared
                with contextlib.suppress(OSError):
                    folder.chmod(SHARED_MODE)
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


DEVICE = re.compile(r"^(cpu|gpu[0-9]{1,3})$")
SHARED_MODE = 0o3775
"""A device's folder: everyone adds tickets, nobody removes another's (sticky)."""
TICKET = "t-"
NAME = re.compile(r"[^A-Za-z0-9._-]")
MAX_RECORD = 65536


class Ticket:
    """This process's place in a device's line: its own file, locked while it lives."""

    def __init__(self, path: Path, fd: int, info: dict[str, Any]) -> None:
        self.path = path
        self.fd: int | None = fd
        self.info = info
        self.seq = os.fstat(fd).st_ino

    @classmethod
    def make(cls, folder: Path, info: dict[str, Any]) -> Ticket:
        _sweep_own_dead(folder)
        name = TICKET + NAME.sub("_", str(info.get("run_id") or os.getpid()))[:120]
        name += f".{os.getpid()}.{threading.get_ident() % 100000}"
        temp = folder / f".{name}.tmp"
        fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            record = {**info, "pid": os.getpid()}
            os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
            final = folder / name
            os.replace(temp, final)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        return cls(final, fd, record)

    def hold(self, slot: int) -> None:
        """Say which slot this run now holds (its own file: nobody else can)."""
        if self.fd is None:
            return
        self.info = {**self.info, "slot": slot, "since": time.time()}
        data = (json.dumps(self.info) + "\n").encode()
        os.pwrite(self.fd, data, 0)
        os.ftruncate(self.fd, len(data))

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(self.fd)
            self.fd = None


@dataclass
class _Seen:
    seq: int
    run_id: str
    info: dict[str, Any]
    order: tuple[int, str]


def _take_slot(folder: Path, slots: int) -> tuple[int, int] | None:
    """Try every slot once; the first whose lock this process gets is its own."""
    for slot in range(slots):
        fd = _open_lock(folder / f"slot-{slot}")
        if fd is None:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return slot, fd
    return None


def _open_lock(path: Path) -> int | None:
    """A slot's lock file, read-only (a lock needs no more); made when missing. None when it
    cannot be opened (a symlink someone put in its place: that slot is not used)."""
    flags = os.O_RDONLY | _NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        return os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        with contextlib.suppress(OSError):
            return os.open(path, flags)
    except OSError:
        pass
    return None


def _held_slots(folder: Path) -> list[int]:
    """The slots whose lock someone holds now."""
    held = []
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            number = path.name.partition("-")[2]
            if not path.name.startswith("slot-") or not number.isdigit() or len(number) > 4:
                continue
            fd = _open_lock(path) if path.exists() else None
            if fd is None:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                held.append(int(number))
            finally:
                os.close(fd)
    return held


def _live_tickets(folder: Path) -> list[_Seen]:
    """Tickets whose run is alive (their lock is held), in the order they were made. The
    owner of each is its file's owner; what the file says of its owner is not read."""
    live: list[_Seen] = []
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if not path.name.startswith(TICKET):
                continue
            seen = _read_ticket(path)
            if seen is not None:
                live.append(seen)
    return sorted(live, key=lambda t: t.order)


def _read_ticket(path: Path) -> _Seen | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            record = _json(os.pread(fd, MAX_RECORD, 0)) or {}
        else:
            return None  # unlocked: its run is gone (its owner's next run removes it)
    finally:
        os.close(fd)
    user = user_name(info.st_uid)
    run_id = record.get("run_id")
    record["run_id"] = run_id if isinstance(run_id, str) else path.name[len(TICKET) :]
    record["owner"] = {"user": user, "name": user}
    order = (info.st_ctime_ns, path.name)
    return _Seen(info.st_ino, record["run_id"], record, order)


def _sweep_own_dead(folder: Path) -> None:
    """Remove this user's own tickets whose runs are gone (nobody else may)."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name.startswith(TICKET) and is_mine(path) and _read_ticket(path) is None:
                with contextlib.suppress(OSError):
                    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK)
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        path.unlink()
                    except BlockingIOError:
                        pass
                    finally:
                        os.close(fd)


def prepare_queue(root: Path, uid: int, gid: int, devices: list[str] | None = None) -> list[str]:
    """The instructor's part of the queue (`workshop init`, `queue set`): a sticky folder per
    device and its slot files, read-only to all. What it made, in lines."""
    root.mkdir(parents=True, exist_ok=True)
    if devices is None:
        from tui_dl.engine.gpustats import read_gpus

        gpus = read_gpus()
        devices = ["cpu"] + ([] if isinstance(gpus, str) else [f"gpu{g.index}" for g in gpus])
    limit = limits(root)
    lines = []
    for device in devices:
        folder = root / device
        folder.mkdir(exist_ok=True)
        _chown(folder, uid, gid, SHARED_MODE)
        memory = None
        if device != "cpu":
            from tui_dl.engine.gpustats import gpu_memory_total_mib

            memory = gpu_memory_total_mib(int(device[3:]))
        slots = limit.slots(device, memory)
        for slot in range(slots):
            path = folder / f"slot-{slot}"
            if path.is_symlink() or (path.exists() and owner_of(path) != uid):
                path.unlink()
            if not path.exists():
                os.close(os.open(path, os.O_RDONLY | os.O_CREAT | _NOFOLLOW, 0o644))
            _chown(path, uid, gid, 0o644)
        lines.append(f"queue/{device}/: {slots} slot files, read-only to all (locks need no more)")
    return lines


def _chown(path: Path, uid: int, gid: int, mode: int) -> None:
    if os.geteuid() == 0:
        os.chown(path, uid, gid, follow_symlinks=False)
    elif gid != -1:
        os.chown(path, -1, gid, follow_symlinks=False)
    os.chmod(path, mode)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _json(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data.decode("utf-8", "replace").strip() or "null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
