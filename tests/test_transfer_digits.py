"""transfer-digits: three stages through the engine, the transferred model's views (its
probe shows it the digits it was never taught), and the lab plotting transfer against
from scratch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.artifacts import transfer_events
from tests.fakes import FakeRun, FakeRunSource, settle
from tui_dl.analysis.report import run_report
from tui_dl.engine import runfiles
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.jobs.insights import launch_job
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.engine.store import RunStore
from tui_dl.ui import registry
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.run.metrics_plot import MetricsPlot
from tui_dl.ui.widgets.run.run_summary import RunSummary

RUN = "20261122-130000-transfer-digits-b2c3"
SIZE = (80, 24)


def test_the_experiment_compares_transfer_with_from_scratch():
    exp = get_experiment("transfer-digits")
    assert exp.compare_stages == ("transfer", "scratch")
    assert exp.defaults()["few"] == 50 and exp.defaults()["freeze"] == "yes"
    views = tuple(view.name for view in registry.views_of(exp.name))
    assert views == ("confusion", "misclassified", "attention", "probe", "model", "activations")
    assert exp.reference.value is None
    with pytest.raises(ValueError, match="Examples: must be at least 5"):
        exp.validate({"few": "2"})


@pytest.mark.slow
def test_three_stages_through_the_engine_then_the_probe_shows_it_digits_it_never_learned():
    from test_engine import ended, wait_for

    params = {"base_epochs": 1, "epochs": 2, "few": 50, "batch_size": 64}
    handle = launch_run("transfer-digits", params, device="cpu")
    events = wait_for(handle.run_dir, ended, timeout=150)
    assert events[-1]["event"] == "finished", events[-1]
    stages = [e["stage"] for e in events if e["event"] == "epoch_end"]
    assert stages == ["base", "transfer", "transfer", "scratch", "scratch"]
    started = next(e for e in events if e["event"] == "started")
    assert started["n_few"] == 50 and 0 < started["n_test"] < 1000
    metrics = events[-1]["metrics"]
    assert {"test_accuracy", "scratch_accuracy", "base_accuracy"} <= set(metrics)
    assert metrics["base_accuracy"] > 0.5  # 0–4 after one epoch on ~2,000 digits
    comparison = events[-1]["comparison"]
    assert len(comparison) == 3 and comparison[1].startswith("After 2 epochs: transferred ")
    # two epochs of two: the early figures are the final fit's last epoch
    assert 0 <= metrics["transfer_accuracy_early"] <= 1

    predictions = np.load(handle.run_dir / runfiles.PREDICTIONS)
    assert predictions["class_names"].tolist() == ["5", "6", "7", "8", "9"]
    assert set(np.unique(predictions["y_true"])) <= {0, 1, 2, 3, 4}
    assert predictions["probabilities"].shape[1] == 5

    report = run_report(RunStore().info(handle.run_dir))
    assert [h["stage"] for h in report["history"]] == stages
    assert report["comparison"] == events[-1]["comparison"]

    job = launch_job(handle.run_dir, "probe")
    job_events = wait_for(job.run_dir, ended, timeout=90)
    assert job_events[-1]["event"] == "finished", job_events[-1]
    probe = json.loads((handle.run_dir / runfiles.PROBE_REPORT).read_text())
    never = next(g for g in probe["groups"] if g["name"] == "0–4, never taught")
    assert never["accuracy"] is None and never["n"] == 200
    assert never["top_answer"] in range(5)  # it can only answer 5–9


def source_with(end: str | None = "finished") -> FakeRunSource:
    run = FakeRun(RUN, transfer_events(end), params={"few": 300}, experiment="transfer-digits")
    return FakeRunSource([run])


async def test_the_lab_plots_transfer_against_from_scratch_and_reports_both():
    app = make_app(source=source_with(), screen="lab", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        plot = app.screen.query_one("#accuracy-plot", MetricsPlot)
        assert len(plot.history) == 10 and len(plot.companion) == 10
        assert plot.history[0]["val_accuracy"] == pytest.approx(0.84)
        assert plot.companion[0]["val_accuracy"] == pytest.approx(0.56)
        assert plot.names == ("transfer", "scratch")
        summary = str(app.screen.query_one(RunSummary).render())
        assert "Test accuracy 95.2 %" in summary and "course" not in summary.split("\n")[0]
        assert "From scratch on the same 300 examples: 90.2 %" in summary
        assert app.screen.check_action("insight", ("probe",))


async def test_while_the_base_trains_its_own_curves_show():
    events = [e for e in transfer_events(None) if e.get("stage") in (None, "base")]
    source = FakeRunSource([FakeRun(RUN, events, experiment="transfer-digits")])
    app = make_app(source=source, screen="lab", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        plot = app.screen.query_one("#loss-plot", MetricsPlot)
        assert len(plot.history) == 3 and plot.companion == []


def test_snapshot_transfer_lab(snap_compare):
    app = make_app(source=source_with(), screen="lab", run=RUN)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
