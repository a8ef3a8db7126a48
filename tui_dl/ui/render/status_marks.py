"""A status as one coloured mark: the home's past runs, the class view's learners and the
sweep's cells all read this one table, so a running run looks the same on every screen."""

from __future__ import annotations

from tui_dl.engine.events import Status

STATUS_MARKS: dict[str, tuple[str, str]] = {
    Status.PENDING: ("·", "dim"),
    Status.SKIPPED: ("–", "dim"),
    Status.STARTING: ("…", "cyan"),
    Status.QUEUED: ("⧗", "cyan"),
    Status.RUNNING: ("▶", "cyan"),
    Status.FINISHED: ("✓", "green"),
    Status.FAILED: ("✗", "red"),
    Status.CANCELLED: ("■", "yellow"),
    Status.UNREADABLE: ("?", "magenta"),
}
"""Each status's mark and its Rich style."""
UNKNOWN_MARK = ("?", "")
"""A status this table does not name (none today): a plain question mark."""


def status_mark(status: str | None) -> tuple[str, str]:
    """The mark and style a row shows for this status."""
    return STATUS_MARKS.get(status or "", UNKNOWN_MARK)
