"""Starting, watching and cancelling run child processes.

Each run is `python -m tui_dl.engine.jobs.child RUN_DIR` in its own session (so it survives the
app quitting or the SSH link dropping), with stdout/stderr going to the run's `log.txt`
(never to the app's terminal, which Textual owns).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tui_dl.engine import runfiles
from tui_dl.engine.devices import device_env, normalise_device
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, append_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.experiments.experiment import Checks
from tui_dl.engine.store import RunStore, read_pid
from tui_dl.engine.trust import PID_MAX, is_mine, owner_of, proven_process, user_name
from tui_dl.engine.workshop.seats import identity

if TYPE_CHECKING:
    from tui_dl.engine.spare.pool import SparePool

CANCEL_SIGNAL = signal.SIGUSR1
NICENESS = 10
"""How far below the app a run's or a job's CPU priority is (`TUI_DL_NICE`; 0 = the same).
Training takes every core it is given; lowered, it takes what the screens leave, and a key
pressed while a CNN trains is answered at once. Alone on the machine it trains as fast."""
EXIT_CANCELLED = 3


class ChildProcess(Protocol):
    """What a handle knows of its process: a `subprocess.Popen`, or a spare's fork
    (spare/pool.py: ForkedProcess), which is the spare's child rather than this process's."""

    pid: int

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def terminate(self) -> None: ...

    def kill(self) -> None: ...


UNKNOWN_STATUS = -999
"""The status of a process whose end this app could not see: a spare's fork whose spare
ended before it (only the spare, its parent, could read how it ended)."""


@dataclass
class RunHandle:
    """A child this process launched: a run, a sweep's driver or a job. (A run found again
    later is followed through its folder, not a handle.)"""

    run_dir: Path
    process: ChildProcess
    reaper: threading.Thread
    """Waits for the process and records how it ended; join it before reading the outcome."""
    note: str | None = None
    """What the launch has to say: a spare that could not take it (nothing is lost)."""
    before: list[str] = field(default_factory=list)
    """What the experiment's check before launch had to say (`Experiment.ready`: the
    folder's classes and split sizes, augmentation's cost)."""

    @property
    def run_id(self) -> str:
        return self.run_dir.name

    def wait(self, timeout: float | None = None) -> int:
        return self.process.wait(timeout)


def launch_run(
    experiment: str,
    params: dict[str, Any] | None = None,
    device: str = "cpu",
    data_dir: str | os.PathLike[str] | None = None,
    store: RunStore | None = None,
    cluster: str | None = None,
    gpu_share: float | None = None,
    spare: SparePool | None = None,
    checks: Checks | None = None,
) -> RunHandle:
    """Validate the settings, create the run folder and start its child; returns once the
    experiment's check before launch (`Experiment.ready`: for my-images, the folder scanned)
    has passed: call it from a worker thread in the app. `checks`: where that check says how
    far it is, and its memo that launches of one family share (a sweep's cells), so what it
    found is not read again.

    With `cluster` the child is the run's Ray driver (tui_dl.engine.cluster.driver), which
    runs the same trainer as a task on the cluster; without, the trainer's own child — the
    `spare`'s process when it has one ready for the device (TensorFlow already imported),
    a fresh one otherwise."""
    exp = get_experiment(experiment)
    spec_params = exp.validate(params or {})
    device = normalise_device(device)
    if cluster:
        from tui_dl.engine.cluster import INSTALL, check_address, resources

        cluster = check_address(cluster)
        resources(device, gpu_share)  # a share outside (0, 1] is refused here
        if importlib.util.find_spec("ray") is None:
            raise ValueError(INSTALL)
    elif gpu_share is not None:
        raise ValueError("--gpu-share goes with --cluster (Ray shares a GPU between runs)")
    store = store or RunStore()
    data_dir = str(Path(data_dir).expanduser().resolve()) if data_dir else None
    checks = checks or Checks()
    said = exp.ready(spec_params, data_dir, store.root, checks) if exp.ready else []
    spec: dict[str, Any] = {
        "experiment": experiment,
        "params": spec_params,
        "device": device,
        "data_dir": data_dir,
        "owner": identity(),
    }
    if cluster:
        spec.update(cluster=cluster, gpu_share=gpu_share)
    run_dir = store.create(spec)
    env = {**os.environ, **device_env(device), "PYTHONUNBUFFERED": "1"}
    if data_dir:
        env["TUI_DL_DATA"] = data_dir
    if cluster:
        handle = spawn_child("tui_dl.engine.cluster.driver", [str(run_dir)], run_dir, env)
    else:
        order = {"kind": "run", "folder": str(run_dir), "data_dir": data_dir}
        handle = served(spare, order, device, "tui_dl.engine.jobs.child", [str(run_dir)], env)
    handle.before = said
    return handle


def served(
    spare: SparePool | None,
    order: dict[str, Any],
    device: str,
    module: str,
    args: list[str],
    env: dict[str, str],
) -> RunHandle:
    """The spare's process for this run or job when it has one ready for `device` and it
    took the order; else a cold child (`python -m module args`). When a spare was there and
    could not take it, the folder's log and the handle's note say why: the cold child loses
    nothing but the wait."""
    order = {**order, "env": env}  # a spare's fork takes the environment a cold child would
    handle, problem = spare.hand_over(order, device) if spare is not None else (None, None)
    folder = Path(order["folder"])
    if handle is not None:
        return handle
    if problem:
        with (folder / runfiles.LOG).open("a") as log:
            log.write(f"[tui-dl] {problem}\n")
    handle = spawn_child(module, args, folder, env)
    handle.note = problem
    return handle


def lower_priority() -> None:
    """The first thing a run's or a job's child does: step back behind the app (see NICENESS).

    Linux shares the CPU between sessions first when autogroup scheduling is on (the default
    on most distributions), and a child is a session of its own: so its session's niceness is
    lowered too, or its own would count only against itself.

    And it takes Linux's idle policy (SCHED_IDLE), which its threads inherit: niceness alone
    left the app's second and third threads (Textual's writer, a key's reader) waiting behind
    a training thread for a core, because a session's share of the CPU is split between the
    cores by where its threads ran; under the idle policy a woken thread of normal priority
    takes the core at once. While two CNNs trained on both cores, opening a screen went from
    43–92 ms at p95 to 31–32 ms, typing from 59–66 ms to 25–45 (benchmarks/interaction.py,
    BENCHMARKS §6). Alone on the machine a run trains as fast; beside other work of normal
    priority it gets only what that work leaves.
    """
    try:
        niceness = max(0, min(19, int(os.environ.get("TUI_DL_NICE", NICENESS))))
    except ValueError:
        niceness = NICENESS
    if not niceness:
        return
    with contextlib.suppress(OSError, AttributeError):  # no nice here: the same priority
        # Absolute, not added: a spare's fork calls this again in its new session.
        os.setpriority(os.PRIO_PROCESS, 0, max(niceness, os.getpriority(os.PRIO_PROCESS, 0)))
    with contextlib.suppress(OSError):  # not Linux, or no autogroups: the niceness above
        Path("/proc/self/autogroup").write_text(f"{niceness}\n")
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the niceness alone
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def spawn_child(module: str, args: list[str], folder: Path, env: dict[str, str]) -> RunHandle:
    """`python -m module args` in its own session, output to folder/log.txt, pid and reaper.

    The one way the engine starts a process: runs and the short analysis jobs alike.
    """
    with (folder / runfiles.LOG).open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-P", "-m", module, *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
            cwd=folder,
            close_fds=True,
        )
    (folder / runfiles.PID).write_text(f"{process.pid}\n")
    reaper = threading.Thread(
        target=_reap, args=(process, folder), name=f"reap-{folder.name}", daemon=True
    )
    reaper.start()
    return RunHandle(folder, process, reaper)


def _reap(process: subprocess.Popen[bytes], run_dir: Path) -> None:
    record_exit(run_dir, process.wait())


_RECORD_LOCK = threading.Lock()
"""The reaper thread and a cancel may both see the child gone: one last word, not two."""


class EndWatch:
    """Has the run written its terminal event yet? Reads only what is new each time."""

    def __init__(self, run_dir: Path) -> None:
        self._log = EventLog(run_dir)
        self.ended = False

    def check(self) -> bool:
        if not self.ended:
            self.ended = any(e.get("event") in TERMINAL_EVENTS for e in self._log.read_new())
        return self.ended


def has_ended(run_dir: Path) -> bool:
    return EndWatch(run_dir).check()


def record_exit(run_dir: Path, code: int) -> None:
    """Give a child that died without its last word a terminal event that says how it died."""
    with _RECORD_LOCK:
        _record_exit(run_dir, code)


def _record_exit(run_dir: Path, code: int) -> None:
    if has_ended(run_dir):
        return
    if (run_dir / runfiles.CANCEL).exists():
        append_event(run_dir, Event.CANCELLED, by="app", forced=True)
        return
    if code == UNKNOWN_STATUS:
        message = (
            "The training process ended before reporting a result; how it ended could not be "
            "read (the spare process that started it had ended before it)."
        )
    elif code < 0:
        name = signal.Signals(-code).name
        hint = (
            " — most often the out-of-memory killer: the run needed more memory than the "
            "machine had (try a smaller batch size or model)"
            if -code == signal.SIGKILL
            else ""
        )
        message = f"The training process was killed by signal {name}{hint}."
    else:
        message = f"The training process exited with status {code} before reporting a result."
    tail = _log_tail(run_dir)
    if tail:
        message += f" Last lines of log.txt:\n{tail}"
    append_event(
        run_dir,
        Event.FAILED,
        error_type="ProcessDied",
        message=message,
        traceback="",
        exit_code=code,
    )


def _log_tail(run_dir: Path, lines: int = 5) -> str:
    try:
        text = (run_dir / runfiles.LOG).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


REQUEST_WAIT_S = 5.0
"""How long a cancel of another user's run waits to see it stop (it obeys at its next check)."""


class CancelPending(PermissionError):
    """Another user's run was asked to stop and has not yet: it stops at its next check."""


def cancel_run(
    run_dir: Path,
    grace: float = 0.6,
    handle: RunHandle | None = None,
    wait_s: float = REQUEST_WAIT_S,
) -> None:
    """Ask the run to stop; for this user's own run, terminate, then kill, its process group
    if it does not in time — but only a process proven to be the run's (trust.pids).

    Another user's run (the instructor cancelling a learner's) is sent no signal: a request
    goes into the workshop's cancels/, which the run obeys; this waits `wait_s` to see it
    end and raises CancelPending when it has not yet, PermissionError when this user may not
    cancel it. Nothing is written into another user's folder. Returns once the run has a
    terminal event, within about a second. Blocking: call it from a worker thread in the app.
    """
    run_dir = Path(run_dir)
    if handle is None and not is_mine(run_dir):
        ask_to_stop(run_dir, wait_s)
        return
    (run_dir / runfiles.CANCEL).touch()
    pid = read_pid(run_dir)
    watch = EndWatch(run_dir)
    if watch.check():
        return
    if handle is None and (pid is None or proven_process(pid, run_dir, os.geteuid()) is not True):
        # No process proven to be the run's: none to signal. A child that is still starting
        # sees the cancel file within a poll; one that is gone is recorded as cancelled.
        deadline = time.monotonic() + min(grace, 0.6)
        while time.monotonic() < deadline and not watch.check():
            time.sleep(0.05)
        if not watch.check():
            append_event(run_dir, Event.CANCELLED, by="app", forced=False)
        return
    if pid is None:
        pid = handle.process.pid if handle is not None else None
    if pid is None:
        return
    _signal(pid, CANCEL_SIGNAL, group=False)
    for sig, wait in ((None, grace), (signal.SIGTERM, 0.25), (signal.SIGKILL, 1.0)):
        if sig is not None and _alive(pid, run_dir, handle):
            _signal(pid, sig, group=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if watch.check() or not _alive(pid, run_dir, handle):
                break
            time.sleep(0.02)
        if watch.check():
            break
        if not _alive(pid, run_dir, handle):
            record_exit(run_dir, -(sig or CANCEL_SIGNAL))
            break
    # Never leave a stopped run's process behind, even one that wrote its event and hangs.
    deadline = time.monotonic() + 0.3
    while _alive(pid, run_dir, handle) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _alive(pid, run_dir, handle):
        _signal(pid, signal.SIGKILL, group=True)


def ask_to_stop(run_dir: Path, wait_s: float) -> None:
    from tui_dl.engine.workshop.folder import request_cancel

    request_cancel(run_dir)  # PermissionError when this user may not
    watch = EndWatch(run_dir)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if watch.check():
            return
        time.sleep(0.05)
    raise CancelPending(
        f"Asked {run_dir.name} to stop: it is {user_name(owner_of(run_dir))}'s, so it stops "
        "itself at its next check (no signal crosses users); it has not yet."
    )


def _alive(pid: int, run_dir: Path, handle: RunHandle | None) -> bool:
    if handle is not None:
        return handle.process.poll() is None
    return proven_process(pid, run_dir, os.geteuid()) is True


def _signal(pid: int, sig: signal.Signals, group: bool) -> None:
    if not 1 < pid <= PID_MAX:
        return  # never -1 (every process of ours), 0 (our group) or 1
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
