"""What every screen about one run shares: finding the run, reading what the view shows off
the UI thread (again every few seconds while the run trains, for a view that follows it),
saying one way why there is nothing to show, and the way back.

A view names what it reads (`read`, given the run's `RunInfo`, in a thread) and shows it
(`loaded`, on the UI thread); the base does the rest, so a new view is one class.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Header, Static

from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.engine.events import LIVE
from tui_dl.ui.render.plain import error_text
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

Found = TypeVar("Found")

POLL_S = 2.0
"""How often a view that follows a run still training reads it again."""
BACK = Binding("escape", "back", "Back")
"""Every view's way back; each lists it where its footer shows it."""


class RunViewScreen(AppScreen, Generic[Found]):
    """A view of one run: `compose_body` lays it out, `read` finds what it shows in the run's
    folder and `loaded` shows it. What the view cannot show is said in the Static `MESSAGE`."""

    TITLE_TEXT = ""
    MESSAGE = "view-message"
    """The id of the Static that says what the view cannot show (a view's own info line)."""
    NOT_YET = ""
    """What the view says while the file it reads is not written yet (`{}`: which file). A view
    that follows a training run says by default that there is nothing to show yet; another
    takes a missing file for a problem like any other."""
    FOLLOWS = False
    """A view that follows a run still training: it reads again every POLL_S seconds until the
    run is over, and its title says "training" meanwhile."""

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.run_dir: Path | None = None
        self.spec: dict[str, Any] = {}
        self.found: Found | None = None
        """What `read` found last (None until it has found something to show)."""
        self._poll: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = self.TITLE_TEXT
        self.sub_title = f"run {self.run_id}"
        self.load()
        if self.FOLLOWS:
            self._poll = self.set_interval(POLL_S, self.load)

    def on_screen_resume(self) -> None:
        if self.shown_before and self.found is None:  # back, nothing shown: read it again
            self.load()

    # ----- reading, behind the screen ---------------------------------------------------------
    def read(self, info: RunInfo) -> Found:
        """What the view shows, from the run's folder (in a thread: no widget here). Raises
        FileNotFoundError while it is not written, UnreadableArtifact when it is damaged,
        LookupError, OSError, ValueError or KeyError when there is nothing to show."""
        raise NotImplementedError

    def loaded(self, found: Found, info: RunInfo) -> None:
        """Show what `read` found (on the UI thread)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            info = self.app.source.info(self.run_id)
            if info.problem:  # a folder that cannot be believed: nothing in it is shown
                raise UnreadableArtifact(info.problem)
            found = self.read(info)
        except (LookupError, OSError, ValueError, KeyError) as exc:
            self.from_thread(self.say, *self.cannot_show(exc))
            return
        self.from_thread(self._loaded, found, info)

    def cannot_show(self, exc: Exception) -> tuple[str, bool]:
        """What the view says when there is nothing to show, and whether that is a problem."""
        not_yet = self.NOT_YET or ("Nothing to show yet: {}" if self.FOLLOWS else "")
        if isinstance(exc, FileNotFoundError) and not_yet:
            return not_yet.format(exc), False
        if isinstance(exc, UnreadableArtifact):
            return f"Nothing to show: unreadable: {exc}", True
        return f"Nothing to show: {exc}", True

    def _loaded(self, found: Found, info: RunInfo) -> None:
        self.run_dir, self.spec, self.found = info.run_dir, info.spec, found
        if self.FOLLOWS:
            live = info.status in LIVE
            self.sub_title = f"run {self.run_id}" + (" · training" if live else "")
            if not live and self._poll is not None:  # over: what it wrote is final
                self._poll.stop()
        self.loaded(found, info)

    # ----- what every view has ----------------------------------------------------------------
    @property
    def folder(self) -> Path:
        """The run's folder, once the run was found."""
        if self.run_dir is None:
            raise LookupError(f"run {self.run_id}: not found")
        return self.run_dir

    @property
    def notes(self) -> Path:
        """Where this viewer's own work on the run is kept (maps, a probe): the run's folder
        when it is theirs, else a folder of their own — never another's run."""
        from tui_dl.engine.workshop.seats import notes_dir

        return notes_dir(self.folder, self.spec)

    def say(self, text: str, error: bool = False) -> None:
        """`text` in the view's message line (a path, an error's words: as text), hidden when
        there is nothing to say."""
        message = self.query_one(f"#{self.MESSAGE}", Static)
        message.update(error_text(text) if error else Text(text))
        message.display = bool(text)

    def action_back(self) -> None:
        self.app.pop_screen()
