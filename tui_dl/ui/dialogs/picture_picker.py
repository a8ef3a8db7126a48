"""Pick what to ask a network about: the folder picker's tree, where enter on a file picks that
picture and `f` the folder under the cursor (every picture in it, below it too). At a browser
seat, only the seat's folders, as for a file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DirectoryTree

from tui_dl.ui.dialogs.folder_picker import FolderPicker


class PicturePicker(FolderPicker):
    def __init__(self, start: Path, title: str = "Choose a picture or a folder") -> None:
        super().__init__(start, title)

    def heading(self) -> str:
        return (
            super()
            .heading()
            .replace("enter opens,", "enter opens a folder or picks a picture,")
            .replace("the folder under the cursor", "the whole folder under the cursor")
        )

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        event.prevent_default()  # the folder picker's handler, below, would pick nothing
        self.pick(Path(event.path))
