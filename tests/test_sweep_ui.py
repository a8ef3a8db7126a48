"""The sweep screen by keyboard over a fake source, and its 80×24 look (idle, running, done)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from tests.fakes import FakeRunSource, sample_runs, sample_sweep, settle, sweep_cell_events
from tui_dl.engine.events import SWEEP_EVENTS, Event, make_event
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.sweep import SweepScreen
from tui_dl.ui.widgets.run.sweep_plot import SweepPlot

SIZE = (80, 24)


def source_with(cells_done: int | None = None, epochs_of_next: int = 1) -> FakeRunSource:
    if cells_done is None:
        return FakeRunSource(sample_runs())
    sweep, runs = sample_sweep(cells_done, epochs_of_next)
    return FakeRunSource(sample_runs() + runs, sweeps=[sweep])


def rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_bad_list_is_named_and_nothing_starts():
    source = source_with()
    app = make_app(screen="sweep", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SweepScreen)
        rates = app.screen.query_one("#sweep-values-1", Input)
        rates.value = "0.1, abc"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.sweeps_started == []
        assert "'abc' is not a number" in str(app.screen.query_one("#sweep-error").render())
        assert rates.has_class("-invalid") and rates.has_focus


async def test_start_follows_the_sweep_live_and_marks_the_best():
    source = source_with()
    app = make_app(screen="sweep", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#sweep-values-1", Input).value = "0.01, 1e30"
        app.screen.query_one("#sweep-values-2", Input).value = "64"
        app.screen.query_one("#sweep-length", Input).value = "3"
        await pilot.press("ctrl+r")
        await settle(pilot)
        axes = {"learning_rate": [0.01, 1e30], "batch_size": [64]}
        assert source.sweeps_started == [("mnist-mlp", {"epochs": 3}, axes, 1, "cpu")]
        sweep_id = app.screen.sweep_id
        assert [r[1].strip() for r in rows(app.screen)] == ["·", "·"]  # both pending: one
        assert [r[0] for r in rows(app.screen)] == ["0.01", "1e+30"]  # axis, the rate's

        # The driver starts the first cell; it trains one epoch.
        sweep = source.sweeps[sweep_id]
        run_events = sweep_cell_events([0.5, 0.3, 0.2], [0.4, 0.3, 0.25], 0.93, None)
        source.runs["cell-a"] = source.runs.get("cell-a") or _run("cell-a", run_events, 3)
        _sweep_event(sweep, "cell_started", 0, 0.01, "cell-a")
        await pilot.pause(0.6)
        assert rows(app.screen)[0][1].endswith("▶") and rows(app.screen)[0][2] == "1/3"
        assert len(app.screen.query_one(SweepPlot).cells[0].history) == 1

        # It finishes; the second cell blows up at once.
        source.runs["cell-a"].delivered = len(run_events)
        _sweep_event(sweep, "cell_ended", 0, 0.01, "cell-a", status="finished")
        nan = sweep_cell_events([], [], None, None)
        source.runs["cell-b"] = _run("cell-b", nan, len(nan))
        _sweep_event(sweep, "cell_started", 1, 1e30, "cell-b")
        _sweep_event(sweep, "cell_ended", 1, 1e30, "cell-b", status="failed")
        _sweep_event(sweep, "finished")
        await pilot.pause(0.6)
        first, second = rows(app.screen)
        assert first[3] == "93.0%" and first[4] == "★ best"
        assert second[1] == " ✗" and second[4] == "diverged (NaN)"
        summary = str(app.screen.query_one("#sweep-summary").render())
        assert "best: rate 0.01 — " in summary and "Too high a rate" in summary
        assert not app.screen.running


async def test_cancel_asks_the_source_and_the_screen_shows_it():
    source = source_with(cells_done=2)
    app = make_app(screen="sweep", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.running
        await pilot.press("c")
        await settle(pilot)
        await pilot.pause(0.6)
        assert source.sweeps_cancelled == [app.screen.sweep_id]
        assert "cancelled after 2 of 6 cells" in str(app.screen.query_one("#sweep-status").render())


async def test_reopening_shows_the_latest_sweep_and_v_toggles_the_plot():
    app = make_app(screen="sweep", source=source_with(cells_done=6))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.sweep_id.endswith("5w33")
        assert app.screen.query_one("#sweep-values-1", Input).disabled
        verdicts = [r[5] for r in rows(app.screen)]
        assert verdicts == [
            "diverged (NaN)",
            "overshoots",
            "★ best",
            "settled higher",
            "crawls",
            "crawls",
        ]
        plot = app.screen.query_one(SweepPlot)
        await pilot.press("v")
        assert plot.metric == "accuracy"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.state is None and not app.screen.query_one("#sweep-values-1").disabled


def _run(run_id, events, delivered):
    from tests.fakes import FakeRun

    return FakeRun(run_id, events, delivered=delivered)


def _sweep_event(sweep, kind, index=None, lr=None, run_id=None, **fields):
    """A sweep event as the driver writes it (checked against the vocabulary)."""
    if kind == Event.CELL_STARTED:
        fields["cell_dir"] = f"/runs/{run_id}"
    elif kind == Event.CELL_ENDED:
        fields.setdefault("message", "")
    elif kind == Event.FINISHED:
        fields.update(duration_s=9.0, finished=1, failed=1)
    if index is not None:
        fields.update(index=index, lr=lr, batch_size=64, run_id=run_id)
    event = make_event(Event(kind), SWEEP_EVENTS, **fields)
    sweep.events.append(event)
    sweep.delivered = len(sweep.events)


@pytest.mark.parametrize(("name", "cells_done"), [("idle", None), ("running", 3), ("done", 6)])
def test_sweep_snapshot(snap_compare, name, cells_done):
    app = make_app(screen="sweep", source=source_with(cells_done, epochs_of_next=2))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
