"""Pick a file by keyboard: a directory tree in a dialog (escape cancels).

At a browser seat the tree is the seat's own folder (d shows the workshop's data folder, when
the server has one) and nothing else: an entry that leads out of it — a symlink to the
server user's home, say — is not listed, and a file outside is never picked
(`tui_dl.ui.serve.seat_files`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static

from tui_dl.ui.screens.app_screen import SCREENS_CSS
from tui_dl.ui.serve.seat_files import OutsideSeatFolder, SeatFiles, here


class ConfinedTree(DirectoryTree):
    """A directory tree that, at a seat, lists only what stays in the seat's folders."""

    def __init__(self, path: Path, seat: SeatFiles | None, id: str | None = None) -> None:
        self.seat = seat
        super().__init__(path, id=id)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        if self.seat is None:
            return paths
        seat = self.seat
        return [path for path in paths if seat.inside(path)]


class FilePicker(ModalScreen[Path | None]):
    CSS_PATH = SCREENS_CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("d", "other_folder", "Other folder", show=False),
    ]

    def __init__(self, start: Path, title: str = "Choose a CSV file") -> None:
        super().__init__()
        self.title_text = title
        self.problem = ""
        self.seat: SeatFiles | None = None
        try:
            self.seat = here()
        except OutsideSeatFolder as exc:
            self.problem = str(exc)
        self.roots = (start,) if self.seat is None else self.seat.roots
        self.start = self.roots[0]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Text(self.heading()), id="picker-title")
            if self.problem:
                yield Static(Text(self.problem, style="red"), id="picker-problem")
            else:
                yield ConfinedTree(self.start, self.seat, id="picker-tree")

    def heading(self) -> str:
        keys = "arrows move, enter opens or picks, escape cancels"
        if self.seat is None:
            return f"{self.title_text} — {keys}"
        where = "the workshop's data" if self.start == self.seat.data else "your seat's folder"
        other = " · d the other folder" if len(self.roots) > 1 else ""
        return f"{self.title_text} from {where} — {keys}{other}"

    def on_mount(self) -> None:
        if not self.problem:
            self.query_one(DirectoryTree).focus()

    def action_other_folder(self) -> None:
        if len(self.roots) < 2 or self.problem:
            return
        self.start = self.roots[(self.roots.index(self.start) + 1) % len(self.roots)]
        self.query_one(DirectoryTree).path = self.start
        self.query_one("#picker-title", Static).update(Text(self.heading()))

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.pick(Path(event.path))

    def pick(self, path: Path) -> None:
        """The file chosen, if this seat may read it (never one outside its folders)."""
        if self.seat is not None:
            try:
                path = self.seat.confine(path)
            except OutsideSeatFolder as exc:
                self.notify(str(exc), title="Not that file", severity="error", markup=False)
                return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
