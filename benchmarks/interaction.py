"""How responsive the app feels in a terminal, idle and while a CNN trains: typing, opening screens.

    .venv/bin/python benchmarks/interaction.py [--mode idle|load|both] [--reps 30]
                                               [--sizes 120x40,80x24] [--no-run]

Like first_frame.py it runs `python -m tui_dl` in a pseudo-terminal (TERM=xterm-256color,
TUI_DL_HOME in a temporary folder) and reads what it paints, escape codes removed; at each
terminal size of --sizes (columns×lines: 120×40, the size issue 25 measured in tmux, and
80×24, the smallest the app is made for), one after the other. Each timing
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
- a palette target: ctrl+p and "course map" typed (untimed, then a pause for the palette's
  search), then enter, timed until the course map's first frame.
- a run view: on the runs screen (r, untimed), "m" opens the confusion matrix of the newest
  run, timed until its first frame ("loading the run's predictions"); the time until its
  predictions are shown (read in a thread) is printed beside it, not held to the target. The
  run is a real `tui_dl run mnist-mlp --epochs 1` trained first in the app's TUI_DL_HOME
  (TUI_DL_DATA as set; `--no-run` leaves the run view out).
- load: the same while `python -m tui_dl run mnist-cnn --epochs 50 --device cpu` trains, two of
  them side by side (`--trainers`; one keeps about one core busy), in their own sessions and
  TUI_DL_HOME, from their first "epoch" lines on; the cores the trainers used are
  printed. Then SIGINT (each cancels its run), and the trainers' process groups and theirs are
  killed.

Median and p95 (nearest rank: under 20 repetitions, the slowest) in ms. Targets: typing p95
≤ 50 ms under load, opening any screen p95 ≤ 50 ms idle and under load (issue 25; it was 100 ms
before). Exits 0 whether or not they are met (a
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

SIZES = "120x40,80x24"
STARTUP_TIMEOUT_S = 60.0
ESCAPE_SETTLE_S = 0.25
TYPING_TARGET_MS, OPENING_TARGET_MS = 50.0, 50.0
HOME_TEXT = b"Past runs"  # a panel title of the home screen
SCREENS = {  # name: (key, a text only that screen shows, at 80×24 and at 120×40)
    "help": (b"?", b"tui-dl help"),
    "runs": (b"r", b"everything trained on this machine"),
    "data": (b"d", b"Datasets are looked for"),
    "lab": (b"l", b"Learning rate"),
}
RUNS_TEXT = SCREENS["runs"][1]
PALETTE_TEXT = b"Search for commands"  # the palette's empty input
PALETTE_QUERY, PALETTE_TEXT_FOUND = b"course map", b"The whole course in order"
COURSE_TEXT = b"from gradient descent to GANs"  # the course map's subtitle
RUN_VIEW_KEY, RUN_VIEW_TEXT = b"m", b"confusion matrix"  # its title, at its first frame
RUN_VIEW_SHOWN = b"Accuracy"  # its predictions read (in a thread) and shown
EPOCH_LINE = re.compile(rb"epoch\s+\d+/\d+")


class App:
    """`python -m tui_dl ARGS` in a pseudo-terminal; `text`: what it painted since the last key."""

    def __init__(self, args: list[str], home: str, timeout: float, size: tuple[int, int]) -> None:
        self.timeout = timeout
        self.text, self._tail = b"", b""
        master, slave = open_pty(*size)
        env = terminal_env(home, *size)
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
        """Read until `pattern` is in the text; the time the completing chunk came, the match.
        The text read so far is looked at first: a chunk may have brought what the wait before
        this one was for and this one's too (a view whose first frame already shows what it
        read), and an app that paints nothing more would never be read again."""
        pattern = re.compile(re.escape(pattern)) if isinstance(pattern, bytes) else pattern
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            if match := pattern.search(self.text):
                return self.arrived, match
            if time.monotonic() >= deadline:
                break
            self._read(0.01)
        seen = self.text[-600:].decode(errors="replace")
        raise RuntimeError(f"{what} did not appear within {timeout:g} s; the last text: {seen!r}")


def field_value(value: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\d.])" + re.escape(value) + rb"(?![\d.])")


def measure_typing(
    home: str, reps: int, gap: float, timeout: float, size: tuple[int, int]
) -> list[float]:
    with App(["--screen", "lab"], home, timeout, size) as app:
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


def measure_screens(
    home: str, reps: int, gap: float, timeout: float, size: tuple[int, int], run_view: bool
) -> dict[str, list[float]]:
    with App([], home, timeout, size) as app:
        app.wait_for(HOME_TEXT, "the home screen", STARTUP_TIMEOUT_S)
        app.settle(1.0)
        times: dict[str, list[float]] = {name: [] for name in SCREENS}
        times["palette: course map"] = []
        if run_view:
            times["run view"], times["run view, shown"] = [], []

        def back(what: str, to: bytes = HOME_TEXT) -> None:
            app.press(b"\x1b")
            app.wait_for(to, f"the screen behind, after escape from {what}")
            # A modal screen (help) repaints the screen behind it too, so its text may come
            # before the escape is taken: wait out Textual's escape delay (ESCDELAY, 0.1 s),
            # or the next key would come with the escape as one key (alt+r).
            app.settle(max(gap, ESCAPE_SETTLE_S))

        for _ in range(reps):
            for name, (key, marker) in SCREENS.items():
                start = app.press(key)
                stop, _ = app.wait_for(marker, f"the {name} screen ({marker.decode()!r})")
                times[name].append(stop - start)
                app.settle(gap)
                back(name)
            app.press(b"\x10")  # ctrl+p
            app.wait_for(PALETTE_TEXT, "the command palette")
            app.press(PALETTE_QUERY)
            app.wait_for(PALETTE_TEXT_FOUND, "the palette's course map entry")
            app.settle(max(gap, 0.3))  # its search is a worker: let it settle on the entry
            start = app.press(b"\r")
            stop, _ = app.wait_for(COURSE_TEXT, "the course map from the palette")
            times["palette: course map"].append(stop - start)
            app.settle(gap)
            back("the course map")
            if run_view:
                app.press(b"r")
                app.wait_for(RUNS_TEXT, "the runs screen")
                app.settle(max(gap, 0.3))  # its rows are read in a thread
                start = app.press(RUN_VIEW_KEY)
                stop, _ = app.wait_for(RUN_VIEW_TEXT, "the confusion matrix")
                times["run view"].append(stop - start)
                shown, _ = app.wait_for(RUN_VIEW_SHOWN, "the confusion matrix's predictions")
                times["run view, shown"].append(shown - start)
                app.settle(gap)
                back("the confusion matrix", RUNS_TEXT)
                back("the runs screen")
        return times


def train_a_run(home: str, timeout: float = 300.0) -> None:
    """A finished mnist-mlp run (one epoch) in `home`, for the run view to open."""
    env = {**os.environ, "TUI_DL_HOME": home}
    command = ["run", "mnist-mlp", "--epochs", "1", "--device", "cpu"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    process = spawn(command, env, stdin=subprocess.DEVNULL, **pipes)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError(f"the run for the run view took over {timeout:g} s") from exc
    if process.returncode != 0:
        tail = err[-400:].decode(errors="replace")
        raise RuntimeError(f"the run for the run view failed ({process.returncode}): {tail}")


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

    def priority(self) -> str:
        """How the training children run against the app: their niceness and, where Linux
        groups a session's CPU time (autogroup), their session's. The engine lowers both
        (`lower_priority`, TUI_DL_NICE) in the child, as for the app's own runs."""
        seen = set()
        for pid in self.trainer_pids():
            with contextlib.suppress(OSError, ValueError, IndexError):
                nice = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
                group = Path(f"/proc/{pid}/autogroup").read_text().split()
                policy = POLICIES.get(os.sched_getscheduler(pid), "another policy")
                seen.add(f"nice {nice}, session {' '.join(group[1:])}, {policy}")
        return "; ".join(sorted(seen)) or "unknown"

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


POLICIES = {
    os.SCHED_OTHER: "the normal policy",
    os.SCHED_BATCH: "SCHED_BATCH",
    os.SCHED_IDLE: "SCHED_IDLE",
}


def p95(samples: list[float]) -> float:
    return sorted(samples)[math.ceil(0.95 * len(samples)) - 1]


def verdict(value_ms: float, target_ms: float) -> str:
    return f"{'meets' if value_ms <= target_ms else 'misses'} ≤ {target_ms:g} ms"


def measure(
    condition: str, size: tuple[int, int], args: argparse.Namespace, home: str
) -> dict[str, list[float]]:
    gap, rows = args.gap_ms / 1000, {}
    with contextlib.ExitStack() as stack:
        if condition == "load":
            load = stack.enter_context(Load(args.epochs, args.trainers))
            print("load: waiting for the training run's first epoch…", flush=True)
            load.wait_training()
            cpu_start, wall_start = load.cpu_seconds(), time.monotonic()
        where = f"{condition} {size[0]}×{size[1]}"
        print(f"{where}: typing…", flush=True)
        rows["typing"] = measure_typing(home, args.reps, gap, args.timeout, size)
        print(f"{where}: opening screens…", flush=True)
        screens = measure_screens(home, args.reps, gap, args.timeout, size, not args.no_run)
        rows.update({f"open {name}": times for name, times in screens.items()})
        rows["open (all screens)"] = [
            t for name, times in screens.items() if name != "run view, shown" for t in times
        ]
        if condition == "load":
            cores = (load.cpu_seconds() - cpu_start) / (time.monotonic() - wall_start)
            alive = "still training" if load.trainer_pids() else "it ENDED before measuring did"
            print(f"load: the runs used {cores:.2f} cores while measuring; {alive}")
            print(f"load: the runs' priority: {load.priority()}")
    return rows


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        columns, _, lines = part.strip().partition("x")
        sizes.append((int(columns), int(lines)))
    return sizes


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
    parser.add_argument(
        "--sizes", type=parse_sizes, default=SIZES, help=f"terminal sizes (default {SIZES})"
    )
    parser.add_argument("--no-run", action="store_true", help="leave out the run view")
    parser.add_argument(
        "--samples", action="store_true", help="print every timing too, slowest last (the tail)"
    )
    args = parser.parse_args()
    conditions = ["idle", "load"] if args.mode == "both" else [args.mode]

    results: dict[tuple[str, str], dict[str, list[float]]] = {}
    failure = None
    with tempfile.TemporaryDirectory(prefix="tui-dl-interaction-") as home:
        try:
            if not args.no_run:
                print("training a run for the run view to open…", flush=True)
                train_a_run(home)
            for condition in conditions:
                for size in args.sizes:
                    where = f"{size[0]}x{size[1]}"
                    results[condition, where] = measure(condition, size, args, home)
        except RuntimeError as exc:
            failure = f"could not measure: {exc}"

    if results:
        print(
            f"\n{'measurement':<26} {'condition':<9} {'size':<7} {'median ms':>9} "
            f"{'p95 ms':>8} {'n':>4}"
        )
    for (condition, where), rows in results.items():
        for name, times in rows.items():
            ms = [t * 1000 for t in times]
            print(
                f"{name:<26} {condition:<9} {where:<7} {statistics.median(ms):>9.1f} "
                f"{p95(ms):>8.1f} {len(ms):>4}"
            )
            if args.samples:
                print("    " + " ".join(f"{m:.0f}" for m in sorted(ms)))
    for (condition, where), rows in results.items():
        typing, opening = p95(rows["typing"]) * 1000, p95(rows["open (all screens)"]) * 1000
        target = "" if condition == "load" else " (the target is for load)"
        print(
            f"{condition} {where}: typing p95 {typing:.1f} ms, "
            f"{verdict(typing, TYPING_TARGET_MS)}{target}; opening a screen p95 "
            f"{opening:.1f} ms, {verdict(opening, OPENING_TARGET_MS)}"
        )
    if failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
