"""The spare: `python -m tui_dl.engine.spare.child DEVICE LOG ________…` (PLACEHOLDER).

Started by the app (pool.py) in a session of its own, at the runs' low priority, with the
environment of the runs it will serve on DEVICE (CUDA_VISIBLE_DEVICES and the rest set before
TensorFlow starts, as for a cold child). Its main thread imports TensorFlow, Keras and the
trainers, builds nothing, and waits; meanwhile a thread reads one order, a JSON line, from
stdin, a pipe only the app holds:

    {"kind": "run", "folder": RUN_DIR, "data_dir": DIR or null}
    {"kind": "job", "folder": JOB_DIR, "run_dir": RUN_DIR, "data_dir": DIR or null}

To take it, the spare writes the folder over the placeholder in its own command line and
moves into the folder (how anyone proves the process is the run's: trust/pids.py), sends
what it printed so far and everything after into the folder's log.txt, and answers "ok" on
the pipe that was its stdout (or "no: why"). The main thread then serves
the run or job exactly as a cold child does (jobs/child.py, jobs/insight_child.py): the cancel
handler, the queue's place, the seeds from the spec, one `failed` event for any error.

The end of stdin before an order (the app quit, crashed or was killed with -9) ends the spare
at once, even in the middle of TensorFlow's import. After the order the pipe means nothing:
the run outlives the app, as every run does.
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
from tui_dl.engine.spare import PLACEHOLDER

ORDER_LIMIT = 65536
"""The longest order line read: a run's folder and a data folder."""
KEPT_LOG = 65536
"""How much of what the spare printed before its run is copied into the run's log.txt."""
IMPORTED = threading.Event()
"""Set once TensorFlow and the trainers are imported."""


def main(argv: list[str]) -> int:
    device, own_log = argv[0], Path(argv[1])  # argv[2]: the placeholder
    answer = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # until it has a run, what it prints goes to its own log
    lower_priority()
    orders: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
    listener = threading.Thread(
        target=listen, args=(own_log, answer, orders), name="orders", daemon=True
    )
    listener.start()
    warm_up(device)
    order = orders.get()
    folder = Path(order["folder"])
    if order["kind"] == "job":
        from tui_dl.engine.jobs import insight_child

        return insight_child.serve(Path(order["run_dir"]), folder, warm=True)
    return run_child.serve(folder, warm=True)


def warm_up(device: str) -> None:
    """Import what every run imports first: TensorFlow, Keras, the trainers and the jobs.
    Nothing is built and no device is touched, so the run's own device settings (a GPU's
    memory limit) still apply when it starts."""
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


def listen(own_log: Path, answer: Any, orders: queue.SimpleQueue[dict[str, Any]]) -> None:
    line = sys.stdin.buffer.readline(ORDER_LIMIT)
    if not line.endswith(b"\n"):  # the pipe's end: the app is gone, and nothing was handed
        os._exit(0)
    try:
        order = read_order(line)
        take_over(order, own_log)
    except (ValueError, OSError) as exc:
        answer.write(f"no: {exc}\n")
        answer.flush()
        os._exit(2)
    answer.write("ok\n")
    answer.close()
    if not IMPORTED.is_set():  # handed over mid-import: what the run waits for, meanwhile
        append_event(
            Path(order["folder"]), Event.PHASE, phase="TensorFlow still starting (in a spare)"
        )
    orders.put(order)


def read_order(line: bytes) -> dict[str, Any]:
    """The order, checked: a kind, and absolute folders that exist."""
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
    return order


def take_over(order: dict[str, Any], own_log: Path) -> None:
    """Become the order's process: its folder, its log, its data folder."""
    folder = Path(order["folder"])
    name_the_folder(folder)
    os.chdir(folder)
    if order.get("data_dir"):
        os.environ["TUI_DL_DATA"] = order["data_dir"]
    try:
        before = own_log.read_bytes()[-KEPT_LOG:]
    except OSError:
        before = b""
    note = (
        f"[tui-dl] This {order['kind']} is served by a spare process (pid {os.getpid()}) that "
        "had imported TensorFlow ahead of it"
        + ("; what it printed before:\n" if before.strip() else ".\n")
    )
    sys.stdout.flush()
    sys.stderr.flush()
    with (folder / runfiles.LOG).open("ab") as log:
        log.write(note.encode() + before + (b"" if before.endswith(b"\n") or not before else b"\n"))
        log.flush()
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
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
