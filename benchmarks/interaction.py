"""How responsive the app feels in a terminal, idle and while a CNN trains: typing, opening screens.

    .venv/bin/python benchmarks/interaction.py [--mode idle|load|both] [--reps 30]

Like first_frame.py it runs `python -m tui_dl` in a pseudo-terminal (80×24, TERM=xterm-256color,
TUI_DL_HOME in a temporary folder) and reads what it paints, escape codes removed. Each timing
starts just before a key is written (what the app wrote until then is read and dropped first)
and stops when the chunk that completes the expected text has been read:

- typing: on the lab (`--screen lab`; the Epochs field has focus) write a digit; stop when the
  field's new value (old value + digit, e.g. "107", no digit either side) is painted. Not "the
  first output after the key": the field's blinking cursor repaints it twice a second, and such
  a chunk may come before the key is handled. Backspace restores the value (waited for,
  untimed), then a pause of --gap-ms.
- opening a screen: on the home screen write "?", "r", "d" or "l"; stop when a text only that
  screen shows is painted, i.e. at its first frame (repaints after it are not counted). Then
  escape, and wait (untimed) for the home screen; Textual's wait to tell a lone escape from an
  escape sequence falls in that untimed part.
- load: the same while `python -m tui_dl run mnist-cnn --epochs 50 --device cpu` trains, two of
  them side by side (`--trainers`; one keeps about one core busy), in their own sessions and
  TUI_DL_HOME, from their first "epoch" lines on; the cores the trainers used are
  printed. Then SIGINT (each cancels its run), and the trainers' process groups and theirs are
  killed.

Median and p95 (nearest rank: under 20 repetitions, the slowest) in ms. Targets: typing p95
≤ 50 ms under load, opening any screen p95 ≤ 100 ms. Exits 0 whether or not they are met (a
measurement, not a test); 1 only when something could not be measured.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terminal import ANSI, COMPLETE_ESCAPE, open_pty, spawn, terminal_env

COLUMNS, LINES = 80, 24
STARTUP_TIMEOUT_S = 60.0
TYPING_TARGET_MS, OPENING_TARGET_MS = 50.0, 100.0
HOME_TEXT = b"Past runs"  # a panel title of the home screen
SCREENS = {  # name: (key, a text only that screen shows at 80×24)
    "help": (b"?", b"tui-dl help"),
    "runs": (b"r", b"everything trained on this machine"),
    "data": (b"d", b"Datasets are looked for"),
    "lab": (b"l", b"Learning rate"),
}
EPOCH_LINE = re.compile(rb"epoch\s+\d+/\d+")


class App:
    """`python -m tui_dl ARGS` in a pseudo-terminal; `text`: what it painted since the last key."""

    def __init__(self, args: list[str], home: str, timeout: float) -> None:
        self.timeout = timeout
        self.text, self._tail = b"", b""
        master, slave = open_pty(COLUMNS, LINES)
        env = terminal_env(home, COLUMNS, LINES)
        self.master, self.arrived = master, 0.0
        try:
            self.process = spawn(args, env, stdin=slave, stdout=slave, stderr=slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.02, strict=False)  # keep the pty drained so it can restore the terminal
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)

    def _read(self, wait: float, strict: bool = True) -> bool:
        """Read one chunk if one comes within `wait` s and add its text; False when none came."""
        if not select.select([self.master], [], [], wait)[0]:
            return False
        try:
            chunk = os.read(self.master, 65536)
            self.arrived = time.perf_counter()
        except OSError:  # EIO: the app closed the terminal
            chunk = b""
        if not chunk:
            if strict:
                raise RuntimeError(f"the app exited (code {self.process.poll()}) mid-measurement")
            return False
        # Strip escapes chunk by chunk (not the whole buffer every time, which would delay the
        # reads in the timed part); an escape cut off at the chunk's end waits for the next.
        data = self._tail + chunk
        cut = data.rfind(b"\x1b")
        if cut != -1 and not COMPLETE_ESCAPE.match(data, cut):
            data, self._tail = data[:cut], data[cut:]
        else:
            self._tail = b""
        self.text += ANSI.sub(b"", data)
        return True

    def settle(self, seconds: float) -> None:
        """Keep reading (and dropping) what the app paints for `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read(max(0.0, min(0.01, deadline - time.monotonic())))
        self.text = b""

    def press(self, key: bytes) -> float:
        """Drop what the app painted so far, write `key`; the time just before the write."""
        while self._read(0):
            pass
        self.text = b""
        start = time.perf_counter()
        os.write(self.master, key)
        return start

    def wait_for(
        self, pattern: bytes | re.Pattern[bytes], what: str, timeout: float | None = None
    ) -> tuple[float, re.Match[bytes]]:
        """Read until `pattern` is in the text; the time the completing chunk came, the match."""
        pattern = re.compile(re.escape(pattern)) if isinstance(pattern, bytes) else pattern
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._read(0.01) and (match := pattern.search(self.text)):
                return self.arrived, match
        raise RuntimeError(f"{what} did not appear within {timeout:g} s")


def field_value(value: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\d.])" + re.escape(value) + rb"(?![\d.])")


def measure_typing(home: str, reps: int, gap: float, timeout: float) -> list[float]:
    with App(["--screen", "lab"], home, timeout) as app:
        _, match = app.wait_for(
            re.compile(rb"Epochs\s+(\d+)"), "the lab's Epochs field", STARTUP_TIMEOUT_S
        )
        value = match.group(1)
        app.settle(1.0)
        times = []
        for rep in range(reps):
            typed = value + str(1 + rep % 9).encode()
            start = app.press(typed[-1:])
            stop, _ = app.wait_for(field_value(typed), f"the Epochs field showing {typed.decode()}")
            times.append(stop - start)
            app.press(b"\x7f")  # backspace
            app.wait_for(field_value(value), f"the Epochs field back to {value.decode()}")
            app.settle(gap)
        return times


def measure_screens(home: str, reps: int, gap: float, timeout: float) -> dict[str, list[float]]:
    with App([], home, timeout) as app:
        app.wait_for(HOME_TEXT, "the home screen", STARTUP_TIMEOUT_S)
        app.settle(1.0)
        times: dict[str, list[float]] = {name: [] for name in SCREENS}
        for _ in range(reps):
            for name, (key, marker) in SCREENS.items():
                start = app.press(key)
                stop, _ = app.wait_for(marker, f"the {name} screen ({marker.decode()!r})")
                times[name].append(stop - start)
                app.settle(gap)
                app.press(b"\x1b")
                app.wait_for(HOME_TEXT, f"the home screen after escape from {name}")
                app.settle(gap)
        return times


class Load:
    """`tui_dl run mnist-cnn`, `trainers` of them side by side (one CNN on the offline sample
    keeps about one core busy; two keep both of this machine's), in their own sessions and
    TUI_DL_HOME, their output in files."""

    def __init__(self, epochs: int, trainers: int) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="tui-dl-load-")
        self.home = Path(self._folder.name)
        env = {**os.environ, "TUI_DL_HOME": str(self.home)}
        command = ["run", "mnist-cnn", "--epochs", str(epochs), "--device", "cpu"]
        self.processes = []
        self.numbers = range(trainers)
        for n in self.numbers:
            out = (self.home / f"stdout-{n}.txt").open("wb")
            err = (self.home / f"stderr-{n}.txt").open("wb")
            with out, err:
                self.processes.append(
                    spawn(command, env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
                )

    def __enter__(self) -> Load:
        return self

    def wait_training(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = [
                (self.home / f"stderr-{n}.txt").read_bytes() for n in range(len(self.processes))
            ]
            if all(EPOCH_LINE.search(log) for log in logs):
                return
            for process, log in zip(self.processes, logs, strict=True):
                if process.poll() is not None:
                    tail = log[-400:].decode(errors="replace")
                    raise RuntimeError(f"a load run exited ({process.returncode}): {tail}")
            time.sleep(0.2)
        raise RuntimeError(f"the load run printed no 'epoch' line within {timeout:g} s")

    def trainer_pids(self) -> list[int]:
        """The run's child (the engine starts it in its own session), if still alive."""
        pids = []
        for pid_file in self.home.glob("runs/*/pid"):
            with contextlib.suppress(OSError, ValueError):
                pid = int(pid_file.read_text())
                if b"tui_dl" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    pids.append(pid)
        return pids

    def cpu_seconds(self) -> float:
        total = 0.0
        for pid in self.trainer_pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGINT)  # `tui_dl run` cancels its run on ^C
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(8)
        for pid in self.trainer_pids():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        self._folder.cleanup()


def p95(samples: list[float]) -> float:
    return sorted(samples)[math.ceil(0.95 * len(samples)) - 1]


def verdict(value_ms: float, target_ms: float) -> str:
    return f"{'meets' if value_ms <= target_ms else 'misses'} ≤ {target_ms:g} ms"


def measure(condition: str, args: argparse.Namespace) -> dict[str, list[float]]:
    gap, rows = args.gap_ms / 1000, {}
    with contextlib.ExitStack() as stack:
        home = stack.enter_context(tempfile.TemporaryDirectory(prefix="tui-dl-interaction-"))
        if condition == "load":
            load = stack.enter_context(Load(args.epochs, args.trainers))
            print("load: waiting for the training run's first epoch…", flush=True)
            load.wait_training()
            cpu_start, wall_start = load.cpu_seconds(), time.monotonic()
        print(f"{condition}: typing…", flush=True)
        rows["typing"] = measure_typing(home, args.reps, gap, args.timeout)
        print(f"{condition}: opening screens…", flush=True)
        screens = measure_screens(home, args.reps, gap, args.timeout)
        rows.update({f"open {name}": times for name, times in screens.items()})
        rows["open (all screens)"] = [t for times in screens.values() for t in times]
        if condition == "load":
            cores = (load.cpu_seconds() - cpu_start) / (time.monotonic() - wall_start)
            alive = "still training" if load.trainer_pids() else "it ENDED before measuring did"
            print(f"load: the runs used {cores:.2f} cores while measuring; {alive}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["idle", "load", "both"], default="both")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--gap-ms", type=float, default=75.0, help="pause between keys")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds for each repaint")
    parser.add_argument("--epochs", type=int, default=50, help="epochs of each load run")
    parser.add_argument(
        "--trainers", type=int, default=2, help="CNN runs side by side for the load"
    )
    args = parser.parse_args()
    conditions = ["idle", "load"] if args.mode == "both" else [args.mode]

    results: dict[str, dict[str, list[float]]] = {}
    failure = None
    for condition in conditions:
        try:
            results[condition] = measure(condition, args)
        except RuntimeError as exc:
            failure = f"{condition}: could not measure: {exc}"
            break

    if results:
        print(f"\n{'measurement':<20} {'condition':<9} {'median ms':>9} {'p95 ms':>8} {'n':>4}")
    for condition, rows in results.items():
        for name, times in rows.items():
            ms = [t * 1000 for t in times]
            print(
                f"{name:<20} {condition:<9} {statistics.median(ms):>9.1f} {p95(ms):>8.1f} "
                f"{len(ms):>4}"
            )
    for condition, rows in results.items():
        typing, opening = p95(rows["typing"]) * 1000, p95(rows["open (all screens)"]) * 1000
        target = "" if condition == "load" else " (the target is for load)"
        print(
            f"{condition}: typing p95 {typing:.1f} ms, {verdict(typing, TYPING_TARGET_MS)}"
            f"{target}; opening a screen p95 {opening:.1f} ms, "
            f"{verdict(opening, OPENING_TARGET_MS)}"
        )
    if failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
