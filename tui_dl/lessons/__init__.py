"""Lessons: Markdown content with live widgets, the learner's progress, and their maths.

The maths (`tui_dl.lessons.maths`) is imported on its own by the widgets that need it, so
listing lessons never loads numpy.
"""

from tui_dl.lessons.content import (
    PAGE_BREAK,
    WIDGETS,
    Lesson,
    LessonError,
    Page,
    find_lesson,
    lessons_dir,
    load_lessons,
    parse_front_matter,
    read_lesson,
)
from tui_dl.lessons.progress import LessonProgress, load_progress, mark_seen, save_progress

__all__ = [
    "PAGE_BREAK",
    "WIDGETS",
    "Lesson",
    "LessonError",
    "LessonProgress",
    "Page",
    "find_lesson",
    "lessons_dir",
    "load_lessons",
    "load_progress",
    "mark_seen",
    "parse_front_matter",
    "read_lesson",
    "save_progress",
]
