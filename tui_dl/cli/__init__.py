"""Command line: `tui-dl` opens the app; `run`, `sweep`, `project`, `runs`, `data`,
`playground`, `ganlab`, `lessons`, `course`, `ethics`, `predict` and `export` work without it.

Each command lives in a module of its own here and is imported only when it runs, so
`tui-dl runs` answers at once and the app paints fast (neither textual nor tensorflow is
imported by the grammar, `parser.py`).
"""

from __future__ import annotations

import gc
import importlib
import sys
from types import SimpleNamespace
from typing import Any

COMMANDS = {
    None: "tui_dl.cli.app:app_command",
    "run": "tui_dl.cli.run:run_from_args",
    "runs": "tui_dl.cli.run:runs_from_args",
    "project": "tui_dl.cli.project:project_from_args",
    "sweep": "tui_dl.cli.sweep:sweep_from_args",
    "data": "tui_dl.cli.data:data_from_args",
    "playground": "tui_dl.cli.playground:playground_command",
    "ganlab": "tui_dl.cli.ganlab:ganlab_command",
    "lessons": "tui_dl.cli.lessons:lessons_command",
    "course": "tui_dl.cli.lessons:course_command",
    "ethics": "tui_dl.cli.lessons:ethics_export_command",
    "class": "tui_dl.cli.classroom:class_command",
    "serve": "tui_dl.cli.serve:serve_command",
    "open": "tui_dl.cli.open:open_command",
    "cluster": "tui_dl.cli.cluster:cluster_command",
    "queue": "tui_dl.cli.classroom:queue_command",
    "workshop": "tui_dl.cli.workshop:workshop_command",
    "cancel": "tui_dl.cli.workshop:cancel_command",
    "predict": "tui_dl.cli.predict:predict_command",
    "model": "tui_dl.cli.model:model_command",
    "export": "tui_dl.cli.export:export_command",
    "lr-find": "tui_dl.cli.lr_find:lr_find_command",
}
"""Each command → "module:function" taking the parsed arguments and returning an exit code."""
EXPERIMENT_COMMANDS = {"run", "sweep", "project", "lr-find"}
"""The commands with a sub-command per experiment: their grammar is built only when one of them
is on the command line (23 experiments' settings, 15 ms of the app's start otherwise)."""

PLAIN_START = {
    "command": None,
    "screen": "home",
    "run": None,
    "true": None,
    "pred": None,
    "data_dir": None,
    "folder": None,
}
"""`tui-dl` alone, as `parser.parse_app_only([])` reads it (a test holds the two equal): the
plain start builds no parser, and imports neither argparse nor gettext before the first frame."""


def main(argv: list[str] | None = None) -> int:
    # The app starts with Python's collector off: its imports and first screen make objects
    # fast enough for ~130 collections before the first frame, ~45 ms of it, nearly all on
    # objects that stay. The app turns it back on after that frame (`tui_dl/ui/idle_gc.py`);
    # every other command as soon as its arguments are read.
    gc.disable()
    try:
        return _command(argv)
    finally:
        gc.enable()


def _command(argv: list[str] | None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if not words:
        return _run(SimpleNamespace(**PLAIN_START))
    # here: imported with the collector off
    from tui_dl.cli.parser import build_parser, parse_app_only

    # The app's start (`tui-dl --screen lab`) needs only the app's options.
    args = parse_app_only(argv)
    if args is None:
        parser = build_parser(experiments=bool(EXPERIMENT_COMMANDS & set(words)))
        args, unknown = parser.parse_known_args(argv)
        if args.command is not None:
            gc.enable()
        if unknown:
            where = " ".join(w for w in (args.command, getattr(args, "experiment", None)) if w)
            if args.command in ("run", "sweep", "project"):
                where = " ".join((where, getattr(args, "name", "") or "")).strip()
                parser.exit(
                    2,
                    f"tui-dl {where}: no setting {' '.join(unknown)}; "
                    f"`tui-dl {where} -h` lists its settings\n",
                )
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return _run(args)


def _run(args: Any) -> int:
    """The command the parsed `args` name, once the tui-dl folder is known to be usable."""
    from tui_dl import paths

    problem = paths.home_problem()
    if problem:  # a file, or read-only: say so once, before anything tries to write there
        print(f"tui-dl: {problem}", file=sys.stderr)
        return 2
    if paths.workshop() is not None:  # alone, nothing to import for it before the first frame
        from tui_dl.engine.workshop.folder import enter_workshop

        enter_workshop()  # in a workshop, what this process and its runs write stays the group's
    module, _, function = COMMANDS[args.command].partition(":")
    code: int = getattr(importlib.import_module(module), function)(args)
    return code
