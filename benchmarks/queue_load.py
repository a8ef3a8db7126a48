"""Thirty real runs through the run queue at once, two CPU slots: never more than two train,
all finish, none is lost — and what a waiting run costs the machine.

Each run is a real `mnist-mlp` child (TensorFlow, the offline MNIST sample, a tiny setup)
launched the way the app launches one; all thirty are launched within a second, as a room
pressing ctrl+r together would. Sampled every 0.2 s while they go: how many children hold a
slot (from the queue's own state), how many wait, and the resident memory (PSS) of every run
process — a waiting child has not imported TensorFlow yet.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/queue_load.py [--runs 30] [--slots 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def pss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="tui-dl-queue-"))
    os.environ["TUI_DL_HOME"] = str(home)
    os.environ["TUI_DL_CPU_SLOTS"] = str(args.slots)
    os.environ.setdefault("TUI_DL_OFFLINE", "1")

    from tui_dl.engine.events import TERMINAL_EVENTS
    from tui_dl.engine.jobs.launch import launch_run
    from tui_dl.engine.queue import RunQueue
    from tui_dl.engine.store import RunStore, read_pid

    params = {"epochs": args.epochs, "train_limit": 600, "hidden_units": 32}
    started = time.monotonic()
    handles = [launch_run("mnist-mlp", params, device="cpu") for _ in range(args.runs)]
    launched = time.monotonic() - started
    store, queue = RunStore(), RunQueue()
    most_held, waiting_pss, running_pss, total_pss = 0, [], [], []
    while True:
        state = queue.state().devices.get("cpu")
        held = {h.info.get("run_id") for h in state.held} if state else set()
        waiting = {w.run_id for w in state.waiting} if state else set()
        most_held = max(most_held, len(held))
        total = 0.0
        for handle in handles:
            if handle.process.poll() is not None:
                continue
            pid = read_pid(handle.run_dir)
            mib = pss_mib(pid) if pid else None
            if mib is None:
                continue
            total += mib
            if handle.run_id in waiting:
                waiting_pss.append(mib)
            elif handle.run_id in held:
                running_pss.append(mib)
        total_pss.append(total)
        if all(h.process.poll() is not None for h in handles):
            break
        time.sleep(0.2)
    for handle in handles:
        handle.reaper.join(5)
    wall = time.monotonic() - started
    statuses = [store.info(h.run_dir).status for h in handles]
    durations = [
        e.get("waited_s", 0.0)
        for h in handles
        for e in store.info(h.run_dir).events
        if e.get("phase") == "starting TensorFlow"
    ]
    print(f"{args.runs} runs, {args.slots} CPU slots, launched in {launched:.2f} s")
    print(f"wall time until all ended: {wall:.1f} s ({wall / args.runs:.2f} s a run)")
    unended = sum(s not in TERMINAL_EVENTS for s in statuses)
    print(
        f"ended: {statuses.count('finished')} finished, {statuses.count('failed')} failed, "
        f"{statuses.count('cancelled')} cancelled, {unended} not ended"
    )
    print(f"most runs holding a slot at once: {most_held}")
    median = statistics.median(durations)
    print(f"longest wait in line: {max(durations):.1f} s; median {median:.1f} s")
    if waiting_pss:
        print(f"a waiting run's process: median {statistics.median(waiting_pss):.1f} MiB PSS")
    if running_pss:
        print(f"a training run's process: median {statistics.median(running_pss):.0f} MiB PSS, "
              f"max {max(running_pss):.0f}")  # fmt: skip
    print(f"all run processes together: peak {max(total_pss):.0f} MiB PSS")


if __name__ == "__main__":
    main()
