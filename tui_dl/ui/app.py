"""The tui-dl Textual app: screens over a RunSource. No tensorflow here, ever."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events, on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui_dl.text import sentence
from tui_dl.ui import registry, sources
from tui_dl.ui.idle_gc import IdleCollector
from tui_dl.ui.navigation import NavigatingApp
from tui_dl.ui.palette import palette_commands
from tui_dl.ui.screens.app_screen import SCREENS_CSS
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.sources import LocalRunSource, RunSource

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared


QUIT_ACTIONS = ("quit", "app.quit")
"""The actions that end the app (ctrl+c names the key bound to one)."""
BOARD_EVERY_S = 3.0
"""How often a workshop seat looks at the board (a stat of one file)."""


def _in_workshop() -> bool:
    from tui_dl import paths

    return paths.workshop() is not None


PRELOAD_AFTER_S = 0.5
"""When the other screens' modules are imported in the background: after the first frame
(which must not wait for them), before the learner's first key is likely."""
HEADER_SIDES = 18
"""Columns of Textual's header that are not its title: the icon (8) and the clock's (10)."""


class TuiDlApp(NavigatingApp):
    CSS_PATH = "app.tcss"
    TITLE = "tui-dl"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+s", "share", "Share code", show=False),
        Binding("ctrl+b", "open_board", "The instructor's code", show=False),
    ]

    def __init__(
        self,
        source: RunSource,
        screen: str = "home",
        run: str | None = None,
        data_dir: str | None = None,
        filters: dict[str, int] | None = None,
        playground: str = "",
        share: Shared | None = None,
        folder: str | None = None,
    ) -> None:
        super().__init__()
        self.share = share
        """What `tui-dl open CODE` asked to open once the app is up."""
        self.board_seen = 0.0
        """When the workshop's board last changed, as this seat last saw it."""
        self.source = source
        self.data_dir = data_dir
        self.playground_state = playground
        """The state string the Playground opens with (`tui-dl playground STATE`)."""
        self._start = (screen, run, filters or {})
        self.start_folder = folder
        """The folder `--folder` names, for the screen `--screen` opens."""
        self.collector = IdleCollector(self)
        self.visits: set[str] = set()
        """The course's screens recorded as opened in this session (`record_visit`)."""
        self._kept_views: dict[str, str] = {}
        self.course_runs: tuple[frozenset[str], bool] = frozenset(), False
        """What the course map last read from the runs: the experiments with a finished run,
        whether the latest sweep ran to its end (its next opening starts from them)."""

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is text, never markup, whatever a caller asks: messages carry
        paths, CSV cells, exception text and the board's label, and `[/]` in any of them would
        end the app. (A widget's `notify` passes `markup=True` by default.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """A node's styles once it is in the app's DOM; before that, nothing. Textual styles a
        widget whose classes change even before it is mounted (an Input's value, set in its
        constructor, validates and sets `-valid`), then styles it again when it is mounted
        (`App._register`): the first pass is thrown away. The lab builds ten Inputs."""
        if node is self or node.is_attached:
            super().update_styles(node, animate)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title, and its subtitle where both fit between the header's icon and
        clock: a lesson's 'Overfitting, dropout and early stopping — 7 pages · 5 check
        questions' was cut mid-word at 80 columns. The title is kept whole."""
        room = self.size.width - HEADER_SIDES
        if sub_title and cell_len(title) + cell_len(" — ") + cell_len(sub_title) > room:
            sub_title = ""
        return super().format_title(title, sub_title)

    def action_help_quit(self) -> None:
        """ctrl+c: how to quit, in words (Textual's own notice is markup, shown as text here)."""
        keys = [k for k, b in self.active_bindings.items() if b.binding.action in QUIT_ACTIONS]
        if keys:
            self.notify(f"Press {keys[0]} to quit the app", title="Do you want to quit?")

    @on(events.DeliveryComplete)
    def screenshot_saved(self, event: events.DeliveryComplete) -> None:
        """The palette's screenshot, said in words (Textual's own notice is markup)."""
        if event.name == "screenshot":
            event.prevent_default()
            where = f" to {event.path}" if event.path else ""
            self.notify(f"Saved screenshot{where}", title="Screenshot")

    def on_mount(self) -> None:
        # Before the first screen is opened, so `--screen playground` counts too.
        self.screen_change_signal.subscribe(self, self.record_visit)
        screen, run, filters = self._start
        if screen != "home":
            # Its styles first: built after them, it is styled once, as it mounts. Built
            # before, Textual read them as it was shown (parsing every style file again),
            # then restyled the whole screen.
            self.read_screens_css()
            self.open_screen(screen, run, self.start_folder, **filters)
        # The other screens' modules, imported while the learner reads the first one.
        self.set_timer(PRELOAD_AFTER_S, self.preload_screens)
        self.call_after_refresh(self.check_data_folder)
        self.call_after_refresh(self.ask_seat_name)
        if self.share is not None:
            self.call_after_refresh(self.open_shared, self.share)
        self.call_after_refresh(self.watch_board)

    def ask_seat_name(self) -> None:
        """A browser seat of `tui-dl serve` without a name asks for one first."""
        from tui_dl.engine.workshop.seats import current_seat, seat_name

        if current_seat() is None:
            return
        name = seat_name()
        if name:
            self.seated(name, welcome=False)
            return
        from tui_dl.ui.dialogs.seat_name import SeatName

        self.push_screen(SeatName(), self.seated)

    # ----- share codes ----------------------------------------------------------------------
    def action_share(self) -> None:
        """ctrl+s, on every screen: the code for what this screen shows (`ui/sharing.py`)."""
        from tui_dl.lessons.share.codes import encode
        from tui_dl.ui.dialogs.share_code import ShareCode
        from tui_dl.ui.sharing import share_of

        shared = share_of(self, self.screen)
        if shared is not None:  # None: the screen said why (a setting to fix first)
            self.push_screen(ShareCode(encode(shared), shared))

    def action_open_code(self, code: str = "") -> None:
        from tui_dl.ui.dialogs.share_code import OpenCode

        self.push_screen(OpenCode(code=code), self._opened_code)

    def _opened_code(self, shared: Shared | None) -> None:
        if shared is not None:
            self.call_later(self.open_shared, shared)

    async def open_shared(self, shared: Shared) -> None:
        """Open what a share code names, and say what it opened in its own words; a problem
        is a notice, never a crash."""
        from tui_dl.lessons.share.codes import describe
        from tui_dl.ui.tries import open_target

        target = shared.target
        if target.kind == "lesson":
            self.open_lesson(target.name, shared.page)
        elif not await open_target(self, target, origin="the share code"):
            return
        elif target.kind == "sweep" or (target.kind == "lab" and target.settings):
            return  # the form's own notice names what it filled in, "From the share code: …"
        self.notify(f"Opened {describe(shared)}.", title="Share code")

    def watch_board(self) -> None:
        """In a workshop, every few seconds: has the instructor put a code on every seat?"""
        from tui_dl import paths

        if paths.workshop() is None:
            return
        from tui_dl.engine.workshop.board import board_time

        self.board_seen = board_time()  # what was there before this seat sat down is old
        self.set_interval(BOARD_EVERY_S, self.check_board)

    def check_board(self) -> None:
        from tui_dl.engine.workshop.board import board_time, pushed

        changed = board_time()
        if not changed or changed == self.board_seen:
            return
        self.board_seen = changed
        board = pushed()
        if board is None:
            return
        from tui_dl.lessons.share.codes import decode, describe

        try:
            what = describe(decode(board.code))
        except ValueError:
            return  # not a code this tui-dl reads: the instructor's view said so when put
        label = f"{board.label}: " if board.label else ""
        self.notify(
            f"{label}{what}. ctrl+b opens it.",
            title="The instructor shared a code",
            timeout=30,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+b is a workshop seat's key: elsewhere there is no board to open."""
        if action == "open_board":
            return _in_workshop()
        return True

    def action_open_board(self) -> None:
        from tui_dl.engine.workshop.board import pushed

        board = pushed() if _in_workshop() else None
        if board is None:
            self.notify("The instructor has not shared a code.", title="Share code")
            return
        self.action_open_code(board.code)

    def seated(self, name: str | None, welcome: bool = True) -> None:
        if not name:
            return
        self.sub_title = name
        self.title = f"tui-dl · {name}"
        if welcome:
            self.notify(f"Welcome, {name}: your runs carry your name.", title="Seated")

    @work(thread=True, group="data-folder")
    def check_data_folder(self) -> None:
        """A data folder that was named but gives nothing: said at once, not after a run."""
        from tui_dl.data.sources import folder_problem

        problem = folder_problem(self.data_dir)
        if problem:
            self.call_from_thread(
                self.notify,
                sentence(problem),
                title="Data folder",
                severity="warning",
                timeout=12,
            )

    def preload_screens(self) -> None:
        self.run_worker(self._preload, thread=True, group="preload", exit_on_error=False)

    def _preload(self) -> None:
        try:
            registry.preload()
            sources.preload()
            self.call_from_thread(self.read_screens_css)
            self.source.start_spare()  # TensorFlow imported ahead of the first run (engine/spare)
        finally:  # the collector is off until it starts (`tui_dl.cli.main`)
            self.call_from_thread(self.collector.start)

    def read_screens_css(self) -> None:
        """The other screens' styles, read while the learner looks at the first screen: else
        the first screen to name them (`SCREENS_CSS`) would wait for them to be parsed.

        Parsed into the app's stylesheet itself (`parse`, which parses only what its cache
        lacks), not by Textual's `reparse`: that parses every source again in a stylesheet of
        its own and keeps none of it, so the first screen to mount a new kind of widget (help's
        first `?`, the runs' first `r`) parsed screens.tcss a second time in its opening."""
        stylesheet = self.stylesheet
        if not stylesheet.has_source(SCREENS_CSS):
            stylesheet.read(SCREENS_CSS)
            stylesheet.parse()
            stylesheet.update(self)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not self.screen_stack:  # closing: a key typed ahead of the end goes nowhere
                return
            self.collector.pressed()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.collector.stop()
        self.source.close()

    # ----- progress: the course map's "opened" -----------------------------------------------
    def record_visit(self, screen: Screen) -> None:
        """Every screen shown passes here, however it was opened (the palette, home, the
        course map, `--screen`, a try key, a share code): the one place that records the
        course steps done by opening a screen (the Playground, the sweep, the GAN Lab)."""
        from tui_dl.lessons.course import VISITED_SCREENS

        entry = next((e for e in registry.SCREENS if e.shows(screen)), None)
        if entry is None or entry.name not in VISITED_SCREENS or entry.name in self.visits:
            return
        self.visits.add(entry.name)
        from tui_dl.lessons.progress import note_visit

        note_visit(entry.name)

    # ----- the command palette: every screen and course step, from their registries --------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self)


def make_app(
    screen: str = "home",
    run: str | None = None,
    data_dir: str | None = None,
    source: RunSource | None = None,
    filters: dict[str, int] | None = None,
    playground: str = "",
    share: Shared | None = None,
    folder: str | None = None,
) -> TuiDlApp:
    """The app factory: the CLI passes the real engine; tests pass a fake source."""
    if source is None:
        source = LocalRunSource(data_dir=data_dir)
    return TuiDlApp(
        source,
        screen=screen,
        run=run,
        data_dir=data_dir,
        filters=filters,
        playground=playground,
        share=share,
        folder=folder,
    )
