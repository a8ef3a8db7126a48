"""One lesson: its Markdown pages, and beside them the live widget a page asks for.

Page keys live on the screen; a widget's own keys win because Textual asks the focused widget
first. So `n`/`p` always turn the page, and the arrows do too unless the focused widget uses
them (the softmax and activation widgets do; gradient descent leaves left/right free).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, Markdown, Static

from tui_dl.lessons import Lesson, load_progress, mark_seen
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.lesson.activation_plot import ActivationPlot
from tui_dl.ui.widgets.lesson.descent_bowl import DescentBowl
from tui_dl.ui.widgets.lesson.descent_curve import DescentCurve
from tui_dl.ui.widgets.lesson.ethics_checklist import EthicsChecklist
from tui_dl.ui.widgets.lesson.softmax_bars import SoftmaxBars

WIDGETS: dict[str, type[Widget]] = {
    "descent-1d": DescentCurve,
    "descent-2d": DescentBowl,
    "softmax": SoftmaxBars,
    "activations": ActivationPlot,
    "ethics-checklist": EthicsChecklist,
}
"""A front matter's widget names → the widget the page embeds (one instance per lesson, so
its state survives turning the page and coming back)."""
WIDE = 120
"""From this many columns on, text and widget stand side by side."""


class LessonText(VerticalScroll, inherit_bindings=False):
    """The page's prose. Scrolls with up/down, but leaves left/right to turn the page."""

    BINDINGS = [
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]


class LessonScreen(AppScreen):
    BINDINGS = [
        Binding("n,right", "page(1)", "Next page", key_display="n"),
        Binding("p,left", "page(-1)", "Previous", key_display="p"),
        Binding("pagedown", "scroll_text(1)", "Scroll text", show=False),
        Binding("pageup", "scroll_text(-1)", "Scroll text", show=False),
        Binding("escape", "app.pop_screen", "Lessons"),
    ]

    def __init__(self, lesson: Lesson, page: int | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        self._start_page = page
        self.page = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="lesson-body"):
            with LessonText(id="lesson-text"):
                yield Markdown(id="lesson-md")
            with ContentSwitcher(id="lesson-widget"):
                for name in self.lesson.widgets:
                    yield WIDGETS[name](id=f"widget-{name}")
        yield Static(id="lesson-pager")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.sub_title = f"lesson {self.lesson.order}"
        progress, problem = load_progress()
        if problem:
            self.notify(problem, title="Lesson progress", severity="warning", timeout=10)
        start = self._start_page
        if start is None:
            start = progress[self.lesson.id].last if self.lesson.id in progress else 0
        self.on_resize()
        self.show_page(start)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < WIDE, "-narrow")

    @property
    def widget(self) -> Widget | None:
        """The live widget of the current page, if it has one."""
        name = self.lesson.pages[self.page].widget
        return self.query_one(f"#widget-{name}") if name else None

    def show_page(self, index: int) -> None:
        pages = self.lesson.pages
        self.page = max(0, min(len(pages) - 1, index))
        for widget in self.query_one("#lesson-widget", ContentSwitcher).children:
            pause = getattr(widget, "pause", None)
            if pause:
                pause()
        page = pages[self.page]
        self.query_one("#lesson-md", Markdown).update(page.text)
        self.query_one("#lesson-text", LessonText).scroll_home(animate=False)
        switcher = self.query_one("#lesson-widget", ContentSwitcher)
        switcher.current = f"widget-{page.widget}" if page.widget else None
        switcher.display = page.widget is not None
        self.set_class(page.widget is not None, "-with-widget")
        focus = self.widget or self.query_one("#lesson-text")
        if isinstance(focus, EthicsChecklist):
            focus = focus.items
        focus.focus()
        mark_seen(self.lesson.id, self.page)
        self._show_pager()

    def _show_pager(self) -> None:
        total = len(self.lesson.pages)
        dots = "".join("●" if i == self.page else "○" for i in range(total))
        last = " (the last)" if self.page == total - 1 else ""
        hint = " · tab text/widget" if self.widget else ""
        self.query_one("#lesson-pager", Static).update(
            f"{dots}  page {self.page + 1}/{total}{last} · n next · p previous{hint} · esc lessons"
        )

    def action_page(self, step: int) -> None:
        target = self.page + step
        if 0 <= target < len(self.lesson.pages):
            self.show_page(target)

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one("#lesson-text", LessonText)
        text.scroll_page_down() if direction > 0 else text.scroll_page_up()
