"""`--screen my-images-data --folder DIR`: look at a learner's folder of pictures before
training — how many pictures each class has (and what an imbalance does), a page of each
class's pictures in colour, their sizes and modes, the split, what was skipped and why, and
the same picture filed under two classes.

The scan and the reading of pictures run in a thread (`my_images_pictures`); this screen only
shows what they found. A folder that cannot be used shows its problem in one sentence, and
ctrl+o picks another.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tui_dl.ui.screens.app_screen import SCREENS_CSS, AppScreen
from tui_dl.ui.screens.my_images_pictures import Scanned
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from tui_dl.data.my_images.scan import ImageFile

WIDE = 120
"""From this many columns on, the side panel is wider and its bars longer."""
INTRO = (
    "Look at your pictures before a network does. Name a folder holding one subfolder of "
    "pictures per class (cats/, dogs/ …): ctrl+o picks one, or start with "
    "`tui-dl --screen my-images-data --folder DIR`."
)


class StopScan(Exception):
    """Raised from the scan's progress when the learner has moved on (another folder, left)."""


class PictureSheet(Static):
    """The page of pictures: laid out again whenever its own size changes (the terminal's,
    or the panel beside it appearing)."""

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, MyImagesDataScreen):
            screen.show_page()


class MyImagesDataScreen(AppScreen):
    CSS_PATH = [SCREENS_CSS, "my_images_data.tcss"]
    BINDINGS = [
        Binding("ctrl+o", "pick_folder", "Pick folder"),
        Binding("left", "turn(-1)", "Previous", key_display="←", priority=True),
        Binding("right", "turn(1)", "Next", key_display="→", priority=True),
        Binding("n", "other_class(1)", "Next class"),
        Binding("p", "other_class(-1)", "Prev class"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(
        self, folder: str | Path | None = None, pick: bool = False, other: str | Path | None = None
    ) -> None:
        super().__init__()
        self.folder = Path(folder).expanduser() if folder else None
        self.other = Path(other).expanduser() if other else None
        """The folder of the class "other" (the lab's other folder), counted with the classes;
        kept when ctrl+o picks another folder."""
        self.pick_first = pick and folder is None
        """Opened to look at some folder (the ethics checklist): the picker comes up at once."""
        self.scanned: Scanned | None = None
        self.thumbnails: dict[Path, np.ndarray | None] = {}
        self.chosen = 0
        """The class whose pictures are shown."""
        self.page = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(INTRO), id="mi-message")
        with Horizontal(id="mi-body"):
            with VerticalScroll(id="mi-facts") as facts:
                facts.border_title = "The folder"
                yield Static(id="mi-summary")
            with Vertical(id="mi-view"):
                yield Static(id="mi-caption")
                yield PictureSheet(id="mi-sheet")
                yield Static(id="mi-legend")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Your pictures"
        self.sub_title = "look at the data first"
        self.query_one("#mi-body").display = False
        self.set_class(self.size.width >= WIDE, "-wide")
        if self.folder is not None:
            self.scan(self.folder)
        elif self.pick_first:
            self.call_after_refresh(self.action_pick_folder)

    # ----- the scan ------------------------------------------------------------------------
    def say(self, message: Text | str, problem: bool = False) -> None:
        """A line in place of the folder's view: the scan's progress, or why it failed."""
        text = message if isinstance(message, Text) else Text(message)
        if problem:
            text.stylize("red")
            text.append("\n\nctrl+o picks another folder.", style="default")
        box = self.query_one("#mi-message", Static)
        box.update(text)
        box.display = True
        self.query_one("#mi-body").display = False
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="scan")
    def scan(self, root: Path) -> None:
        """The folder scanned, then the first page of each class read, progress said as it
        goes. A newer scan (or leaving) cancels this one at its next report."""
        from tui_dl.data.my_images.problems import FolderProblem
        from tui_dl.ui.screens.my_images_pictures import first_page, read_thumbnails, scan

        worker = get_current_worker()

        def progress(what: str) -> Callable[[int, int], None]:
            def report(done: int, total: int) -> None:
                if worker.is_cancelled:
                    raise StopScan
                self.from_thread(self.say, f"{what} {root}: {done:,} of {total:,} files…")

            return report

        self.from_thread(self.say, f"Looking at {root}…")
        try:
            scanned = scan(root, progress("Scanning"), other=self.other)
            thumbnails = read_thumbnails(first_page(scanned), progress("Reading pictures in"))
        except StopScan:
            return
        except FolderProblem as problem:
            self.from_thread(self.say, str(problem), True)
            return
        except (OSError, ValueError) as exc:  # what the scan did not foresee: still a sentence
            self.from_thread(self.say, f"{root} cannot be read: {exc}", True)
            return
        self.from_thread(self.show_folder, root, scanned, thumbnails)

    def show_folder(
        self, root: Path, scanned: Scanned, thumbnails: dict[Path, np.ndarray | None]
    ) -> None:
        if root != self.folder:  # a scan the learner has since replaced
            return
        self.scanned, self.thumbnails = scanned, thumbnails
        self.chosen = self.page = 0
        self.sub_title = str(scanned.folder.root)
        self.query_one("#mi-message").display = False
        self.query_one("#mi-body").display = True
        self.refresh_bindings()
        self.call_after_refresh(self.show_page)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    # ----- the pages of pictures ----------------------------------------------------------
    @property
    def class_names(self) -> list[str]:
        return self.scanned.folder.classes if self.scanned else []

    def sheet_grid(self) -> tuple[int, int, int, int]:
        """(columns, rows, across, down) of the thumbnails that fit the sheet now."""
        from tui_dl.ui.render.sheet import grid

        size = self.query_one("#mi-sheet").content_size
        return grid(size.width, size.height)

    def per_page(self) -> int:
        _, _, across, down = self.sheet_grid()
        return across * down

    def pages(self) -> int:
        if self.scanned is None:
            return 1
        count = len(self.scanned.pictures[self.class_names[self.chosen]])
        return max(1, -(-count // self.per_page()))

    def on_page(self) -> list[ImageFile]:
        assert self.scanned is not None
        images = self.scanned.pictures[self.class_names[self.chosen]]
        start = self.page * self.per_page()
        return images[start : start + self.per_page()]

    def show_page(self) -> None:
        """The chosen class's page: its pictures drawn where they have been read, the rest
        read first (in a thread), then drawn."""
        if self.scanned is None or not self.query_one(PictureSheet).content_size.area:
            return  # nothing to show yet, or not laid out yet (its resize comes back here)
        self.page = min(self.page, self.pages() - 1)
        self.show_facts()
        images = self.on_page()
        self.caption(images)
        unread = [image for image in images if image.path not in self.thumbnails]
        if unread:
            self.query_one("#mi-sheet", Static).update(Text("Reading the pictures…"))
            self.read_page(unread)
        else:
            self.draw(images)

    @work(thread=True, exclusive=True, group="page")
    def read_page(self, images: list[ImageFile]) -> None:
        from tui_dl.ui.screens.my_images_pictures import read_thumbnails

        found = read_thumbnails(images)
        self.from_thread(self._read, found)

    def _read(self, found: dict[Path, np.ndarray | None]) -> None:
        self.thumbnails.update(found)
        self.show_page()

    def draw(self, images: list[ImageFile]) -> None:
        import numpy as np

        from tui_dl.ui.render.sheet import contact_sheet

        assert self.scanned is not None
        columns, rows, across, _ = self.sheet_grid()
        missing = np.full((2, 2, 3), 96, np.uint8)  # a grey box: read at the scan, not now
        pixels = [self.thumbnails.get(image.path) for image in images]
        unread = sum(p is None for p in pixels)
        sheet = contact_sheet([missing if p is None else p for p in pixels], columns, rows, across)
        self.query_one("#mi-sheet", Static).update(sheet)
        self.caption(images, unread)

    def caption(self, images: list[ImageFile], unread: int = 0) -> None:
        """Which class and pictures the page shows, and how many could not be read."""
        assert self.scanned is not None
        name = self.class_names[self.chosen]
        count = len(self.scanned.pictures[name])
        start = self.page * self.per_page()
        caption = Text.assemble(
            (name, "bold"),
            f" · {start + 1}–{start + len(images)} of {count:,} · page "
            f"{self.page + 1}/{self.pages()}",
        )
        if unread:
            caption.append(f" · {unread} could not be read (grey)", style="red")
        self.query_one("#mi-caption", Static).update(caption)
        self.query_one("#mi-legend", Static).update(Text("← → pages · n p classes", style="dim"))

    def show_facts(self) -> None:
        from tui_dl.ui.render.folder_summary import facts

        assert self.scanned is not None
        panel = self.query_one("#mi-facts")  # its scrollbar may come with the text: room for it
        width = max(20, panel.content_size.width - panel.styles.scrollbar_size_vertical)
        summary = self.scanned.summary
        self.query_one("#mi-summary", Static).update(
            facts(summary, width, self.class_names[self.chosen])
        )

    # ----- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("turn", "other_class"):
            return self.scanned is not None
        return True

    def action_turn(self, step: int) -> None:
        """The next (or previous) page, on into the next class after a class's last."""
        if self.scanned is None:
            return
        page = self.page + step
        if page >= self.pages():
            self.chosen, page = (self.chosen + 1) % len(self.class_names), 0
        elif page < 0:
            self.chosen = (self.chosen - 1) % len(self.class_names)
            page = self.pages() - 1
        self.page = page
        self.show_page()

    def action_other_class(self, step: int) -> None:
        if self.scanned is None:
            return
        self.chosen = (self.chosen + step) % len(self.class_names)
        self.page = 0
        self.show_page()

    def action_pick_folder(self) -> None:
        from tui_dl.ui.dialogs.folder_picker import FolderPicker

        def picked(path: Path | None) -> None:
            if path is not None:
                self.folder = path
                self.scanned = None
                self.thumbnails = {}
                self.scan(path)

        start = self.folder.parent if self.folder and self.folder.parent.is_dir() else Path.cwd()
        self.app.push_screen(FolderPicker(start, "Choose a folder of pictures"), picked)
