"""What a learner has done, remembered between sessions: the lesson pages read, the answer
given to each check question, and the course map's hands-on steps opened.

Small JSON files in the user's tui-dl folder. `progress.json`:
`{"lesson-id": {"seen": [0, 1], "last": 1, "answers": {"KEY": {"choice": "OR", "right": true}}}}`,
where KEY is the question's `key` (a hash of its text and answers: a question an instructor
edits no longer finds the answer given to its old text). `visited.json`: the screens opened
that stand for a course step with no run to show for it (`["ganlab", "playground", "sweep"]`),
recorded by the app whenever such a screen is shown, whichever way it was opened (older
versions wrote a step's target, `"screen ganlab"`: the map still reads those).

Progress is a convenience, not work: a file that cannot be read is set aside (kept, renamed)
and reported once, and the learner starts afresh instead of meeting a crash. Each change is a
read-modify-write under a lock (`paths.locked`), so two apps recording at once both keep theirs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl import paths
from tui_dl.paths import write_atomic


def progress_path() -> Path:
    return paths.home() / "lessons" / "progress.json"


def visited_path() -> Path:
    return paths.home() / "lessons" / "visited.json"


@dataclass(frozen=True)
class Answer:
    choice: str
    """The chosen answer's text, or the number as typed."""
    right: bool


@dataclass
class LessonProgress:
    seen: set[int] = field(default_factory=set)
    """Page indexes (0-based) the learner has opened."""
    last: int = 0
    """The page to reopen the lesson on (one past the last page: its questions)."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """The latest answer to each question, by the question's key."""

    def pages_read(self, pages: int) -> int:
        return len({i for i in self.seen if 0 <= i < pages})

    def answered(self, keys: Iterable[str]) -> int:
        return sum(key in self.answers for key in keys)

    def right(self, keys: Iterable[str]) -> int:
        return sum(key in self.answers and self.answers[key].right for key in keys)

    def done(self, pages: int, keys: Iterable[str] = ()) -> bool:
        """Every page read and every question answered (right or not)."""
        keys = tuple(keys)
        return self.pages_read(pages) >= pages and self.answered(keys) == len(keys)

    def label(self, pages: int, keys: Iterable[str] = ()) -> str:
        """'3/5 pages', and with questions '5/5 pages · 4/5 right'."""
        keys = tuple(keys)
        text = f"{self.pages_read(pages)}/{pages} pages"
        return f"{text} · {self.right(keys)}/{len(keys)} right" if keys else text


def _entry(value: dict[str, Any]) -> LessonProgress:
    answers = {
        str(key): Answer(str(answer["choice"]), bool(answer["right"]))
        for key, answer in value.get("answers", {}).items()
    }
    return LessonProgress(
        {int(i) for i in value.get("seen", [])}, int(value.get("last", 0)), answers
    )


def _set_aside(path: Path, exc: Exception, what: str) -> str:
    aside = path.with_suffix(".json.unreadable")
    try:
        path.replace(aside)
        kept = f"kept as {aside}"
    except OSError:
        kept = "left as it is"
    return f"{path}: {what} could not be read ({exc}); {kept}, starting afresh"


def load_progress() -> tuple[dict[str, LessonProgress], str | None]:
    """(progress per lesson id, a problem to report or None)."""
    path = progress_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(key): _entry(value) for key, value in raw.items()}, None
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
        return {}, _set_aside(path, exc, "lesson progress")


def save_progress(progress: dict[str, LessonProgress]) -> None:
    """Written to a temporary file and renamed, so a crash never leaves half a file."""
    data: dict[str, dict[str, Any]] = {}
    for key, value in sorted(progress.items()):
        data[key] = {"seen": sorted(value.seen), "last": value.last}
        if value.answers:
            data[key]["answers"] = {
                k: {"choice": a.choice, "right": a.right} for k, a in sorted(value.answers.items())
            }
    write_atomic(progress_path(), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def mark_seen(lesson_id: str, page: int) -> LessonProgress:
    """Record that `page` of `lesson_id` was opened; returns that lesson's progress."""
    with paths.locked(progress_path()):  # another app of the learner's may be recording too
        progress, _ = load_progress()
        entry = progress.setdefault(lesson_id, LessonProgress())
        entry.seen.add(page)
        entry.last = page
        save_progress(progress)
    return entry


def record_answer(
    lesson_id: str, key: str, answer: Answer, keep: Iterable[str] | None = None
) -> LessonProgress:
    """Keep `answer` to the question `key`; with `keep` (the lesson's question keys now),
    answers to questions no longer in the lesson are dropped."""
    with paths.locked(progress_path()):  # another app of the learner's may be recording too
        progress, _ = load_progress()
        entry = progress.setdefault(lesson_id, LessonProgress())
        entry.answers[key] = answer
        if keep is not None:
            kept = set(keep) | {key}
            entry.answers = {k: a for k, a in entry.answers.items() if k in kept}
        save_progress(progress)
    return entry


def load_visited() -> tuple[set[str], str | None]:
    """(the course map's targets opened, a problem to report or None)."""
    path = visited_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, list):
            raise ValueError("not a list")
        return {str(item) for item in raw}, None
    except FileNotFoundError:
        return set(), None
    except (OSError, ValueError) as exc:
        return set(), _set_aside(path, exc, "the course map's record")


def note_visit(target: str) -> None:
    """`mark_visited`, as a convenience that never fails its caller: where the record cannot
    be written the step just stays unmarked."""
    try:
        mark_visited(target)
    except OSError:
        pass


def mark_visited(target: str) -> None:
    """Record that `target` (a screen's registry name) was opened."""
    with paths.locked(visited_path()):
        visited, _ = load_visited()
        if target not in visited:
            visited.add(target)
            write_atomic(visited_path(), json.dumps(sorted(visited), indent=2) + "\n")
