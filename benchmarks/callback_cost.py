"""What the engine's EventReporter costs per call, measured without training.

The throughput comparison (`engine_vs_keras.py`) is at the mercy of whatever else runs on a
2-core machine; this measures the callback's own work directly: its hooks are called as
Keras calls them in one epoch (N train batches, M validation batches, one epoch end), with
the real `emit` (events.jsonl in a temporary run folder) and the child's real CancelFlag
(which looks for the cancel file on every batch). Keras 3's TF backend is not thread-safe
(`IS_THREAD_SAFE = False`), so `CallbackList` runs batch hooks synchronously whether or not
a callback overrides them: this cost lands directly on the training loop.

    .venv/bin/python benchmarks/callback_cost.py [--steps 40] [--val-steps 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from tui_dl.engine import runfiles

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")


class _FakeModel:
    stop_training = False
    stop_evaluating = False


def one_epoch_s(reporter, steps: int, val_steps: int, epoch: int) -> float:
    """Wall time of the reporter's hooks for one epoch, as fit() calls them."""
    logs = {"loss": 0.25, "accuracy": 0.9}
    start = time.perf_counter()
    reporter.on_epoch_begin(epoch)
    for batch in range(steps):
        reporter.on_train_batch_begin(batch)
        reporter.on_train_batch_end(batch, logs)
    for batch in range(val_steps):
        reporter.on_test_batch_begin(batch)
        reporter.on_test_batch_end(batch, logs)
    reporter.on_epoch_end(epoch, {**logs, "val_loss": 0.3, "val_accuracy": 0.88})
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40, help="train batches an epoch")
    parser.add_argument("--val-steps", type=int, default=10, help="validation batches an epoch")
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()

    from tui_dl.engine.events import append_event
    from tui_dl.engine.jobs.child import CancelFlag
    from tui_dl.engine.trainers.reporter import EventReporter

    with tempfile.TemporaryDirectory(prefix="tui-dl-cb-") as run_dir:
        run_dir = Path(run_dir)
        cancel = CancelFlag(run_dir)

        def emit(event: str, **fields: object) -> None:
            append_event(run_dir, event, **fields)

        reporter = EventReporter(emit, cancel, samples=args.steps * 100, batch_size=100)
        reporter.set_model(_FakeModel())
        reporter.set_params({"epochs": args.epochs, "steps": args.steps})
        reporter.on_train_begin()
        times = [one_epoch_s(reporter, args.steps, args.val_steps, e) for e in range(args.epochs)]
        events = sum(1 for _ in (run_dir / runfiles.EVENTS).open())

        start = time.perf_counter()
        for _ in range(10_000):
            cancel.check()
        check_us = (time.perf_counter() - start) / 10_000 * 1e6
        start = time.perf_counter()
        for _ in range(1_000):
            emit("progress", epoch=1, batch=1, loss=0.25, samples_per_s=1234.5)
        emit_us = (time.perf_counter() - start) / 1_000 * 1e6

    per_epoch_ms = statistics.median(times) * 1e3
    per_batch_us = per_epoch_ms * 1e3 / (args.steps + args.val_steps)
    print(f"steps/epoch {args.steps} train + {args.val_steps} validation, {args.epochs} epochs")
    print(f"reporter hooks per epoch: {per_epoch_ms:.3f} ms (median), {per_batch_us:.1f} µs/batch")
    print(f"cancel.check(): {check_us:.1f} µs; one emit (append to events.jsonl): {emit_us:.1f} µs")
    print(f"events written: {events} (progress is throttled to 10 Hz, so few in a fast loop)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
