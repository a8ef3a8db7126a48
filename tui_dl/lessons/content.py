"""Lessons as content: `lessons/*.md`, front matter and Markdown pages, read without Python.

An instructor edits the Markdown; this module finds the files, reads their front matter
(id, title, order, summary, widgets) and splits the body into pages. Every mistake it can
spot is a `LessonError` naming the file and the line, so a typo shows up as a message in the
app and in `tui-dl lessons`, never as a crash.

The conventions, also written at the top of the first lesson file:
- a line holding only `---page---` starts a new page;
- a line holding only `@widget NAME` puts that live widget beside the page's text; the name
  must be one of `WIDGETS` and be listed in the front matter's `widgets: [...]`. Words after
  the name (`@widget backprop loss`) say the state the page's text assumes the widget starts
  in; the widget reads them (each page has its own instance);
- a line holding only `---questions---` ends the pages and starts the check questions
  (`tui_dl.lessons.questions`);
- the front matter's `try:` lists, one `- LABEL => TARGET` per indented line, what the
  lesson's `t` and `1`…`9` keys open (`tui_dl.lessons.tries`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tui_dl.lessons.questions import (
    Question,
    QuestionError,
    parse_questions,
    split_questions,
)
from tui_dl.lessons.tries import MAX_TRIES, TargetCheck, Try, parse_try

REQUIRED = ("id", "title", "order")
PAGE_BREAK = "---page---"
WIDGET_LINE = re.compile(r"^@widget\s+(\S+)((?:\s+\S+)*)\s*$")
WIDGETS = (
    "descent-1d",
    "descent-2d",
    "softmax",
    "activations",
    "ethics-checklist",
    "perceptron",
    "backprop",
    "optimizers",
    "overfitting",
    "scaling",
    "convolution",
    "recurrent",
    "vae-sampling",
)
"""The live widgets a page may embed; the app maps each name to a Textual widget."""
LESSON_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LIST_KEYS = ("try",)
"""Front-matter keys whose value is a list of indented `- item` lines."""


class LessonError(ValueError):
    """A lesson file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Page:
    text: str
    """The page's Markdown, without the `@widget` line."""
    widget: str | None = None
    line: int = 1
    """Where the page starts in its file, for messages."""
    start: tuple[str, ...] = ()
    """The words after `@widget NAME`: the state the page's text assumes its widget is in."""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    order: int
    summary: str
    path: Path
    widgets: tuple[str, ...] = field(default_factory=tuple)
    pages: tuple[Page, ...] = field(default_factory=tuple)
    questions: tuple[Question, ...] = field(default_factory=tuple)
    """The check questions after `---questions---` (none if it has no such line)."""
    tries: tuple[Try, ...] = field(default_factory=tuple)
    """What `t` (one) or `1`…`9` open: the front matter's `try:` entries."""

    @property
    def question_keys(self) -> tuple[str, ...]:
        return tuple(question.key for question in self.questions)


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, str]
    where: dict[str, int]
    """The line of each field."""
    items: dict[str, list[tuple[int, str]]]
    """A list key's items (`try:`), each with its line."""
    lines: list[str]
    """Every line of the file."""
    body_start: int
    """The 1-based line after the closing `---`."""


def lessons_dir() -> Path:
    """`TUI_DL_LESSONS` if set (an instructor's own copy); else the repo's `lessons/` in a
    checkout, or the copy packed into the wheel."""
    override = os.environ.get("TUI_DL_LESSONS")
    if override:
        return Path(override).expanduser()
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "lessons"
    return repo if repo.is_dir() else package / "_lessons"


def parse_front_matter(path: Path) -> FrontMatter:
    """The front matter between the first two `---` lines.

    `key: value` lines; lists as [a, b], or for a list key (`try:`) one indented `- item`
    line each under it; lines starting with `#` are comments.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonError(f"{path}:1: a lesson starts with a '---' front matter line")
    fields: dict[str, str] = {}
    where: dict[str, int] = {}
    items: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    """The list key whose items the indented lines are."""
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            missing = [key for key in REQUIRED if key not in fields]
            if missing:
                raise LessonError(f"{path}:1: front matter lacks {', '.join(missing)}")
            return FrontMatter(fields, where, items, lines, number + 1)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace() and line.lstrip().startswith("- "):
            if current is None:
                raise LessonError(
                    f"{path}:{number}: a '- ' item belongs under a list key with nothing after "
                    f"its colon ({', '.join(key + ':' for key in LIST_KEYS)})"
                )
            items[current].append((number, line.lstrip()[2:].strip()))
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or line[0].isspace():
            raise LessonError(f"{path}:{number}: expected 'key: value', got {line.strip()!r}")
        key, value = key.strip(), value.strip()
        fields[key], where[key] = value, number
        current = None
        if key in LIST_KEYS:
            if value:
                raise LessonError(
                    f"{path}:{number}: {key} entries go one per line under '{key}:', "
                    "indented: '  - LABEL => TARGET'"
                )
            current = key
            items[key] = []
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


def split_pages(
    path: Path, lines: list[str], body_start: int, widgets: tuple[str, ...], last: int
) -> tuple[Page, ...]:
    """The body's pages: 1-based lines `body_start` to `last` (where the questions begin)."""
    pages: list[Page] = []
    chunk: list[str] = []
    start, widget = body_start, None
    state: tuple[str, ...] = ()

    def close(end: int) -> None:
        text = "\n".join(chunk).strip()
        if not text:
            raise LessonError(f"{path}:{end}: page {len(pages) + 1} is empty")
        pages.append(Page(text, widget, start, state))

    for number, line in enumerate(lines[body_start - 1 : last], start=body_start):
        if line.strip() == PAGE_BREAK:
            close(number)
            chunk, start, widget, state = [], number + 1, None, ()
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
            state = tuple(match.group(2).split()) if match else ()
            continue
        chunk.append(line)
    close(last)
    return tuple(pages)


def read_lesson(path: Path, check: TargetCheck | None = None) -> Lesson:
    """One lesson file. `check` is the UI layer's deeper look at each try target (a
    Playground state, a sweep's grid, a screen's name): without it, only what this layer
    knows is checked."""
    front = parse_front_matter(path)
    fields, where = front.fields, front.where
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
    pages_end, questions_line = split_questions(front.lines, front.body_start)
    pages = split_pages(path, front.lines, front.body_start, widgets, pages_end)
    questions: tuple[Question, ...] = ()
    if questions_line is not None:
        try:
            questions = parse_questions(front.lines, questions_line + 1, len(pages))
        except QuestionError as exc:
            raise LessonError(f"{path}:{exc.line}: {exc.message}") from None
    tries = _tries(path, front.items.get("try", []), where.get("try", 1), check)
    return Lesson(
        fields["id"],
        fields["title"],
        order,
        fields.get("summary", ""),
        path,
        widgets,
        pages,
        questions,
        tries,
    )


def _tries(
    path: Path, items: list[tuple[int, str]], line: int, check: TargetCheck | None
) -> tuple[Try, ...]:
    if len(items) > MAX_TRIES:
        raise LessonError(f"{path}:{line}: at most {MAX_TRIES} try entries (keys 1–9)")
    tries = []
    for number, text in items:
        try:
            label, target = parse_try(text)
            if check is not None:
                check(target)
        except ValueError as exc:
            raise LessonError(f"{path}:{number}: try: {exc}") from None
        tries.append(Try(label, target, number))
    return tuple(tries)


def load_lessons(
    folder: Path | None = None, check: TargetCheck | None = None
) -> tuple[list[Lesson], list[str]]:
    """(lessons in order, problems): a broken file is reported, never fatal. `check`: see
    `read_lesson`."""
    lessons: list[Lesson] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in sorted((folder or lessons_dir()).glob("*.md")):
        try:
            lesson = read_lesson(path, check) if check else _read_kept(path)
        except (LessonError, OSError, UnicodeDecodeError) as exc:
            problems.append(str(exc))
            continue
        if lesson.id in seen:
            problems.append(f"{path}: id {lesson.id!r} is already used by {seen[lesson.id]}")
            continue
        seen[lesson.id] = path
        lessons.append(lesson)
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id)), problems


_KEPT: dict[Path, tuple[bytes, Lesson]] = {}
"""Each lesson file as last read, and what it gave: home, the course map, the palette and the
lesson screen each read every lesson, each time they open."""


def _read_kept(path: Path) -> Lesson:
    """`read_lesson(path)`, parsed again only when the file's bytes changed (reading them is
    a small part of parsing them; a file's time may not change between two quick edits)."""
    data = path.read_bytes()
    kept = _KEPT.get(path)
    if kept is not None and kept[0] == data:
        return kept[1]
    lesson = read_lesson(path)
    _KEPT[path] = (data, lesson)
    return lesson


def find_lesson(
    lesson_id: str, folder: Path | None = None, check: TargetCheck | None = None
) -> Lesson:
    """The lesson with this id, or a LessonError that says what went wrong with it."""
    lessons, problems = load_lessons(folder, check)
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    hint = f" ({'; '.join(problems)})" if problems else ""
    known = ", ".join(lesson.id for lesson in lessons) or "none"
    raise LessonError(f"no lesson {lesson_id!r}; lessons: {known}{hint}")
