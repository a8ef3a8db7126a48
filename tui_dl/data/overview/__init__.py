"""A look at one of the course's datasets before anything trains: each class's count and a few
examples of the image datasets; for the UCI tables the table itself, its missing values, pandas'
`describe()`, and what dropping the rows with a missing value does to the class balance.

This file imports nothing heavy (the app's screens read `VIEWS` before any data is loaded);
`read.py` does the reading, with numpy and pandas, in a caller's worker thread.
"""

from __future__ import annotations

VIEWS: dict[str, str] = {
    "mnist": "images",
    "fashion-mnist": "images",
    "house-votes": "table",
    "mammographic-masses": "table",
}
"""The datasets that have a view, and its kind (`--screen dataset:NAME`, `tui-dl data show`)."""


def view_problem(name: str) -> str | None:
    """Why `name` has no dataset view, in one sentence naming those that do; None if it has."""
    if name in VIEWS:
        return None
    return f"no dataset view for {name!r}; the datasets with one: {', '.join(VIEWS)}"
