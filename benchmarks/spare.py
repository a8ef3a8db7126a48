"""The wait for TensorFlow, with and without the spare (tui_dl.engine.spare), in the real app.

    .venv/bin/python benchmarks/spare.py [--repeats 3] [--columns 120 --lines 40]

Everything runs in a temporary TUI_DL_HOME on the offline MNIST sample, in a pseudo-terminal
(TERM=xterm-256color), the app being `python -m tui_dl` as a learner starts it:

- first epoch: the lab of mnist-mlp, the Epochs field set to 2, ctrl+r; the clock runs from
  just before ctrl+r is written to the moment the new run's events.jsonl holds its first
  `epoch_end` (polled every 5 ms). `spare`: the app as it is, ctrl+r pressed once its spare
  says it is waiting (a learner reads the lab's settings first); `cold`: the same app with
  TUI_DL_SPARE=0 after the same wait, each run starting TensorFlow itself.
- attention maps: the lab attached to a finished mnist-cnn run (trained once, up front, by
  `tui-dl run`), `a` opens "Where it looked"; the clock stops when the screen paints the maps
  (its "brighter mattered more" line). The maps are deleted before each opening, so each is
  computed.

Cold and spare alternate within each repeat (cold first in odd repeats). Prints every timing,
the medians, their ratio, the spare's resident memory while it waits (VmRSS), and the targets
(first epoch ≤ 1.5 s, maps ≤ 3 s, with the spare). A measurement, not a test: exits 0 either
way, 1 when something could not be measured. Other processes on the machine slow everything:
`others` is how many cores' worth of CPU the rest of the machine used meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terminal import ANSI, open_pty, spawn, terminal_env

FIRST_EPOCH_TARGET_S, MAPS_TARGET_S = 1.5, 3.0
LAB_TEXT = b"Learning rate"
MAPS_TEXT = re.compile(rb"brighter\s+mattered\s+more")
SPARE_READY = "waiting for a run"


class App:
    """`python -m tui_dl ARGS` in a pseudo-terminal; `text`: what it painted (escapes removed)."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.text = b""
        master, slave = open_pty(*size)
        self.master = master
        try:
            self.process = spawn(args, env, stdin=slave, stdout=slave, stderr=slave)
        finally:
            os.close(slave)

    def read(self, wait: float) -> None:
        if select.select([self.master], [], [], wait)[0]:
            with contextlib.suppress(OSError):
                self.text += ANSI.sub(b"", os.read(self.master, 65536))

    def wait_for(self, pattern: bytes | re.Pattern[bytes], timeout: float, what: str) -> float:
        pattern = re.compile(re.escape(pattern)) if isinstance(pattern, bytes) else pattern
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.005)
            if pattern.search(self.text):
                return time.perf_counter()
        raise RuntimeError(f"{what} did not appear within {timeout:g} s")

    def idle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read(0.01)

    def write(self, key: bytes) -> float:
        self.idle(0)
        self.text = b""
        start = time.perf_counter()
        os.write(self.master, key)
        return start

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.master, b"q")
        deadline = time.monotonic() + 5
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.02)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


def cpu_seconds() -> float:
    """CPU time the whole machine has used (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(v) for i, v in enumerate(fields) if i not in (3, 4))  # not idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


def spare_pids(home: Path) -> list[int]:
    """The spares of this home: their command line names a log in home/spares."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
                if b"tui_dl.engine.spare.child" in cmdline and any(
                    str(home / "spares").encode() in arg for arg in cmdline
                ):
                    found.append(int(entry.name))
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_spare(home: Path, timeout: float = 180.0) -> float:
    """Wait until the app's spare is warm; its resident memory then, in MB."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for log in (home / "spares").glob("*.log"):
            if SPARE_READY in log.read_text(errors="replace"):
                pids = spare_pids(home)
                return rss_mb(pids[0]) if pids else float("nan")
        time.sleep(0.1)
    raise RuntimeError("the spare did not get ready")


def new_run(runs: Path, before: set[str], timeout: float = 10.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        made = {p.name for p in runs.iterdir()} - before if runs.exists() else set()
        if made:
            return runs / sorted(made)[0]
        time.sleep(0.002)
    raise RuntimeError("ctrl+r made no run folder")


def first_epoch_at(run: Path, timeout: float = 180.0) -> float:
    events = run / "events.jsonl"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if b'"event": "epoch_end"' in events.read_bytes() or b'"event":"epoch_end"' in (
                events.read_bytes()
            ):
                return time.perf_counter()
        time.sleep(0.005)
    raise RuntimeError(f"{run.name} showed no epoch")


def ended(run: Path, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            for line in (run / "events.jsonl").read_text().splitlines():
                if json.loads(line).get("event") in ("finished", "failed", "cancelled"):
                    return
        time.sleep(0.1)


def env_for(home: Path, mode: str, size: tuple[int, int]) -> dict[str, str]:
    env = terminal_env(str(home), *size)
    env.pop("TUI_DL_SPARE", None)
    if mode == "cold":
        env["TUI_DL_SPARE"] = "0"
    return env


def ready(app: App, home: Path, mode: str) -> float:
    """Wait as a learner would before pressing a key: for the spare, or 3 s."""
    if mode == "spare":
        return wait_spare(home)
    app.idle(3.0)
    return float("nan")


def one_first_epoch(home: Path, mode: str, size: tuple[int, int]) -> tuple[float, float]:
    runs = home / "runs"
    app = App(["--screen", "lab"], env_for(home, mode, size), size)
    try:
        app.wait_for(LAB_TEXT, 60, "the lab")
        memory = ready(app, home, mode)
        app.write(b"\x15")  # ctrl+u: the Epochs field (it has the focus) emptied
        app.idle(0.3)
        app.write(b"2")
        app.idle(0.5)  # (a partial repaint: the field's text alone; the spec is checked below)
        before = {p.name for p in runs.iterdir()} if runs.exists() else set()
        start = app.write(b"\x12")  # ctrl+r
        run = new_run(runs, before)
        took = first_epoch_at(run) - start
        ended(run)
        spec = json.loads((run / "spec.json").read_text())
        if spec["params"]["epochs"] != 2:
            raise RuntimeError(f"the run had {spec['params']['epochs']} epochs, not 2")
        return took, memory
    finally:
        app.close()


def one_maps(home: Path, mode: str, size: tuple[int, int], run_id: str) -> float:
    folder = home / "runs" / run_id
    for old in folder.glob("attention*.npz"):
        old.unlink()
    shutil.rmtree(folder / "jobs", ignore_errors=True)
    app = App(["--screen", "lab", "--run", run_id], env_for(home, mode, size), size)
    try:
        app.wait_for(LAB_TEXT, 60, "the lab")
        ready(app, home, mode)
        start = app.write(b"a")
        return app.wait_for(MAPS_TEXT, 180, "the attention maps") - start
    finally:
        app.close()


def train_cnn(home: Path) -> str:
    env = {**os.environ, "TUI_DL_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "tui_dl", "run", "mnist-cnn", "--epochs", "1", "--train-limit",
         "2000"],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return sorted(p.name for p in (home / "runs").iterdir() if "mnist-cnn" in p.name)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--columns", type=int, default=120)
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    size = (args.columns, args.lines)
    home = Path(tempfile.mkdtemp(prefix="tui-dl-spare-bench-"))
    times: dict[tuple[str, str], list[float]] = {}
    memory: list[float] = []
    try:
        print("training an mnist-cnn run for the attention maps…", flush=True)
        cnn = train_cnn(home)
        for rep in range(1, args.repeats + 1):
            order = ("cold", "spare") if rep % 2 else ("spare", "cold")
            for kind in ("first epoch", "attention maps"):
                for mode in order:
                    cpu, wall = cpu_seconds(), time.monotonic()
                    if kind == "first epoch":
                        took, rss = one_first_epoch(home, mode, size)
                        if mode == "spare":
                            memory.append(rss)
                    else:
                        took = one_maps(home, mode, size, cnn)
                    others = (cpu_seconds() - cpu) / (time.monotonic() - wall)
                    times.setdefault((kind, mode), []).append(took)
                    print(f"rep {rep} {kind:14} {mode:5} {took:6.2f} s   machine busy "
                          f"{others:.1f} cores over the whole try", flush=True)  # fmt: skip
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        print(f"could not measure: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print()
    for kind, target in (("first epoch", FIRST_EPOCH_TARGET_S), ("attention maps", MAPS_TARGET_S)):
        cold = statistics.median(times[(kind, "cold")])
        warm = statistics.median(times[(kind, "spare")])
        verdict = "met" if warm <= target else "NOT met"
        print(
            f"{kind:14}: cold {cold:.2f} s, spare {warm:.2f} s (median of {args.repeats}); "
            f"cold ÷ spare {cold / warm:.1f}×; with the spare ≤ {target:g} s: {verdict}"
        )
    print(f"the spare's resident memory while it waits: {statistics.median(memory):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
