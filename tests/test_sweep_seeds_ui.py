"""The sweep screen on a sweep of another setting with several seeds per cell: one row per
grid point with mean ± sd, the plot's mean curves and their range (fake source, no TF)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.fakes import T0, FakeRun, FakeRunSource, FakeSweep, settle, sweep_cell_events
from tui_dl.engine.events import SWEEP_EVENTS, Event, make_event
from tui_dl.engine.sweeps.grid import plan_sweep
from tui_dl.engine.sweeps.launch import sweep_spec
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.run.sweep_plot import SweepPlot

SEEDED_ID = "20261122-130000-mnist-mlp-5eed"
CURVES = {
    # batch 32: three seeds that agree; batch 1024: three that do not (the course's point).
    32: [([0.6, 0.4, 0.3], 0.95), ([0.62, 0.41, 0.31], 0.96), ([0.61, 0.42, 0.3], 0.97)],
    1024: [([1.2, 0.9, 0.8], 0.80), ([1.0, 0.6, 0.5], 0.93), ([1.1, 0.8, 0.6], 0.88)],
}


def seeded_sweep(runs_done: int = 6) -> tuple[FakeSweep, list[FakeRun]]:
    plan = plan_sweep("mnist-mlp", {"epochs": "3"}, {"batch_size": "32,1024"}, seeds=3)
    spec = {**sweep_spec(SEEDED_ID, plan), "device": "cpu"}
    events = [make_event(Event.STARTED, SWEEP_EVENTS, t=T0, experiment="mnist-mlp", cells=6)]
    runs = []
    curves = [curve for batch in (32, 1024) for curve in CURVES[batch]]
    for index, (cell, (losses, metric)) in enumerate(zip(spec["cells"], curves, strict=True)):
        if index > runs_done:
            break
        running = index == runs_done
        run_id = f"20261122-13{index:02d}00-mnist-mlp-s{index:03d}"
        val = [v + 0.05 for v in losses]
        run_events = sweep_cell_events(losses, val, metric, 1 if running else None)
        params = {"batch_size": cell["batch_size"], "seed": cell["seed"]}
        runs.append(FakeRun(run_id, run_events, params))
        where = {"index": index, "lr": cell["lr"], "batch_size": cell["batch_size"]}
        where = {**where, "run_id": run_id}
        started, at = {"cell_dir": f"/runs/{run_id}"}, T0 + index
        events.append(make_event(Event.CELL_STARTED, SWEEP_EVENTS, t=at, **started, **where))
        if not running:
            ended = {"status": "finished", "message": ""}
            events.append(make_event(Event.CELL_ENDED, SWEEP_EVENTS, t=at, **ended, **where))
    if runs_done >= 6:
        events.append(make_event(Event.FINISHED, SWEEP_EVENTS, t=T0 + 60, duration_s=60.0,
                                 finished=6, failed=0))  # fmt: skip
    return FakeSweep(SEEDED_ID, events, spec=spec), runs


def source(runs_done: int = 6) -> FakeRunSource:
    sweep, runs = seeded_sweep(runs_done)
    return FakeRunSource(runs, sweeps=[sweep])


def rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_one_row_per_grid_point_with_mean_and_sd_and_the_range_on_the_plot():
    app = make_app(screen="sweep", source=source())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        labels = [str(c.label) for c in screen.query_one(DataTable).ordered_columns]
        assert labels == ["batch", "", "runs", "mean ± sd", "lesson"]
        table = rows(screen)
        assert [r[0] for r in table] == ["32", "1024"]
        assert [r[2] for r in table] == ["3/3", "3/3"]
        assert table[0][3] == "96.0% ± 1.0" and table[1][3] == "87.0% ± 6.6"
        assert table[0][4].startswith("★ best mean")
        summary = str(screen.query_one("#sweep-summary").render())
        assert "Most varied from run to run: batch 1024 (sd 6.6 pts)" in summary
        plot = screen.query_one(SweepPlot)
        [(_, means, bands), _] = plot.curves("val_loss")
        assert [round(y, 3) for _, y in means] == [0.66, 0.46, 0.353]
        assert (bands[0].low, bands[0].high) == (0.65, 0.67)


async def test_a_seeded_sweep_half_way_counts_the_runs_done():
    app = make_app(screen="sweep", source=source(runs_done=4))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = rows(app.screen)
        assert [r[2] for r in table] == ["3/3", "1/3"]
        assert table[1][3] == "80.0% (1 run)"


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_seeded_sweep_snapshot(snap_compare, size):
    app = make_app(screen="sweep", source=source())
    assert snap_compare(app, terminal_size=size, run_before=settle)
