"""Lessons as content: `lessons/*.md` with a small front matter block, read without Python.

An instructor edits the Markdown; this module only finds the files and reads their
front matter (id, title, order, summary, widgets) so the home screen can list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = ("id", "title", "order")


class LessonError(ValueError):
    """A lesson file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    order: int
    summary: str
    path: Path
    widgets: tuple[str, ...] = field(default_factory=tuple)


def lessons_dir() -> Path:
    """The repo's `lessons/` in a checkout; the copy packed into the wheel otherwise."""
    repo = Path(__file__).resolve().parents[1] / "lessons"
    return repo if repo.is_dir() else Path(__file__).resolve().parent / "_lessons"


def parse_front_matter(path: Path) -> tuple[dict[str, str], int]:
    """(fields, line where the body starts). Only `key: value` lines; lists as [a, b]."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonError(f"{path}:1: a lesson starts with a '---' front matter line")
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            missing = [key for key in REQUIRED if key not in fields]
            if missing:
                raise LessonError(f"{path}:1: front matter lacks {', '.join(missing)}")
            return fields, number
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise LessonError(f"{path}:{number}: expected 'key: value', got {line.strip()!r}")
        fields[key.strip()] = value.strip()
    raise LessonError(f"{path}:{len(lines)}: the front matter is never closed with '---'")


def read_lesson(path: Path) -> Lesson:
    fields, _ = parse_front_matter(path)
    try:
        order = int(fields["order"])
    except ValueError:
        raise LessonError(
            f"{path}: order must be a whole number, not {fields['order']!r}"
        ) from None
    widgets = tuple(
        w.strip() for w in fields.get("widgets", "").strip("[]").split(",") if w.strip()
    )
    return Lesson(fields["id"], fields["title"], order, fields.get("summary", ""), path, widgets)


def load_lessons(folder: Path | None = None) -> tuple[list[Lesson], list[str]]:
    """(lessons in order, problems): a broken file is reported, never fatal."""
    lessons, problems = [], []
    for path in sorted((folder or lessons_dir()).glob("*.md")):
        try:
            lessons.append(read_lesson(path))
        except (LessonError, OSError, UnicodeDecodeError) as exc:
            problems.append(str(exc))
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id)), problems
