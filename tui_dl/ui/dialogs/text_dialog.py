"""One line of text in a box over the screen: a value to edit (a Playground weight) or to read
and copy (the Playground's state as the web's URL). Dismissed with the line, or None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_dl.ui.widgets.text_field import TextField


class TextDialog(ModalScreen[str | None]):
    """One line of text to edit (a weight) or to read and copy (the state)."""

    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > Vertical { width: 90%; max-width: 110; height: auto; border: round $accent;
                            padding: 0 1; background: $surface; }
    TextDialog Static { height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str, note: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.note = title, value, note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield TextField(self.value, id="dialog-input")
            if self.note:
                yield Static(Text(self.note, style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
