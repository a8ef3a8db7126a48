"""A 4-cell sweep (2 learning rates × 2 batch sizes of mnist-mlp on the offline MNIST
sample) run the two ways in one session: this machine's cells one after another, and on a
local Ray with two cells at a time (`--cluster local`). Wall time from launch to the sweep's
last event, alternating which goes first; the ratio is Ray ÷ sequential (below 1: faster).

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/cluster_sweep.py \\
        [--repeats 2] [--epochs 3] [--train-limit 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def one(cluster: str | None, params: dict) -> tuple[float, list[float]]:
    from tui_dl.engine.sweeps.launch import launch_sweep
    from tui_dl.engine.sweeps.state import read_sweep

    started = time.monotonic()
    handle = launch_sweep("mnist-mlp", params, [0.01, 0.001], [32, 128], "cpu", cluster=cluster)
    handle.wait(1800)
    wall = time.monotonic() - started
    state = read_sweep(handle.run_dir)
    assert state.status == "finished", state.status
    return wall, [c.metric or 0.0 for c in state.cells]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train-limit", type=int, default=2000)
    args = parser.parse_args()
    os.environ["TUI_DL_HOME"] = tempfile.mkdtemp(prefix="tui-dl-cluster-")
    os.environ.setdefault("TUI_DL_OFFLINE", "1")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    params = {"epochs": args.epochs, "train_limit": args.train_limit}
    times: dict[str, list[float]] = {"sequential": [], "ray": []}
    ratios = []
    for repeat in range(args.repeats):
        order = [None, "local"] if repeat % 2 == 0 else ["local", None]
        pair = {}
        for cluster in order:
            wall, values = one(cluster, params)
            name = "ray" if cluster else "sequential"
            times[name].append(wall)
            pair[name] = wall
            shown = ", ".join(f"{v:.3f}" for v in values)
            print(f"repeat {repeat + 1} {name:<10} {wall:6.1f} s   test accuracy {shown}")
        ratios.append(pair["ray"] / pair["sequential"])
    for name, walls in times.items():
        print(f"{name:<10} median {statistics.median(walls):.1f} s over {len(walls)}")
    print(f"ray ÷ sequential: {statistics.median(ratios):.2f} (median of {len(ratios)} pairs)")


if __name__ == "__main__":
    main()
