"""The one Keras callback through which training reports: progress, epochs, cancel, NaN.

It is given a plain `emit` function, never an app. Progress is throttled by time
(at most 10 events a second) so the event file stays small and the UI never floods.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import keras

from tui_dl.engine.events import Event
from tui_dl.engine.failures import RunFailure

PROGRESS_INTERVAL_S = 0.1


class EventReporter(keras.callbacks.Callback):
    def __init__(
        self,
        emit: Callable[..., Any],
        cancel: Any,
        samples: int,
        batch_size: int,
        interval_s: float = PROGRESS_INTERVAL_S,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.extra = extra or {}
        """Added to every progress and epoch_end event (a k-fold run's fold number, say)."""
        self.emit = emit
        self.cancel = cancel
        self.samples = samples
        self.batch_size = batch_size
        self.interval_s = interval_s
        self.epochs = 1
        self.steps = 0
        self.epoch = 0
        self.nan_at: tuple[int, int] | None = None
        self._last = 0.0
        self._train_start = 0.0
        self._epoch_start = 0.0
        self._done_steps = 0
        self._said: tuple[int, int] | None = None
        """The (epoch, batch) last reported: the epoch's end does not say it twice."""

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        self.epochs = params.get("epochs") or 1
        self.steps = params.get("steps") or math.ceil(self.samples / self.batch_size)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._train_start = time.monotonic()
        self.emit(Event.PHASE, phase="training", epochs=self.epochs, steps=self.steps)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.epoch = epoch + 1
        self._epoch_start = time.monotonic()

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        # Steps, not calls: with steps_per_execution Keras reports once per group of steps.
        self._done_steps = (self.epoch - 1) * self.steps + batch + 1
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            self.nan_at = (self.epoch, batch + 1)
            self.model.stop_training = True
            return
        if self.cancel.check():
            self.model.stop_training = True
            return
        now = time.monotonic()
        if now - self._last >= self.interval_s:
            self._last = now
            self._progress(batch + 1, now, loss)

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self.cancel.check():
            self.model.stop_evaluating = True
            self.model.stop_training = True

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self.cancel.check():
            self.model.stop_predicting = True

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.nan_at or self.cancel.check():
            return
        now = time.monotonic()
        self._progress(self.steps, now, (logs or {}).get("loss"))
        self.emit(
            Event.EPOCH_END,
            **self.extra,
            epoch=epoch + 1,
            epochs=self.epochs,
            logs={k: float(v) for k, v in (logs or {}).items()},
            duration_s=round(now - self._epoch_start, 3),
        )

    def _progress(self, batch: int, now: float, loss: float | None) -> None:
        if (self.epoch, batch) == self._said:
            return  # the epoch's last batch, reported already
        self._said = (self.epoch, batch)
        elapsed = now - self._train_start
        total_steps = self.epochs * self.steps
        done = (self.epoch - 1) * self.steps + batch
        rate = self._done_steps / elapsed if elapsed > 0 else 0.0
        eta = (total_steps - done) / rate if rate > 0 else None
        seen = min(batch * self.batch_size, self.samples)
        self.emit(
            Event.PROGRESS,
            **self.extra,
            epoch=self.epoch,
            epochs=self.epochs,
            batch=batch,
            steps=self.steps,
            samples=seen,
            samples_per_s=round(rate * self.batch_size, 1),
            eta_s=None if eta is None else round(eta, 1),
            elapsed_s=round(elapsed, 2),
            loss=loss,
        )

    def raise_if_nan(self, learning_rate: float | None = None) -> None:
        if self.nan_at is None:
            return
        epoch, batch = self.nan_at
        hint = (
            f" The learning rate ({learning_rate:g}) is probably too high: the steps overshot "
            "and the weights blew up. Try a smaller one."
            if learning_rate is not None
            else ""
        )
        raise RunFailure(
            "NaNLoss", f"The loss became NaN (not a number) at epoch {epoch}, batch {batch}.{hint}"
        )
