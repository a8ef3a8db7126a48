"""`?`: the keys of the screen it was opened over, and what tui-dl is doing behind the screens.

The table is read from the bindings themselves — the screen's, its widgets' and the app's, as
Textual holds them when `?` is pressed, with their own `check_action` — so help cannot name a
key that does nothing there, nor miss one the footer shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_dl.ui.render.rendered_once import RenderedOnce
from tui_dl.ui.render.tinted_screen import TintedLines, TintedScreen
from tui_dl.ui.screens.app_screen import SCREENS_CSS, AppScreen

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.visual import Visual

ABOUT = (
    "Each run trains in its own process and writes its events to its run folder: quitting "
    "tui-dl or losing the SSH link does not stop it — open it again from Runs. "
    "`tui-dl --screen lab --run latest` puts a whole class on the same page. "
    "Every screen has its own keys: press ? there."
)
HERE, PANELS, ANYWHERE = "here", "tab to it", "anywhere"
"""The sections: the keys that act now, those of another panel of this screen, the app's."""


@dataclass(frozen=True)
class HelpRow:
    section: str
    keys: tuple[str, ...]
    """Each key as the footer writes it (`^s`, `?`, `n`)."""
    description: str
    bindings: tuple[Binding, ...]
    """The bindings this row stands for (the test holds the table to them)."""

    @property
    def shown_keys(self) -> str:
        keys = list(self.keys)
        digits = [k for k in keys if len(k) == 1 and k.isdigit()]
        if len(digits) > 2 and len(digits) == len(keys):  # 1 2 3 … 9 → 1–9
            return f"{digits[0]}–{digits[-1]}"
        return "  ".join(keys)


def _described(node: DOMNode, binding: Binding) -> str:
    """A binding's own words; a key without any borrows them from its node's bindings of the
    same action when they all say one thing (the lesson's 1–9 from `t Try it`)."""
    if binding.action in TEXTUAL_KEPT:
        return TEXTUAL_KEPT[binding.action]
    if binding.description:
        return binding.description
    name = binding.action.partition("(")[0]
    words = {
        other.description
        for _, other in node._bindings
        if other.description and other.action.partition("(")[0] == name
    }
    return words.pop() if len(words) == 1 else ""


TEXTUAL_KEPT = {
    "app.focus_next": "Next panel or field",
    "app.focus_previous": "Previous panel or field",
    "command_palette": "Command palette: every screen, lab and lesson",
    "select": "Open the selected row",
    "select_cursor": "Open the selected row",
}
"""Textual's own keys that help lists, in words: the panels and the palette. The rest of
Textual's (an input's ctrl+u, a list's arrows) work as in every terminal app and would drown
the table."""


def _declared(node: DOMNode) -> set[str]:
    """The actions tui-dl's own classes bind on this node, and the Textual keys kept."""
    actions = set(TEXTUAL_KEPT)
    for cls in type(node).__mro__:
        if cls.__module__.startswith("tui_dl."):
            actions |= {
                b.action for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)
            }
    return actions


def help_rows(screen: Screen[Any], app: App[Any]) -> list[HelpRow]:
    """The keys of `screen` now: what acts here (its focused widget's, its own), the other
    panels' of this screen (tab reaches them), and the app's."""
    grouped: dict[tuple[str, str], list[tuple[str, Binding]]] = {}
    declared: dict[int, set[str]] = {}

    def add(section: str, node: DOMNode, key: str, binding: Binding) -> None:
        if binding.action not in declared.setdefault(id(node), _declared(node)):
            return
        words = _described(node, binding)
        if words:
            grouped.setdefault((section, words), []).append((key, binding))

    active = screen.active_bindings
    for key, entry in active.items():
        anywhere = entry.node is app or entry.binding.action.startswith("app.focus_")
        add(ANYWHERE if anywhere else HERE, entry.node, key, entry.binding)
    in_chain = {id(entry.node) for entry in active.values()}
    for node in screen.query("*"):
        if id(node) in in_chain or not node.display:
            continue
        for key, binding in node._bindings:
            if app._check_action_state(binding.action, node) is not False:
                add(PANELS, node, key, binding)
    rows = [
        HelpRow(
            section,
            tuple(dict.fromkeys(app.get_key_display(Binding(key, b.action)) for key, b in keys)),
            words,
            tuple(b for _, b in keys),
        )
        for (section, words), keys in grouped.items()
    ]
    here = {(row.keys, row.description) for row in rows if row.section == HERE}
    rows = [row for row in rows if row.section != PANELS or (row.keys, row.description) not in here]
    order = (HERE, PANELS, ANYWHERE)
    return sorted(rows, key=lambda row: order.index(row.section))


HEADINGS = {
    HERE: "On this screen",
    PANELS: "In another panel of this screen (tab to it)",
    ANYWHERE: "Anywhere",
}


def help_renderable(rows: list[HelpRow], title: str) -> Group:
    """A short table per section, under its heading; the key column as wide as its keys."""
    width = max((len(row.shown_keys) for row in rows), default=4)
    heading = Text("tui-dl help", style="bold")
    if title:
        heading.append(f" · {title}", style="")
    parts: list[Text | Table] = [heading]
    for section in (HERE, PANELS, ANYWHERE):
        shown = [row for row in rows if row.section == section]
        if not shown:
            continue
        table = Table(box=None, expand=True, padding=(0, 1), show_header=False)
        table.add_column("key", style="bold yellow", no_wrap=True, width=min(width, 16))
        table.add_column("what", ratio=1)
        for row in shown:
            table.add_row(Text(row.shown_keys), Text(row.description))
        parts += [Text(""), Text(HEADINGS[section], style="bold"), table]
    return Group(*parts, Text(""), Text(ABOUT))


KEEP_RENDERED = 16
"""How many helps (a screen's keys, as they were) are kept laid out for their next opening."""
_RENDERED: dict[tuple[tuple[HelpRow, ...], str], RenderedOnce] = {}
_TINTED: TintedLines = {}
"""The lines of the screens under help, tinted (`TintedScreen`)."""


class HelpScreen(ModalScreen[None], AppScreen):
    """Kept once built (`registry`): opened again, it lists the keys of the screen it now
    opens over, from the top."""

    CSS_PATH = SCREENS_CSS
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("ctrl+s", "app.share", show=False),  # a modal screen holds the app's keys back
    ]

    def __init__(self, over: Screen[Any] | None = None) -> None:
        super().__init__()
        self.over = over
        """The screen whose keys this help lists (the one `?` was pressed on); None: the one
        under it."""
        self.rows: list[HelpRow] = []
        self._shown: RenderedOnce | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._listing())

    def on_screen_resume(self) -> None:
        if self.shown_before:  # kept: opened again, perhaps over another screen
            self.over = None
            listing = self._listing()
            if listing is not self._shown:
                self.query_one(Static).update(listing)
            self.query_one(VerticalScroll).scroll_home(animate=False)

    def _listing(self) -> RenderedOnce:
        """The keys of the screen under this help, laid out (once per rows and title)."""
        over = self.over if self.over is not None else self._under()
        self.rows = help_rows(over, self.app)
        from tui_dl.ui import registry

        entry = next((e for e in registry.SCREENS if e.shows(over) and e.title), None)
        title = entry.title if entry is not None else str(getattr(over, "title", "") or "")
        key = (tuple(self.rows), title)
        if key not in _RENDERED:  # help over the same screen: laid out once (`RenderedOnce`)
            if len(_RENDERED) >= KEEP_RENDERED:
                del _RENDERED[next(iter(_RENDERED))]
            _RENDERED[key] = RenderedOnce(help_renderable(self.rows, title))
        self._shown = _RENDERED[key]
        return self._shown

    def render(self) -> RenderableType | Visual:  # type: ignore[override]
        """The screen under help, tinted, each of its lines tinted once (`TintedScreen`).
        (A widget may render a Visual; Textual's `Screen.render` is annotated narrower.)"""
        background = super().render()
        if isinstance(background, BackgroundScreen):
            return TintedScreen(background, _TINTED)
        return background

    def _under(self) -> Screen[Any]:
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[index - 1]

    def action_close(self) -> None:
        self.dismiss()
