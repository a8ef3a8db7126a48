"""A browser seat's first screen: the learner's name, asked once (kept in the seat's folder;
the runs started here carry it, and the instructor's class view shows it)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_dl.engine.workshop.seats import MAX_NAME, set_seat_name, validate_seat_name
from tui_dl.ui.widgets.text_field import TextField


class SeatName(ModalScreen[str]):
    """Dismissed with the name as kept; there is no way past it without one."""

    DEFAULT_CSS = """
    SeatName { align: center middle; }
    SeatName > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    SeatName Static { height: auto; }
    SeatName #seat-problem { color: $error; }
    SeatName #seat-help { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "insist", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Welcome to the workshop"
            yield Static("Your name, as the instructor should see it beside your runs:")
            yield TextField(placeholder="e.g. Ana Lima", max_length=MAX_NAME * 2, id="seat-input")
            yield Static("", id="seat-problem")
            yield Static("enter keeps it (asked once: a reload keeps this seat)", id="seat-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        problem = self.query_one("#seat-problem", Static)
        if not event.value.strip():
            problem.update("")
            return
        try:
            validate_seat_name(event.value)
        except ValueError as exc:
            problem.update(Text(str(exc)))  # it quotes the name as typed
        else:
            problem.update("")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        try:
            name = set_seat_name(event.value)
        except ValueError as exc:
            self.query_one("#seat-problem", Static).update(Text(str(exc)))
            return
        except OSError as exc:
            self.query_one("#seat-problem", Static).update(
                Text(f"Could not keep the name ({exc.strerror or exc}): tell the instructor.")
            )
            return
        self.dismiss(name)

    def action_insist(self) -> None:
        self.query_one("#seat-problem", Static).update(
            "A name first: it is how the instructor finds your runs."
        )
