"""`tui-dl data show NAME [--json]`: the dataset view headless — each class's count (the image
datasets), or a UCI table's size, missing values, `describe()` and what dropping the rows with
a missing value does to the class balance. A dataset that is not here, or a damaged file, is
one line on stderr and exit code 2."""

from __future__ import annotations

import json
import os
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui_dl.cli.console import console as plain_console
from tui_dl.cli.console import error


def data_show_command(
    name: str,
    data_dir: str | os.PathLike[str] | None = None,
    as_json: bool = False,
    console: Console | None = None,
) -> int:
    from tui_dl.data.overview import view_problem
    from tui_dl.data.overview.balance import balance_sentence
    from tui_dl.data.overview.read import ImageOverview, read_overview
    from tui_dl.data.registry import DatasetUnavailable

    console = console or plain_console()
    problem = view_problem(name)
    if problem is not None:
        error(plain_console(stderr=True), problem)
        return 2
    try:
        overview = read_overview(name, data_dir)
    except DatasetUnavailable as exc:
        error(plain_console(stderr=True), exc)
        return 2
    if as_json:
        print(json.dumps(overview.to_dict(), ensure_ascii=False))
        sys.stdout.flush()
        return 0
    console.print(Text(overview.label, style="bold"), highlight=False, soft_wrap=True)
    if isinstance(overview, ImageOverview):
        table = Table(title="Class balance")
        for column in ("class", "training", "test"):
            table.add_column(column, justify="left" if column == "class" else "right")
        for k, class_name in enumerate(overview.class_names):
            table.add_row(
                Text(class_name), f"{overview.train[k].count:,}", f"{overview.test[k].count:,}"
            )
        console.print(table)
        console.print(Text(balance_sentence(overview.train, "training pictures")))
        return 0
    frame, described = overview.frame, overview.describe
    console.print(f"{len(frame):,} rows × {frame.shape[1]} columns", highlight=False)
    table = Table(title="describe()")
    table.add_column("column")
    table.add_column("missing", justify="right")
    for stat in described.columns:
        table.add_column(str(stat), justify="right")
    for column, missing, stats in overview.describe_rows():
        table.add_row(Text(column), f"{missing:,}", *(Text(stat) for stat in stats))
    console.print(table)
    console.print(Text(overview.drop.sentence()), soft_wrap=True)
    return 0
