"""Pick a folder by keyboard: the file picker's tree, where enter opens a folder and `f` picks
the one the cursor is on (a file's own folder, on a file). At a browser seat, only the seat's
folders, as for a file."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.widgets import DirectoryTree

from tui_dl.ui.dialogs.file_picker import FilePicker


class FolderPicker(FilePicker):
    BINDINGS = [Binding("f", "pick_folder", "Pick this folder")]

    def __init__(self, start: Path, title: str = "Choose a folder") -> None:
        super().__init__(start, title)

    def heading(self) -> str:
        return (
            super()
            .heading()
            .replace("enter opens or picks", "enter opens, f picks the folder under the cursor")
        )

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()  # a file is not a folder: enter on it picks nothing

    def action_pick_folder(self) -> None:
        if self.problem:
            return
        node = self.query_one(DirectoryTree).cursor_node
        if node is None or node.data is None:
            return
        path = Path(node.data.path)
        self.pick(path if path.is_dir() else path.parent)
