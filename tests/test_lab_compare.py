"""The lab's comparison of two runs, and how it shows early stopping and per-step runs."""

from __future__ import annotations

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tui_dl.engine.events import Event, make_event
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.run.metrics_plot import MetricsPlot
from tui_dl.ui.widgets.run.run_summary import RunSummary


def dropout_run(run_id: str, dropout: float) -> FakeRun:
    return FakeRun(
        run_id,
        mnist_events(10, end="finished"),
        params={"dropout": dropout},
        experiment="mnist-mlp-dropout",
    )


async def test_o_overlays_the_other_runs_of_the_experiment_in_turn():
    source = FakeRunSource(
        [
            dropout_run("20261122-100000-mnist-mlp-dropout-aaaa", 0.0),
            dropout_run("20261122-110000-mnist-mlp-dropout-bbbb", 0.2),
            FakeRun("20261122-090000-mnist-mlp-cccc", mnist_events(10, end="finished")),
        ]
    )
    app = make_app(source=source, screen="lab", run="20261122-110000-mnist-mlp-dropout-bbbb")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 0.3)
        plot = app.screen.query_one("#loss-plot", MetricsPlot)
        assert plot.overlay is None
        await pilot.press("o")
        assert plot.overlay is not None and len(plot.overlay) == 10
        assert any("dropout 0.0" in n.message for n in app._notifications)
        await pilot.press("o")  # only one other run of this experiment: back to none
        assert plot.overlay is None


async def test_early_stop_is_marked_and_explained():
    events = mnist_events(6, end=None)
    events.append(make_event(Event.EARLY_STOP, stopped_epoch=6, best_epoch=4, patience=2, t=0))
    events += mnist_events(6, end="finished")[-2:]
    source = FakeRunSource([FakeRun("20261122-100000-mnist-mlp-aaaa", events)])
    app = make_app(source=source, screen="lab", run="latest")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 0.3)
        assert app.screen.query_one("#loss-plot", MetricsPlot).mark == 4
        summary = str(app.screen.query_one(RunSummary).render())
        assert "Stopped early at epoch 6" in summary and "epoch 4 were kept" in summary


async def test_a_per_step_run_plots_steps_not_epochs():
    events = mnist_events(0)
    for step in (100, 200, 300):
        events.append(
            make_event(
                Event.EPOCH_END,
                epoch=step // 100,
                epochs=3,
                step=step,
                t=0,
                logs={
                    "loss": 1.0 / step,
                    "accuracy": 0.5,
                    "val_loss": 2.0 / step,
                    "val_accuracy": 0.4,
                },
            )
        )
    source = FakeRunSource(
        [FakeRun("20261122-100000-tf-lowlevel-aaaa", events, experiment="tf-lowlevel")]
    )
    app = make_app(source=source, screen="lab", run="latest")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 0.3)
        plot = app.screen.query_one("#loss-plot", MetricsPlot)
        assert [h["_step"] for h in plot.history] == [100, 200, 300]
        assert "sigmoid(x · W1 + b1)" in str(app.screen.query_one("#lab-notes").render())
