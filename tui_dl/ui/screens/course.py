"""The course map: every step of the course in order, what the learner has done, what
"done" means for each kind of step, and the next thing to do. Enter opens a step; escape
there comes back here.

The steps and what counts as done are `tui_dl.lessons.course`'s; this screen hands it the
lessons, the progress, the experiments with a finished run and whether the latest sweep ran
to its end (from the app's run source, read in a thread) and the screens opened, and shows
the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tui_dl.engine.events import Status
from tui_dl.lessons import load_lessons, load_progress
from tui_dl.lessons.course import CourseMap, MapStep, course_map
from tui_dl.lessons.progress import load_visited
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.rows_list import RowsList

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared

KEYS = "enter opens a step · n the next one · escape back"
FRAME = 6
"""The columns around a step's text: the list's border, its padding and its scrollbar."""


class CourseScreen(AppScreen):
    DEFAULT_CSS = """
    CourseScreen #course-summary { height: auto; padding: 0 1; }
    CourseScreen #course-steps { height: 1fr; border: round $panel-lighten-2; }
    CourseScreen #course-steps:focus { border: round $accent; }
    CourseScreen #course-legend { height: auto; padding: 0 1; }
    CourseScreen #course-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("n", "open_next", "Next step"),
        Binding("f5", "refresh", "Refresh", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.finished: set[str] = set()
        """The experiments with a finished run here (read from the run source)."""
        self.swept = False
        """Whether the latest sweep ran to its end (read from the run source)."""
        self.map = CourseMap(())
        self.width = 0
        """The terminal's width the steps were laid out for."""
        self._drawn: tuple[object, ...] = ()
        """What the steps were last drawn from: the map, the width, the lessons' problems."""
        self._shown_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="course-summary")
        yield RowsList(id="course-steps")
        yield Static(id="course-legend")
        yield Static(KEYS, id="course-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        # As the runs were when the map was last open: drawn again only if they changed since
        # (the map is drawn at once, and again when the runs have been read in a thread).
        self.finished, self.swept = set(self.app.course_runs[0]), self.app.course_runs[1]
        self.title = "tui-dl — the course"
        self.sub_title = "from gradient descent to GANs"
        self.show_map(highlight_next=True)
        self.query_one(OptionList).focus()
        self.load_runs()

    def on_resize(self) -> None:
        if self.app.size.width != self.width:
            self.show_map()

    def on_screen_resume(self) -> None:
        if not self._shown_once:  # the first show: on_mount has just drawn it all
            self._shown_once = True
            return
        self.show_map()
        self.call_after_refresh(self.load_runs)  # its thread, once the map is drawn

    def action_refresh(self) -> None:
        self.show_map()
        self.load_runs()

    @work(thread=True, exclusive=True, group="course-runs")
    def load_runs(self) -> None:
        source = self.app.source
        finished = {
            info.experiment for info in source.list_runs() if info.status == Status.FINISHED
        }
        sweep = source.latest_sweep()
        swept = False
        if sweep is not None:
            try:
                tracker = source.sweep_tracker(sweep)
                tracker.update()
                swept = tracker.state.status == Status.FINISHED
            except (OSError, ValueError, KeyError):
                pass  # unreadable: the step stays as opened or not (the sweep screen says why)
        self.from_thread(self._got_runs, finished, swept)

    def _got_runs(self, finished: set[str], swept: bool) -> None:
        self.app.course_runs = frozenset(finished), swept
        if (finished, swept) != (self.finished, self.swept):
            self.finished, self.swept = finished, swept
            self.show_map(highlight_next=True)

    def show_map(self, highlight_next: bool = False) -> None:
        lessons, problems = load_lessons()
        progress, trouble = load_progress()
        visited, lost = load_visited()
        for problem in (trouble, lost):
            if problem:
                self.notify(problem, title="Progress", severity="warning", timeout=10)
        self.map = course_map(lessons, progress, self.finished, visited, swept=self.swept)
        self.width = self.app.size.width
        steps = self.query_one(OptionList)
        highlighted = steps.highlighted
        upcoming = self.map.next
        drawn = (self.map, self.width, problems)
        if drawn != self._drawn:  # shown again with nothing changed: its rows stay
            self._drawn = drawn
            self._draw(steps, problems)
        if highlight_next or highlighted is None:
            highlighted = upcoming if upcoming is not None else 0
        if self.map.steps:
            steps.highlighted = min(highlighted, len(self.map.steps) - 1)

    def _draw(self, steps: OptionList, problems: list[str]) -> None:
        width, upcoming = self.width - FRAME, self.map.next
        steps.clear_options()
        steps.add_options(
            [
                Option(_line(step, i == upcoming, width), id=str(i))
                for i, step in enumerate(self.map.steps)
            ]
            + [Option(Text(f"⚠ {problem}"), disabled=True) for problem in problems]
        )
        self.query_one("#course-summary", Static).update(_summary(self.map))
        self.query_one("#course-legend", Static).update(_legend(self.map))

    @on(OptionList.OptionSelected, "#course-steps")
    async def open_step(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            await self.open(int(event.option.id))

    async def action_open_next(self) -> None:
        if self.map.next is not None:
            self.query_one(OptionList).highlighted = self.map.next
            await self.open(self.map.next)

    def share_target(self) -> Shared:
        """ctrl+s: the step under the cursor (enter opens it), else the map itself."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target

        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.map.steps):
            return Shared(Target("screen", "course"))
        return Shared(self.map.steps[index].target)

    async def open(self, index: int) -> None:
        from tui_dl.ui.tries import open_target

        await open_target(self.app, self.map.steps[index].target, origin="the course map")


def _line(step: MapStep, upcoming: bool, width: int = 0) -> Text:
    """'✓  1. Gradient descent  lesson · 5/5 pages · 4/5 right'; ▶ marks the next step. What
    does not fit in `width` cells goes on a second line under the title, never cut."""
    mark = "✓" if step.done else ("▶" if upcoming else "·")
    text = Text()
    text.append(f"{mark} ", "bold green" if step.done else ("bold yellow" if upcoming else "dim"))
    text.append(f"{step.number:>2}. ", "dim")
    text.append(step.title, "bold" if upcoming else "")
    rest = Text(f"{step.kind} · {step.detail}", "dim")
    if upcoming:
        rest.append("  ← next", "bold yellow")
    if width and text.cell_len + 2 + rest.cell_len > width:
        text.append("\n" + " " * INDENT)
    else:
        text.append("  ")
    return text + rest


INDENT = len("✓ 12. ")
"""Where a step's second line starts: under its title."""


def _summary(course: CourseMap) -> Text:
    total = len(course.steps)
    text = Text(f"{course.done} of {total} steps done", "bold")
    if course.next is None:
        text.append(" — the whole course. Well done.")
    else:
        step = course.steps[course.next]
        text.append(" · next: ")
        text.append(f"{step.number}. {step.title}", "bold yellow")
        text.append(" (n)")
    return text


def _legend(course: CourseMap) -> Text:
    """'✓ done — lesson: all pages read, all questions answered · lab, project: a finished
    run · …': what done means, for the kinds of step on this map."""
    text = Text("✓ done — ", "dim")
    for index, (kinds, rule) in enumerate(course.legend()):
        if index:
            text.append(" · ", "dim")
        text.append(kinds, "bold")
        text.append(f": {rule}", "dim")
    return text
