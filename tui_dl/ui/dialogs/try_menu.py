"""`t` on a lesson with several "try it" entries: pick one (or press its number)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_dl.lessons.tries import Try


class TryMenu(ModalScreen[int | None]):
    """Dismissed with the index of the entry chosen, or None."""

    DEFAULT_CSS = """
    TryMenu { align: center middle; }
    TryMenu > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TryMenu OptionList, TryMenu OptionList:focus { height: auto; max-height: 16; border: none; }
    TryMenu Static { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,t", "dismiss(None)", "Close"),
        *(Binding(str(i), f"pick({i - 1})", show=False) for i in range(1, 10)),
    ]

    def __init__(self, tries: tuple[Try, ...]) -> None:
        super().__init__()
        self.tries = tries

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Try it"
            yield OptionList(
                *(
                    Option(
                        Text.assemble(
                            (f"{i + 1}  ", "bold"),
                            entry.label,
                            ("\n   " + entry.target.text, "dim"),
                        )
                    )  # fmt: skip
                    for i, entry in enumerate(self.tries)
                ),
                id="try-options",
            )
            yield Static("enter or 1–9 opens it; escape there comes back · escape: close")

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.tries):
            self.dismiss(index)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)
