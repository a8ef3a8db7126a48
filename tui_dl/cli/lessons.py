"""`tui-dl lessons` and `tui-dl ethics export`: the classroom's content on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def lessons_command(args: argparse.Namespace | None = None) -> int:
    """One line per lesson with its progress; broken lesson files on stderr (exit 1)."""
    from tui_dl.lessons import load_lessons, load_progress

    lessons, problems = load_lessons()
    progress, trouble = load_progress()
    if trouble:
        print(f"tui-dl: {trouble}", file=sys.stderr)
    for lesson in lessons:
        done = progress.get(lesson.id)
        label = done.label(len(lesson.pages)) if done else f"0/{len(lesson.pages)} pages"
        print(
            f"{lesson.order:>2}. {lesson.title:<30} {label:<11} tui-dl --screen lesson:{lesson.id}"
        )
    for problem in problems:
        print(f"tui-dl: {problem}", file=sys.stderr)
    return 1 if problems else 0


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
