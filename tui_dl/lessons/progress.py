"""Which lesson pages a learner has read, remembered between sessions.

A small JSON file in the user's tui-dl folder: `{"lesson-id": {"seen": [0, 1], "last": 1}}`.
Progress is a convenience, not work: a file that cannot be read is set aside (kept, renamed)
and reported once, and the learner starts afresh instead of meeting a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tui_dl import paths
from tui_dl.paths import write_atomic


def progress_path() -> Path:
    return paths.home() / "lessons" / "progress.json"


@dataclass
class LessonProgress:
    seen: set[int] = field(default_factory=set)
    """Page indexes (0-based) the learner has opened."""
    last: int = 0
    """The page to reopen the lesson on."""

    def label(self, pages: int) -> str:
        """'✓' when every page was seen, else 'N/M pages'."""
        read = len({i for i in self.seen if 0 <= i < pages})
        return "✓" if pages and read >= pages else f"{read}/{pages} pages"


def load_progress() -> tuple[dict[str, LessonProgress], str | None]:
    """(progress per lesson id, a problem to report or None)."""
    path = progress_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            str(key): LessonProgress(
                {int(i) for i in value.get("seen", [])}, int(value.get("last", 0))
            )
            for key, value in raw.items()
        }, None
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        aside = path.with_suffix(".json.unreadable")
        try:
            path.replace(aside)
            kept = f"kept as {aside}"
        except OSError:
            kept = "left as it is"
        return {}, f"{path}: lesson progress could not be read ({exc}); {kept}, starting afresh"


def save_progress(progress: dict[str, LessonProgress]) -> None:
    """Written to a temporary file and renamed, so a crash never leaves half a file."""
    data = {
        key: {"seen": sorted(value.seen), "last": value.last}
        for key, value in sorted(progress.items())
    }
    write_atomic(progress_path(), json.dumps(data, indent=2) + "\n")


def mark_seen(lesson_id: str, page: int) -> LessonProgress:
    """Record that `page` of `lesson_id` was opened; returns that lesson's progress."""
    progress, _ = load_progress()
    entry = progress.setdefault(lesson_id, LessonProgress())
    entry.seen.add(page)
    entry.last = page
    save_progress(progress)
    return entry
