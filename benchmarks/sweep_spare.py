"""A 4-cell sweep one cell after another (2 learning rates × 2 batch sizes of mnist-mlp on the
offline MNIST sample), run two ways in one session: as it is (the sweep's driver keeps a
spare, so TensorFlow is imported once and each cell is a fork of it) and cold
(`TUI_DL_SPARE=0`: each cell imports TensorFlow itself), alternating which goes first. Wall
time from launch to the sweep's last event, and each cell's result (the same seeds must give
the same models both ways).

    .venv/bin/python benchmarks/sweep_spare.py [--repeats 2] [--epochs 2] [--train-limit 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def one(spare: bool, params: dict) -> tuple[float, list[float]]:
    from tui_dl.engine.sweeps.launch import launch_sweep
    from tui_dl.engine.sweeps.state import read_sweep

    os.environ["TUI_DL_SPARE"] = "1" if spare else "0"
    started = time.monotonic()
    handle = launch_sweep("mnist-mlp", params, [0.01, 0.001], [32, 128], "cpu")
    handle.wait(1800)
    wall = time.monotonic() - started
    state = read_sweep(handle.run_dir)
    assert state.status == "finished", state.status
    return wall, [round(c.metric or 0.0, 4) for c in state.cells]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train-limit", type=int, default=2000)
    args = parser.parse_args()
    os.environ["TUI_DL_HOME"] = tempfile.mkdtemp(prefix="tui-dl-sweep-spare-")
    os.environ.setdefault("TUI_DL_OFFLINE", "1")
    params = {"epochs": args.epochs, "train_limit": args.train_limit, "seed": 1}
    walls: dict[bool, list[float]] = {True: [], False: []}
    for repeat in range(args.repeats):
        order = (False, True) if repeat % 2 == 0 else (True, False)
        for spare in order:
            wall, metrics = one(spare, params)
            walls[spare].append(wall)
            name = "spare" if spare else "cold "
            print(f"repeat {repeat + 1} {name}: {wall:6.1f} s  cells {metrics}", flush=True)
    cold, warm = statistics.median(walls[False]), statistics.median(walls[True])
    print(f"median: cold {cold:.1f} s, spare {warm:.1f} s, spare ÷ cold {warm / cold:.2f}")


if __name__ == "__main__":
    main()
