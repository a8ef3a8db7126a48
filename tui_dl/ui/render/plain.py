"""Strings from outside shown as text, never as markup.

Textual reads a `str` as markup in a Static, a Label, a border title, a toast and a DataTable
cell: a path, a CSV cell, a run folder's name or phase, a seat's name or the board's label
holding `[/]` ended the app (a MarkupError), and `[b]x[/b]` showed a bold x. A screen shows
such a string as `Text(...)`; these helpers are the places where that takes more than a call,
and `TextTable` is every table of the app. (Here, not in widgets/: home's first frame has a
table, and imports no widget module.)
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, ColumnKey, RowKey

from tui_dl.text import one_line


def as_text(value: Any) -> Any:
    """A `str` as `Text` (a renderable stays what it is): for DataTable cells and labels."""
    return Text(value) if isinstance(value, str) else value


def error_text(message: object) -> Text:
    """A problem in red, its words (an exception's, with a path or a cell in it) as text."""
    return Text(str(message), style="red")


def set_titles(widget: Widget, title: str, subtitle: str = "") -> None:
    """A widget's border title and subtitle as text on one line each, set only when they
    change (each change repaints the whole widget: the Playground and the GAN Lab set them
    every frame)."""
    titles = Content(one_line(title)), Content(one_line(subtitle))
    if (widget.border_title, widget.border_subtitle) != tuple(t.markup for t in titles):
        widget.border_title, widget.border_subtitle = titles


class TextTable(DataTable[Any]):
    """A DataTable whose every `str` (cell, row label, column label) is shown as typed:
    DataTable reads a `str` as markup, and a run id, a seat's name or a data folder holding
    `[/]` ended the app."""

    def add_column(
        self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None
    ) -> ColumnKey:
        return super().add_column(as_text(label), width=width, key=key, default=default)

    def add_row(
        self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None
    ) -> RowKey:
        shown = [as_text(cell) for cell in cells]
        row = super().add_row(*shown, height=height, key=key, label=as_text(label))
        # The columns take the row's width now. DataTable measures new rows only once it is
        # idle, and a frame drawn before that cut every cell to its column's label ("202"
        # for a run id); a screen covered by a dialog in that moment kept showing it. A
        # one-line text is measured here as DataTable measures it; anything else waits.
        for column, cell in zip(self.ordered_columns, shown, strict=False):
            if isinstance(cell, Text) and "\n" not in cell.plain:
                column.content_width = max(column.content_width, cell.cell_len)
        return row

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: CellType,
        *,
        update_width: bool = True,
    ) -> None:
        """`update_width` by default (DataTable's is False): a column sized for an empty cell
        grows with what is put in it later, so nothing is cut ('oversh' for 'overshoots')."""
        super().update_cell(row_key, column_key, as_text(value), update_width=update_width)
