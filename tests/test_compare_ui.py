"""Runs side by side in the app (issue 27 §5): marked in the runs list, compared on a screen
with the settings that differ, a baseline, sorting and every run's curves."""

from __future__ import annotations

import pytest

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tui_dl.engine.events import Event
from tui_dl.ui.app import make_app
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.screens.compare import CompareScreen
from tui_dl.ui.screens.runs import RunsScreen
from tui_dl.ui.widgets.compare.curves import CompareCurves

RUNS = [  # accuracy, learning rate, dropout
    (0.91, 0.01, 0.0),
    (0.95, 0.001, 0.0),
    (0.93, 0.001, 0.5),
    (0.89, 0.1, 0.2),
]


def run(number: int, accuracy: float, rate: float, dropout: float, epochs: int = 10) -> FakeRun:
    events = mnist_events(epochs, end="finished")
    for event in events:
        if event["event"] == Event.EPOCH_END:  # each run its own curves
            logs = event["logs"]
            for key in list(logs):
                if "loss" in key:
                    logs[key] = logs[key] * (1 + 0.2 * number)
                else:
                    logs[key] = logs[key] - 0.01 * number
        if event["event"] == Event.FINISHED:
            event["metrics"] = {"test_accuracy": accuracy, "test_loss": 1 - accuracy}
    return FakeRun(
        f"20261206-10000{number}-mnist-mlp-a{number}b{number}",
        events,
        params={"learning_rate": rate, "dropout": dropout},
    )


def source(count: int = len(RUNS)) -> FakeRunSource:
    return FakeRunSource([run(n, *RUNS[n % len(RUNS)]) for n in range(count)])


def table_text(app) -> list[list[str]]:
    table = app.screen.query_one(TextTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_space_marks_runs_and_v_compares_only_those():
    app = make_app(screen="runs", source=source())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")  # nothing marked yet
        assert not isinstance(app.screen, CompareScreen)
        await pilot.press("space", "space", "space")  # the three newest, moving down
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        rows = table_text(app)
        assert [r[0] for r in rows] == ["1", "2", "3"]
        header = [str(c.label) for c in app.screen.query_one(TextTable).columns.values()]
        assert header[2:4] == ["Learning rate", "Dropout"]  # the settings that differ
        assert "Epochs" not in header  # the same in every run: said below
        assert "Epochs 10" in str(app.screen.query_one("#compare-same").render())
        accuracies = sorted(r[header.index("accuracy")] for r in rows)
        assert accuracies == ["89.0 %", "93.0 %", "95.0 %"]  # not the unmarked 91 %


async def test_more_runs_marked_than_fit_on_a_plot_are_refused_by_number():
    app = make_app(screen="runs", source=source(9))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*["space"] * 9, "v")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)
        assert any("9 runs marked: 8 at most" in str(n.message) for n in app._notifications)


async def test_a_pinned_baseline_shows_each_result_against_it_and_sorting_keeps_the_numbers():
    app = make_app(screen="compare", source=source())
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        columns = [str(c.label) for c in screen.query_one(TextTable).columns.values()]
        accuracy = columns.index("accuracy")
        rows = table_text(app)
        base_row = next(i for i, r in enumerate(rows) if r[accuracy] == "93.0 %")
        await pilot.press(*["down"] * base_row, "b")
        await settle(pilot)
        rows = table_text(app)
        assert rows[base_row][0].endswith("base")
        cells = {r[accuracy].split(" %")[0]: r[accuracy] for r in rows}
        assert cells["95.0"] == "95.0 % +2.0 pts" and cells["89.0"] == "89.0 % -4.0 pts"
        numbers = {r[1]: r[0] for r in rows}
        await pilot.press("s")  # by accuracy, best first
        await settle(pilot)
        rows = table_text(app)
        assert [r[accuracy].split(" %")[0] for r in rows] == ["95.0", "93.0", "91.0", "89.0"]
        assert {r[1]: r[0] for r in rows} == numbers  # each run keeps its number and colour
        await pilot.press("b")  # the cursor stayed on the baseline's row: b unpins it
        await settle(pilot)
        assert not any(r[0].endswith("base") for r in table_text(app))
        assert table_text(app)[0][accuracy] == "95.0 %"  # no difference said without one
        await pilot.press("up", "b")  # another run pinned
        await settle(pilot)
        rows = table_text(app)
        assert rows[0][0].endswith("base") and rows[1][accuracy] == "93.0 % -2.0 pts"


async def test_every_run_has_its_curve_and_t_switches_to_training():
    app = make_app(screen="compare", source=source())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        loss = app.screen.query_one("#compare-loss", CompareCurves)
        assert loss.drawn() == [True] * 4 and loss.key() == "val_loss"
        firsts = [h[0]["val_loss"] for h in loss.histories]
        assert len(set(firsts)) == 4  # four different curves, not one drawn four times
        await pilot.press("t")
        await settle(pilot)
        assert loss.key() == "loss" and "training" in str(
            app.screen.query_one("#compare-legend").render()
        )


async def test_with_fewer_than_two_runs_it_says_how_to_mark_them():
    app = make_app(screen="compare", source=FakeRunSource([run(0, *RUNS[0])]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        about = str(app.screen.query_one("#compare-about").render())
        assert "Mark two runs or more" in about
        await pilot.press("b", "s", "t", "enter")  # nothing to act on: nothing breaks
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_runs_compared_against_a_baseline(snap_compare, size):
    async def pinned(pilot):
        await settle(pilot)
        await pilot.press("down", "b")
        await settle(pilot)

    app = make_app(screen="compare", source=source())
    assert snap_compare(app, terminal_size=size, run_before=pinned)


async def test_the_runs_list_filters_with_slash_and_sorts_with_s():
    app = make_app(screen="runs", source=source())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(TextTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[5:] == ["Learning rate", "Dropout"]  # the settings that differ
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"dropout=0")
        await settle(pilot)
        assert table.row_count == 2  # dropout 0: the runs at 91 % and 95 %
        assert "Filter 'dropout=0': 2 shown" in str(app.screen.query_one("#runs-hint").render())
        await pilot.press("enter", "s")  # back in the list: sorted by accuracy, best first
        await settle(pilot)
        assert [str(table.get_row_at(i)[2]) for i in range(2)] == ["95.0 %", "91.0 %"]
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("escape")  # escape in the filter clears it, and stays here
        await settle(pilot)
        assert table.row_count == 4 and isinstance(app.screen, RunsScreen)
