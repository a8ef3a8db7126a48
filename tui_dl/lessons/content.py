"""Lessons as content: `lessons/*.md`, front matter and Markdown pages, read without Python.

An instructor edits the Markdown; this module finds the files, reads their front matter
(id, title, order, summary, widgets) and splits the body into pages. Every mistake it can
spot is a `LessonError` naming the file and the line, so a typo shows up as a message in the
app and in `tui-dl lessons`, never as a crash.

The conventions, also written at the top of every lesson file:
- a line holding only `---page---` starts a new page;
- a line holding only `@widget NAME` puts that live widget beside the page's text; the name
  must be one of `WIDGETS` and be listed in the front matter's `widgets: [...]`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = ("id", "title", "order")
PAGE_BREAK = "---page---"
WIDGET_LINE = re.compile(r"^@widget\s+(\S+)\s*$")
WIDGETS = ("descent-1d", "descent-2d", "softmax", "activations", "ethics-checklist")
"""The live widgets a page may embed; the app maps each name to a Textual widget."""
LESSON_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class LessonError(ValueError):
    """A lesson file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Page:
    text: str
    """The page's Markdown, without the `@widget` line."""
    widget: str | None = None
    line: int = 1
    """Where the page starts in its file, for messages."""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    order: int
    summary: str
    path: Path
    widgets: tuple[str, ...] = field(default_factory=tuple)
    pages: tuple[Page, ...] = field(default_factory=tuple)


def lessons_dir() -> Path:
    """`TUI_DL_LESSONS` if set (an instructor's own copy); else the repo's `lessons/` in a
    checkout, or the copy packed into the wheel."""
    override = os.environ.get("TUI_DL_LESSONS")
    if override:
        return Path(override).expanduser()
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "lessons"
    return repo if repo.is_dir() else package / "_lessons"


def parse_front_matter(path: Path) -> tuple[dict[str, str], dict[str, int], list[str], int]:
    """(fields, line of each field, all lines, index where the body starts).

    Only `key: value` lines; lists as [a, b]; lines starting with `#` are comments.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonError(f"{path}:1: a lesson starts with a '---' front matter line")
    fields: dict[str, str] = {}
    where: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            missing = [key for key in REQUIRED if key not in fields]
            if missing:
                raise LessonError(f"{path}:1: front matter lacks {', '.join(missing)}")
            return fields, where, lines, number + 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise LessonError(f"{path}:{number}: expected 'key: value', got {line.strip()!r}")
        fields[key.strip()] = value.strip()
        where[key.strip()] = number
    raise LessonError(f"{path}:{len(lines)}: the front matter is never closed with '---'")


def _widget_list(path: Path, value: str, line: int) -> tuple[str, ...]:
    if value and not (value.startswith("[") and value.endswith("]")):
        raise LessonError(f"{path}:{line}: widgets are written as a list: widgets: [a, b]")
    names = tuple(w.strip() for w in value.strip("[]").split(",") if w.strip())
    for name in names:
        if name not in WIDGETS:
            raise LessonError(
                f"{path}:{line}: unknown widget {name!r}; known: {', '.join(WIDGETS)}"
            )
    return names


def split_pages(path: Path, lines: list[str], body_start: int, widgets: tuple[str, ...]):
    """The body's pages; `body_start` is the 1-based line after the front matter."""
    pages: list[Page] = []
    chunk: list[str] = []
    start, widget = body_start, None

    def close(end: int) -> None:
        text = "\n".join(chunk).strip()
        if not text:
            raise LessonError(f"{path}:{end}: page {len(pages) + 1} is empty")
        pages.append(Page(text, widget, start))

    for number, line in enumerate(lines[body_start - 1 :], start=body_start):
        if line.strip() == PAGE_BREAK:
            close(number)
            chunk, start, widget = [], number + 1, None
            continue
        match = WIDGET_LINE.match(line.strip())
        if match or line.strip().startswith("@widget"):
            name = match.group(1) if match else ""
            if name not in widgets:
                listed = ", ".join(widgets) or "none"
                raise LessonError(
                    f"{path}:{number}: widget {name!r} is not in the front matter's "
                    f"widgets (listed: {listed})"
                )
            if widget:
                raise LessonError(f"{path}:{number}: one widget per page ({widget} is here)")
            widget = name
            continue
        chunk.append(line)
    close(len(lines))
    return tuple(pages)


def read_lesson(path: Path) -> Lesson:
    fields, where, lines, body_start = parse_front_matter(path)
    try:
        order = int(fields["order"])
    except ValueError:
        raise LessonError(
            f"{path}:{where['order']}: order must be a whole number, not {fields['order']!r}"
        ) from None
    if not LESSON_ID.match(fields["id"]):
        raise LessonError(
            f"{path}:{where['id']}: id {fields['id']!r} may hold only a-z, 0-9 and '-'"
        )
    widgets = _widget_list(path, fields.get("widgets", ""), where.get("widgets", 1))
    pages = split_pages(path, lines, body_start, widgets)
    return Lesson(
        fields["id"], fields["title"], order, fields.get("summary", ""), path, widgets, pages
    )


def load_lessons(folder: Path | None = None) -> tuple[list[Lesson], list[str]]:
    """(lessons in order, problems): a broken file is reported, never fatal."""
    lessons: list[Lesson] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in sorted((folder or lessons_dir()).glob("*.md")):
        try:
            lesson = read_lesson(path)
        except (LessonError, OSError, UnicodeDecodeError) as exc:
            problems.append(str(exc))
            continue
        if lesson.id in seen:
            problems.append(f"{path}: id {lesson.id!r} is already used by {seen[lesson.id]}")
            continue
        seen[lesson.id] = path
        lessons.append(lesson)
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id)), problems


def find_lesson(lesson_id: str, folder: Path | None = None) -> Lesson:
    """The lesson with this id, or a LessonError that says what went wrong with it."""
    lessons, problems = load_lessons(folder)
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    hint = f" ({'; '.join(problems)})" if problems else ""
    known = ", ".join(lesson.id for lesson in lessons) or "none"
    raise LessonError(f"no lesson {lesson_id!r}; lessons: {known}{hint}")
