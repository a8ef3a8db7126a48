"""`tui-dl data folder DIR [--other OTHER_DIR] [--json]`: the data view of a learner's folder of
pictures, headless — the same summary the app's `my-images-data` screen shows beside the
pictures, the other folder's pictures counted as the class "other". A folder that cannot be
used is one line on stderr and exit code 2."""

from __future__ import annotations

import json
import shutil
import sys

from rich.console import Console

from tui_dl.cli.console import console as plain_console
from tui_dl.cli.console import error


def data_folder_command(
    folder: str,
    seed: int = 0,
    as_json: bool = False,
    console: Console | None = None,
    other: str | None = None,
) -> int:
    from tui_dl.data.my_images.problems import FolderProblem
    from tui_dl.data.my_images.scan import scan_folder
    from tui_dl.data.my_images.split import SplitSettings
    from tui_dl.data.my_images.summary import summarize
    from tui_dl.ui.render.folder_summary import facts

    console = console or plain_console()
    try:
        summary = summarize(scan_folder(folder, other=other), SplitSettings(seed=seed))
    except FolderProblem as problem:
        error(plain_console(stderr=True), problem)
        return 2
    if as_json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
        sys.stdout.flush()
        return 0
    width = min(console.width, shutil.get_terminal_size().columns)
    console.print(facts(summary, max(20, min(60, width))), highlight=False)
    return 0
