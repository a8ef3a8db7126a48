"""The spare: `python -m tui_dl.engine.spare.child DEVICE LOG ________…` (PLACEHOLDER).

Started by the app (pool.py) in a session of its own, at the runs' low priority, with the
environment of the runs it will serve on DEVICE (CUDA_VISIBLE_DEVICES and the rest set before
TensorFlow starts, as for a cold child). Its main thread imports TensorFlow, Keras and the
trainers, builds nothing, and waits; meanwhile a thread reads orders, JSON lines, from stdin,
a pipe only the app holds:

    {"kind": "run", "folder": RUN_DIR, "data_dir": DIR or null, "env": {...}}
    {"kind": "job", "folder": JOB_DIR, "run_dir": RUN_DIR, "data_dir": DIR or null, "env": {...}}

`env` is the environment a cold child would have been given; its device part (CUDA_*, TF_*,
XLA_*, what devices.py sets) must be the one this spare's TensorFlow started with, or the
order is refused.

Once imported, the spare is a template that never runs anything itself: each order is served
by a fork of it (`os.fork` of a process that has imported TensorFlow and built nothing, so
no device, graph or thread pool of TensorFlow's exists yet). The fork takes a session of its
own, writes the folder over the placeholder in its command line and moves into the folder
(how anyone proves the process is the run's: trust/pids.py), sends its output into the
folder's log.txt, takes the order's environment and answers `ok PID` on the pipe that was
the spare's stdout. It goes on once the app has taken it (the fork's pid in the folder's pid
file; a launch that gave up waiting for the answer wrote its cold child's there, and the
fork leaves). It then serves the run or job exactly as a cold child does
(jobs/child.py, jobs/insight_child.py): the cancel handler, the queue's place, the seeds from
the spec, one `failed` event for any error. The spare waits for the fork's end and says
`exit PID STATUS` on the same pipe, so the app knows how its run's process ended. One fork
serves one run or job; the next order gets a new fork, started in milliseconds and sharing
the imported pages with the spare until it writes them.

An order that comes while the import still runs cannot be forked (half a module is not a
template): the spare itself takes it, as it is (`ok PID` with its own pid), and serves it
once the import is done; the app then starts another spare.

The end of stdin (the app quit, crashed or was killed with -9) ends the spare at once, even
in the middle of TensorFlow's import. The runs it forked go on: a run outlives the app.
"""

from __future__ import annotations

# First: the run's early-cancel handler (a cancel may come the moment the app has the pid).
from tui_dl.engine.jobs import child as run_child  # isort: skip

import contextlib
import importlib
import json
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tui_dl.engine import runfiles
from tui_dl.engine.events import Event, append_event
from tui_dl.engine.jobs.launch import lower_priority
from tui_dl.engine.spare import PLACEHOLDER, READY

ORDER_LIMIT = 65536
"""The longest order line read: a run's folder and a data folder."""
KEPT_LOG = 65536
"""How much of what the spare printed before its run is copied into the run's log.txt."""
IMPORTED = threading.Event()
"""Set once TensorFlow and the trainers are imported."""


def main(argv: list[str]) -> int:
    device, own_log = argv[0], Path(argv[1])  # argv[2]: the placeholder
    answer = os.dup(1)
    os.dup2(2, 1)  # until it has a run, what it prints goes to its own log
    lower_priority()
    orders: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
    listener = threading.Thread(
        target=listen, args=(own_log, answer, orders), name="orders", daemon=True
    )
    listener.start()
    warm_up(device)
    say(answer, READY)
    while True:
        order = orders.get()
        if order.get(TAKEN):  # handed over mid-import: this process is the run
            break
        if fork_for(order, own_log, answer) == 0:
            break  # the fork: this process is the run
    use_environment(order)
    folder = Path(order["folder"])
    if order["kind"] == "job":
        from tui_dl.engine.jobs import insight_child

        return insight_child.serve(Path(order["run_dir"]), folder, warm=True)
    return run_child.serve(folder, warm=True)


TAKEN = "_taken"
"""Marks an order the spare took itself, mid-import."""


def warm_up(device: str) -> None:
    """Import what every run imports first: TensorFlow, Keras, the trainers and the jobs.
    Nothing is built and no device is touched, so the run's own device settings (a GPU's
    memory limit) still apply when it starts, and a fork of this process starts clean."""
    began = time.monotonic()
    import keras  # noqa: F401
    import tensorflow  # noqa: F401

    from tui_dl.engine.experiments import EXPERIMENTS

    modules = {e.runner.split(":")[0] for e in EXPERIMENTS.values()}
    for name in sorted(modules | {"tui_dl.engine.jobs.insight_tasks"}):
        with contextlib.suppress(Exception):  # a trainer's own import error is its run's
            importlib.import_module(name)
    IMPORTED.set()
    print(
        f"[tui-dl spare] TensorFlow and the trainers imported for {device} in "
        f"{time.monotonic() - began:.1f} s; waiting for a run",
        flush=True,
    )


def listen(own_log: Path, answer: int, orders: queue.SimpleQueue[dict[str, Any]]) -> None:
    """Read orders until the pipe ends (then end the spare). Before the import is done an
    order is taken by this process itself, and no more are read; after, the main thread
    forks for each."""
    while True:
        line = sys.stdin.buffer.readline(ORDER_LIMIT)
        if not line.endswith(b"\n"):  # the pipe's end: the app is gone
            os._exit(0)
        try:
            order = read_order(line)
        except ValueError as exc:
            say(answer, f"no: {exc}")
            continue
        if IMPORTED.is_set():
            orders.put(order)
            continue
        try:
            take_over(order, own_log)
        except OSError as exc:
            say(answer, f"no: {exc}")
            os._exit(2)
        say(answer, f"ok {os.getpid()}")
        # Not closed: the main thread may still say READY on it once the import is done, and
        # a closed number could by then be another file's (the app has let the pipe go).
        append_event(
            Path(order["folder"]), Event.PHASE, phase="TensorFlow still starting (in a spare)"
        )
        orders.put({**order, TAKEN: True})
        return


def fork_for(order: dict[str, Any], own_log: Path, answer: int) -> int:
    """Serve `order` in a fork: 0 in the fork (which has become the order's process), the
    fork's pid in the spare (which waits for its end and says how it ended)."""
    pid = os.fork()
    if pid == 0:
        os.setsid()  # a session of its own, as a cold child: the run outlives the app
        try:
            take_over(order, own_log, forked=True)
        except OSError as exc:
            say(answer, f"no: {exc}")
            os._exit(2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)  # the order pipe is the spare's, not the run's
        os.close(null)
        say(answer, f"ok {os.getpid()}")
        os.close(answer)
        if not go_ahead(Path(order["folder"]), order["kind"]):
            os._exit(0)
        return 0
    threading.Thread(target=report_end, args=(pid, answer), daemon=True).start()
    return pid


GO_AHEAD_S = 30.0
"""How long a fork that said `ok` waits for the app to take it as the order's process."""


def go_ahead(folder: Path, kind: str) -> bool:
    """Whether the app took this fork as the process of the run or job in `folder`: it writes
    the fork's pid into the folder's pid file once it has read the `ok` in time. A launch that
    had given up waiting wrote its cold child's pid there instead: this fork then leaves the
    folder to it, before it takes a place in the queue or trains (one process per run, never
    two, even when the app's kill of a late fork comes after that fork's first step)."""
    from tui_dl.engine.store import read_pid

    own = os.getpid()
    deadline = time.monotonic() + GO_AHEAD_S
    while time.monotonic() < deadline:
        pid = read_pid(folder)
        if pid == own:
            return True
        if pid is not None:
            print(
                f"[tui-dl] The app had given this {kind} to a fresh process (pid {pid}) by the "
                "time this spare's fork answered: the fork leaves it to that one.",
                flush=True,
            )
            return False
        time.sleep(0.002)
    print("[tui-dl] The app did not take this spare's fork as the process here: it ends.")
    return False


def report_end(pid: int, answer: int) -> None:
    """Wait for a fork's end: `exit PID STATUS` (a signal as its negative number, as
    subprocess gives it), so that the app can say how a run died without its last word."""
    with contextlib.suppress(ChildProcessError):
        _, status = os.waitpid(pid, 0)
        say(answer, f"exit {pid} {os.waitstatus_to_exitcode(status)}")


def say(answer: int, line: str) -> None:
    """One line on the answer pipe, in one write (lines from the spare's threads and its
    forks never tear: each is far under the pipe's atomic size)."""
    with contextlib.suppress(OSError):  # the app is gone: nobody to tell
        os.write(answer, line.encode() + b"\n")


DEVICE_PREFIXES = ("CUDA_", "TF_", "XLA_", "NVIDIA_", "LD_")
"""Variables TensorFlow reads when it starts: an order must find them as the spare had them."""


def device_differences(env: dict[str, str]) -> list[str]:
    """The variables of TensorFlow's start on which `env` and this spare differ."""
    names = {n for n in (*env, *os.environ) if n.startswith(DEVICE_PREFIXES)}
    return sorted(n for n in names if env.get(n) != os.environ.get(n))


def read_order(line: bytes) -> dict[str, Any]:
    """The order, checked: a kind, absolute folders that exist, and an environment whose
    device part is this spare's."""
    try:
        order = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"an order that is not JSON ({exc})") from None
    if not isinstance(order, dict) or order.get("kind") not in ("run", "job"):
        raise ValueError("an order without a kind (run or job)")
    names = ["folder", "run_dir"] if order["kind"] == "job" else ["folder"]
    for name in names:
        value = order.get(name)
        if not isinstance(value, str) or not os.path.isabs(value) or not os.path.isdir(value):
            raise ValueError(f"{name} is not an absolute folder: {value!r}")
    if not isinstance(order.get("data_dir"), str | None):
        raise ValueError("data_dir is not a path")
    env = order.get("env")
    if env is not None:
        if not isinstance(env, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k and "=" not in k and "\0" not in k + v
            for k, v in env.items()
        ):
            raise ValueError("env is not a table of names and values")
        differ = device_differences(env)
        if differ:
            raise ValueError(
                "TensorFlow here started with other device settings: " + ", ".join(differ[:5])
            )
    return order


def use_environment(order: dict[str, Any]) -> None:
    """The environment a cold child would have had: the order's, else the spare's own with
    the order's data folder."""
    env = order.get("env")
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    if order.get("data_dir"):
        os.environ["TUI_DL_DATA"] = order["data_dir"]
    lower_priority()  # again: a fork's new session has its own (autogroup) niceness


def take_over(order: dict[str, Any], own_log: Path, forked: bool = False) -> None:
    """Become the order's process: its folder, its log. A fork leaves the spare's own log
    to the spare (which goes on writing it); the spare itself, taking an order, removes it."""
    folder = Path(order["folder"])
    name_the_folder(folder)
    os.chdir(folder)
    try:
        before = own_log.read_bytes()[-KEPT_LOG:]
    except OSError:
        before = b""
    served_by = (
        f"pid {os.getpid()}, a fork of a spare process (pid {os.getppid()})"
        if forked
        else f"a spare process (pid {os.getpid()})"
    )
    note = (
        f"[tui-dl] This {order['kind']} is served by {served_by} that had imported TensorFlow "
        "ahead of it" + ("; what the spare printed before:\n" if before.strip() else ".\n")
    )
    sys.stdout.flush()
    sys.stderr.flush()
    with (folder / runfiles.LOG).open("ab") as log:
        log.write(note.encode() + before + (b"" if before.endswith(b"\n") or not before else b"\n"))
        log.flush()
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    if not forked:
        with contextlib.suppress(OSError):
            own_log.unlink()


def name_the_folder(folder: Path) -> bool:
    """Write `folder` over the placeholder argument of this process's command line, as a
    cold child's names its folder: /proc/PID/cmdline is what every user, the instructor
    included, can read to prove whose process it is. The bytes are rewritten where the
    kernel keeps them (this process's own memory, through /proc/self/mem); False where that
    cannot be done (not Linux, a folder too long): then only its owner can prove it, by its
    working folder."""
    new = os.fsencode(folder)
    try:
        cmdline = Path("/proc/self/cmdline").read_bytes()
        at = cmdline.rfind(PLACEHOLDER.encode())
        if at < 0 or len(new) >= len(PLACEHOLDER):
            return False
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        arg_start = int(stat[45])  # field 48 of proc(5): where the arguments begin
        with open("/proc/self/mem", "r+b", buffering=0) as memory:
            memory.seek(arg_start + at)
            memory.write(new.ljust(len(PLACEHOLDER), b"\0"))
        return new in Path("/proc/self/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError, IndexError):
        return False


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as a cold child: TensorFlow's teardown is slow, and everything is on disk
