"""A sweep of a k-fold experiment on the sweep screen: its runs log no validation per epoch
(each fold is scored once, when it ends), so the plot draws their training curves, the mean
over the folds, and the legend says why, naming the experiment (fake source, no TF)."""

from __future__ import annotations

from tests.fakes import T0, FakeRun, FakeRunSource, FakeSweep, kfold_events, settle
from tui_dl.engine.events import SWEEP_EVENTS, Event, make_event
from tui_dl.engine.sweeps.grid import plan_sweep
from tui_dl.engine.sweeps.launch import sweep_spec
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.run.sweep_plot import SweepPlot

KFOLD_ID = "20261122-140000-votes-kfold-kf01"
EPOCHS = 3
LOSSES = {0.01: [0.6, 0.4, 0.3], 0.001: [0.69, 0.65, 0.6]}
"""Each rate's training loss per epoch, fold 1; fold f's is this + 0.01 × (f - 1), and the
second seed's 0.02 higher."""


def kfold_run(losses: list[float], offset: float) -> list[dict]:
    """A finished 10-fold run of EPOCHS epochs whose epoch logs (loss, accuracy: no val_ key,
    as the k-fold loop writes them) follow `losses`."""
    events = kfold_events(folds_done=10, epochs=EPOCHS)
    for event in events:
        if event["event"] == Event.EPOCH_END:
            shift = offset + 0.01 * (event["fold"] - 1)
            event["logs"] = {"loss": losses[event["epoch"] - 1] + shift, "accuracy": 0.9}
    return events


def kfold_sweep() -> FakeRunSource:
    """A finished votes-kfold sweep of two rates, two seeds each (the one that showed
    "validation loss — no epochs yet" after its cells had finished)."""
    plan = plan_sweep(
        "votes-kfold", {"epochs": str(EPOCHS)}, {"learning_rate": "0.01,0.001"}, seeds=2
    )
    spec = {**sweep_spec(KFOLD_ID, plan), "device": "cpu"}
    events = [make_event(Event.STARTED, SWEEP_EVENTS, t=T0, experiment="votes-kfold", cells=4)]
    runs = []
    for index, cell in enumerate(spec["cells"]):
        run_id = f"20261122-14{index:02d}00-votes-kfold-k{index:03d}"
        offset = 0.02 * (index % 2)
        runs.append(FakeRun(run_id, kfold_run(LOSSES[cell["lr"]], offset), {"seed": cell["seed"]}))
        where = {"index": index, "lr": cell["lr"], "batch_size": cell["batch_size"]}
        where = {**where, "run_id": run_id}
        at = T0 + index
        events.append(make_event(Event.CELL_STARTED, SWEEP_EVENTS, t=at,
                                 cell_dir=f"/runs/{run_id}", **where))  # fmt: skip
        events.append(make_event(Event.CELL_ENDED, SWEEP_EVENTS, t=at, status="finished",
                                 message="", **where))  # fmt: skip
    events.append(make_event(Event.FINISHED, SWEEP_EVENTS, t=T0 + 60, duration_s=60.0,
                             finished=4, failed=0))  # fmt: skip
    return FakeRunSource(runs, sweeps=[FakeSweep(KFOLD_ID, events, spec=spec)])


async def test_a_kfold_sweep_draws_its_training_curves_and_says_why():
    app = make_app(screen="sweep", source=kfold_sweep())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        plot = app.screen.query_one(SweepPlot)
        title = plot.plt.monitor.title  # type: ignore[attr-defined]
        assert title.startswith("training loss per epoch, mean of 2 seeds")
        assert "no epochs yet" not in title  # what it said before
        assert plot.series() == ("loss", "training loss", True)
        [(_, first, bands), (_, second, _)] = plot.curves("loss")
        # per epoch: the mean over 10 folds (+0.045) and two seeds (+0.01) of the rate's loss
        assert [round(y, 4) for _, y in first] == [0.655, 0.455, 0.355]
        assert [round(y, 4) for _, y in second] == [0.745, 0.705, 0.655]
        assert (round(bands[0].low, 4), round(bands[0].high, 4)) == (0.645, 0.665)
        legend = str(app.screen.query_one("#sweep-legend").render())
        assert "votes-kfold has no validation per epoch: each fold is scored once" in legend
        assert "Drawn: training curves, mean over folds." in legend
        await pilot.press("v")
        assert plot.series() == ("accuracy", "training accuracy", True)
        assert plot.plt.monitor.title.startswith("training accuracy per epoch")  # type: ignore[attr-defined]
