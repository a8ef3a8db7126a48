"""The words a screen shows while a child starts TensorFlow, with how long that usually takes
on this machine (engine/tf_start.py), measured in a thread from the newest runs."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

WAITING = "Starting TensorFlow…"
"""What is said before the earlier starts are read (a fraction of a second)."""


def measure_start(widget: Widget, done: Callable[[str], None]) -> None:
    """Read the newest runs off the UI thread; `done` gets the words on it."""

    def read() -> None:
        from tui_dl.engine.tf_start import starting_words, usual_start

        source = widget.app.source  # type: ignore[attr-defined]
        words = starting_words(usual_start(source.list_runs(limit=40)))
        widget.app.call_from_thread(done, words)

    widget.run_worker(read, thread=True, group="tf-start", exclusive=True, exit_on_error=False)
