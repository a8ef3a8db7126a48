"""What every command warns about before it starts, in one place."""

from __future__ import annotations

import os

from rich.console import Console

from tui_dl.cli.console import warning
from tui_dl.data.sources import folder_problem
from tui_dl.text import sentence


def warn_about_data_folder(err: Console, data_dir: str | os.PathLike[str] | None) -> None:
    """A data folder that was named but gives nothing, said before anything starts."""
    problem = folder_problem(data_dir)
    if problem:
        warning(err, sentence(problem))
