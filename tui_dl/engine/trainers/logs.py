"""TensorBoard and CSV, for those who use them: every run that trains writes Keras's own
`TensorBoard` event files under `tensorboard/` and a `CSVLogger` file `history.csv` in its
folder, so `tensorboard --logdir RUNS` shows every run (the run's id names it there).

A run of several parts (a k-fold's folds, transfer-digits' stages) logs each part apart:
`tensorboard/fold-3/`, `history-fold-3.csv`. tf-lowlevel trains without `fit`; it writes the
same two files through `StepLog`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import keras
import tensorflow as tf

from tui_dl.engine import runfiles


def part_name(extra: dict[str, Any] | None) -> str:
    """'' for a run of one part; 'fold-3' or 'stage-scratch' for one of several."""
    extra = extra or {}
    if "fold" in extra:
        return f"fold-{extra['fold']}"
    if "stage" in extra:
        return f"stage-{extra['stage']}"
    return ""


def keras_logs(run_dir: Path | str | None, part: str = "") -> list[keras.callbacks.Callback]:
    """The two logging callbacks for one `fit` (none without a run folder)."""
    if run_dir is None:
        return []
    run_dir = Path(run_dir)
    board = run_dir / runfiles.TENSORBOARD / part if part else run_dir / runfiles.TENSORBOARD
    return [
        keras.callbacks.TensorBoard(log_dir=str(board), write_graph=True, profile_batch=0),
        keras.callbacks.CSVLogger(str(run_dir / runfiles.history_csv(part))),
    ]


class StepLog:
    """The same files for a run trained step by step (tf-lowlevel)."""

    def __init__(self, run_dir: Path | str) -> None:
        run_dir = Path(run_dir)
        self._writer = tf.summary.create_file_writer(str(run_dir / runfiles.TENSORBOARD / "train"))
        self._path = run_dir / runfiles.history_csv("")
        self._columns: list[str] | None = None

    def write(self, step: int, logs: Mapping[str, float | None]) -> None:
        values = {k: v for k, v in logs.items() if v is not None}
        with self._writer.as_default(step=step):
            for name, value in values.items():
                tf.summary.scalar(f"epoch_{name}", value)
        self._writer.flush()
        if self._columns is None:
            self._columns = ["step", *sorted(logs)]
            with self._path.open("w", newline="") as handle:
                csv.writer(handle).writerow(self._columns)
        with self._path.open("a", newline="") as handle:
            row = [step, *("" if logs.get(c) is None else logs[c] for c in self._columns[1:])]
            csv.writer(handle).writerow(row)

    def close(self) -> None:
        self._writer.close()
