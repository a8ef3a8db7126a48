"""A trainer without TensorFlow, for the queue's tests (`TUI_DL_TEST_TRAINER`): it reports
like a real one — started, epochs, finished — sleeping where a model would train, and notes
when it held its slot in `TUI_DL_TEST_LEDGER` (one line per start and end)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tui_dl.engine.events import Event


def train(spec, emit, cancel, started):
    seconds = float(os.environ.get("TUI_DL_TEST_SECONDS", "0.3"))
    ledger = Path(os.environ["TUI_DL_TEST_LEDGER"])
    run_id = spec["run_id"]
    with ledger.open("a") as handle:
        handle.write(f"start {run_id} {time.time():.6f}\n")
    emit(
        Event.STARTED,
        devices=[{"name": "/CPU:0", "type": "CPU"}],
        device="cpu",
        dataset="none",
        data_source="the queue test",
        reference={"metric": "test_accuracy", "value": 0.5, "text": "a coin"},
    )
    epochs = 2
    for epoch in range(1, epochs + 1):
        deadline = time.monotonic() + seconds / epochs
        while time.monotonic() < deadline:
            cancel.raise_if_requested()
            time.sleep(0.02)
        emit(Event.EPOCH_END, epoch=epoch, epochs=epochs, logs={"loss": 1.0 / epoch})
    with ledger.open("a") as handle:
        handle.write(f"end {run_id} {time.time():.6f}\n")
    emit(
        Event.FINISHED,
        metrics={"test_accuracy": 0.5},
        duration_s=round(time.monotonic() - started, 2),
        data_source="the queue test",
        device="cpu",
        artifacts={},
    )
