"""Training throughput of the lab's engine against a plain Keras script on the same model.

Each repeat runs the plain baseline (`plain_fit.py`) and an engine run (`launch_run`, i.e.
`python -m tui_dl.engine.child` with the EventReporter callback) as separate child processes,
alternating which goes first, with the same device environment (CPU). Only time inside
`model.fit` counts, and the first epoch (tracing, warm-up) is left out of both:

* span: wall time from the end of epoch 1 to the end of epoch N (everything the training loop
  and its callbacks cost, between-epoch work included) — the headline figure;
* epochs: the sum of per-epoch durations (epoch begin → epoch end) for epochs 2..N;
* best: the fastest single epoch among 2..N (least disturbed by other processes).

Throughput is samples/s (training samples per second of those epochs, validation included in
the time); the ratio is engine ÷ plain, target ≥ 0.97. `others` is how many cores' worth of CPU
the rest of the machine used while a child ran: above ~0.1 the pair's figures are noise.

    .venv/bin/python benchmarks/engine_vs_keras.py [--epochs 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PLAIN_SCRIPT = Path(__file__).with_name("plain_fit.py")
TARGET = 0.97
MEASURES = ("span", "epochs", "best")


@dataclass
class Timing:
    """One child's training time, reduced to what the comparison needs."""

    kind: str
    n_train: int
    fit_s: float
    durations: list[float]
    """Per epoch, epoch begin → epoch end (validation included)."""
    ends: list[float]
    """Wall-clock time (time.time) at each epoch's end."""
    others_cpu: float = 0.0
    """Cores' worth of CPU that other processes used while this child ran."""

    def seconds(self, measure: str) -> tuple[float, int]:
        """Time of epochs 2..N by one measure, and how many epochs it covers."""
        if measure == "span":
            return self.ends[-1] - self.ends[0], len(self.ends) - 1
        if measure == "epochs":
            return sum(self.durations[1:]), len(self.durations) - 1
        return min(self.durations[1:]), 1

    def rate(self, measure: str) -> float:
        seconds, epochs = self.seconds(measure)
        return self.n_train * epochs / seconds


def child_env() -> dict[str, str]:
    """The engine's own environment for a CPU run, used for both children."""
    from tui_dl.engine.devices import device_env

    return {**os.environ, **device_env("cpu"), "PYTHONUNBUFFERED": "1"}


def busy_jiffies() -> int:
    """CPU time all processes spent busy, from /proc/stat (clock ticks)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return user + nice + system + irq + softirq + steal


def measured(run: Callable[[], Timing]) -> Timing:
    """Run one child; note how busy the rest of the machine was meanwhile."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, start = busy_jiffies(), time.monotonic()
    timing = run()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
    timing.others_cpu = max(0.0, (busy_jiffies() - busy) / ticks - child_cpu) / wall
    return timing


def run_plain(args: argparse.Namespace, log: Path) -> Timing:
    command = [sys.executable, str(PLAIN_SCRIPT), "--epochs", str(args.epochs)]
    command += ["--batch-size", str(args.batch_size), "--train-limit", str(args.train_limit)]
    with log.open("ab") as stderr:
        out = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=stderr, env=child_env(), check=True
        ).stdout
    result = json.loads(out.decode().strip().splitlines()[-1])
    return Timing(
        "plain", result["n_train"], result["fit_s"], result["epoch_durations"], result["epoch_ends"]
    )


def run_engine(args: argparse.Namespace, store) -> Timing:
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.launcher import launch_run

    params = {"epochs": args.epochs, "batch_size": args.batch_size}
    params["train_limit"] = args.train_limit
    os.environ.update(child_env())  # launch_run hands os.environ (+ the same) to the child
    handle = launch_run("mnist-mlp", params, device="cpu", store=store)
    handle.wait()
    by_kind: dict[str, list[dict]] = {}
    for event in EventLog(handle.run_dir).read_all():
        by_kind.setdefault(event["event"], []).append(event)
    if "finished" not in by_kind:
        failed = by_kind.get("failed", [{}])[-1]
        sys.exit(f"engine run failed: {failed.get('message', 'no terminal event')}")
    epochs = by_kind["epoch_end"]
    return Timing(
        "engine",
        by_kind["started"][0]["n_train"],
        by_kind["finished"][0]["train_s"],
        [e["duration_s"] for e in epochs],
        [e["t"] for e in epochs],
    )


def print_run(rep: int, t: Timing) -> None:
    rates = " ".join(f"{t.rate(m):>12.0f}" for m in MEASURES)
    print(
        f"{rep:>3} {t.kind:<6} {t.fit_s:>6.2f} {t.seconds('span')[0]:>7.3f} {rates} "
        f"{t.others_cpu:>7.2f}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--train-limit", type=int, default=0, help="0 = all training images")
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error("--epochs must be at least 2 (the first epoch is left out)")

    pairs: list[tuple[Timing, Timing]] = []
    with tempfile.TemporaryDirectory(prefix="tui-dl-bench-") as home:
        os.environ["TUI_DL_HOME"] = home  # keep benchmark runs out of the user's run list
        from tui_dl.engine.store import RunStore

        store = RunStore(Path(home) / "runs")
        log = Path(home) / "plain-log.txt"
        heads = " ".join(f"{m + ' smp/s':>12}" for m in MEASURES)
        print(f"{'rep':>3} {'kind':<6} {'fit_s':>6} {'span_s':>7} {heads} {'others':>7}")
        for rep in range(1, args.repeats + 1):
            order = ("plain", "engine") if rep % 2 else ("engine", "plain")
            got: dict[str, Timing] = {}
            for kind in order:
                if kind == "plain":
                    got[kind] = measured(lambda: run_plain(args, log))
                else:
                    got[kind] = measured(lambda: run_engine(args, store))
                print_run(rep, got[kind])
            pairs.append((got["plain"], got["engine"]))

    ratios = {m: [e.rate(m) / p.rate(m) for p, e in pairs] for m in MEASURES}
    print(f"\n{'rep':>3} " + " ".join(f"{'ratio ' + m:>12}" for m in MEASURES))
    for i in range(len(pairs)):
        print(f"{i + 1:>3} " + " ".join(f"{ratios[m][i]:>12.3f}" for m in MEASURES))
    medians = {m: statistics.median(r) for m, r in ratios.items()}
    print("medians: " + ", ".join(f"{m} {v:.3f}" for m, v in medians.items()))
    noisy = sum(max(p.others_cpu, e.others_cpu) > 0.1 for p, e in pairs)
    if noisy:
        print(f"note: {noisy} of {len(pairs)} pairs ran while other processes used > 0.1 core")
    ratio = medians["span"]
    verdict = "meets" if ratio >= TARGET else "below"
    summary = f"median of {len(pairs)}; {verdict} the {TARGET} target"
    print(f"ratio engine/plain: {ratio:.2f} ({summary})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
