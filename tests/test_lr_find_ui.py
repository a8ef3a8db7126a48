"""The learning-rate finder in the lab: ctrl+f starts it on the form's settings, its screen
plots the loss against the rate as the pass reports its steps and marks the suggestion when
it ends, enter puts the rate into the form;
an experiment with no rate to find is refused by name. From a fake finder's folder (no
TensorFlow). Snapshots at 80×24 and 200×60."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Static

from tests.fakes import T0, FakeReader, FakeRun, FakeRunSource, settle
from tui_dl.analysis.lrfind import RESULT, load_result, rates, save_result, smooth, suggest
from tui_dl.engine.events import JOB_EVENTS, Event, make_event
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.lr_find import LrFindScreen, LrPlot
from tui_dl.ui.screens.project import ProjectScreen


def finder_folder(folder: Path) -> Path:
    """A finished finder: a loss flat at low rates, falling around 1e-3, lowest near 3e-2,
    blown up by step 82 of 100 (as mnist-mlp's looks)."""
    folder.mkdir(parents=True, exist_ok=True)
    r = rates(100)[:82]
    x = np.log10(r)
    noise = np.random.default_rng(0).normal(0, 0.05, len(r))
    losses = 2.4 - 1.8 / (1 + np.exp(-3 * (x + 3))) + np.where(x > -1.5, 8 * (x + 1.5) ** 2, 0)
    losses = (losses + noise).tolist()
    smoothed = smooth(losses)
    save_result(
        folder,
        {
            "experiment": "mnist-mlp",
            "params": {},
            "rates": r.tolist(),
            "losses": losses,
            "smoothed": smoothed,
            "stopped": "diverged",
            "steps": 100,
            "suggestion": suggest(r, smoothed),
        },
    )
    return folder


def finder_source(tmp_path: Path) -> FakeRunSource:
    source = FakeRunSource()
    source.lr_find_folder = finder_folder(tmp_path / "finder")
    source.job_events = [
        make_event(Event.PHASE, JOB_EVENTS, phase="starting TensorFlow", t=T0),
        make_event(Event.PHASE, JOB_EVENTS, phase="step 82 of 100: rate 0.17, loss 9.3", t=T0),
        make_event(Event.FINISHED, JOB_EVENTS, artifact=RESULT, count=82, t=T0),
    ]
    return source


async def open_finder(pilot) -> LrFindScreen:
    pilot.app.open_lab("mnist-mlp")
    await settle(pilot)
    await pilot.press("ctrl+f")
    await settle(pilot, 0.5)  # the poll reads the events, then the result
    await settle(pilot)
    assert isinstance(pilot.app.screen, LrFindScreen)
    return pilot.app.screen


async def test_ctrl_f_finds_a_rate_on_the_forms_settings_and_enter_puts_it_in_the_form(tmp_path):
    source = finder_source(tmp_path)
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_lab("mnist-mlp")
        await settle(pilot)
        lab = app.screen
        assert isinstance(lab, LabScreen)
        lab.query_one("#field-hidden_units", Input).value = "64"
        await pilot.press("ctrl+f")
        await settle(pilot, 0.5)
        await settle(pilot)
        finder = app.screen
        assert isinstance(finder, LrFindScreen)
        ((experiment, params, device),) = source.lr_finds
        assert experiment == "mnist-mlp" and params["hidden_units"] == 64 and device == "cpu"
        result = finder.result
        assert result is not None and result["suggestion"] is not None
        rate = result["suggestion"]["rate"]
        progress = str(finder.query_one("#lr-progress", Static).content)
        assert "stopped after 82 of 100 steps" in progress
        how = str(finder.query_one("#lr-how", Static).content)
        assert f"Suggested {rate:.2g}" in how and "two-thirds of the way down" in how
        # the plot: log10 of the rates on x, the suggestion's vertical line where it is
        plot = finder.query_one(LrPlot)
        monitor = plot.plt.monitor  # type: ignore[attr-defined]
        assert monitor.x[0][0] == pytest.approx(-7.0)
        assert math.log10(rate) in [pytest.approx(v) for v in monitor.vcoord[0]]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is lab
        field = lab.query_one("#field-learning_rate", Input)
        assert field.value == f"{float(f'{rate:.2g}')}"
        assert float(field.value) == pytest.approx(rate, rel=0.05)
        assert lab.query_one("#field-hidden_units", Input).value == "64"  # the rest kept


async def test_escape_leaves_a_running_finder_and_stops_it(tmp_path):
    source = FakeRunSource()
    source.lr_find_folder = tmp_path / "running"
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_lab("mnist-mlp")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot, 0.3)
        finder = app.screen
        assert isinstance(finder, LrFindScreen) and finder.running
        assert "Starting TensorFlow" in str(finder.query_one("#lr-progress", Static).content)
        assert not finder.check_action("take", ())  # nothing found yet: enter does nothing
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
        assert source.lr_finds_stopped == [tmp_path / "running"]


def live_source(tmp_path: Path) -> tuple[FakeRunSource, FakeRun]:
    """A finder whose job reports its steps in two batches of points, then finishes: the
    stream's `delivered` plays it forward."""
    source = FakeRunSource()
    folder = finder_folder(tmp_path / "finder")
    source.lr_find_folder = folder
    result = load_result(folder)
    points = [
        [r, loss, s]
        for r, loss, s in zip(result["rates"], result["losses"], result["smoothed"], strict=True)
    ]

    def phase(upto: int, since: int) -> dict:
        return make_event(
            Event.PHASE, JOB_EVENTS, phase=f"step {upto} of 100", points=points[since:upto], t=T0
        )

    events = [
        make_event(Event.PHASE, JOB_EVENTS, phase="starting TensorFlow", t=T0),
        phase(30, 0),
        phase(60, 30),
        make_event(Event.FINISHED, JOB_EVENTS, artifact=RESULT, count=82, t=T0),
    ]
    stream = FakeRun("finder", events, delivered=1)
    source.job_reader = lambda folder: FakeReader(stream)  # type: ignore[method-assign]
    return source, stream


def plotted(finder: LrFindScreen) -> tuple[list[float], list[float]]:
    monitor = finder.query_one(LrPlot).plt.monitor  # type: ignore[attr-defined]
    marks = [v for series in monitor.vcoord for v in series]  # the vertical lines' places
    return (list(monitor.x[0]) if monitor.x else []), marks


async def test_the_curve_is_drawn_as_the_pass_reports_its_steps(tmp_path):
    source, stream = live_source(tmp_path)
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        finder = await open_finder(pilot)
        assert plotted(finder) == ([], [])  # nothing reported yet: an empty plot
        r = rates(100)
        for delivered, n in ((2, 30), (3, 60)):
            stream.delivered = delivered
            await settle(pilot, 0.3)
            x, marks = plotted(finder)
            assert x == pytest.approx(np.log10(r[:n]).tolist())  # the steps so far, drawn
            assert marks == [] and finder.result is None and finder.running
            assert f"Step {n} of 100" in str(finder.query_one("#lr-progress", Static).content)
        stream.delivered = 4
        await settle(pilot, 0.3)
        await settle(pilot)
        x, marks = plotted(finder)
        assert len(x) == 82 and marks  # the whole curve from the result, the suggestion marked
        assert finder.result is not None and not finder.running


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_snapshot_of_the_finder_mid_pass(snap_compare, size, tmp_path):
    source, stream = live_source(tmp_path)

    async def halfway(pilot):
        await open_finder(pilot)
        stream.delivered = 3
        await settle(pilot, 0.3)
        await settle(pilot)

    assert snap_compare(make_app(source=source), terminal_size=size, run_before=halfway)


async def test_the_key_is_in_every_keras_lab_and_the_running_one_waits(tmp_path):
    """votes-kfold had no finder (its many models): now its lab offers ctrl+f, on one fold's
    model. The experiments still refused (the GAN, those with no rate) have no lab of this
    kind; `tui-dl lr-find` says why by name (tests/test_lr_find.py)."""
    source = finder_source(tmp_path)
    app = make_app(source=source)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_lab("votes-kfold")
        await settle(pilot)
        lab = app.screen
        assert isinstance(lab, LabScreen)
        assert "ctrl+f" in {b.binding.key for b in lab.active_bindings.values()}
        await pilot.press("ctrl+f")
        await settle(pilot, 0.5)
        assert isinstance(app.screen, LrFindScreen)
        assert [name for name, _, _ in source.lr_finds] == ["votes-kfold"]
        await pilot.press("escape")
        await settle(pilot)
        app.open_lab("mammogram")  # its project screen, the same key
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        await pilot.press("ctrl+f")
        await settle(pilot, 0.5)
        assert isinstance(app.screen, LrFindScreen)
        assert [name for name, _, _ in source.lr_finds] == ["votes-kfold", "mammogram"]


async def test_a_finder_folder_with_a_bad_result_says_so(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / RESULT).write_text('{"rates": [1]}')
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(LrFindScreen("mnist-mlp", {}, folder=folder))
        await settle(pilot)
        words = str(app.screen.query_one("#lr-progress", Static).content)
        assert "its result cannot be read" in words and RESULT in words


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_snapshot_of_the_finder(snap_compare, size, tmp_path):
    app = make_app(source=finder_source(tmp_path))
    assert snap_compare(app, terminal_size=size, run_before=open_finder)


def test_a_log_x_axis_is_ticked_at_whole_decades_labelled_with_the_rates():
    from tui_dl.ui.render.axis import x_ticks

    ticks, labels = x_ticks(-7.0, -0.5, 70, log=True)
    assert ticks == [-7.0, -6.0, -5.0, -4.0, -3.0, -2.0, -1.0]
    assert labels == ("1e-7", "1e-6", "1e-5", "0.0001", "0.001", "0.01", "0.1")
    assert x_ticks(-7.0, -0.5, 70)[1] != labels  # a plain axis labels the logarithms


async def test_a_finder_left_while_it_starts_is_stopped_when_it_has_started(tmp_path):
    source = FakeRunSource()
    source.lr_find_folder = tmp_path / "late"
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        finder = LrFindScreen("mnist-mlp", {})
        await app.push_screen(finder)
        app.pop_screen()  # gone before its worker hands over the folder
        await settle(pilot)
        finder.follow(tmp_path / "late")  # the folder comes after all
        assert source.lr_finds_stopped == [tmp_path / "late"]
