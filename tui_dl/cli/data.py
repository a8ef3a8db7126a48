"""`tui-dl data status`, `tui-dl data fetch NAME|all` and `tui-dl data folder DIR`: the data
layer on the command line.

Both return an exit code and print learner-sized messages; a failed fetch is one line that
says what to do (no traceback), because it is an expected situation on an offline machine.
"""

from __future__ import annotations

import argparse
import os

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui_dl.cli.console import console as plain_console
from tui_dl.cli.warnings import warn_about_data_folder
from tui_dl.data.registry import DATASETS, MODEL_FILES, DatasetUnavailable
from tui_dl.data.sources import fetch
from tui_dl.data.status import status_rows


def data_from_args(args: argparse.Namespace) -> int:
    if args.data_command == "status":
        return data_status_command(args.data_dir)
    if args.data_command == "show":
        from tui_dl.cli.data_show import data_show_command

        return data_show_command(args.name, args.data_dir, as_json=args.json)
    if args.data_command == "folder":
        from tui_dl.cli.data_folder import data_folder_command

        return data_folder_command(args.path, seed=args.seed, as_json=args.json, other=args.other)
    return data_fetch_command(args.name, args.data_dir)


def data_status_command(
    data_dir: str | os.PathLike[str] | None = None, console: Console | None = None
) -> int:
    """Print a table of every dataset: available, from where, and its size on disk."""
    console = console or plain_console()
    warn_about_data_folder(plain_console(stderr=True), data_dir)
    table = Table(title="tui-dl datasets")
    table.add_column("dataset", style="bold")
    table.add_column("available")
    table.add_column("source", overflow="fold")
    table.add_column("size", justify="right")
    for row in status_rows(data_dir):
        available = Text("yes", style="green") if row.available else Text("no", style="red")
        table.add_row(Text(row.name), available, Text(row.source), Text(row.size))
    console.print(table)
    return 0


def data_fetch_command(
    name: str, data_dir: str | os.PathLike[str] | None = None, console: Console | None = None
) -> int:
    """Download `name` (or every dataset, for "all") into the Keras cache; 0 if all succeed.

    "all" means the datasets, not the pretrained weights (about 670 MB, VGG16's alone 553 MB):
    those are fetched by name, for the model a class will use.
    """
    console = console or plain_console()
    weights = {d.name for d in MODEL_FILES}
    names = [n for n in DATASETS if n not in weights] if name == "all" else [name]
    failed = 0
    for each in names:
        try:
            where = fetch(each, data_dir)
        except DatasetUnavailable as exc:
            failed += 1
            console.print(
                Text.assemble(("✗", "red"), f" {each}: {exc}"), highlight=False, soft_wrap=True
            )
            continue
        verb = "downloaded" if where.kind == "download" else "already here"
        console.print(
            Text.assemble(("✓", "green"), f" {each}: {verb} — {where.label}"),
            highlight=False,
            soft_wrap=True,
        )
    if name == "all":
        console.print(
            "Pretrained ImageNet weights are not part of all; fetch the ones you need by name: "
            + ", ".join(sorted(weights)),
            highlight=False,
            soft_wrap=True,
        )
    return 1 if failed else 0
