"""Lessons: Markdown content with live widgets, check questions and "try it" targets, the
learner's progress, the course map, and the widgets' maths.

The maths (`tui_dl.lessons.maths`) is imported on its own by the widgets that need it, so
listing lessons never loads numpy.
"""

from tui_dl.lessons.content import (
    PAGE_BREAK,
    WIDGETS,
    FrontMatter,
    Lesson,
    LessonError,
    Page,
    find_lesson,
    lessons_dir,
    load_lessons,
    parse_front_matter,
    read_lesson,
)
from tui_dl.lessons.progress import (
    Answer,
    LessonProgress,
    load_progress,
    mark_seen,
    record_answer,
    save_progress,
)
from tui_dl.lessons.questions import (
    QUESTIONS_BREAK,
    ChoiceQuestion,
    NumberQuestion,
    Question,
)
from tui_dl.lessons.tries import Target, Try

__all__ = [
    "PAGE_BREAK",
    "QUESTIONS_BREAK",
    "WIDGETS",
    "Answer",
    "ChoiceQuestion",
    "FrontMatter",
    "Lesson",
    "LessonError",
    "LessonProgress",
    "NumberQuestion",
    "Page",
    "Question",
    "Target",
    "Try",
    "find_lesson",
    "lessons_dir",
    "load_lessons",
    "load_progress",
    "mark_seen",
    "parse_front_matter",
    "read_lesson",
    "record_answer",
    "save_progress",
]
