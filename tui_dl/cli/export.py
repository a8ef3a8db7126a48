"""`tui-dl export RUN [--notebook|--tflite|--keras] [-o FILE] [--force] [--json]`: a finished
run as a plain Keras script (the default) or the same as a Jupyter notebook, its model.keras,
or (my-images) a TensorFlow Lite file.

The script and the copy are written here (no TensorFlow); the TFLite file is converted and
checked in a short job's child process, as the app's views do their TensorFlow work."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.text import Text

from tui_dl.cli.console import console, error
from tui_dl.cli.jobs import named_run


def export_command(args: argparse.Namespace) -> int:
    from tui_dl.engine.export import (
        EXPORTS,
        ExportRefused,
        copy_model,
        default_name,
        destination,
        exportable,
        write_script,
    )

    err = console(stderr=True)
    what = (
        "tflite"
        if args.tflite
        else "keras"
        if args.keras
        else "notebook"
        if getattr(args, "notebook", False)
        else "script"
    )
    info = named_run(args.run, err)
    if info is None:
        return 2
    target: Path | str = args.output or default_name(info, what)
    try:
        exportable(info, what)
        target = destination(args.output, default_name(info, what), args.force)
        if what in ("script", "notebook"):
            said: dict[str, Any] = {"bytes": write_script(info, target, what == "notebook")}
        elif what == "keras":
            said = {"bytes": copy_model(info, target)}
        else:
            found = converted(info.run_dir, target, err, quiet=args.json)
            if isinstance(found, int):
                return found
            said = found
    except ExportRefused as exc:
        error(err, str(exc))
        return 2
    except OSError as exc:
        error(err, f"{target} could not be written: {exc.strerror or exc}")
        return 1
    report = {"run": info.run_id, "kind": what, "path": str(target), **said}
    if args.json:
        print(json.dumps(report))
    else:
        console().print(as_text(report, EXPORTS[what][0]))
    return 0


def converted(run_dir: Path, target: Path, err: Any, quiet: bool) -> dict[str, Any] | int:
    """The TFLite job launched and followed: what it said of the file, or an exit code."""
    from tui_dl.cli.jobs import follow
    from tui_dl.engine.jobs.insights import launch_job

    handle = launch_job(run_dir, "tflite", {"path": str(target)})
    last = follow(handle, err, quiet)
    if last.get("event") != "finished":
        why = last.get("message") or f"the job ended without a file (see {handle.run_dir})"
        error(err, str(why))
        return 1
    return {
        "bytes": int(last.get("bytes", 0)),
        "max_difference": float(last.get("max_difference", float("nan"))),
        "compared": str(last.get("compared", "")),
    }


def as_text(report: dict[str, Any], what: str) -> Text:
    out = Text()
    out.append(f"Run {report['run']}: {what}, {report['bytes']:,} bytes, written to ")
    out.append(report["path"], style="bold")
    out.append(".\n")
    if report["kind"] == "script":
        out.append(
            "It needs Keras and the libraries it imports, not tui-dl: `python "
            f"{Path(report['path']).name}` trains the model again and prints its test metrics "
            "as JSON, last.\n"
        )
    elif report["kind"] == "notebook":
        out.append(
            "Open it in Jupyter: its cells are the script's (the setup, the data, the model, "
            "the training, the evaluation); run them in order.\n"
        )
    elif report["kind"] == "tflite":
        out.append(
            f"Checked: on {report['compared']} its outputs differ from the Keras model's by at "
            f"most {report['max_difference']:.2g}.\n"
        )
    return out
