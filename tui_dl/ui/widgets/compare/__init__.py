"""Widgets of the runs comparison (issue 27 §5)."""
