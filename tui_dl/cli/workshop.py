"""`tui-dl workshop init DIR --group GROUP` sets a workshop folder up with safe owners and
modes; `tui-dl workshop check DIR` lists what a learner could alter that they should not;
`tui-dl cancel RUN` cancels a run from the shell, under the same rules as the app's `c`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tui_dl import paths
from tui_dl.cli.console import console, error, said


def workshop_command(args: argparse.Namespace) -> int:
    err = console(stderr=True)
    if args.workshop_command == "init":
        from tui_dl.engine.workshop.folder import init_workshop

        if os.geteuid() == 0 and not args.instructor:
            error(err, "as root, name the instructor (--instructor USER): the workshop is "
                       "theirs, not root's")  # fmt: skip
            return 2
        try:
            done = init_workshop(args.folder, group=args.group, instructor=args.instructor)
        except (OSError, ValueError) as exc:
            error(err, _reason(exc))
            return 2
        for line in done:
            print(f"  {line}")
        folder = Path(args.folder).expanduser().absolute()
        print(f"Learners: export TUI_DL_WORKSHOP={folder}")
        print(f"`tui-dl workshop check {folder}` lists anything open to them that should not be.")
        return 0
    if args.workshop_command == "spare":
        from tui_dl.engine.workshop.folder import set_spare

        try:
            print(set_spare(args.folder, args.state == "on"))
        except OSError as exc:
            error(err, _reason(exc))
            return 2
        return 0
    from tui_dl.engine.workshop.check import check_workshop

    findings = check_workshop(args.folder)
    if not findings:
        print("Nothing here that a learner could alter and should not.")
        return 0
    for finding in findings[:200]:
        print(f"{finding.path}: {finding.problem}")
    if len(findings) > 200:
        print(f"… and {len(findings) - 200} more")
    print(f"{len(findings)} problem{'s' if len(findings) != 1 else ''}.")
    return 1


def cancel_command(args: argparse.Namespace) -> int:
    err = console(stderr=True)
    if args.workshop:
        os.environ[paths.WORKSHOP_ENV] = str(Path(args.workshop).expanduser().resolve())
    from tui_dl.engine.events import LIVE
    from tui_dl.engine.jobs.launch import CancelPending, cancel_run
    from tui_dl.engine.store import RunStore
    from tui_dl.engine.workshop.folder import cancel_refusal

    store = RunStore()
    try:
        run_dir = store.resolve(args.run)
        info = store.info(run_dir)
    except (LookupError, OSError, ValueError) as exc:
        error(err, _reason(exc))
        return 2
    if info.status not in LIVE:
        print(f"{run_dir.name} is not running ({info.status}): nothing to cancel.")
        return 0
    refusal = cancel_refusal(run_dir, info.spec)
    if refusal:
        err.print(said("Not cancelled", "red", refusal))
        return 1
    try:
        cancel_run(run_dir)
    except CancelPending as exc:
        print(str(exc))
        return 0
    except OSError as exc:
        err.print(said("Not cancelled", "red", _reason(exc)))
        return 1
    print(f"Cancelled {run_dir.name}.")
    return 0


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc).strip("'\"") or type(exc).__name__
