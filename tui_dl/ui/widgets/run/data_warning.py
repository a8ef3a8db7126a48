"""Said before launch, not after: the data a run needs that is not on this machine, so the run
would first download it (and needs the internet for that)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.widgets import Static


class DataWarning(Static):
    """Hidden until a thread has looked for the data (a stat of each file) and found some absent."""

    def __init__(self, needed: Sequence[str], data_dir: str | None, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.needed = tuple(needed)
        self.data_dir = data_dir

    def on_mount(self) -> None:
        self.check()

    @work(thread=True, exclusive=True, group="data")
    def check(self) -> None:
        from tui_dl.data.sources import missing

        absent = missing(self.needed, self.data_dir)
        if absent:
            names = " and ".join(d.title for d in absent)
            fetch = absent[0].name
            self.app.call_from_thread(
                self._warn,
                f"{names}: not on this machine. A run downloads them first, which needs the "
                f"internet; without it, run `tui-dl data fetch {fetch}` on a machine that has "
                "it and copy ~/.keras/datasets here, or point TUI_DL_DATA at a folder holding "
                "the files.",
            )

    def _warn(self, text: str) -> None:
        if self.is_attached:  # the learner may have left while the thread looked
            self.update(Text(text))  # it names the data folder as given
            self.display = True
