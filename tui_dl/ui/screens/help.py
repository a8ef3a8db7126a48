"""`?`: the keys, and what tui-dl is doing behind the screens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP_TEXT = """\
# tui-dl help

| key | where | what |
|---|---|---|
| `?` | anywhere | this help |
| `q` | anywhere | quit (runs keep training) |
| `ctrl+p` | anywhere | command palette: every screen and action |
| `l` `r` `d` | home | lab, runs, data |
| `tab` | anywhere | next panel or field |
| `enter` | lists | open the selected item |
| `ctrl+r` | lab | start a run with the settings shown |
| `c` | lab, runs | cancel the live run |
| `n` | lab | new run with the same settings |
| `escape` | anywhere | back |

Each run trains in its own process and writes its events to its run folder; quitting
tui-dl or losing the SSH link does not stop it. Open it again from **Runs**.
`tui-dl --screen lab --run latest` puts a whole class on the same page.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP_TEXT)

    def action_dismiss(self) -> None:
        self.dismiss()
