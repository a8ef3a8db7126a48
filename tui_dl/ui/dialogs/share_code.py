"""Share codes in the app: the code for what this screen shows (ctrl+s), and a code typed
in to open it (the palette's "Open a share code", a code the instructor put on every seat,
and the class view's "put a code on every seat")."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_dl.lessons.share.codes import Shared, decode, describe
from tui_dl.ui.widgets.text_field import TextField

CSS = """
ShareCode, OpenCode { align: center middle; }
ShareCode > Vertical, OpenCode > Vertical {
    width: 72; max-width: 100%; height: auto;
    border: round $accent; background: $surface; padding: 1 2;
}
ShareCode Static, OpenCode Static { height: auto; }
ShareCode #share-code { text-style: bold; color: $accent; padding: 1 0; }
OpenCode #open-problem { color: $error; }
ShareCode .hint, OpenCode .hint { color: $text-muted; }
"""


class ShareCode(ModalScreen[None]):
    """The code for a setup, to read out or paste: what it opens and how to open it."""

    DEFAULT_CSS = CSS
    BINDINGS = [Binding("escape,enter,ctrl+s", "dismiss(None)", "Close")]

    def __init__(self, code: str, shared: Shared) -> None:
        super().__init__()
        self.code = code
        self.shared = shared

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Share code"
            yield Static(Text(f"Opens {describe(self.shared)}."))  # its settings, as typed
            yield Static(Text(self.code), id="share-code")
            yield Static(Text.assemble("In a terminal: ", (f"tui-dl open {self.code}", "bold")))
            yield Static(
                "In the app: the palette's “Open a share code”. · escape closes", classes="hint"
            )


class OpenCode(ModalScreen[Shared | None]):
    """A code typed in; dismissed with what it opens once it reads (None: escape)."""

    DEFAULT_CSS = CSS
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, title: str = "Open a share code", code: str = "", go: str = "open") -> None:
        super().__init__()
        self.title_text = title
        self.code = code
        self.go = go

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static("A code starts with TD1- (case, spaces and dashes do not matter):")
            yield TextField(self.code, placeholder="TD1-…", id="open-input")
            yield Static("", id="open-problem")
            yield Static(f"enter: {self.go} · escape: close", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.code:
            self.check(self.code)

    def check(self, text: str) -> Shared | None:
        problem = self.query_one("#open-problem", Static)
        if not text.strip():
            problem.update("")
            return None
        try:
            shared = decode(text)
        except ValueError as exc:
            problem.update(Text(str(exc)))  # it quotes what was typed
            return None
        problem.update(Text(f"Opens {describe(shared)}.", style="green"))
        return shared

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        self.check(event.value)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        shared = self.check(event.value)
        if shared is None and not event.value.strip():
            self.query_one("#open-problem", Static).update("Type or paste a code first.")
        if shared is not None:
            self.dismiss(shared)
