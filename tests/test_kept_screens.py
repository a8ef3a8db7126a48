"""Help, runs, data and the course map are kept once built (issue 25): opened again, each is
the same screen with the cursor where the learner left it, and what it shows read again."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from tests.fakes import FakeRun, FakeRunSource, mnist_events, sample_runs, settle
from tui_dl.data.status import StatusRow
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.help import HelpScreen
from tui_dl.ui.screens.course import CourseScreen
from tui_dl.ui.screens.data import DataScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.runs import RunsScreen

LIVE = "20261122-110000-mnist-mlp-e5f6"
FIRST = "20261122-101500-mnist-mlp-a1b2"


def cells(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def opened(pilot, key: str, kind: type):
    """Press `key` and wait: the screen it opened (of `kind`)."""
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, kind), key
    return pilot.app.screen


async def back_home(pilot) -> None:
    pilot.app.screen.set_focus(None)
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)


async def test_the_runs_screen_shows_a_run_that_ended_while_it_was_left_with_its_cursor():
    source = FakeRunSource(sample_runs())
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        runs = await opened(pilot, "r", RunsScreen)
        table = runs.query_one(DataTable)
        assert str(table.get_row(LIVE)[1]) == "running"
        await pilot.press("down", "down")  # the oldest run
        assert runs.selected_run() == FIRST
        await back_home(pilot)
        # Meanwhile the live run finishes and a new one starts.
        source.runs[LIVE] = FakeRun(LIVE, mnist_events(10, end="finished"))
        newer = "20261122-120000-mnist-mlp-a9b9"
        source.runs[newer] = FakeRun(newer, mnist_events(1))
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is runs
        assert str(table.get_row(LIVE)[1]) != "running" and table.row_count == 4
        assert runs.selected_run() == FIRST  # the cursor where the learner left it


class CountedSource(FakeRunSource):
    reads = 0

    def list_runs(self, limit=None):
        self.reads += 1
        return super().list_runs(limit)


async def test_the_runs_screen_reads_nothing_while_it_is_left():
    source = CountedSource(sample_runs())
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await settle(pilot)
        await back_home(pilot)
        source.reads = 0
        await pilot.pause(4.5)  # two of its refreshes every 2 s, had it gone on
        assert source.reads == 0


async def test_the_data_screen_looks_again_each_time_it_opens(monkeypatch):
    found = [
        StatusRow("mnist", "MNIST", False, "not found — tui-dl data fetch mnist", "—"),
        StatusRow("fashion-mnist", "Fashion-MNIST", False, "not found", "—"),
        StatusRow("uci", "UCI tables", False, "not found", "—"),
    ]
    monkeypatch.setattr("tui_dl.ui.screens.data.status_rows", lambda data_dir: list(found))
    app = make_app(source=FakeRunSource(sample_runs()))
    async with app.run_test(size=(80, 24)) as pilot:
        data = await opened(pilot, "d", DataScreen)
        table = data.query_one(DataTable)
        await pilot.press("down", "down")
        await back_home(pilot)
        found[0] = StatusRow("mnist", "MNIST", True, "/data/mnist.npz", "11.5 MB", "folder")
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is data
        assert cells(table)[0][:2] == ["MNIST", "yes"]  # fetched while the screen was left
        assert table.cursor_row == 2


async def test_help_lists_the_keys_of_the_screen_it_opens_over_each_time():
    app = make_app(source=FakeRunSource(sample_runs()))
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await opened(pilot, "question_mark", HelpScreen)
        assert any(row.description == "Lab" for row in help_screen.rows)  # home's keys
        await pilot.press("escape")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen is help_screen
        words = {row.description for row in help_screen.rows}
        assert "Cancel run" in words or "Open" in words
        assert "Lab" not in words  # not home's any more
        await pilot.press("escape")
        assert isinstance(app.screen, RunsScreen)


async def test_the_course_map_keeps_its_cursor_and_a_fresh_copy_opens_over_itself():
    app = make_app(source=FakeRunSource(sample_runs()))
    async with app.run_test(size=(80, 24)) as pilot:
        course = await opened(pilot, "c", CourseScreen)
        steps = course.query_one(OptionList)
        steps.highlighted = 3
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is course and steps.highlighted == 3
        # Opened while it is further down (a step opened from it, then the palette): a fresh one.
        app.open_screen("course")
        await settle(pilot)
        assert isinstance(app.screen, CourseScreen) and app.screen is not course
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is course


async def test_help_draws_the_screen_under_it_as_textual_does(monkeypatch):
    """Help tints each line of the screen under it once (`TintedScreen`): what it draws, the
    first time and again, is what Textual's own modal background draws."""
    from textual.screen import ModalScreen

    app = make_app(source=FakeRunSource(sample_runs()))
    shots = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("question_mark")
            await settle(pilot)
            shots.append(app.export_screenshot())
            await pilot.press("escape")
            await settle(pilot)
        monkeypatch.setattr(HelpScreen, "render", ModalScreen.render)
        await pilot.press("question_mark")
        await settle(pilot)
        shots.append(app.export_screenshot())
    assert shots[0] == shots[1] == shots[2]


async def test_a_finished_runs_confusion_matrix_is_kept_with_its_cursor(tmp_path):
    from tests.artifacts import write_predictions
    from tui_dl.ui.screens.run_views.confusion import ConfusionScreen
    from tui_dl.ui.widgets.run.confusion_grid import ConfusionGrid

    runs = sample_runs()
    for index in (0, 2):  # two finished runs with predictions (the failed one between)
        folder = tmp_path / runs[index].run_id
        folder.mkdir()
        write_predictions(folder)
        runs[index] = FakeRun(folder.name, mnist_events(10, end="finished"), run_dir=folder)
    app = make_app(source=FakeRunSource(runs))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("down", "down", "m")  # the oldest run's matrix
        await settle(pilot)
        matrix = app.screen
        assert isinstance(matrix, ConfusionScreen) and matrix.run_id == FIRST
        await pilot.press("down", "right")
        assert matrix.query_one(ConfusionGrid).cursor == (1, 1)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is matrix and matrix.query_one(ConfusionGrid).cursor == (1, 1)
        # Another run's matrix: a view of its own, and the first one goes.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("up", "up", "m")
        await settle(pilot)
        assert isinstance(app.screen, ConfusionScreen) and app.screen.run_id == LIVE
        assert not matrix.is_attached


async def test_a_palette_command_s_screen_is_drawn_as_soon_as_it_is_ready():
    """Textual's palette holds the screen (`delay_update`, 50 ms) after a command is chosen;
    the hold ends once the command queued behind it has run, however long it was asked for."""
    app = make_app(source=FakeRunSource(sample_runs()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"course map")
        await pilot.pause(0.3)  # the palette's search
        await pilot.press("enter")
        assert isinstance(app.screen, CourseScreen) and not app._batch_count
        app.delay_update(60.0)  # as the palette does, then its command
        app.call_later(app.open_screen, "runs")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen)
        assert not app._batch_count  # drawn, not held a minute
