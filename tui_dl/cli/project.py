"""`tui-dl project mammogram`: the project headless, on the same engine as the screen.

The data is checked before anything starts, so a bad file costs a message and nothing
else; a finished run leaves report.md (every table, and the ethics checklist's state for
the project) in its run folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from tui_dl.cli.console import console, error
from tui_dl.cli.parser import HEADLESS_PROJECTS, settings
from tui_dl.cli.run import run_command
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunInfo


def check_data(params: dict[str, Any], data_dir: str | None) -> str | None:
    """A learner-readable reason the project's data cannot be used, or None."""
    from tui_dl.analysis.mammogram import ProjectDataError, prepare
    from tui_dl.data.registry import DatasetUnavailable
    from tui_dl.data.sources import locate

    try:
        if params.get("csv"):
            prepare(Path(params["csv"]), params["csv"], params["k"])
        else:
            where = locate("mammographic-masses", data_dir, allow_download=True)
            prepare(where.path, where.label, params["k"])
    except (ProjectDataError, DatasetUnavailable) as exc:
        return str(exc)
    return None


def write_report(info: RunInfo, report: dict[str, Any], err: Console) -> None:
    from tui_dl.analysis.mammogram_report import save_project_report

    path = save_project_report(info.run_dir, info.run_id, report["kfold"])
    report["report_md"] = str(path)
    err.print(f"report: {path}")


def project_from_args(args: argparse.Namespace) -> int:
    return project_command(args.name, settings(args), args.device, args.data_dir, args.json)


def project_command(
    name: str, params: dict[str, Any], device: str, data_dir: str | None, as_json: bool
) -> int:
    err = console(stderr=True)
    if name not in HEADLESS_PROJECTS:
        error(err, f"no project {name!r}; the projects: {', '.join(HEADLESS_PROJECTS)}")
        return 2
    try:
        full = get_experiment(name).validate(params)
    except ValueError as exc:
        error(err, exc)
        return 2
    problem = check_data(full, data_dir)
    if problem:
        error(err, problem)
        return 2
    return run_command(name, params, device, data_dir, as_json, on_finished=write_report)
