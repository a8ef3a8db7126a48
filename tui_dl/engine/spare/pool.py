"""The app's side of the spare: keep one ready, hand it runs and jobs.

    pool = SparePool(home)          # the app makes one; `refusal()` says when not to
    pool.start("cpu")               # after the first frame: the spare imports TensorFlow
    handle = pool.hand_over(order, device)   # a RunHandle, or None: start a cold child
    pool.close()                    # the app's end: the spare ends with it

Once its import is done, the spare serves each order by a fork of itself (child.py): the
run's process is the spare's child, born with TensorFlow imported, and the spare stays ready
for the next order. Its handle's process is a ForkedProcess: alive or not by a pidfd (which
cannot name another process once the pid is reused), and how it ended as the spare says it
(`exit PID STATUS`). An order given while the import still runs is taken by the spare
itself; then the next spare starts behind it once that run has shown its first epoch (or
ended), so that its own import does not slow that run's start.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.engine import runfiles
from tui_dl.engine.devices import device_env
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog
from tui_dl.engine.jobs.launch import UNKNOWN_STATUS, RunHandle, record_exit
from tui_dl.engine.spare import PLACEHOLDER, READY
from tui_dl.engine.trust import proven_process

SPARE_ENV = "TUI_DL_SPARE"
"""`TUI_DL_SPARE=0` turns the spare off."""
MODULE = "tui_dl.engine.spare.child"
ANSWER_WAIT_S = 10.0
"""How long a hand-over waits for the spare's "ok" (its reader thread answers within
milliseconds, even while the import holds the main thread; this is for a machine at its knees)."""
NEXT_AFTER_S = 60.0
"""The next spare starts when the run it took shows its first epoch or ends, or this long
after the hand-over, whichever comes first."""
SPARES = "spares"
"""The folder of the tui-dl home where a spare's own log is kept until it has a run."""
KEEP_DEAD_LOG_S = 3600.0
"""A log no spare holds any more (its spare died, or its app was killed) is kept this long:
it may say why a spare died. Tidied when the next spare starts."""


def refusal() -> str | None:
    """Why this process should keep no spare, or None when it should.

    Off with `TUI_DL_SPARE=0`. In a workshop (a shared queue, many seats on one machine) each
    spare holds TensorFlow's memory for nobody yet, so it is off unless the instructor turned
    it on: `tui-dl workshop spare DIR on` (recorded in the instructor's workshop.json) or, for
    the browser seats of a `tui-dl serve` without a workshop folder, `TUI_DL_SPARE=1` in the
    server's environment (a seat's learner cannot set it)."""
    setting = os.environ.get(SPARE_ENV, "").strip()
    if setting == "0":
        return f"the spare is off ({SPARE_ENV}=0)"
    if paths.workshop() is not None:
        from tui_dl.engine.workshop.folder import read_record

        if read_record().get("spare") is not True:
            return "the spare is off in a workshop until the instructor turns it on"
        return None
    from tui_dl.engine.workshop.seats import current_seat

    if current_seat() is not None and setting != "1":
        return f"the spare is off at a browser seat unless the server has {SPARE_ENV}=1"
    return None


@dataclass
class Spare:
    device: str
    process: subprocess.Popen[bytes]
    log: Path
    folder: Path | None = None
    """The run's or job's folder, from the moment the order is sent."""
    accepted: bool = False
    decided: threading.Event = field(default_factory=threading.Event)
    """Set once a hand-over has succeeded or failed (or the spare was let go)."""
    retired: bool = False
    """Ended on purpose (the app closing, a device change, a failed hand-over)."""
    reaper: threading.Thread | None = None
    """Waits for the process; for a spare that took a run, records how the run's process
    ended if the run could not say (as a cold child's reaper does)."""
    imported: threading.Event = field(default_factory=threading.Event)
    """Set when it says its import is done (child.READY): its orders are forks from then."""
    answers: queue.SimpleQueue[str | None] = field(default_factory=queue.SimpleQueue)
    """The spare's answers to orders (`ok PID`, `no: why`), in order; None once it ended."""
    forks: dict[int, ForkedProcess] = field(default_factory=dict)
    """Its forks that serve runs and jobs, by pid, until their end is known."""
    ends: dict[int, int] = field(default_factory=dict)
    """How forks ended that no handle was made for yet (an end can come before its `ok`)."""
    ends_lock: threading.Lock = field(default_factory=threading.Lock)
    """Between the reader of its lines and a hand-over: an end is given to its fork once,
    and an answer that comes too late is never taken for the next order's."""
    abandoned: Path | None = None
    """The folder of an order it did not answer in time: that run started cold instead, so
    a fork that takes it after all is stopped at once (one process per run)."""


class SparePool:
    """At most one spare at a time, for one device."""

    def __init__(self, home: Path | None = None) -> None:
        self._home = home
        self._lock = threading.Lock()
        self._spare: Spare | None = None
        self._closed = False
        self.device = "cpu"
        """The device the next spare is for: the last run's, or the lab's."""
        self.died: str | None = None
        """How the last spare that ended by itself while waiting ended (said once, at the
        next launch, which it could not serve)."""

    # ----- the spare's life --------------------------------------------------------------------
    def start(self, device: str | None = None) -> None:
        """Have a spare ready for `device` (default: the pool's): starts one (returns at once)
        unless one for that device is already there; one for another device is let go."""
        with self._lock:
            if self._closed:
                return
            self.device = device or self.device
            spare = self._spare
            if spare is not None and spare.process.poll() is None:
                if spare.device == self.device:
                    return
                self._spare = None
                self._retire(spare)
            self.died = None  # a new spare: the old one's end no longer matters to a launch
            self._spare = self._spawn(self.device)

    def ready(self) -> Spare | None:
        """The spare waiting now (importing or imported), if any."""
        spare = self._spare
        return spare if spare is not None and spare.process.poll() is None else None

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the spare has imported TensorFlow (so the next order is a fork, not the
        spare itself); False when there is none, it ended, or the time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            spare = self.ready()
            if spare is None:
                return False
            if spare.imported.wait(min(0.25, max(0.0, deadline - time.monotonic()))):
                return True
        return False

    def close(self) -> None:
        """The app is ending: the waiting spare ends now (a run it took goes on), and its log
        goes with it."""
        with self._lock:
            self._closed = True
            spare, self._spare = self._spare, None
        if spare is not None:
            self._retire(spare)
            with contextlib.suppress(subprocess.TimeoutExpired):
                spare.process.wait(1.0)
            with contextlib.suppress(OSError):
                spare.log.unlink()

    def _spawn(self, device: str) -> Spare:
        folder = (self._home or paths.home()) / SPARES
        folder.mkdir(parents=True, exist_ok=True)
        tidy(folder)
        log = folder / f"spare-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}.log"
        env = {**os.environ, **device_env(device), "PYTHONUNBUFFERED": "1"}
        with log.open("ab") as out:
            # Locked for as long as a spare has it as its output (the lock belongs to the
            # open file, which the spare shares): how `tidy` tells a live spare's log.
            fcntl.flock(out, fcntl.LOCK_EX | fcntl.LOCK_NB)
            process = subprocess.Popen(
                [sys.executable, "-P", "-m", MODULE, device, str(log), PLACEHOLDER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=out,
                start_new_session=True,  # as a cold child: the run it becomes outlives the app
                env=env,
                cwd=folder,
                close_fds=True,
            )
        spare = Spare(device, process, log)
        spare.reaper = threading.Thread(
            target=self._reap, args=(spare,), name=f"spare-{process.pid}", daemon=True
        )
        spare.reaper.start()
        threading.Thread(
            target=_read_answers, args=(spare,), name=f"spare-says-{process.pid}", daemon=True
        ).start()
        return spare

    def _retire(self, spare: Spare) -> None:
        """End a spare that has no run: close its pipe (it ends itself) and kill it (our own
        child, not yet reaped, so its pid is still its own)."""
        spare.retired = True
        spare.decided.set()
        with contextlib.suppress(OSError):
            if spare.process.stdin is not None:
                spare.process.stdin.close()
        if spare.process.poll() is None:
            with contextlib.suppress(OSError):
                spare.process.kill()

    def _reap(self, spare: Spare) -> None:
        code = spare.process.wait()
        if spare.folder is not None:
            spare.decided.wait()
        with self._lock:
            if self._spare is spare:
                self._spare = None
        if spare.accepted and spare.folder is not None:
            record_exit(spare.folder, code)  # a run that died without its last word
            return
        if not spare.retired:
            self.died = f"exit status {code}; its log is {spare.log}"
            return  # its log is kept: it says why
        with contextlib.suppress(OSError):
            spare.log.unlink()

    # ----- the hand-over ---------------------------------------------------------------------
    def hand_over(self, order: dict[str, Any], device: str) -> tuple[RunHandle | None, str | None]:
        """Give the waiting spare the run or job in `order["folder"]` (see child.py).

        Its handle; or None when there is no spare for `device` (then the caller starts a
        cold child, as without a pool), with a sentence when there was one that could not
        take it — it had died while waiting, or did not answer: nothing is lost, the cold
        child only takes the usual start."""
        folder = Path(order["folder"])
        later = device if order["kind"] == "run" else self.device
        with self._lock:
            spare, died = self._spare, self.died
            if self._closed or (spare is None and died is None):
                return None, None
            if spare is None or spare.device != device:
                if spare is None:  # it died while waiting: say so once, start another
                    self.died = None
                    self._start_after(folder, later)
                    return None, _fallback_words(f"it had ended while waiting: {died}")
                return None, None  # a spare for another device: a job on the CPU, say
            self._spare = None  # one order at a time: a launch meanwhile starts cold
        answer = self._send(spare, order)
        pid = _served_by(answer)
        if pid is not None and pid != spare.process.pid:  # a fork serves it
            forked = ForkedProcess(pid, spare)
            with spare.ends_lock:
                spare.forks[pid] = forked
                if pid in spare.ends:
                    forked.ended(spare.ends.pop(pid))
            with self._lock:
                if self._closed or self._spare is not None:
                    self._retire(spare)  # the app closed, or another spare came meanwhile
                else:
                    self._spare = spare  # ready for the next order
            return self._forked_handle(folder, forked), None
        spare.folder = folder if pid is not None else None  # it took the order itself
        if pid is None:
            self._retire(spare)
            self._start_after(folder, later)
            return None, _fallback_words(_why(spare, answer))
        spare.accepted = True
        spare.decided.set()
        for pipe in (spare.process.stdin, spare.process.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()
        paths.write_atomic(folder / runfiles.PID, f"{spare.process.pid}\n")
        self._start_after(folder, later)
        assert spare.reaper is not None
        return RunHandle(folder, spare.process, spare.reaper), None

    @staticmethod
    def _forked_handle(folder: Path, forked: ForkedProcess) -> RunHandle:
        paths.write_atomic(folder / runfiles.PID, f"{forked.pid}\n")
        reaper = threading.Thread(
            target=lambda: record_exit(folder, forked.wait()),
            name=f"reap-{folder.name}",
            daemon=True,
        )
        reaper.start()
        return RunHandle(folder, forked, reaper)

    def _send(self, spare: Spare, order: dict[str, Any]) -> str | None:
        process = spare.process
        if process.stdin is None or process.poll() is not None:
            return None
        try:
            process.stdin.write(json.dumps(order).encode() + b"\n")
            process.stdin.flush()
        except OSError:  # it had ended: a broken pipe
            return None
        try:
            return spare.answers.get(timeout=ANSWER_WAIT_S)
        except queue.Empty:
            pass
        with spare.ends_lock:  # too late from now on: the run starts cold
            spare.abandoned = Path(order["folder"])
            late = []
            while True:
                try:
                    late.append(spare.answers.get_nowait())
                except queue.Empty:
                    break
        for line in late:
            _stop_late_fork(spare, line)
        return None

    def _start_after(self, folder: Path | None, device: str) -> None:
        """The next spare, once the run it took shows its first epoch or ends: so that its
        import does not slow that start (at once when there is no run to wait for)."""

        def later() -> None:
            if folder is not None:
                log = EventLog(folder)
                deadline = time.monotonic() + NEXT_AFTER_S
                while time.monotonic() < deadline and not self._closed:
                    kinds = {e.get("event") for e in log.read_new()}
                    if kinds & ({Event.EPOCH_END} | TERMINAL_EVENTS):
                        break
                    time.sleep(0.25)
            self.start(device)

        threading.Thread(target=later, name="next-spare", daemon=True).start()


class ForkedProcess:
    """A run's or job's process that a spare forked: the spare's child, not the app's. Alive
    or not by a pidfd opened as soon as its pid is known; its status as the spare reports
    it, or UNKNOWN_STATUS when the spare ended before it (no one else can read it)."""

    def __init__(self, pid: int, spare: Spare) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._spare = spare
        self._done = threading.Event()
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (OSError, AttributeError):  # already gone (its end is on its way), or no pidfd
            self._pidfd = None

    def ended(self, code: int) -> None:
        if not self._done.is_set():
            self.returncode = code
            self._done.set()

    def poll(self) -> int | None:
        if self._done.is_set():
            return self.returncode
        if not self._exited():
            return None
        # Ended: the spare says how at once, unless the spare itself is gone.
        if self._spare.process.poll() is None and self._done.wait(1.0):
            return self.returncode
        self.ended(UNKNOWN_STATUS)
        return self.returncode

    def _exited(self) -> bool:
        if self._pidfd is None:
            return self._spare.process.poll() is not None
        return bool(select.select([self._pidfd], [], [], 0)[0])

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0.0)
            self._done.wait(0.05)
        return code

    def send_signal(self, sig: int) -> None:
        if self.poll() is None and self._pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self._pidfd, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def __del__(self) -> None:
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)


def _read_answers(spare: Spare) -> None:
    """The spare's lines, for as long as it speaks: answers to orders go to whoever waits
    for one; `exit PID STATUS` to the fork it names."""
    stdout = spare.process.stdout
    if stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):
        for raw in stdout:
            line = raw.decode("utf-8", "replace").strip()
            words = line.split()
            if len(words) == 3 and words[0] == "exit" and all(_number(w) for w in words[1:]):
                pid, code = int(words[1]), int(words[2])
                with spare.ends_lock:
                    forked = spare.forks.pop(pid, None)
                    if forked is None:
                        spare.ends[pid] = code
                if forked is not None:
                    forked.ended(code)
            elif line == READY:
                spare.imported.set()
            else:
                with spare.ends_lock:
                    late = spare.abandoned is not None
                    if not late:
                        spare.answers.put(line)
                if late:
                    _stop_late_fork(spare, line)
    spare.answers.put(None)  # the spare is gone: a fork's poll() says its end went unseen


def _stop_late_fork(spare: Spare, line: str | None) -> None:
    """A fork that took an order after the app had given up on it (the run went to a cold
    child): killed, once proven to be the one that moved into that run's folder."""
    pid = _served_by(line)
    folder = spare.abandoned
    if pid is None or folder is None or pid == spare.process.pid:
        return  # the spare itself taking it late is retired (killed) with the spare
    if proven_process(pid, folder, os.geteuid()) is True:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # its own session, as every run's


def _number(word: str) -> bool:
    return word.lstrip("-").isdigit() and len(word) < 12


def _served_by(answer: str | None) -> int | None:
    """The pid in an `ok PID` answer, or None."""
    words = (answer or "").split()
    if len(words) == 2 and words[0] == "ok" and words[1].isdigit() and len(words[1]) < 9:
        return int(words[1])
    return None


def tidy(folder: Path) -> None:
    """Remove the logs of spares long gone: no spare holds them (their lock is free) and
    nothing was written to them for KEEP_DEAD_LOG_S. Only plain files of this folder."""
    for log in folder.glob("spare-*.log"):
        with contextlib.suppress(OSError):
            flags = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(log, flags)
            try:
                if time.time() - os.fstat(fd).st_mtime < KEEP_DEAD_LOG_S:
                    continue
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError: a live spare's
                log.unlink()
            finally:
                os.close(fd)


def _why(spare: Spare, answer: str | None) -> str:
    code = spare.process.poll()
    if answer:
        return f"it answered {answer!r}"
    if code is not None:
        return f"it had ended (exit status {code})"
    return f"it did not answer in {ANSWER_WAIT_S:.0f} s"


def _fallback_words(why: str) -> str:
    return (
        f"The spare TensorFlow process could not take this run ({why}); it starts TensorFlow "
        "itself instead — nothing is lost, it only takes the usual start."
    )
