"""One lesson: its Markdown pages, beside them the live widget a page asks for, its check
questions, a closing page (the score, what to read again, the course's next step; `n` goes
there), and its "try it" keys.

Each page that shows a widget has an instance of its own, started from the state that
page's text assumes: what was done on one page never changes what another page's
instructions meet. Turning away and back keeps a page's widget as it was left.

Page keys live on the screen; a widget's own keys win because Textual asks the focused widget
first. So `n`/`p` always turn the page, and the arrows do too unless the focused widget uses
them (the softmax and activation widgets do; gradient descent leaves left/right free). On the
questions page they move between questions, and past the first one back to the pages.

`t` opens the lesson's one "try it" entry (a menu when it has several), `1`…`9` each entry
directly — unless the focused widget uses the key (the softmax's `t`, the activations' digits,
a number being typed): `tab` to the text first. What it opens is pushed over the lesson, so
escape comes back here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Markdown, Static

from tui_dl.lessons import Lesson, load_lessons, load_progress, mark_seen, record_answer
from tui_dl.lessons.course import MapStep, course_map
from tui_dl.lessons.ending import lesson_ending
from tui_dl.lessons.questions import learner_seed
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.lesson.activation_plot import ActivationPlot
from tui_dl.ui.widgets.lesson.backprop_steps import BackpropSteps
from tui_dl.ui.widgets.lesson.convolution_filter import ConvolutionFilter
from tui_dl.ui.widgets.lesson.descent_bowl import DescentBowl
from tui_dl.ui.widgets.lesson.descent_curve import DescentCurve
from tui_dl.ui.widgets.lesson.ethics_checklist import EthicsChecklist
from tui_dl.ui.widgets.lesson.lesson_end import LessonEnd
from tui_dl.ui.widgets.lesson.optimizers_race import OptimizerRace
from tui_dl.ui.widgets.lesson.overfitting_curves import OverfittingCurves
from tui_dl.ui.widgets.lesson.perceptron_trainer import PerceptronTrainer
from tui_dl.ui.widgets.lesson.questions import QuestionsPanel
from tui_dl.ui.widgets.lesson.recurrent_gradients import RecurrentGradients
from tui_dl.ui.widgets.lesson.scaling_race import ScalingRace
from tui_dl.ui.widgets.lesson.softmax_bars import SoftmaxBars
from tui_dl.ui.widgets.lesson.vae_sampling import VaeSampling

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared

WIDGETS: dict[str, type[Widget]] = {
    "descent-1d": DescentCurve,
    "descent-2d": DescentBowl,
    "softmax": SoftmaxBars,
    "activations": ActivationPlot,
    "ethics-checklist": EthicsChecklist,
    "perceptron": PerceptronTrainer,
    "backprop": BackpropSteps,
    "optimizers": OptimizerRace,
    "overfitting": OverfittingCurves,
    "scaling": ScalingRace,
    "convolution": ConvolutionFilter,
    "recurrent": RecurrentGradients,
    "vae-sampling": VaeSampling,
}
"""A front matter's widget names → the widget the page embeds (one instance per page, so
its state survives turning the page and coming back, and no page inherits another's)."""
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
        Binding("n", "next_step", "Next step"),
        Binding("n,right", "page(1)", "Next page", key_display="n"),
        Binding("p,left", "page(-1)", "Previous", key_display="p"),
        Binding("t", "try_it", "Try it"),
        *(Binding(str(i), f"try_it({i - 1})", show=False) for i in range(1, 10)),
        Binding("pagedown", "scroll_text(1)", "Scroll text", show=False),
        Binding("pageup", "scroll_text(-1)", "Scroll text", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, lesson: Lesson, page: int | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        self._start_page = page
        self.page = 0
        self.progress, self._progress_problem = load_progress()
        self._start_problems: list[str] = []

    @property
    def pages(self) -> int:
        """The text pages, one more for the questions if the lesson has any, and the end."""
        return len(self.lesson.pages) + bool(self.lesson.questions) + 1

    @property
    def on_questions(self) -> bool:
        return bool(self.lesson.questions) and self.page == len(self.lesson.pages)

    @property
    def on_end(self) -> bool:
        return self.page == self.pages - 1

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="lesson-body"):
            with LessonText(id="lesson-text"):
                yield Markdown(id="lesson-md")
            with ContentSwitcher(id="lesson-widget"):
                for index, page in enumerate(self.lesson.pages):
                    if page.widget:
                        yield self._page_widget(index)
        if self.lesson.questions:
            entry = self.progress.get(self.lesson.id)
            yield QuestionsPanel(
                self.lesson.questions,
                entry.answers if entry else {},
                seed=learner_seed(),
                id="lesson-questions",
            )
        yield LessonEnd(id="lesson-end")
        yield Static(id="lesson-pager")
        yield KeysFooter()

    def _page_widget(self, index: int) -> Widget:
        """Page `index`'s own widget, in the state its text assumes (`@widget NAME WORDS`)."""
        page = self.lesson.pages[index]
        assert page.widget is not None
        widget = WIDGETS[page.widget](id=f"page-{index}-widget")
        if page.start:
            start = getattr(widget, "start_with", None)
            try:
                if start is None:
                    raise ValueError(f"{page.widget} takes no start words")
                start(page.start)
            except ValueError as exc:
                self._start_problems.append(f"{self.lesson.path}:{page.line}: {exc}")
        return widget

    def on_mount(self) -> None:
        for problem in self._start_problems:
            self.notify(problem, title="Lesson widget", severity="warning", timeout=10)
        self.title = self.lesson.title
        questions = len(self.lesson.questions)
        self.sub_title = f"{len(self.lesson.pages)} pages" + (
            f" · {questions} check questions" if questions else ""
        )
        if self._progress_problem:
            self.notify(
                self._progress_problem, title="Lesson progress", severity="warning", timeout=10
            )
        start = self._start_page
        if start is None:
            entry = self.progress.get(self.lesson.id)
            start = entry.last if entry else 0
        self.on_resize()
        self.show_page(start)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < WIDE, "-narrow")
        if self.is_mounted and self.page < len(self.lesson.pages):
            self._share_rows()

    def _share_rows(self) -> None:
        """Text above widget (a narrow terminal): a widget that says the rows it needs
        (`rows_needed()`: the CNN's 28-pixel digit) gets them, the text the rest, scrolling
        (at least 3 rows); others share as the stylesheet says."""
        if self.page >= len(self.lesson.pages):
            return
        try:
            text = self.query_one("#lesson-text", LessonText)
            needed = getattr(self.widget, "rows_needed", None)
        except NoMatches:
            # Called after a refresh (or a resize) that came while the lesson was being
            # closed: its widgets are already gone (a stray key killed the app so once).
            return
        if needed is None or not self.has_class("-narrow"):
            text.styles.clear_rule("height")
            return
        body = self.app.size.height - 3  # the header, the pager and the footer
        text.styles.height = max(3, body - needed())  # its lower border included

    @property
    def widget(self) -> Widget | None:
        """The live widget of the current page, if it has one."""
        if self.page >= len(self.lesson.pages):
            return None
        name = self.lesson.pages[self.page].widget
        return self.query_one(f"#page-{self.page}-widget") if name else None

    def show_page(self, index: int) -> None:
        self.page = max(0, min(self.pages - 1, index))
        for widget in self.query_one("#lesson-widget", ContentSwitcher).children:
            pause = getattr(widget, "pause", None)
            if pause:
                pause()
        questions, end = self.on_questions, self.on_end
        self.query_one("#lesson-body").display = not (questions or end)
        if self.lesson.questions:
            self.query_one(QuestionsPanel).display = questions
        self.query_one(LessonEnd).display = end
        if questions:
            self.query_one(QuestionsPanel).focus()
        elif end:
            self._show_end()
        else:
            self._show_text_page()
        mark_seen(self.lesson.id, self.page)
        self._show_pager()
        self.refresh_bindings()

    def _show_end(self) -> None:
        lessons, _ = load_lessons()
        course = course_map(lessons, self.progress)  # its order and titles: what comes next
        entry = self.progress.get(self.lesson.id)
        ending = lesson_ending(self.lesson, entry.answers if entry else {}, course)
        end = self.query_one(LessonEnd)
        end.show(ending)
        end.scroll_home(animate=False)
        end.focus()

    def _show_text_page(self) -> None:
        page = self.lesson.pages[self.page]
        self.query_one("#lesson-md", Markdown).update(page.text)
        self.query_one("#lesson-text", LessonText).scroll_home(animate=False)
        switcher = self.query_one("#lesson-widget", ContentSwitcher)
        switcher.current = f"page-{self.page}-widget" if page.widget else None
        switcher.display = page.widget is not None
        self.set_class(page.widget is not None, "-with-widget")
        self._share_rows()
        self.call_after_refresh(self._share_rows)  # a widget's width known: its rows too
        focus = self.widget or self.query_one("#lesson-text")
        if isinstance(focus, EthicsChecklist):
            focus = focus.items
        focus.focus()

    def on_descendant_focus(self) -> None:
        self._show_pager()  # whether `t` is the widget's or the lesson's changes with focus

    def _show_pager(self) -> None:
        if not self.is_mounted:
            return
        text_pages = len(self.lesson.pages)
        dots = "".join("●" if i == self.page else "○" for i in range(text_pages))
        if self.lesson.questions:
            dots += " " + ("◆" if self.on_questions else "◇")
        if self.on_end:
            dots = "".join("○" for _ in range(text_pages))
            dots += " ◇ ■" if self.lesson.questions else " ■"
            where = "the end · n next step · p back" if self._next_step() else "the end · p back"
        elif self.on_questions:
            right = self.query_one(QuestionsPanel).right
            where = f"questions · {right} of {len(self.lesson.questions)} right · p pages"
        else:
            questions = bool(self.lesson.questions)
            ahead = " · n questions" if self.page == text_pages - 1 and questions else ""
            where = f"page {self.page + 1}/{text_pages}{ahead or ' · n p pages'}"
            where += " · tab text/widget" if self.widget else ""
        line = f"{dots}  {where}{self._try_hint()} · esc back"
        if cell_len(line) > self.app.size.width - 2:  # the try's label: t's menu says it
            line = f"{dots}  {where}{self._try_hint(labelled=False)} · esc back"
        self.query_one("#lesson-pager", Static).update(Text(line))  # a label from the file

    def _try_hint(self, labelled: bool = True) -> str:
        """' · t try: LABEL', ' · t or 1–3 try it'; keys the focused widget takes are left
        out ('tab, t' when it takes t: the text's focus gives it back). Not `labelled`:
        ' · t try it' (the pager's one row holds no long label at 80 columns)."""
        tries = self.lesson.tries
        if not tries:
            return ""
        keys = ["t"] if self._free("t") else []
        if len(tries) > 1 and self._free("1"):
            keys.append(f"1–{len(tries)}")
        shown = " or ".join(keys) if keys else "tab, t"
        if len(tries) == 1 and labelled:
            return f" · {shown} try: {tries[0].label}"
        return f" · {shown} try it"

    def _free(self, key: str) -> bool:
        """Whether `key` reaches this screen's binding (not the focused widget's)."""
        if key.isdigit() and (self.on_questions or self.on_end):
            return False  # a choice's number, a number typed, a page to read again
        owner = self.active_bindings.get(key)
        return owner is None or owner.node is self

    # ----- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "try_it":
            if parameters:
                return int(str(parameters[0])) < len(self.lesson.tries)
            return bool(self.lesson.tries)
        if action == "page":
            target = self.page + int(str(parameters[0]))
            return 0 <= target < self.pages
        if action == "next_step":
            return self.on_end and self._next_step() is not None
        return True

    def _next_step(self) -> MapStep | None:
        ending = self.query_one(LessonEnd).ending
        return ending.next_step if ending is not None else None

    async def action_next_step(self) -> None:
        """The closing page's `n`: this lesson is done with, the course's next step opens."""
        step = self._next_step()
        if step is None:
            return
        from tui_dl.ui.tries import open_target

        app = self.app
        await app.pop_screen()
        await open_target(app, step.target)

    def share_target(self) -> Shared | None:
        """ctrl+s: this lesson, on this page."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target

        page = min(self.page, len(self.lesson.pages) - 1) if self.lesson.pages else None
        return Shared(Target("lesson", self.lesson.id), page)

    def action_page(self, step: int) -> None:
        target = self.page + step
        if 0 <= target < self.pages:
            self.show_page(target)

    def action_scroll_text(self, direction: int) -> None:
        if self.on_questions:
            panel = self.query_one(QuestionsPanel)
            panel.scroll_page_down() if direction > 0 else panel.scroll_page_up()
            return
        text = self.query_one("#lesson-text", LessonText)
        text.scroll_page_down() if direction > 0 else text.scroll_page_up()

    async def action_try_it(self, index: int | None = None) -> None:
        """`t`: the one entry, or a menu of them; `1`…`9`: that entry."""
        tries = self.lesson.tries
        if index is None and len(tries) > 1:
            from tui_dl.ui.dialogs.try_menu import TryMenu

            self.app.push_screen(TryMenu(tries), self._tried)
            return
        await self._tried(index or 0)

    async def _tried(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.lesson.tries):
            return
        from tui_dl.ui.tries import open_target

        await open_target(self.app, self.lesson.tries[index].target)

    @on(LessonEnd.Review)
    def review(self, event: LessonEnd.Review) -> None:
        self.show_page(event.page - 1)

    @on(QuestionsPanel.Moved)
    def question_moved(self) -> None:
        self._show_pager()

    @on(QuestionsPanel.Answered)
    def save_answer(self, event: QuestionsPanel.Answered) -> None:
        try:
            entry = record_answer(
                self.lesson.id, event.key, event.answer, self.lesson.question_keys
            )
        except OSError as exc:
            self.notify(
                f"The answer is not saved: {exc}", title="Lesson progress", severity="warning"
            )
            return
        self.progress[self.lesson.id] = entry
        self._show_pager()
