"""Keys offered as a widget's state allows: its `check_action` hides a key that would do
nothing now (reset at the start, the next step at the last), and `follow_keys` tells the
footer when what it offers has changed — once per change, not per frame of an animation."""

from __future__ import annotations

from textual.widget import Widget


def follow_keys(widget: Widget, state: object) -> None:
    """Refresh the footer when `state` (what the widget's check_action reads) has changed."""
    if getattr(widget, "_offered_state", None) != state:
        widget._offered_state = state  # type: ignore[attr-defined]
        widget.refresh_bindings()
