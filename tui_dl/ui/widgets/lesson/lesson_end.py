"""A lesson's closing page: the score, each question missed with a key to the page that
teaches it, and the next step of the course (the lesson screen's `n` goes there).

The digit shown beside a missed question is its number on the questions page; pressing it
posts `LessonEnd.Review` and the lesson screen turns to that page.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui_dl.lessons.ending import Ending
from tui_dl.ui.widgets.lesson.questions import inline_markdown


class LessonEnd(VerticalScroll, can_focus=True, inherit_bindings=False):
    DEFAULT_CSS = """
    LessonEnd { height: 1fr; padding: 0 1; }
    LessonEnd > Static { height: auto; }
    """
    BINDINGS = [
        *(Binding(str(i), f"review({i})", show=False) for i in range(1, 10)),
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
    ]

    class Review(Message):
        """Open `page` (1-based), which teaches a missed question."""

        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ending: Ending | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-end-text")

    def show(self, ending: Ending) -> None:
        self.ending = ending
        self.query_one("#lesson-end-text", Static).update(render_ending(ending))
        self.refresh_bindings()

    def _page_of(self, number: int) -> int | None:
        if self.ending is None:
            return None
        return next((m.page for m in self.ending.missed if m.number == number), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return self._page_of(int(str(parameters[0]))) is not None
        return True

    def action_review(self, number: int) -> None:
        page = self._page_of(number)
        if page is not None:
            self.post_message(self.Review(page))


def render_ending(ending: Ending) -> Text:
    text = Text()
    text.append("The end of ", "bold")
    text.append(ending.title, "bold")  # from the lesson's file: plain text, never markup
    text.append("\n\n")
    text.append("Score: ", "bold")
    text.append(f"{ending.score}\n")
    if ending.missed:
        text.append("\nTo read again — the key opens the page that teaches it:\n", "bold")
        for missed in ending.missed:
            mark = "✗" if missed.answered else "·"
            key = str(missed.number) if missed.page and missed.number <= 9 else " "
            text.append(f" {key} ", "bold reverse" if key.strip() else "")
            text.append(f" {mark} ")
            text.append_text(inline_markdown(missed.prompt))
            where = f"page {missed.page}: {missed.page_title}" if missed.page else "no page named"
            state = "" if missed.answered else "not answered · "
            text.append(f"\n       {state}{where}\n", "dim")
    elif ending.total:
        text.append("\nEvery question answered right.\n", "green")
    text.append("\n")
    if ending.next_step is not None:
        step = ending.next_step
        text.append("Next in the course: ", "bold")
        text.append(f"step {ending.next_number}, {step.title}")
        text.append(f" ({step.kind})\n")
        text.append("n goes there · p back to the questions · esc back", "dim")
    else:
        text.append("This is the course's last step.\n", "bold")
        text.append("p back to the questions · esc back", "dim")
    return text
