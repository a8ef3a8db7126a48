"""The ethics checklist on its own screen, for a project rather than a lesson.

The mammogram project (and `--screen ethics:PROJECT`) opens it; the lesson embeds the same
widget beside its text.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.lesson.ethics_checklist import EthicsChecklist


class EthicsScreen(AppScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, project: str = "general") -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        yield Header()
        yield EthicsChecklist(self.project, id="ethics-screen-checklist")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Ethics checklist"
        self.sub_title = "before a model is used on people"
        self.query_one(EthicsChecklist).items.focus()
