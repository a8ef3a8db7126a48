"""The mammogram project's k-fold: the engine against the course's scikeras loop, one run.

Both run as child processes on the CPU, one after the other (engine first, then scikeras,
then the other order for the next repeat). Timed: for scikeras, the seconds inside
`cross_val_score`; for the engine, from its `started` event to its last `fold_end` (the
scoring of baselines and radiologists that follows is not part of the course's loop).
Target: the engine takes at most half the time (ratio engine/scikeras ≤ 0.5) with the same
accuracy, give or take the noise of random initialisation.

    .venv/bin/pip install scikeras   # only for this benchmark
    TUI_DL_DATA=../shared/datasets .venv/bin/python benchmarks/kfold_vs_scikeras.py [--epochs 100]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tui_dl.engine import runfiles

COURSE_SCRIPT = Path(__file__).with_name("course_kfold.py")
CPU = {"CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "3"}


def run_scikeras(epochs: int, k: int) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, str(COURSE_SCRIPT), str(epochs), str(k)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **CPU},
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], statistics.mean(result["accuracies"])


def run_engine(epochs: int, k: int) -> tuple[float, float]:
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.launch import launch_run

    handle = launch_run("mammogram", {"epochs": epochs, "k": k}, device="cpu")
    if handle.wait() != 0:
        raise SystemExit(f"engine run failed: see {handle.run_dir / runfiles.LOG}")
    handle.reaper.join(5)
    events = EventLog(handle.run_dir).read_all()
    started = next(e["t"] for e in events if e["event"] == "started")
    last_fold = [e for e in events if e["event"] == "fold_end"][-1]["t"]
    finished = events[-1]
    return last_fold - started, finished["metrics"]["accuracy_mean"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("TUI_DL_HOME", tempfile.mkdtemp(prefix="tui-dl-bench-"))
    rows = []
    for repeat in range(args.repeats):
        order = (run_engine, run_scikeras) if repeat % 2 == 0 else (run_scikeras, run_engine)
        timings = {fn.__name__: fn(args.epochs, args.k) for fn in order}
        rows.append(timings)
        (engine_s, engine_acc), (course_s, course_acc) = (
            timings["run_engine"],
            timings["run_scikeras"],
        )
        print(
            f"repeat {repeat + 1}: engine {engine_s:6.1f} s (accuracy {engine_acc:.3f})  "
            f"scikeras {course_s:6.1f} s (accuracy {course_acc:.3f})  "
            f"ratio {engine_s / course_s:.2f}",
            flush=True,
        )
    ratio = statistics.median(r["run_engine"][0] / r["run_scikeras"][0] for r in rows)
    verdict = "meets" if ratio <= 0.5 else "misses"
    print(f"ratio engine/scikeras: {ratio:.2f} (median of {len(rows)}; {verdict} the 0.5 target)")


if __name__ == "__main__":
    main()
