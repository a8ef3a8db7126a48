"""Does transfer learning lead on transfer-digits' defaults? The lesson claims it; this checks it.

Runs the `transfer-digits` experiment through the engine (the child, the same events) once per
seed with the given settings, and prints for each seed the transferred head's and the
from-scratch network's test accuracy on digits 5–9 — after the first epochs and at the end —
and how many seeds transfer led in. The transfer lesson's claim must hold in at least 4 of 5.

    TUI_DL_DATA=/work/shared/datasets .venv/bin/python benchmarks/transfer_seeds.py \
        [--seeds 1,2,3,4,5] [--few 50] [--epochs 20] [--early 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def accuracy_at(events: list[dict], stage: str, epoch: int) -> float | None:
    """The stage's validation (test-set) accuracy after `epoch` (or its last one)."""
    epochs = [e for e in events if e["event"] == "epoch_end" and e.get("stage") == stage]
    if not epochs:
        return None
    chosen = epochs[min(epoch, len(epochs)) - 1]
    value = chosen["logs"].get("val_accuracy")
    return float(value) if value is not None else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--few", type=int, default=0, help="0 = the experiment's default")
    parser.add_argument("--epochs", type=int, default=0, help="0 = the experiment's default")
    parser.add_argument("--early", type=int, default=3, help="the 'first epochs' figure")
    args = parser.parse_args()
    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.launch import launch_run
    from tui_dl.engine.store import RunStore

    store = RunStore(Path(tempfile.mkdtemp(prefix="tui-dl-transfer-")) / "runs")
    led = 0
    seeds = [int(s) for s in args.seeds.split(",")]
    for seed in seeds:
        params: dict[str, int] = {"seed": seed}
        if args.few:
            params["few"] = args.few
        if args.epochs:
            params["epochs"] = args.epochs
        handle = launch_run("transfer-digits", params, device="cpu", store=store)
        handle.wait()
        events = EventLog(handle.run_dir).read_all()
        if events[-1]["event"] != "finished":
            sys.exit(f"seed {seed}: {events[-1].get('message', 'did not finish')}")
        metrics = events[-1]["metrics"]
        transfer, scratch = metrics["test_accuracy"], metrics["scratch_accuracy"]
        early_t = accuracy_at(events, "transfer", args.early)
        early_s = accuracy_at(events, "scratch", args.early)
        led += transfer > scratch
        print(
            f"seed {seed}: transfer {100 * transfer:.1f} % vs scratch {100 * scratch:.1f} % "
            f"(after {args.early} epochs: {100 * (early_t or 0):.1f} % vs "
            f"{100 * (early_s or 0):.1f} %){'  ← transfer leads' if transfer > scratch else ''}",
            flush=True,
        )
    print(f"transfer led in {led} of {len(seeds)} seeds ({params})")
    return 0 if led * 5 >= 4 * len(seeds) else 1


if __name__ == "__main__":
    raise SystemExit(main())
