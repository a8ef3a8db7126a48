"""Widgets of the app, one module each: `lesson/` for the lessons' live widgets, `run/` for
everything about runs. A screen imports each widget from its own module, so it loads only the
widgets it uses."""
