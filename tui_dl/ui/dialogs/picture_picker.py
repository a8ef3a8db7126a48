"""Pick what to ask a network about: the folder picker's tree, where enter on a file picks that
picture (with any marked with `m`), and `f` the folder under the cursor (every picture in it,
below it too). At a browser seat, only the seat's folders, as for a file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DirectoryTree, Static

from tui_dl.ui.dialogs.folder_picker import FolderPicker
from tui_dl.ui.serve.seat_files import OutsideSeatFolder


class PicturePicker(FolderPicker):
    BINDINGS = [Binding("m", "mark", "Mark picture")]

    def __init__(self, start: Path, title: str = "Choose pictures or a folder") -> None:
        super().__init__(start, title)
        self.marked: list[Path] = []
        """Pictures marked with m, in the order marked: enter on a file picks them with it."""
        self.chosen: list[Path] = []
        """Everything picked (the dialog's own answer is the first of them)."""

    def heading(self) -> str:
        words = (
            super()
            .heading()
            .replace("enter opens,", "enter opens a folder or picks a picture (m marks more),")
            .replace("the folder under the cursor", "the whole folder under the cursor")
        )
        if self.marked:
            words += f" · {len(self.marked)} marked: " + ", ".join(p.name for p in self.marked)
        return words

    def action_mark(self) -> None:
        """Mark the picture under the cursor (or unmark it)."""
        if self.problem:
            return
        node = self.query_one(DirectoryTree).cursor_node
        if node is None or node.data is None or Path(node.data.path).is_dir():
            return
        path = Path(node.data.path)
        if path in self.marked:
            self.marked.remove(path)
        else:
            self.marked.append(path)
        self.query_one("#picker-title", Static).update(Text(self.heading()))

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        event.prevent_default()  # the folder picker's handler, below, would pick nothing
        path = Path(event.path)
        self.pick_all([*self.marked, *([path] if path not in self.marked else [])])

    def pick_all(self, paths: list[Path]) -> None:
        """These pictures, if this seat may read every one (never one outside its folders)."""
        if self.seat is not None:
            try:
                paths = [self.seat.confine(path) for path in paths]
            except OutsideSeatFolder as exc:
                self.notify(str(exc), title="Not that file", severity="error", markup=False)
                return
        self.chosen = paths
        self.dismiss(paths[0])
