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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_dl.engine import runfiles
from tui_dl.engine.devices import device_env, normalise_device
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, append_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunStore, pid_alive, read_pid
from tui_dl.engine.workshop.seats import identity

CANCEL_SIGNAL = signal.SIGUSR1
NICENESS = 10
"""How far below the app a run's or a job's CPU priority is (`TUI_DL_NICE`; 0 = the same).
Training takes every core it is given; niced, it takes what the screens leave, and a key
pressed while a CNN trains is answered at once. Alone on the machine it trains as fast."""
EXIT_CANCELLED = 3


@dataclass
class RunHandle:
    """A child this process launched: a run, a sweep's driver or a job. (A run found again
    later is followed through its folder, not a handle.)"""

    run_dir: Path
    process: subprocess.Popen[bytes]
    reaper: threading.Thread
    """Waits for the process and records how it ended; join it before reading the outcome."""

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
) -> RunHandle:
    """Validate the settings, create the run folder and start its child; returns at once.

    With `cluster` the child is the run's Ray driver (tui_dl.engine.cluster.driver), which
    runs the same trainer as a task on the cluster; without, the trainer's own child."""
    spec_params = get_experiment(experiment).validate(params or {})
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
    module = "tui_dl.engine.cluster.driver" if cluster else "tui_dl.engine.jobs.child"
    return spawn_child(module, [str(run_dir)], run_dir, env)


def lower_priority() -> None:
    """The first thing a run's or a job's child does: step back behind the app (see NICENESS).

    Linux shares the CPU between sessions first when autogroup scheduling is on (the default
    on most distributions), and a child is a session of its own: so its session's niceness is
    lowered too, or its own would count only against itself.
    """
    try:
        niceness = max(0, min(19, int(os.environ.get("TUI_DL_NICE", NICENESS))))
    except ValueError:
        niceness = NICENESS
    if not niceness:
        return
    with contextlib.suppress(OSError, AttributeError):  # no nice here: the same priority
        os.nice(niceness)
    with contextlib.suppress(OSError):  # not Linux, or no autogroups: the niceness above
        Path("/proc/self/autogroup").write_text(f"{niceness}\n")


def spawn_child(module: str, args: list[str], folder: Path, env: dict[str, str]) -> RunHandle:
    """`python -m module args` in its own session, output to folder/log.txt, pid and reaper.

    The one way the engine starts a process: runs and the short analysis jobs alike.
    """
    with (folder / runfiles.LOG).open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
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
    if code < 0:
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


def cancel_run(run_dir: Path, grace: float = 0.6, handle: RunHandle | None = None) -> None:
    """Ask the run to stop; terminate, then kill, its process group if it does not in time.

    Returns once the run has a terminal event, within about a second. Blocking: call it
    from a worker thread in the app.
    """
    run_dir = Path(run_dir)
    (run_dir / runfiles.CANCEL).touch()
    pid = read_pid(run_dir)
    watch = EndWatch(run_dir)
    if pid is None or watch.check():
        if not watch.check():
            append_event(run_dir, Event.CANCELLED, by="app", forced=False)
        return
    _signal(pid, CANCEL_SIGNAL, group=False)
    for sig, wait in ((None, grace), (signal.SIGTERM, 0.25), (signal.SIGKILL, 1.0)):
        if sig is not None:
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


def _alive(pid: int, run_dir: Path, handle: RunHandle | None) -> bool:
    if handle is not None:
        return handle.process.poll() is None
    return pid_alive(pid, run_dir)


def _signal(pid: int, sig: signal.Signals, group: bool) -> None:
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
