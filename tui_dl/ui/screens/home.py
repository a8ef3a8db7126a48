"""Home: what there is to learn, what there is to run, what was run, what data is here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui_dl.text import percent
from tui_dl.ui import home_listing, registry
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.render.status_marks import status_mark
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.rows_list import RowsList

if TYPE_CHECKING:
    from tui_dl.data.status import StatusRow
    from tui_dl.lessons.share.codes import Shared
    from tui_dl.ui.home_listing import ExperimentRow, LessonRow, Listing

RECENT_RUNS = 8
PAGE = "page:"
"""The option id of a page listed among the experiments (`page:ganlab`)."""
COURSE_MAP = "@course"
"""The Lessons panel's first option: the course map (no lesson id starts with '@')."""
WIDE = 120
"""From this many columns on, lessons and experiments get a line saying what they are."""


class HomeScreen(AppScreen):
    CSS_PATH = None
    """Styled by app.tcss alone: its first frame parses no other screen's styles."""
    BINDINGS = [
        Binding("l", "app.open_lab", "Lab"),
        Binding("c", "app.open_screen('course')", "Course"),
        Binding("r", "app.open_screen('runs')", "Runs"),
        Binding("d", "app.open_screen('data')", "Data"),
        Binding("f5", "refresh", "Refresh", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="home"):
            yield _titled(RowsList(id="lessons"), "Lessons")
            yield _titled(RowsList(id="experiments"), "Experiments")
            runs: DataTable[Any] = TextTable(
                id="recent-runs", cursor_type="row", zebra_stripes=False
            )
            runs.border_title = "Past runs"
            yield runs
            data: DataTable[Any] = TextTable(id="data-status", cursor_type="row")
            data.border_title = "Data"
            yield data
        yield Static(
            "tab next panel · enter opens · c course · l lab · r runs · d data · ? help",
            id="home-hint",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl"
        self.sub_title = "a deep-learning classroom and lab"
        runs = self.query_one("#recent-runs", DataTable)
        runs.add_columns("run", "", "test acc")
        self._wide: bool | None = None
        self._shown: dict[str, object] = {}
        """What each panel shows now: coming back to the home screen rebuilds only a panel
        whose content changed (a rebuild restyles it, and returning must stay quick)."""
        # A plain start's helper read the lists while the app imported Textual (home_listing).
        self._listing = home_listing.take() or home_listing.compute()
        self.fill_lists()
        self._say_trouble()
        self.query_one("#experiments", OptionList).focus()
        # The runs and the data are read in threads: started once the first frame is out,
        # so they do not compete with it for the interpreter.
        self.call_after_refresh(self.action_refresh)

    def on_resize(self) -> None:
        self.fill_lists()

    def fill_lists(self) -> None:
        """Titles only on a small terminal; a descriptive line under each on a wide one."""
        wide = self.app.size.width >= WIDE
        if wide == self._wide:
            return
        self._wide = wide
        self._show_lessons()
        experiments = self.query_one("#experiments", OptionList)
        highlighted = experiments.highlighted
        experiments.clear_options()
        experiments.add_options(
            [
                Option(_two_lines(row["title"], _detail(row, wide)), id=row["id"])
                for row in self._listing["experiments"]
            ]
            + [
                Option(_two_lines(page.title, page.help), id=PAGE + page.name)
                for page in registry.AMONG_EXPERIMENTS
            ]
        )
        experiments.highlighted = highlighted if highlighted is not None else 0

    def fill_lessons(self) -> None:
        """The lessons read again (a lesson's progress may have changed since)."""
        self._listing = home_listing.compute()
        self._show_lessons()
        self._say_trouble()

    def _say_trouble(self) -> None:
        trouble = self._listing["trouble"]
        if trouble:
            self.notify(trouble, title="Lesson progress", severity="warning", timeout=10)

    def _changed(self, panel: str, content: object) -> bool:
        if self._shown.get(panel) == content:
            return False
        self._shown[panel] = content
        return True

    def _show_lessons(self) -> None:
        """The course map, then each lesson in the course's order with how far the learner
        got: '2/5 pages', '5/5 pages · 3/4 right', ✓ when all is read and answered."""
        wide = bool(self._wide)
        listing: Listing = self._listing
        lessons, problems = listing["lessons"], listing["problems"]
        if not self._changed("lessons", (wide, lessons, problems)):
            return
        lesson_list = self.query_one("#lessons", OptionList)
        highlighted = lesson_list.highlighted
        lesson_list.clear_options()
        lesson_list.add_options(
            [
                Option(
                    _two_lines(
                        "Course map", "Every step in order, and the next one" if wide else ""
                    ),
                    id=COURSE_MAP,
                )
            ]
            + [Option(_lesson_line(row, wide), id=row["id"]) for row in lessons]
            + [Option(Text(f"⚠ {problem}"), disabled=True) for problem in problems]
        )
        lesson_list.highlighted = min(highlighted or 0, len(lessons))

    def on_screen_resume(self) -> None:
        if not getattr(self, "_shown_once", False):  # the first show: on_mount filled it all
            self._shown_once = True
            return
        self.call_after_refresh(self._refresh_shown)

    def _refresh_shown(self) -> None:
        """Home reads its lessons, runs and data again once it is shown, not when it is
        passed through: the palette closes over home on its way to the screen it opens, and
        the reads (two of them in threads) slowed that screen's first frame."""
        if not self.is_current:
            return
        if self._wide is not None:
            self.fill_lessons()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load_runs()
        self.load_data_status()

    @work(thread=True, exclusive=True, group="home-runs")
    def load_runs(self) -> None:
        infos = self.app.source.list_runs(RECENT_RUNS)
        rows = [
            # A run that cannot be believed: the word here, why on the runs screen (r).
            (i.run_id, i.status, "unreadable" if i.problem else percent(i.accuracy))
            for i in infos
        ]
        self.from_thread(self._fill_runs, rows)

    def _fill_runs(self, rows: list[tuple[str, str, str]]) -> None:
        if not self._changed("runs", rows):
            return
        table = self.query_one("#recent-runs", DataTable)
        table.clear()
        for run_id, status, accuracy in rows:
            table.add_row(_short_id(run_id), Text(*status_mark(status)), accuracy, key=run_id)
        if not rows:
            table.add_row("no runs yet — press l", "", "")

    @work(thread=True, exclusive=True, group="home-data")
    def load_data_status(self) -> None:
        from tui_dl.data.status import status_rows  # behind the first frame, like its rows

        rows = status_rows(self.app.data_dir)
        self.from_thread(self._fill_data, rows)

    def _fill_data(self, rows: list[StatusRow]) -> None:
        wide = self.app.size.width >= WIDE
        if not self._changed("data", (wide, rows)):
            return
        table = self.query_one("#data-status", DataTable)
        table.clear(columns=True)
        table.add_columns("dataset", "source", *(("size",) if wide else ()))
        for row in rows:
            source = Text(row.short_source, style="" if row.available else "dim")
            table.add_row(row.name, source, *((row.size,) if wide else ()), key=row.name)

    def share_target(self) -> Shared | None:
        """ctrl+s: what enter would open in the panel the learner is in — a lesson, an
        experiment's lab, the course map, a past run's setup, the data screen."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target
        from tui_dl.ui.sharing import lab_setup, run_setup

        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            option = focused.get_option_at_index(focused.highlighted).id or ""
            if option == COURSE_MAP:
                return Shared(Target("screen", "course"))
            if option.startswith(PAGE):
                return Shared(Target("screen", option.removeprefix(PAGE)))
            if focused.id == "lessons" and option:
                return Shared(Target("lesson", option))
            if option:
                return lab_setup(option, {})
        if isinstance(focused, DataTable) and focused.id == "recent-runs" and focused.row_count:
            run_id = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
            if run_id and run_id.count("-") >= 2:
                return run_setup(self.app, run_id)
        if isinstance(focused, DataTable) and focused.id == "data-status":
            return Shared(Target("screen", "data"))
        return Shared(Target("screen", "course"))

    @on(OptionList.OptionSelected, "#experiments")
    def open_experiment(self, event: OptionList.OptionSelected) -> None:
        option = event.option.id
        if option and option.startswith(PAGE):
            self.app.open_screen(option.removeprefix(PAGE))
        elif option:
            self.app.open_lab(experiment=option)

    @on(OptionList.OptionSelected, "#lessons")
    def open_lesson(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == COURSE_MAP:
            self.app.open_screen("course")
        elif event.option.id:
            self.app.open_lesson(event.option.id)

    @on(DataTable.RowSelected, "#recent-runs")
    def open_run(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value and event.row_key.value.count("-") >= 2:
            self.app.open_run(event.row_key.value)

    @on(DataTable.RowSelected, "#data-status")
    def open_data(self, event: DataTable.RowSelected) -> None:
        self.app.open_screen("data")


def _short_id(run_id: str) -> str:
    """'20261122-140312-mnist-mlp-1a2b' → '11-22 14:03 mnist-mlp'."""
    parts = run_id.split("-")
    if len(parts) >= 4 and len(parts[0]) == 8 and len(parts[1]) == 6:
        day, clock = parts[0], parts[1]
        return f"{day[4:6]}-{day[6:]} {clock[:2]}:{clock[2:4]} {'-'.join(parts[2:-1])}"
    return run_id


def _lesson_line(row: LessonRow, wide: bool) -> Text:
    """'1. Gradient descent  2/5 pages · 1/5 right' (narrow: '2/5 · 1/5 right', the
    questions once one is answered), dim; a green ✓ once every page was read and every
    question answered. The number is the lesson's step on the course map."""
    text = Text(f"{row['number']}. {row['title']}", style="bold")
    if row["done"]:
        text.append("  ✓", style="bold green")
    text.append(f"  {row['label'] if wide else row['short']}", style="dim")
    if wide and row["summary"]:
        text.append("\n  " + row["summary"], style="dim")
    return text


def _two_lines(title: str, detail: str) -> Text:
    """An option: its title, and under it a dimmer line saying what it is."""
    text = Text(title, style="bold")
    if detail:
        text.append("\n  " + detail, style="dim")
    return text


def _detail(row: ExperimentRow, wide: bool) -> str:
    """Under an experiment: what it is (on a wide terminal) and the course's figure."""
    return (row["summary"] + " " if wide else "") + row["course"]


def _titled(widget, title: str):
    widget.border_title = title
    return widget
