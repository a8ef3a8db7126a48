"""Every experiment's training speed in the app's engine against a plain script of the same model.

For each experiment, each repeat runs the plain baseline and an engine run (`launch_run`, i.e.
`python -m tui_dl.engine.jobs.child` with its callbacks and events) as separate child processes,
alternating which goes first, with the same device environment (CPU) and the same data. Warm-up
(tracing) is left out of both sides. What is compared:

* mnist-mlp, mnist-mlp-dropout, mnist-cnn — seconds per epoch, epochs 2..N: the engine's
  `epoch_end.duration_s` (epoch begin → epoch end, validation included) against a plain
  `model.fit` (`plain_fit.py`) of exactly the engine's model, timed by a callback at the same two
  hooks. Also shown: `span` (end of epoch 1 → end of epoch N, ÷ N−1: between-epoch work too)
  and `best` (the fastest single epoch, least disturbed by other processes);
* votes-kfold — seconds per fold, folds 2..k: the engine's `fold_end.duration_s` against the
  k-fold loop a learner writes (`plain_kfold.py`: a fresh Keras model per fold, `fit(numpy)`),
  same folds, epochs and batch size;
* tf-lowlevel (raw TensorFlow, no Keras) — steps per second after the first plotted point: the
  engine's `epoch_end` event times against the same loop in `plain_lowlevel.py`, built from the
  trainer's own `RawNetwork`/`make_step`;
* imdb-lstm — seconds per epoch, as for the image experiments, against the course's script
  (`plain_imdb.py`). Both read the same IMDB files; without real ones (`TUI_DL_DATA`, offline),
  a synthetic corpus of the real shapes (`synthetic_imdb.py`, 2,000 test reviews) stands in.

The ratio is engine time ÷ plain time per unit (1.00 = the same; below 1 the app is faster;
the inverse of a throughput ratio), median over repeats of the per-pair ratios. `others` is how
many cores' worth of CPU the rest of the machine used while a child ran: above ~0.1 the pair's
figures are noisy.

    TUI_DL_DATA=/work/shared/datasets .venv/bin/python benchmarks/engine_vs_keras.py \
        [--experiments all] [--repeats 3] [--epochs E] [--train-limit N] [--batch-size B] \
        [--kfold-epochs 100] [--k 5] [--steps 2000]
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
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
IMAGE_EXPERIMENTS = ("mnist-mlp", "mnist-mlp-dropout", "mnist-cnn")
ALL = (*IMAGE_EXPERIMENTS, "votes-kfold", "tf-lowlevel", "imdb-lstm")
IMAGE_DEFAULTS = {
    "mnist-mlp": {"epochs": 5, "train_limit": 0},
    "mnist-mlp-dropout": {"epochs": 5, "train_limit": 0},
    "mnist-cnn": {"epochs": 3, "train_limit": 2000},
}
UNITS = {"votes-kfold": "fold", "tf-lowlevel": "step"}


@dataclass
class Timing:
    """One child's training time, reduced to what the comparison needs."""

    kind: str
    unit: str
    """epoch, fold or step."""
    n_train: int
    fit_s: float
    durations: list[float]
    """Per epoch or fold (empty for steps)."""
    ends: list[float]
    """Wall-clock time (time.time) at each epoch's or fold's end, or each plotted step."""
    marks: list[int] = field(default_factory=list)
    """For steps: the step number at each of `ends`."""
    others_cpu: float = 0.0
    """Cores' worth of CPU that other processes used while this child ran."""

    def per_unit(self) -> float:
        """Seconds per epoch (2..N), per fold (2..k) or per step (after the first point)."""
        if self.unit == "step":
            return (self.ends[-1] - self.ends[0]) / (self.marks[-1] - self.marks[0])
        return statistics.mean(self.durations[1:])

    def span(self) -> float:
        """End of the first unit to end of the last, per unit (between-unit work included)."""
        if self.unit == "step":
            return self.per_unit()
        return (self.ends[-1] - self.ends[0]) / (len(self.ends) - 1)

    def best(self) -> float:
        if self.unit == "step":
            gaps = zip(self.ends, self.ends[1:], self.marks, self.marks[1:], strict=False)
            return min((t1 - t0) / (m1 - m0) for t0, t1, m0, m1 in gaps)
        return min(self.durations[1:])


def child_env() -> dict[str, str]:
    """The engine's own environment for a CPU run, used for both children."""
    from tui_dl.engine.devices import device_env

    return {**os.environ, **device_env("cpu"), "PYTHONUNBUFFERED": "1"}


def busy_jiffies() -> int:
    """CPU time all processes spent busy, from /proc/stat (clock ticks)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return user + nice + system + irq + softirq + steal


def measured(run: Callable[..., Timing], *args) -> Timing:
    """Run one child; note how busy the rest of the machine was meanwhile."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, start = busy_jiffies(), time.monotonic()
    timing = run(*args)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
    timing.others_cpu = max(0.0, (busy_jiffies() - busy) / ticks - child_cpu) / wall
    return timing


def settings(experiment: str, args: argparse.Namespace) -> dict[str, int]:
    """The engine's params for this benchmark (the plain side gets the same)."""
    if experiment == "votes-kfold":
        return {"epochs": args.kfold_epochs, "k": args.k}
    if experiment == "tf-lowlevel":
        return {"steps": args.steps}
    if experiment == "imdb-lstm":
        return {"epochs": args.epochs or 3, "train_limit": args.imdb_train_limit}
    p = dict(IMAGE_DEFAULTS[experiment])
    if args.epochs:
        p["epochs"] = args.epochs
    if args.train_limit is not None:
        p["train_limit"] = args.train_limit
    if args.batch_size:
        p["batch_size"] = args.batch_size
    return p


def run_plain(experiment: str, p: dict[str, int], log: Path) -> Timing:
    if experiment == "votes-kfold":
        command = [str(HERE / "plain_kfold.py"), "--epochs", str(p["epochs"]), "--k", str(p["k"])]
    elif experiment == "tf-lowlevel":
        command = [str(HERE / "plain_lowlevel.py"), "--steps", str(p["steps"])]
    elif experiment == "imdb-lstm":
        command = [str(HERE / "plain_imdb.py"), "--epochs", str(p["epochs"])]
        command += ["--train-limit", str(p["train_limit"])]
    else:
        command = [str(HERE / "plain_fit.py"), "--experiment", experiment]
        command += ["--epochs", str(p["epochs"]), "--train-limit", str(p["train_limit"])]
        command += ["--batch-size", str(p.get("batch_size", 0))]
    with log.open("ab") as stderr:
        out = subprocess.run(
            [sys.executable, *command],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=child_env(),
            check=True,
        ).stdout
    result = json.loads(out.decode().strip().splitlines()[-1])
    unit = UNITS.get(experiment, "epoch")
    n, fit_s = result["n_train"], result["fit_s"]
    if unit == "step":
        return Timing("plain", unit, n, fit_s, [], result["step_ends"], result["steps"])
    return Timing("plain", unit, n, fit_s, result["epoch_durations"], result["epoch_ends"])


def run_engine(experiment: str, p: dict[str, int], store) -> Timing:
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.launch import launch_run

    os.environ.update(child_env())  # launch_run hands os.environ (+ the same) to the child
    handle = launch_run(experiment, p, device="cpu", store=store)
    handle.wait()
    by_kind: dict[str, list[dict]] = {}
    for event in EventLog(handle.run_dir).read_all():
        by_kind.setdefault(event["event"], []).append(event)
    if "finished" not in by_kind:
        failed = by_kind.get("failed", [{}])[-1]
        sys.exit(f"engine run failed: {failed.get('message', 'no terminal event')}")
    started = by_kind["started"][0]
    unit = UNITS.get(experiment, "epoch")
    if unit == "fold":
        folds = by_kind["fold_end"]
        return Timing(
            "engine",
            unit,
            started["n_rows"],
            folds[-1]["t"] - started["t"],
            [f["duration_s"] for f in folds],
            [f["t"] for f in folds],
        )
    epochs = by_kind["epoch_end"]
    train_s = by_kind["finished"][0]["train_s"]
    if unit == "step":
        ends, marks = [e["t"] for e in epochs], [e["step"] for e in epochs]
        return Timing("engine", unit, started["n_train"], train_s, [], ends, marks)
    durations = [e["duration_s"] for e in epochs]
    return Timing("engine", unit, started["n_train"], train_s, durations, [e["t"] for e in epochs])


def imdb_here() -> bool:
    from tui_dl.data.sources import missing

    return not missing(("imdb", "imdb-word-index"))


def shown(seconds: float, unit: str) -> str:
    """Seconds per epoch or fold; steps per second for steps."""
    return f"{1 / seconds:,.0f} steps/s" if unit == "step" else f"{seconds:.3f} s/{unit}"


def print_run(rep: int, experiment: str, t: Timing) -> None:
    print(
        f"{rep:>3} {experiment:<18} {t.kind:<6} {t.fit_s:>7.2f} {shown(t.per_unit(), t.unit):>16}"
        f" {shown(t.span(), t.unit):>16} {shown(t.best(), t.unit):>16} {t.others_cpu:>7.2f}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", default="all", help=f"comma-separated: {', '.join(ALL)}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=0, help="image experiments (0: 5, CNN 3)")
    parser.add_argument(
        "--train-limit",
        type=int,
        default=None,
        help="image experiments (default 0 = all; CNN 2000)",
    )
    parser.add_argument("--batch-size", type=int, default=0, help="image experiments (0: own)")
    parser.add_argument("--kfold-epochs", type=int, default=100, help="votes-kfold")
    parser.add_argument("--k", type=int, default=5, help="votes-kfold folds")
    parser.add_argument("--steps", type=int, default=2000, help="tf-lowlevel")
    parser.add_argument(
        "--imdb-train-limit", type=int, default=2000, help="imdb-lstm reviews (0 = all 25,000)"
    )
    args = parser.parse_args()
    names = ALL if args.experiments == "all" else tuple(args.experiments.split(","))
    unknown = set(names) - set(ALL)
    if unknown:
        parser.error(f"unknown experiment(s): {', '.join(sorted(unknown))}")
    if args.epochs == 1 or args.k < 3 or args.steps < 200:
        parser.error("need at least 2 epochs, 3 folds and 200 steps (the first is left out)")

    results: dict[str, list[tuple[Timing, Timing]]] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tui-dl-bench-") as home:
        os.environ["TUI_DL_HOME"] = home  # keep benchmark runs out of the user's run list
        from tui_dl.engine.store import RunStore

        store = RunStore(Path(home) / "runs")
        log = Path(home) / "plain-log.txt"
        print(
            f"{'rep':>3} {'experiment':<18} {'kind':<6} {'fit_s':>7} {'per unit':>16}"
            f" {'span':>16} {'best':>16} {'others':>7}"
        )
        shared_data = os.environ.get("TUI_DL_DATA", "")
        for experiment in names:
            os.environ["TUI_DL_DATA"] = shared_data
            if experiment == "imdb-lstm" and not imdb_here():
                from synthetic_imdb import write

                print("# no IMDB files here: a synthetic corpus of the real shapes", flush=True)
                os.environ["TUI_DL_DATA"] = str(write(Path(home) / "imdb", 25_000, 2_000))
            p = settings(experiment, args)
            print(f"# {experiment}: {p}", flush=True)
            pairs = results.setdefault(experiment, [])
            for rep in range(1, args.repeats + 1):
                order = ("plain", "engine") if rep % 2 else ("engine", "plain")
                got: dict[str, Timing] = {}
                for kind in order:
                    if kind == "plain":
                        got[kind] = measured(run_plain, experiment, p, log)
                    else:
                        got[kind] = measured(run_engine, experiment, p, store)
                    print_run(rep, experiment, got[kind])
                pairs.append((got["plain"], got["engine"]))

    print(
        f"\nmedians of {args.repeats} repeats; ratio = engine time ÷ plain time (< 1: app faster)"
    )
    print(
        f"{'experiment':<18} {'engine':>16} {'plain':>16} {'ratio':>6} {'range':>11}"
        f" {'span':>6} {'best':>6} {'others':>6}"
    )
    for experiment, pairs in results.items():
        unit = pairs[0][0].unit
        ratios = [e.per_unit() / p.per_unit() for p, e in pairs]
        span = statistics.median(e.span() / p.span() for p, e in pairs)
        best = statistics.median(e.best() / p.best() for p, e in pairs)
        engine = statistics.median(e.per_unit() for _, e in pairs)
        plain = statistics.median(p.per_unit() for p, _ in pairs)
        others = max(max(p.others_cpu, e.others_cpu) for p, e in pairs)
        print(
            f"{experiment:<18} {shown(engine, unit):>16} {shown(plain, unit):>16}"
            f" {statistics.median(ratios):>6.2f} {min(ratios):>5.2f}–{max(ratios):<5.2f}"
            f" {span:>6.2f} {best:>6.2f} {others:>6.2f}"
        )
    print(f"total {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
