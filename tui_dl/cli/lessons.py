"""`tui-dl lessons`, `tui-dl course` and `tui-dl ethics export`: the classroom's content on
the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def lessons_command(args: argparse.Namespace | None = None) -> int:
    """One line per lesson with its step number on the course map and its progress; broken
    lesson files on stderr (exit 1).

    Every check the app makes, and the UI layer's too (try targets: a Playground state, a
    sweep's grid, a screen's name), so an instructor sees every mistake here first.
    """
    from tui_dl.lessons import LessonProgress, load_lessons, load_progress
    from tui_dl.lessons.course import lesson_numbers
    from tui_dl.ui.tries import check_target

    lessons, problems = load_lessons(check=check_target)
    progress, trouble = load_progress()
    if trouble:
        print(f"tui-dl: {trouble}", file=sys.stderr)
    numbers = lesson_numbers(lessons)  # the course map's step numbers
    titles = max((len(lesson.title) for lesson in lessons), default=0)
    for lesson in lessons:
        entry = progress.get(lesson.id) or LessonProgress()
        label = entry.label(len(lesson.pages), lesson.question_keys)
        print(
            f"{numbers[lesson.id]:>2}. {lesson.title:<{titles}}  {label:<22} "
            f"tui-dl --screen lesson:{lesson.id}"
        )
    for problem in problems:
        print(f"tui-dl: {problem}", file=sys.stderr)
    return 1 if problems else 0


def course_command(args: argparse.Namespace) -> int:
    """The course map as text, or with --json one object: the steps and the next one."""
    from tui_dl.engine.events import Status
    from tui_dl.engine.store import RunStore
    from tui_dl.lessons import load_lessons, load_progress
    from tui_dl.lessons.course import course_lines, course_map
    from tui_dl.lessons.progress import load_visited

    lessons, problems = load_lessons()
    progress, trouble = load_progress()
    visited, lost = load_visited()
    finished = {info.experiment for info in RunStore().list() if info.status == Status.FINISHED}
    course = course_map(lessons, progress, finished, visited, swept=_latest_sweep_finished())
    for problem in (trouble, lost, *problems):
        if problem:
            print(f"tui-dl: {problem}", file=sys.stderr)
    if args.json:
        upcoming = course.next
        print(
            json.dumps(
                {
                    "steps": [step.as_dict() for step in course.steps],
                    "done": course.done,
                    "next": None if upcoming is None else course.steps[upcoming].as_dict(),
                },
                ensure_ascii=False,
            )
        )
        return 0
    print("\n".join(course_lines(course)))
    return 0


def _latest_sweep_finished() -> bool:
    """Whether the newest sweep ran to its end (as the app's course map reads it)."""
    from tui_dl.engine.events import Status
    from tui_dl.engine.sweeps.launch import list_sweeps
    from tui_dl.engine.sweeps.state import track_sweep

    sweeps = list_sweeps()
    if not sweeps:
        return False
    try:
        tracker = track_sweep(sweeps[0])
        tracker.update()
    except (OSError, ValueError):
        return False  # unreadable: the map's step stays as opened or not
    return tracker.state.status == Status.FINISHED


def ethics_export_command(args: argparse.Namespace) -> int:
    from tui_dl.lessons.ethics import EthicsError, checklist_markdown, load_checklist

    project, out = args.project, args.out

    try:
        text = checklist_markdown(load_checklist(project))
    except EthicsError as exc:
        print(f"tui-dl: {exc}", file=sys.stderr)
        return 1
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"tui-dl: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}", file=sys.stderr)
    return 0
