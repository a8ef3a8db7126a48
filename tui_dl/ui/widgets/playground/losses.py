"""The Playground's numbers: epoch, training and test loss, a small running chart of both,
accuracy and the test points' confusion matrix (what the web Playground never showed)."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from tui_dl.engine.playground.session import Snapshot
from tui_dl.ui.render.sparkline import spark


def losses_text(snap: Snapshot, regression: bool, confusion: bool) -> Text:
    m = snap.metrics
    # 'Epoch 001,234  train/test loss 0.209/0.414  accuracy 84.8/73.2 %': 80 columns hold it
    # with six-digit epochs and losses over 10 (it wraps, never cut, past that).
    text = Text()
    text.append(f"Epoch {snap.epoch:07,d}", "bold")
    text.append(f"  train/test loss {m.train_loss:.3f}/")
    text.append(f"{m.test_loss:.3f}", "bold")
    if not regression and m.test_accuracy is not None and m.train_accuracy is not None:
        text.append(f"  accuracy {100 * m.train_accuracy:.1f}/")
        text.append(f"{100 * m.test_accuracy:.1f}", "bold")
        text.append(" %")
    if confusion and m.confusion is not None:
        text.append("\n" + confusion_line(m.confusion))
    return text


def chart_text(snap: Snapshot, width: int) -> Text:
    """Both losses so far, one line each, on one scale (the largest loss seen)."""
    train = [h[0] for h in snap.history]
    test = [h[1] for h in snap.history]
    finite = [v for v in train + test if math.isfinite(v)]
    top = max(finite) if finite else 1.0
    text = Text(no_wrap=True, overflow="crop")
    text.append("train ", "dim")
    text.append(spark(train, width - 6, top), "grey62")
    text.append("\ntest  ", "dim")
    text.append(spark(test, width - 6, top), "bold")
    return text


def confusion_line(confusion: np.ndarray) -> str:
    """The test points' confusion matrix on one line a row: `true 0: 120 3 | true 1: 4 123`."""
    rows = [f"true {k}: " + " ".join(f"{int(v)}" for v in row) for k, row in enumerate(confusion)]
    return "Test confusion (columns: predicted) " + " | ".join(rows)
