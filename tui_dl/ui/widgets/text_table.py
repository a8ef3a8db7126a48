"""A DataTable whose strings are text.

DataTable reads a `str` cell, row label or column label as markup: a run id, a seat's name,
a data folder or an owner holding `[/]` ended the app. Every table of the app is this one.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import CellType, ColumnKey, RowKey

from tui_dl.ui.render.plain import as_text


class TextTable(DataTable[Any]):
    """`DataTable` with every `str` it is given shown as typed."""

    def add_column(
        self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None
    ) -> ColumnKey:
        return super().add_column(as_text(label), width=width, key=key, default=default)

    def add_row(
        self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None
    ) -> RowKey:
        return super().add_row(
            *(as_text(cell) for cell in cells), height=height, key=key, label=as_text(label)
        )

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: CellType,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, as_text(value), update_width=update_width)
