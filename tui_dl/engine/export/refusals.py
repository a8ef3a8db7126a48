"""Which runs can be exported, and where a file may go: each refusal names the run, the
setting or the path, and what to do instead."""

from __future__ import annotations

import os
from pathlib import Path

from tui_dl.engine import runfiles
from tui_dl.engine.store import RunInfo

EXPERIMENTS = ("my-images",)
"""The experiments whose runs export today (issue 27 extends this to every experiment)."""


class ExportRefused(ValueError):
    """Why this run cannot go out, or not to there, in one sentence."""


def exportable(info: RunInfo, what: str) -> None:
    """Refuse a run that is not finished, not of an experiment that exports yet, or without
    the model file `what` ("script", "keras", "tflite") needs."""
    name = info.run_id
    if info.problem:
        raise ExportRefused(f"run {name} cannot be read: {info.problem}")
    if info.experiment not in EXPERIMENTS:
        raise ExportRefused(
            f"run {name} is a {info.experiment} run: export takes my-images runs (your own "
            "pictures) for now; export of the other experiments is not there yet."
        )
    if info.status != "finished":
        raise ExportRefused(
            f"run {name} is {info.status}: only a finished run exports (its model and test "
            "accuracy are what the files reproduce)."
        )
    if what != "script" and not (info.run_dir / runfiles.MODEL).is_file():
        raise ExportRefused(f"run {name} has no {runfiles.MODEL}: there is no model to export.")


def destination(out: str | os.PathLike[str] | None, default: str, force: bool) -> Path:
    """Where the file goes: `out` (a file, or an existing folder to put `default` in; None:
    `default` in the current folder). Refuses a folder that does not exist, and a file that
    exists unless `force`."""
    target = Path(out).expanduser() if out is not None else Path(default)
    if target.is_dir():
        target = target / default
    target = target.absolute()
    if not target.parent.is_dir():
        raise ExportRefused(
            f"{target.parent}: there is no such folder to write {target.name} into; make it "
            "first, or name another."
        )
    if os.path.lexists(target) and not force:
        raise ExportRefused(f"{target} exists: add --force to overwrite it, or name another file.")
    return target
