"""`--screen dataset:NAME`: a dataset before anything trains on it. For MNIST and Fashion-MNIST
each class's pictures and the class balance; for the UCI tables the table itself with its
missing values marked, pandas' `describe()`, and what dropping the rows with a missing value
does to the balance of the classes.

The reading (numpy, pandas) happens in a worker thread, its steps said as it goes; a dataset
that is not here says how to get it, a damaged file is a message that names it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from tui_dl.data.overview import VIEWS
from tui_dl.data.registry import DATASETS
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.screens.app_screen import SCREENS_CSS, AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from tui_dl.data.overview.read import ImageOverview, TableOverview

WHERE = "\n\nThe data screen (d on home) lists every dataset and where each is looked for."


class ExampleSheet(Static):
    """The pictures of each class: drawn again whenever its width changes."""

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, DatasetScreen):
            screen.draw_examples()


class DatasetScreen(AppScreen):
    CSS_PATH = [SCREENS_CSS, "dataset.tcss"]
    BINDINGS = [
        Binding("n", "tab(1)", "Next tab"),
        Binding("p", "tab(-1)", "Prev tab"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.dataset = name
        self.kind = VIEWS[name]
        self.overview: ImageOverview | TableOverview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="ds-message")
        with Vertical(id="ds-body"):
            yield Static(id="ds-source")
            with TabbedContent(id="ds-tabs"):
                if self.kind == "images":
                    with TabPane("Examples", id="ds-examples-tab"):
                        with VerticalScroll(id="ds-examples-scroll"):
                            yield ExampleSheet(id="ds-examples")
                else:
                    with TabPane("Table", id="ds-table-tab"):
                        yield TextTable(id="ds-table", zebra_stripes=True)
                        yield Static(id="ds-legend")
                    with TabPane("Describe", id="ds-describe-tab"):
                        yield TextTable(id="ds-describe", cursor_type="row")
                        yield Static(id="ds-describe-note")
                with TabPane("Balance", id="ds-balance-tab"):
                    with VerticalScroll(id="ds-balance-scroll"):
                        yield Static(id="ds-balance")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = f"Dataset: {DATASETS[self.dataset].title}"
        self.sub_title = "look at the data first"
        self.query_one("#ds-body").display = False
        self.read()

    def say(self, message: str, problem: bool = False) -> None:
        """A line in place of the view: the reading's progress, or why there is nothing."""
        text = Text(message, style="red" if problem else "")
        if problem:
            text.append(WHERE, style="default")
        box = self.query_one("#ds-message", Static)
        box.update(text)
        box.display = True
        self.query_one("#ds-body").display = False

    @work(thread=True, exclusive=True, group="read")
    def read(self) -> None:
        from tui_dl.data.overview.read import read_overview
        from tui_dl.data.registry import DatasetUnavailable

        self.from_thread(self.say, f"Looking for {DATASETS[self.dataset].title}…")
        try:
            overview = read_overview(
                self.dataset, self.app.data_dir, lambda step: self.from_thread(self.say, step)
            )
        except DatasetUnavailable as exc:
            self.from_thread(self.say, str(exc), True)
            return
        except (OSError, ValueError) as exc:  # what the checks did not foresee: a sentence
            self.from_thread(
                self.say, f"{DATASETS[self.dataset].title} cannot be read: {exc}", True
            )
            return
        self.from_thread(self.show, overview)

    def show(self, overview: ImageOverview | TableOverview) -> None:
        from tui_dl.data.overview.read import TableOverview
        from tui_dl.ui.screens.dataset.panes import fill_describe, fill_table, source_line

        self.overview = overview
        self.query_one("#ds-message").display = False
        self.query_one("#ds-body").display = True
        self.query_one("#ds-source", Static).update(source_line(overview))
        self.refresh_bindings()
        if isinstance(overview, TableOverview):
            fill_table(self.query_one("#ds-table", TextTable), overview)
            note = fill_describe(self.query_one("#ds-describe", TextTable), overview)
            self.query_one("#ds-describe-note", Static).update(note)
        self.call_after_refresh(self.draw)

    @on(DataTable.CellHighlighted, "#ds-table")
    def cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        """The cursor's column named in full under the table (house votes' are numbered)."""
        from tui_dl.data.overview.read import TableOverview
        from tui_dl.ui.screens.dataset.panes import cursor_line

        if isinstance(self.overview, TableOverview):
            row, column = event.coordinate
            line = cursor_line(self.overview, row, column)
            self.query_one("#ds-legend", Static).update(line)

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        """The parts laid out by width: the sheet of pictures, the bars."""
        from tui_dl.data.overview.read import TableOverview
        from tui_dl.ui.screens.dataset.panes import image_balance, table_balance

        overview = self.overview
        if overview is None:
            return
        width = max(30, min(100, self.size.width - 6))
        balance = (
            table_balance(overview, width)
            if isinstance(overview, TableOverview)
            else image_balance(overview, width)
        )
        self.query_one("#ds-balance", Static).update(balance)
        self.draw_examples()

    def draw_examples(self) -> None:
        from tui_dl.data.overview.read import ImageOverview
        from tui_dl.ui.screens.dataset.panes import example_sheet

        if not isinstance(self.overview, ImageOverview):
            return
        sheet = self.query_one(ExampleSheet)
        width = sheet.content_size.width or self.size.width - 4
        sheet.update(example_sheet(self.overview, width, self.size.height))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab":
            return self.overview is not None
        return True

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane)]
        if tabs.active in panes:
            tabs.active = str(panes[(panes.index(tabs.active) + step) % len(panes)])
