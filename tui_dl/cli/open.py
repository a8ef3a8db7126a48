"""`tui-dl open CODE`: open the app on what a share code names (`--print`: only say it)."""

from __future__ import annotations

import argparse
import sys


def check_shared(code: str):
    """The code's setup, checked as the app would open it; ValueError saying what is wrong."""
    from tui_dl.lessons import LessonError, find_lesson
    from tui_dl.lessons.share.codes import decode
    from tui_dl.ui.tries import check_target

    shared = decode(code)
    target = shared.target
    try:
        if target.kind == "lesson":
            lesson = find_lesson(target.name)
            if shared.page is not None and shared.page >= len(lesson.pages):
                raise ValueError(
                    f"the lesson {target.name} has {len(lesson.pages)} pages, not {shared.page + 1}"
                )
        else:
            check_target(target)
    except (LessonError, ValueError) as exc:
        raise ValueError(f"The code opens `{shared.text}`, which cannot open here: {exc}") from None
    return shared


def open_command(args: argparse.Namespace) -> int:
    from tui_dl.lessons.share.codes import describe, encode

    code = " ".join(args.code)
    try:
        shared = check_shared(code)
    except ValueError as exc:
        print(f"tui-dl open: {exc}", file=sys.stderr)
        return 2
    if args.print:
        print(f"{encode(shared)} opens {describe(shared)}: {shared.text}")
        return 0
    from tui_dl.ui.app import make_app

    app = make_app(data_dir=args.data_dir, share=shared)
    app.run()
    return app.return_code or 0
