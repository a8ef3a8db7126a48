"""The tui-dl Textual app: screens over a RunSource. No tensorflow here, ever."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui_dl.engine.store import RunStore
from tui_dl.lessons import LessonError, find_lesson, load_lessons
from tui_dl.text import sentence
from tui_dl.ui import registry, sources
from tui_dl.ui.idle_gc import IdleCollector
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


class TuiDlApp(App[int]):
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
        self.collector = IdleCollector(self)
        self.visits: set[str] = set()
        """The course's screens recorded as opened in this session (`record_visit`)."""

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
            self.open_screen(screen, run, **filters)
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
        registry.preload()
        sources.preload()
        self.call_from_thread(self.collector.start)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.pressed()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.collector.stop()

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

    # ----- navigation (also the command palette's entries) ----------------------------------
    def open_screen(self, name: str, run: str | None = None, **filters: int) -> None:
        """Open a screen by its registry name (`--screen`), on a run where it takes one."""
        entry = registry.entry(name)
        argument = name.partition(":")[2]
        if entry.name == "lesson":
            self.open_lesson(argument)
        elif entry.name == "ethics":
            self.open_ethics(argument or "general")
        elif entry.kind == "run-view":
            self.open_insight(name, run or "latest", **filters)
        elif entry.experiment:
            self.open_project(entry.experiment, run)
        elif entry.name == "lab" and run:
            self.open_run(run)
        elif entry.name == "lab":
            self.open_lab()
        elif entry.name == "help":
            self.action_help()
        elif entry.kept:
            self.open_kept(entry)
        elif entry.name != "home":
            self.push_screen(entry.load()())

    def open_kept(self, entry: registry.ScreenEntry) -> None:
        """A page kept once built (the GAN Lab): the same screen, as the learner left it."""
        if not self.is_screen_installed(entry.name):
            self.install_screen(entry.load()(), entry.name)
        if self.get_screen(entry.name) not in self.screen_stack:
            self.push_screen(entry.name)

    def switch_to_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_lab(self, experiment: str = "mnist-mlp") -> None:
        """The experiment's lab as the learner left it: one lab per experiment is kept once
        opened (its settings, its run), so coming back costs no rebuild of its form."""
        if registry.for_experiment(experiment) is not None:
            self.open_project(experiment)
            return
        name = f"lab:{experiment}"
        if not self.is_screen_installed(name):
            self.install_screen(registry.entry("lab").load()(experiment), name)
        if self.get_screen(name) in self.screen_stack:  # already open further down
            self.push_screen(registry.entry("lab").load()(experiment))
        else:
            self.push_screen(name)

    def open_project(self, experiment: str, run_id: str | None = None) -> None:
        """An experiment with a screen of its own: the mammogram project, the model zoo."""
        entry = registry.for_experiment(experiment)
        assert entry is not None, experiment
        if entry.name == "playground":  # kept once opened, as the learner left it
            if not self.is_screen_installed("playground"):
                screen = entry.load()(experiment, run_id=run_id, state=self.playground_state)
                self.install_screen(screen, "playground")
            if self.get_screen("playground") not in self.screen_stack:
                self.push_screen("playground")
            return
        self.push_screen(entry.load()(experiment, run_id=run_id))

    def open_run(self, run_id: str) -> None:
        try:
            run_id = self.source.resolve(run_id)
            info = self.source.info(run_id)
        except (LookupError, OSError, ValueError) as exc:
            self.notify(str(exc), title="Cannot open that run", severity="error")
            return
        from tui_dl.engine.experiments import EXPERIMENTS

        unknown = (
            f"{run_id}: {info.status_words}"
            if info.problem
            else f"{run_id} is a run of {info.experiment!r}, which this version of tui-dl "
            "does not know (renamed, or from a newer version)"
            if info.experiment not in EXPERIMENTS
            else ""
        )
        if unknown:
            self.notify(unknown, title="Cannot open that run", severity="error")
            return
        if registry.for_experiment(info.experiment) is not None:
            self.open_project(info.experiment, run_id)
        else:
            self.push_screen(registry.entry("lab").load()(info.experiment, run_id=run_id))

    def open_insight(self, kind: str, run_id: str | None = None, **kwargs: int | None) -> None:
        """Open a view of one run: this screen's run, or the one named. `latest` means the
        newest run that has this view."""
        view = registry.entry(kind)
        current = self.screen
        run_id = run_id or getattr(current, "run_id", None) or "latest"
        try:
            if run_id == "latest":
                found = registry.latest_with_view(self.source.list_runs(), view)
                if found is None:
                    raise LookupError(f"no run has a {view.title.lower()} yet")
                run_id = found
            run_id = self.source.resolve(run_id)
        except (LookupError, OSError) as exc:
            self.notify(str(exc), title="Cannot open that run", severity="error")
            return
        if getattr(current, "run_id", None) == run_id and registry.is_run_view(current):
            self.pop_screen()  # moving between views of one run: escape goes back past them
        self.push_screen(view.load()(run_id, **kwargs))

    def open_lesson(self, lesson_id: str, page: int | None = None) -> None:
        """Open a lesson on the page where the learner left it (or `page`)."""
        try:
            lesson = find_lesson(lesson_id)
        except LessonError as exc:
            self.notify(str(exc), title="Cannot open that lesson", severity="error", timeout=10)
            return
        self.push_screen(registry.entry("lesson").load()(lesson, page))

    def open_ethics(self, project: str = "general") -> None:
        from tui_dl.lessons.ethics import EthicsError, validate_project

        try:
            validate_project(project)
        except EthicsError as exc:
            self.notify(str(exc), title="Ethics checklist", severity="error")
            return
        self.push_screen(registry.entry("ethics").load()(project))

    def action_open_insight(self, kind: str) -> None:
        self.open_insight(kind)

    def action_open_screen(self, name: str) -> None:
        self.open_screen(name)

    def action_open_lab(self) -> None:
        self.open_lab()

    def action_help(self) -> None:
        """`?`: the keys of this screen, read from its bindings as they are now."""
        help_screen = registry.entry("help")
        if any(help_screen.shows(screen) for screen in self.screen_stack):
            return
        self.push_screen(help_screen.load()(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every screen, every course step (each lesson and each lab by its step number and
        title, a lab by its experiment's name too), every experiment's lab, the share codes
        and the ethics checklists — all read from their registries, none listed by hand."""
        yield from super().get_system_commands(screen)
        yield from self._step_commands()
        yield from self._screen_commands()
        yield SystemCommand(
            "Open a share code", "A setup someone shared: TD1-…", self.action_open_code
        )
        yield SystemCommand(
            "Share code", "The code for what this screen shows (ctrl+s)", self.action_share
        )
        from tui_dl.lessons.ethics import OFFERED_PROJECTS

        for project in OFFERED_PROJECTS:
            yield SystemCommand(
                f"Ethics checklist: {project}",
                "Tick the questions you have answered, note what you found",
                lambda project=project: self.open_ethics(project),
            )

    def _step_commands(self) -> Iterable[SystemCommand]:
        """'Step 6 · Lesson: Activation functions', 'Step 25 · Lab: Fashion-MNIST —
        variational autoencoder (fashion-vae)': the map's numbers, its titles, its targets;
        then a lab for each experiment the course has no step for."""
        from tui_dl.engine.experiments import EXPERIMENTS
        from tui_dl.lessons.course import course_steps, screen_of
        from tui_dl.ui.tries import open_target

        lessons, _ = load_lessons()
        labs: set[str] = set()
        for step in course_steps(lessons):
            target = step.target
            if step.lesson is not None:
                title, help_text = f"Lesson: {step.title}", step.lesson.summary
            elif target.kind == "lab":
                labs.add(target.name)
                experiment = EXPERIMENTS[target.name]
                title = f"{_KIND_WORDS.get(step.kind, 'Lab')}: {step.title} ({target.name})"
                help_text = f"Its lab, on the {experiment.dataset} data"
            else:
                title, help_text = step.title, registry.entry(screen_of(target)).help
            yield SystemCommand(
                f"Step {step.number} · {title}",
                help_text or "Open this step",
                lambda target=target: open_target(self, target),  # awaited by the palette
            )
        for name, experiment in EXPERIMENTS.items():
            if name not in labs and registry.for_experiment(name) is None:
                yield SystemCommand(
                    f"Lab: {experiment.title} ({name})",
                    f"Its lab, on the {experiment.dataset} data",
                    lambda name=name: self.open_lab(name),
                )

    def _screen_commands(self) -> Iterable[SystemCommand]:
        """Every screen of the registry with a title, but the lab (each experiment's lab is
        listed on its own) and a screen that is a course step (listed as the step)."""
        from tui_dl.lessons.course import COURSE

        steps = {step.parsed for step in COURSE}
        as_steps = {t.name for t in steps if t.kind == "screen"}
        as_labs = {t.name for t in steps if t.kind == "lab"}
        for entry in registry.SCREENS:
            if not entry.title or entry.name == "lab" or entry.name in as_steps:
                continue
            if entry.experiment in as_labs:
                continue
            if entry.kind == "run-view":
                yield SystemCommand(
                    entry.title,
                    f"{entry.title} of the latest run that has one",
                    lambda name=entry.name: self.open_insight(name),
                )
            elif entry.name == "home":
                yield SystemCommand(entry.title, entry.help, self.switch_to_home)
            else:
                yield SystemCommand(
                    entry.title, entry.help, lambda name=entry.name: self.open_screen(name)
                )
            if entry.name == "runs":
                yield SystemCommand(
                    "Latest run", "Open the newest run in the lab", lambda: self.open_run("latest")
                )


_KIND_WORDS = {"lab": "Lab", "project": "Project"}
"""How the palette names a step that opens an experiment."""


def make_app(
    screen: str = "home",
    run: str | None = None,
    data_dir: str | None = None,
    source: RunSource | None = None,
    filters: dict[str, int] | None = None,
    playground: str = "",
    share: Shared | None = None,
) -> TuiDlApp:
    """The app factory: the CLI passes the real engine; tests pass a fake source."""
    if source is None:
        source = LocalRunSource(RunStore(), data_dir=data_dir)
    return TuiDlApp(
        source,
        screen=screen,
        run=run,
        data_dir=data_dir,
        filters=filters,
        playground=playground,
        share=share,
    )
