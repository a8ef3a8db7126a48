"""Which runs can be exported, and where a file may go: each refusal names the run, the
setting or the path, and what to do instead."""

from __future__ import annotations

import os
from pathlib import Path

from tui_dl.engine import runfiles
from tui_dl.engine.store import RunInfo

TFLITE = ("my-images",)
"""The experiments whose models convert to TensorFlow Lite (checked on the run's own test
pictures, which only my-images runs keep a way back to)."""


class ExportRefused(ValueError):
    """Why this run cannot go out, or not to there, in one sentence."""


def exportable(info: RunInfo, what: str) -> None:
    """Refuse a run that is not finished, of an experiment with no script (`script.SCRIPTS`;
    `course.REFUSED` says why), or without the model file `what` ("script", "notebook",
    "keras", "tflite") needs."""
    from tui_dl.engine.export.script import SCRIPTS, no_script

    name = info.run_id
    if info.problem:
        raise ExportRefused(f"run {name} cannot be read: {info.problem}")
    if what in ("script", "notebook") and info.experiment not in SCRIPTS:
        raise ExportRefused(no_script(info))
    if what == "tflite" and info.experiment not in TFLITE:
        raise ExportRefused(
            f"run {name} is a {info.experiment} run: TensorFlow Lite export takes my-images "
            "runs (your own pictures); export its model (--keras) or its script instead."
        )
    if info.status != "finished":
        raise ExportRefused(
            f"run {name} is {info.status}: only a finished run exports (its model and test "
            "accuracy are what the files reproduce)."
        )
    if what in ("keras", "tflite") and not (info.run_dir / runfiles.MODEL).is_file():
        kfold = (
            " (a k-fold run trains one model per fold and keeps none)"
            if "k" in info.spec.get("params", {})
            else ""
        )
        raise ExportRefused(
            f"run {name} has no {runfiles.MODEL}{kfold}: there is no model to export; "
            "export its script instead."
        )


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
