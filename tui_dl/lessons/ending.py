"""A lesson's end: the score, each question missed with the page that teaches it, and the
next step of the course.

Built from what is handed in — the lesson, the learner's answers, the course map — so the
closing page and its tests need neither the UI nor a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_dl.lessons.content import Lesson, Page
from tui_dl.lessons.course import CourseMap, MapStep
from tui_dl.lessons.progress import Answer
from tui_dl.lessons.tries import Target


@dataclass(frozen=True)
class Missed:
    """A question not answered right (or not answered at all)."""

    number: int
    """1-based, as the questions page counts them: also the key that opens its page."""
    prompt: str
    answered: bool
    page: int | None
    """The 1-based page that teaches it (`@page N`), or None when the file names none."""
    page_title: str


@dataclass(frozen=True)
class Ending:
    title: str
    right: int
    answered: int
    total: int
    missed: tuple[Missed, ...]
    next_step: MapStep | None
    """The course's step after this lesson (None: the lesson is the last, or off the map)."""
    next_number: int | None
    """Its number on the course map (1-based)."""

    @property
    def score(self) -> str:
        """'4 of 5 right', and how many are still open."""
        line = f"{self.right} of {self.total} right"
        open_ = self.total - self.answered
        return line if not open_ else f"{line} · {open_} not answered"


def page_title(page: Page, number: int) -> str:
    """A page's first heading ('Local minima and momentum'), else 'page N'."""
    for line in page.text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip() or f"page {number}"
    return f"page {number}"


def lesson_ending(lesson: Lesson, answers: dict[str, Answer], course: CourseMap) -> Ending:
    missed = []
    for number, question in enumerate(lesson.questions, start=1):
        answer = answers.get(question.key)
        if answer is not None and answer.right:
            continue
        page = question.page if question.page and question.page <= len(lesson.pages) else None
        title = page_title(lesson.pages[page - 1], page) if page else ""
        missed.append(Missed(number, question.prompt, answer is not None, page, title))
    keys = lesson.question_keys
    right = sum(key in answers and answers[key].right for key in keys)
    answered = sum(key in answers for key in keys)
    here = Target("lesson", lesson.id)
    steps = course.steps
    place = next((i for i, step in enumerate(steps) if step.target == here), None)
    after = place + 1 if place is not None and place + 1 < len(steps) else None
    return Ending(
        lesson.title,
        right,
        answered,
        len(keys),
        tuple(missed),
        steps[after] if after is not None else None,
        steps[after].number if after is not None else None,  # the number every surface shows
    )
