"""Pilot tests: the app driven by keyboard over a fake run source (no training, no TF)."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from tests.fakes import FakeRunSource, mnist_events, sample_runs, settle
from tui_dl.engine.devices import Gpu
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.help import HelpScreen
from tui_dl.ui.screens.data import DataScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.runs import RunsScreen
from tui_dl.ui.widgets.run.metrics_plot import MetricsPlot
from tui_dl.ui.widgets.run.run_summary import RunSummary


def app_with(source: FakeRunSource | None = None, **kwargs):
    return make_app(source=source or FakeRunSource(sample_runs()), **kwargs)


async def test_home_lists_lessons_experiments_runs_and_data():
    app = app_with()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        lessons = app.screen.query_one("#lessons", OptionList)
        from tui_dl.lessons import load_lessons

        assert lessons.option_count == 1 + len(load_lessons()[0])  # the map, then each lesson
        assert "Course map" in str(lessons.get_option_at_index(0).prompt)
        assert "Gradient descent" in str(lessons.get_option_at_index(1).prompt)
        runs = app.screen.query_one("#recent-runs", DataTable)
        assert runs.row_count == 3
        data = app.screen.query_one("#data-status", DataTable)
        assert "mnist" in [str(data.get_row_at(i)[0]) for i in range(data.row_count)]


async def test_home_keys_open_each_screen_and_escape_returns():
    app = app_with()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen in (("l", LabScreen), ("r", RunsScreen), ("d", DataScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen), key
            app.screen.set_focus(None)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
    assert app.return_code == 0


def ended_runs() -> FakeRunSource:
    """The sample runs but the live one (a lab opens on a live run of its experiment)."""
    return FakeRunSource([run for run in sample_runs() if not run.active])


async def test_enter_on_experiment_opens_lab():
    app = app_with(ended_runs())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
        assert app.screen.run_id is None


async def test_the_lab_is_as_the_learner_left_it():
    app = app_with(ended_runs())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        lab = app.screen
        epochs = lab.query_one("#field-epochs", Input)
        epochs.value = "7"
        lab.set_focus(None)
        await pilot.press("escape")
        await settle(pilot)
        app.open_screen("lab")  # the palette's way in
        await settle(pilot)
        assert app.screen is lab and lab.query_one("#field-epochs", Input).value == "7"
        app.open_lab("mnist-cnn")  # another experiment: a lab of its own
        await settle(pilot)
        assert app.screen is not lab and app.screen.experiment.name == "mnist-cnn"


async def test_bad_setting_is_named_and_nothing_launches():
    source = FakeRunSource()
    app = app_with(source, screen="lab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        epochs = app.screen.query_one("#field-epochs", Input)
        epochs.value = "ten"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.launched == []
        error = str(app.screen.query_one("#form-error").render())
        assert "Epochs" in error and "not a whole number" in error
        assert epochs.has_class("-invalid")
        epochs.value = "3"  # what was typed elsewhere is kept; fixing one field is enough
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.launched == [("mnist-mlp", {**_defaults(), "epochs": 3}, "cpu")]


def _defaults():
    from tui_dl.engine.experiments import get_experiment

    return get_experiment("mnist-mlp").defaults()


async def test_lab_follows_a_run_live_and_shows_the_result():
    source = FakeRunSource(launch_events=mnist_events(10, end="finished"))
    app = app_with(source, screen="lab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the launch runs in a thread
        run = next(iter(source.runs.values()))  # launched: started, nothing trained yet
        await pilot.pause(0.3)
        lab = app.screen
        assert lab.running and lab.history == []
        run.delivered = 4 + 3 * 3  # three epochs: two progress events and an epoch_end each
        await pilot.pause(0.3)
        assert len(lab.history) == 3
        assert lab.query_one("#loss-plot", MetricsPlot).history == lab.history
        run.delivered = len(run.events)
        await pilot.pause(0.3)
        assert lab.status == "finished"
        summary = str(lab.query_one(RunSummary).render())
        assert "93.3 %" in summary and "98 %" in summary and "offline sample" in summary
        assert len(lab.query_one("#accuracy-plot", MetricsPlot).history) == 10


async def test_cancel_key_cancels_the_live_run():
    source = FakeRunSource(sample_runs())
    app = app_with(source, screen="lab", run="20261122-110000-mnist-mlp-e5f6")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.running
        await pilot.press("c")
        await settle(pilot)
        await pilot.pause(0.3)
        assert source.cancelled == ["20261122-110000-mnist-mlp-e5f6"]
        assert app.screen.status == "cancelled"


async def test_failed_run_shows_its_message_and_the_app_lives_on():
    app = app_with(screen="lab", run="20261122-103000-mnist-mlp-c3d4")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.status == "failed"
        assert "learning rate" in str(app.screen.query_one(RunSummary).render())
        await pilot.press("n")  # a new run from the failed one's settings
        await settle(pilot)
        assert app.screen.run_id is None
        assert app.screen.query_one("#field-learning_rate", Input).value == "1e+30"


async def test_latest_run_reattaches_with_full_history():
    app = app_with(screen="lab", run="latest")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lab = app.screen
        assert lab.run_id == "20261122-110000-mnist-mlp-e5f6"
        assert len(lab.history) == 3 and lab.running


async def test_unknown_run_is_a_message_not_a_crash():
    app = app_with(screen="lab", run="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("no run 'nope'" in n.message for n in app._notifications)


async def test_runs_screen_opens_a_run_with_enter():
    app = app_with(screen="runs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
        assert app.screen.run_id == "20261122-110000-mnist-mlp-e5f6"


async def test_gpus_from_nvidia_smi_are_offered_and_default():
    source = FakeRunSource(gpus=[Gpu(0, "NVIDIA H100", 81559)])
    app = app_with(source, screen="lab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.launched[0][2] == "gpu:0"


async def test_command_palette_opens():
    app = app_with()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_a_data_folder_that_is_not_there_is_said_at_once(tmp_path):
    missing = tmp_path / "nowhere"
    app = app_with(data_dir=str(missing))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any(str(missing) in m and "does not exist" in m for m in said), said


async def test_a_thread_that_finishes_after_its_screen_closed_changes_nothing():
    # Found by the random keys: the data screen's table filled after escape had closed it.
    import asyncio

    app = app_with()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DataScreen())  # a copy: the one `d` opens is kept when left
        await settle(pilot)
        data, calls = app.screen, []
        await pilot.press("escape")
        await settle(pilot)
        await asyncio.to_thread(data.from_thread, calls.append, "left")
        await asyncio.to_thread(app.screen.from_thread, calls.append, "shown")
        await settle(pilot)
        assert calls == ["shown"] and app.is_running


async def test_a_thread_that_finishes_while_the_app_closes_changes_nothing():
    """Found by a quick test on a loaded machine: home's runs, read in a thread, came back
    while the app was closing, home still on the stack but its widgets being taken down
    (Textual marks them pruned), and the table they were for was gone: the app died."""
    import asyncio

    from textual.css.query import NoMatches

    app = app_with()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home, calls = app.screen, []

        def gone() -> None:
            calls.append("ran")
            raise NoMatches("No nodes match '#recent-runs'")

        home._pruning = True  # as `App._close_all` marks each screen it takes down
        await asyncio.to_thread(home.from_thread, gone)
        await settle(pilot)
        home._pruning = False
        assert calls == [] and app.is_running and app._exception is None


def test_a_start_that_comes_after_the_app_closed_changes_nothing(monkeypatch):
    """The preload thread starts the collector through `call_from_thread`; an app that closes
    first (a quick test, a learner's quick q) ran `stop` before that `start`, which then left
    full collections off and the start's objects frozen for whatever ran next in the process
    (in CI, a later test that checks the collector's settings)."""
    import gc

    from tui_dl.ui import idle_gc

    monkeypatch.setattr(idle_gc, "FREEZES", True)  # as in the app (the suite freezes itself)

    class Clock:
        def set_interval(self, seconds, callback):
            raise AssertionError("no timer for a closed app")

    before = gc.get_threshold()
    collector = idle_gc.IdleCollector(Clock())  # type: ignore[arg-type]
    collector.stop()
    frozen = gc.get_freeze_count()
    collector.start()
    assert gc.get_threshold()[2] != idle_gc.NO_AUTOMATIC_FULL
    assert gc.get_freeze_count() == frozen
    gc.set_threshold(*before)


def test_full_collections_wait_for_a_pause_in_the_keys(monkeypatch):
    import gc

    from tui_dl.ui import idle_gc

    monkeypatch.setattr(idle_gc, "FREEZES", True)  # as in the app (the suite freezes itself)

    class Clock:
        def set_interval(self, seconds, callback):
            self.every, self.callback = seconds, callback

    app = Clock()
    collector = idle_gc.IdleCollector(app)  # type: ignore[arg-type]
    before = gc.get_threshold()
    try:
        frozen = gc.get_freeze_count()
        collector.start()
        assert gc.get_threshold()[2] == idle_gc.NO_AUTOMATIC_FULL
        assert gc.get_freeze_count() > frozen
        collector.pressed()
        app.callback()  # a key just now: not the moment
        assert collector.collections == 0
        collector.last_key -= idle_gc.QUIET_S
        app.callback()  # the learner is reading
        assert collector.collections == 1
        collector.pressed()
        collector.last_collection -= idle_gc.AT_LEAST_S
        app.callback()  # no pause for a minute: collected anyway
        assert collector.collections == 2
    finally:
        collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


async def test_keys_typed_ahead_of_the_end_go_nowhere():
    """Keys still queued when the app closes (typed ahead of the end, or of a test leaving
    the app) are dropped: they met an empty screen stack and the app died closing (the random
    keys' walk on the Playground at 200×60, once in three)."""
    from textual import events

    for _ in range(3):
        app = make_app(screen="playground", source=FakeRunSource())
        async with app.run_test(size=(200, 60)) as pilot:
            await settle(pilot)
            for key in ["right", "down", "space", "left", "up"] * 40:
                app._driver.send_message(events.Key(key, None))
        assert app._exception is None, app._exception
