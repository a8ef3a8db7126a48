"""Exported scripts run as plain Python where `import tui_dl` fails, each in a fork of one
process per test worker that has imported TensorFlow and Keras already, instead of a fresh
interpreter that imports them again (6.5–7 s of CPU a script on this machine; the course's
export test alone runs six at once).

What a script meets in a fork is what it meets in `python script.py`: its own `__main__`
globals (an import line it lacks is still a NameError), its arguments, its folder, its
environment, stdin at /dev/null, its output in its own files, its exit status; `tui_dl` cannot
be imported. TensorFlow has been imported but has run nothing, as in the app's spare
(tui_dl/engine/spare), so a seed gives what it gives in a fresh interpreter. A fork that ends
without writing its status (a signal ended it) reads as -9.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SERVER = r"""
import json, os, runpy, signal, sys, traceback
import tensorflow, keras  # what every exported script imports first
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped at once; each writes its status
sys.stdout.write("ready\n"); sys.stdout.flush()
for line in sys.stdin:
    order = json.loads(line)
    pid = os.fork()
    if pid:
        sys.stdout.write(f"{pid}\n"); sys.stdout.flush()
        continue
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, order["out"]), (2, order["err"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        os.chdir(order["cwd"])
        os.environ.clear()
        os.environ.update(order["env"])
        sys.argv = order["argv"]
        sys.path[0] = os.path.dirname(os.path.abspath(order["argv"][0]))
        sys.modules["tui_dl"] = None
        try:
            runpy.run_path(order["argv"][0], run_name="__main__")
            code = 0
        except SystemExit as exit:
            if exit.code is None or isinstance(exit.code, int):
                code = exit.code or 0
            else:
                print(exit.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
    finally:
        try:
            sys.stdout.flush(); sys.stderr.flush()
            with open(order["status"] + ".tmp", "w") as f:
                f.write(str(code))
            os.replace(order["status"] + ".tmp", order["status"])
        finally:
            os._exit(code)
"""


class Started:
    """A script running in a fork: `communicate()` and `returncode` as `subprocess.Popen`'s.
    The fork is held by a pidfd opened while it is proven the runner's child, so a timeout's
    kill never reaches another process that took its pid."""

    def __init__(self, pid: int, runner: int, folder: Path, argv: list[str]) -> None:
        self.folder, self.args = folder, argv
        self.returncode: int | None = None
        self.pidfd: int | None = None
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            return  # ended already: its status is written
        if _parent(pid) == runner:
            self.pidfd = pidfd
        else:  # ended already, and its pid taken since
            os.close(pidfd)

    def _status(self) -> int | None:
        status = self.folder / "status"
        if status.exists():
            return int(status.read_text())
        if self.pidfd is None or select.select([self.pidfd], [], [], 0)[0]:
            # ended: its status, or none at all if a signal (the OOM killer's) ended it
            return int(status.read_text()) if status.exists() else -signal.SIGKILL
        return None

    def communicate(self, timeout: float) -> tuple[str, str]:
        deadline = time.monotonic() + timeout
        while (code := self._status()) is None:
            if time.monotonic() > deadline:
                assert self.pidfd is not None
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
                raise subprocess.TimeoutExpired(self.args, timeout)
            time.sleep(0.05)
        self.returncode = code
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        return (self.folder / "out").read_text(), (self.folder / "err").read_text()


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


class ScriptRunner:
    """The worker's one TensorFlow-warm process, started at its first script."""

    _one: ScriptRunner | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        env = {**os.environ, "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "2"}
        env.pop("PYTHONPATH", None)  # as `python script.py` from the script's own folder
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=tempfile.gettempdir(),
            env=env,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the script runner did not start")
        atexit.register(self.close)

    @classmethod
    def get(cls) -> ScriptRunner:
        with cls._lock:
            if cls._one is None or cls._one.process.poll() is not None:
                cls._one = ScriptRunner()
            return cls._one

    def start(self, script: Path, *args: str, cwd: Path, env: dict[str, str]) -> Started:
        folder = Path(tempfile.mkdtemp(prefix="script-"))
        argv = [str(script), *args]
        order = {
            "argv": argv,
            "cwd": str(cwd),
            "env": env,
            "out": str(folder / "out"),
            "err": str(folder / "err"),
            "status": str(folder / "status"),
        }
        assert self.process.stdin is not None and self.process.stdout is not None
        with self._lock:
            self.process.stdin.write(json.dumps(order) + "\n")
            self.process.stdin.flush()
            pid = int(self.process.stdout.readline())
        return Started(pid, self.process.pid, folder, argv)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_script(script: Path, *args: str, cwd: Path, env: dict[str, str] | None = None) -> Started:
    """`python script args` in `cwd`, where `import tui_dl` fails, started (not waited for)."""
    return ScriptRunner.get().start(script, *args, cwd=cwd, env=dict(env or os.environ))


def run_script(
    script: Path, *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`python script args` in `cwd`, where `import tui_dl` fails, waited for."""
    started = start_script(script, *args, cwd=cwd, env=env)
    out, err = started.communicate(timeout)
    assert started.returncode is not None
    return subprocess.CompletedProcess(started.args, started.returncode, out, err)
