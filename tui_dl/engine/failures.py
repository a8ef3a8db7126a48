"""Turning whatever broke a run into words a learner can act on.

The traceback is kept in the event for whoever wants it; the message is what the screen
and `tui-dl run` print.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui_dl.engine.events import Emit, Event


class RunFailure(Exception):
    """A failure the engine understood and already phrased (NaN loss, no GPU, ...)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def describe_failure(exc: BaseException, spec: Mapping[str, Any]) -> tuple[str, str]:
    """(error type, message) for a failed event."""
    if isinstance(exc, RunFailure):
        return exc.error_type, exc.message
    name = type(exc).__name__
    text = str(exc).strip() or name
    if name == "DatasetUnavailable":
        return name, text
    if (
        name == "ResourceExhaustedError"
        or "out of memory" in text.lower()
        or isinstance(exc, MemoryError)
    ):
        batch = spec.get("params", {}).get("batch_size")
        hint = f" (batch size {batch})" if batch else ""
        return "OutOfMemory", (
            f"Ran out of memory on {spec.get('device', 'the device')}{hint}. "
            "Try a smaller batch size or fewer hidden units."
        )
    if isinstance(exc, ValueError) and ("shape" in text.lower() or "incompatible" in text.lower()):
        first = text.splitlines()[0]
        return "ShapeError", f"The data and the model do not fit together: {first}"
    if isinstance(exc, KeyboardInterrupt):
        return "Interrupted", "The run was interrupted."
    first = text.splitlines()[0] if text else name
    return name, f"{name}: {first[:500]}"


def report_failure(emit: Emit, exc: BaseException, spec: Mapping[str, Any], started: float) -> None:
    """The `failed` event every child (run or job) ends with when something broke."""
    import time
    import traceback

    from tui_dl.engine.events import strip_ansi

    error_type, message = describe_failure(exc, spec)
    emit(
        Event.FAILED,
        error_type=error_type,
        message=strip_ansi(message),
        traceback=strip_ansi(traceback.format_exc()),
        duration_s=round(time.monotonic() - started, 2),
    )
    traceback.print_exc()  # the whole story, in log.txt
