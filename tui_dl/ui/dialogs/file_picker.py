"""Pick a file by keyboard: a directory tree in a dialog (escape cancels)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static


class FilePicker(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: Path, title: str = "Choose a CSV file") -> None:
        super().__init__()
        self.start = start
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(
                f"{self.title_text} — arrows move, enter opens or picks, escape cancels",
                id="picker-title",
            )
            yield DirectoryTree(self.start, id="picker-tree")

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))

    def action_cancel(self) -> None:
        self.dismiss(None)
