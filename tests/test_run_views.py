"""The screens about one finished run, over pre-written artifacts: Pilot and snapshots."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input

from tests.artifacts import write_attention, write_predictions, write_probe
from tests.fakes import FakeRun, FakeRunSource, mnist_events, sample_runs, settle
from tui_dl.analysis.predictions import load_predictions, mistakes
from tui_dl.engine import runfiles
from tui_dl.engine.events import JOB_EVENTS, Event, make_event
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.run_views.attention import AttentionScreen
from tui_dl.ui.screens.run_views.confusion import ConfusionScreen
from tui_dl.ui.screens.run_views.misclassified import MisclassifiedScreen
from tui_dl.ui.screens.run_views.probe import ProbeScreen
from tui_dl.ui.widgets.run.confusion_grid import ConfusionGrid
from tui_dl.ui.widgets.run.digit_card import DigitCard

FINISHED = "20261122-101500-mnist-mlp-a1b2"
SIZE = (80, 24)


@pytest.fixture
def run_dir(tmp_path):
    folder = tmp_path / FINISHED
    folder.mkdir()
    write_predictions(folder)
    return folder


@pytest.fixture
def source(run_dir):
    runs = sample_runs()
    runs[0] = FakeRun(FINISHED, mnist_events(10, end="finished"), run_dir=run_dir)
    return FakeRunSource(runs)


async def test_arrows_walk_the_matrix_and_enter_opens_that_cell(source, run_dir):
    app = make_app(source=source, screen="confusion", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfusionScreen)
        grid = app.screen.query_one(ConfusionGrid)
        p = load_predictions(run_dir)
        i = int(mistakes(p)[0])
        true, pred = int(p.y_true[i]), int(p.y_pred[i])
        for _ in range(true):
            await pilot.press("down")
        for _ in range(pred):
            await pilot.press("right")
        assert grid.cursor == (true, pred)
        cell = str(app.screen.query_one("#confusion-cell").render())
        assert f"true {true} → predicted {pred}" in cell
        await pilot.press("left", "right", "up", "down")
        assert grid.cursor == (true, pred)
        await pilot.press("enter")
        await settle(pilot)
        gallery = app.screen
        assert isinstance(gallery, MisclassifiedScreen)
        assert (gallery.true, gallery.pred) == (true, pred)
        assert gallery.indices and all(
            p.y_true[k] == true and p.y_pred[k] == pred for k in gallery.indices
        )


async def test_counts_toggle_to_rates(source):
    app = make_app(source=source, screen="confusion", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(ConfusionGrid)
        cells = slice(6, 66)  # the ten cells of a row, not its recall
        assert "%" not in str(grid.render()).splitlines()[2][cells]
        await pilot.press("n")
        assert grid.rates and "%" in str(grid.render()).splitlines()[2][cells]


async def test_gallery_puts_the_most_confident_mistake_first_and_pages(source, run_dir):
    app = make_app(source=source, screen="misclassified", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        p = load_predictions(run_dir)
        confidence = [p.confidence[i] for i in screen.indices]
        assert confidence == sorted(confidence, reverse=True)
        assert len(screen.query(DigitCard)) == screen.per_page == 2
        await pilot.press("right")
        assert screen.first == 2
        await pilot.press("left")
        assert screen.first == 0


async def test_no_predictions_is_a_message(tmp_path):
    runs = [FakeRun(FINISHED, mnist_events(10, end="finished"), run_dir=tmp_path)]
    app = make_app(source=FakeRunSource(runs), screen="misclassified", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "no test-set predictions" in str(app.screen.query_one("#view-message").render())


async def test_attention_starts_a_job_when_there_are_no_maps_yet(source):
    source.job_events.append(
        make_event(Event.FAILED, JOB_EVENTS, error_type="OSError", message="no model.keras")
    )
    app = make_app(source=source, screen="attention", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.5)
        assert source.jobs == [(FINISHED, "attention", {})]
        assert "no model.keras" in str(app.screen.query_one("#view-message").render())


async def test_attention_steps_and_switches_class(source, run_dir):
    p = load_predictions(run_dir)
    order = [int(i) for i in mistakes(p)]
    write_attention(run_dir, order)
    app = make_app(source=source, screen="attention", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AttentionScreen) and source.jobs == []
        assert screen.order == order and screen.pos == 0
        await pilot.press("right")
        assert screen.pos == 1
        await pilot.press("7")
        assert screen.cls == 7 and "class 7" in str(screen.query_one("#attention-info").render())
        await pilot.press("t")
        assert screen.cls == int(p.y_true[order[1]])
        await pilot.press("g")
        await pilot.press(*"99999", "enter")
        assert any("from 0 to 119" in n.message for n in app._notifications)
        box = screen.query_one("#attention-goto", Input)
        box.value = ""
        box.value = str(order[0])
        await pilot.press("enter")
        assert screen.pos == 0


async def test_lab_keys_reach_the_views_of_a_finished_run(source):
    app = make_app(source=source, screen="lab", run=FINISHED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
        for key, screen in (("m", ConfusionScreen), ("w", MisclassifiedScreen), ("p", ProbeScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen), key
        await pilot.press("escape")
        assert isinstance(app.screen, LabScreen)


def test_snapshot_confusion(snap_compare, source):
    app = make_app(source=source, screen="confusion", run=FINISHED)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_snapshot_misclassified(snap_compare, source):
    app = make_app(source=source, screen="misclassified", run=FINISHED)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_snapshot_attention(snap_compare, source, run_dir):
    write_attention(run_dir, [int(i) for i in mistakes(load_predictions(run_dir))])
    app = make_app(source=source, screen="attention", run=FINISHED)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_snapshot_probe(snap_compare, source, run_dir):
    write_probe(run_dir)
    app = make_app(source=source, screen="probe", run=FINISHED)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_probe_group_mentions_its_examples(source, run_dir):
    write_probe(run_dir)
    assert np.load(run_dir / runfiles.PROBE_EXAMPLES)["images"].shape == (12, 28, 28)


async def test_latest_means_the_newest_run_that_has_the_view(source):
    """A mammogram run after the MNIST runs: `--screen misclassified` still opens an MNIST run
    that finished, not the newest run of all (which has no predictions to show)."""
    from tests.artifacts import kfold_events

    newest = "20261123-090000-mammogram-9f9f"
    source.runs[newest] = FakeRun(newest, kfold_events(), experiment="mammogram")
    for view in ("misclassified", "confusion"):
        app = make_app(source=source, screen=view)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.run_id == FINISHED, view
            assert app.screen.predictions is not None


async def test_with_nothing_to_show_the_views_keys_do_nothing(source):
    """The failed run has no predictions: its keys (all mistakes, first page, next page) must
    not reach code that needs them; escape still goes back."""
    failed = "20261122-103000-mnist-mlp-c3d4"
    app = make_app(source=source, screen="misclassified", run=failed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Nothing to show" in str(app.screen.query_one("#view-message").render())
        await pilot.press("x", "home", "right", "space", "left", "pageup")
        await settle(pilot)
        assert isinstance(app.screen, MisclassifiedScreen) and app.is_running
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MisclassifiedScreen)
