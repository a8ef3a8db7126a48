"""`tui-dl` with no command: the app, on the screen and run asked for. (A data folder that
does not exist is said by the app itself: a line printed here would vanish under it.)"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def app_command(args: argparse.Namespace) -> int:
    from tui_dl.ui.registry import SCREENS, entry, screen_problem

    problem = screen_problem(args.screen)
    if problem:
        print(f"tui-dl: {problem}", file=sys.stderr)
        return 2
    filters = {k: v for k, v in (("true", args.true), ("pred", args.pred)) if v is not None}
    if filters and args.screen != "misclassified":
        print("tui-dl: --true and --pred go with --screen misclassified", file=sys.stderr)
        return 2
    if args.folder is not None and not entry(args.screen).takes_folder:
        takes = ", ".join(e.name for e in SCREENS if e.takes_folder)
        print(f"tui-dl: --folder goes with --screen {takes}", file=sys.stderr)
        return 2
    from tui_dl.ui import home_listing

    home_listing.start()  # home's lists, worked out on another core while Textual is imported
    from tui_dl.ui.app import make_app

    app = make_app(
        screen=args.screen,
        run=args.run,
        data_dir=args.data_dir,
        filters=filters,
        folder=args.folder,
    )
    app.run()
    return app.return_code or 0
