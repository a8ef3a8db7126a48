"""Nothing cut at 80×24: every screen of the registry, every page of every lesson, the long
cases (a 40-character run id, a 23-minute ETA, a 6-layer Playground, a sweep's whole grid,
the data folder's full paths, the mammogram project's every step) rendered, then read by
tests/fit.py for text past its widget, list rows that wrap, sideways scrolls, cut footer
keys and pictures drawn for another size. A failure names the widget and what is lost, and
prints the screen."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED_DATA
from tests.fakes import (
    FakeRun,
    FakeRunSource,
    mnist_events,
    sample_runs,
    sample_sweep,
    settle,
)
from tests.fit import cuts, screen_text
from tui_dl.engine import runfiles
from tui_dl.lessons import load_lessons
from tui_dl.ui import registry
from tui_dl.ui.app import make_app

SIZE = (80, 24)
LONG_RUN = "20261206-023645-mnist-mlp-9f8e7d6c5b4a"
FINISHED = "20261122-101500-mnist-mlp-a1b2"
UCI = Path(SHARED_DATA or "/nonexistent") / "uci" / "mammographic_masses.data"
Steps = Callable[[Any], Awaitable[None]]


def long_run() -> FakeRun:
    """A 40-epoch run 3 epochs in, 23 min 30 s to go: the lab's longest progress line."""
    events = mnist_events(3, epochs=40)
    for event in events:
        if event["event"] == "progress":
            event.update(eta_s=1410.0, elapsed_s=40.0, samples_per_s=123456.0)
    return FakeRun(LONG_RUN, events, params={"epochs": 40, "learning_rate": 0.000123456})


def runs_with_artifacts(tmp_path: Path) -> list[FakeRun]:
    from tests.artifacts import write_attention, write_predictions, write_probe

    folder = tmp_path / FINISHED
    folder.mkdir()
    write_predictions(folder)
    write_attention(folder, list(range(0, 120, 9)))
    write_probe(folder)
    runs = sample_runs()
    runs[0] = FakeRun(FINISHED, mnist_events(10, end="finished"), run_dir=folder)
    return [*runs, long_run()]


def assert_fits(app, where: str) -> None:
    found = cuts(app)
    size = f"{app.size.width}×{app.size.height}"
    assert not found, f"{where}: cut at {size}:\n  " + "\n  ".join(found) + "\n" + screen_text(app)


async def check(app, where: str, steps: Steps | None = None, size=SIZE) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot, 0.2)
        if steps is not None:
            await steps(pilot)
            await settle(pilot, 0.2)
        assert_fits(app, where)


PAGES = [e.name for e in registry.SCREENS if e.kind == "page" and e.name != "project:mammogram"]


@pytest.mark.parametrize("name", PAGES)
async def test_every_screen_fits(name, tmp_path):
    source = FakeRunSource(runs_with_artifacts(tmp_path))
    await check(make_app(source=source, screen=name), name)


@pytest.mark.parametrize(
    "view", [e.name for e in registry.RUN_VIEWS if e.reads == runfiles.PREDICTIONS]
)
async def test_every_view_of_a_run_fits(view, tmp_path):
    source = FakeRunSource(runs_with_artifacts(tmp_path))
    await check(make_app(source=source, screen=view, run=FINISHED), view)


@pytest.mark.parametrize("view", ["samples", "latent", "reviews"])
async def test_the_views_of_generative_and_text_runs_fit(view, tmp_path):
    if view == "samples":
        from tests.test_samples_view import RUN, vae_run

        source = vae_run(tmp_path, samples=16)
    elif view == "latent":
        from tests.test_latent_view import RUN, latent_run

        source = latent_run(tmp_path)
    else:
        from tests.test_reviews_ui import RUN, source_with

        source = source_with(tmp_path)
    await check(make_app(source=source, screen=view, run=RUN), view)


@pytest.mark.parametrize("name", PAGES)
async def test_every_screen_fits_a_large_terminal_too(name, tmp_path):
    source = FakeRunSource(runs_with_artifacts(tmp_path))
    await check(make_app(source=source, screen=name), name, size=(200, 60))


async def test_the_lab_with_a_long_run_id_and_eta_fits():
    source = FakeRunSource([*sample_runs(), long_run()])
    await check(make_app(source=source, screen="lab", run=LONG_RUN), "lab")


async def test_home_and_runs_with_a_long_run_id_fit():
    for screen in ("home", "runs"):
        await check(
            make_app(source=FakeRunSource([*sample_runs(), long_run()]), screen=screen), screen
        )


def ten_epochs(run: FakeRun) -> FakeRun:
    """A sweep cell's run with 10 epochs instead of 3 ('10/10' in the table's done column)."""
    events = []
    for event in run.events:
        if "epochs" in event:
            event = {**event, "epochs": 10}
        if event["event"] == "epoch_end" and event["epoch"] == 3:
            events += [{**event, "epoch": n} for n in range(3, 11)]
        else:
            events.append(event)
    return dataclasses.replace(run, events=events, delivered=None)


@pytest.mark.parametrize("cells_done", [2, 6])
async def test_the_sweep_fits_running_and_finished(cells_done):
    sweep, runs = sample_sweep(cells_done)
    runs = [ten_epochs(run) for run in runs]
    source = FakeRunSource(sample_runs() + runs, sweeps=[sweep])
    await check(make_app(source=source, screen="sweep"), f"sweep, {cells_done} cells done")


async def test_a_sweep_followed_live_fits():
    """Cells that change after their row was added ('ok' becoming '★ overshoots') keep the
    whole of what they say: the table's columns grow with them."""
    sweep, runs = sample_sweep(6)
    runs = [ten_epochs(run) for run in runs]
    sweep.delivered = 1  # the sweep started: its rows are added with nothing in them yet
    for run in runs:
        run.delivered, run.active = 3, True
    source = FakeRunSource(sample_runs() + runs, sweeps=[sweep])

    async def play(pilot) -> None:
        for run in runs:
            run.delivered = len(run.events)
            run.active = False
            sweep.delivered = len(sweep.events)
            await pilot.pause(0.6)

    await check(make_app(source=source, screen="sweep"), "sweep followed live", play)


@pytest.mark.skipif(not SHARED_DATA, reason="TUI_DL_DATA is not set")
async def test_the_data_screen_with_a_data_folder_fits():
    app = make_app(source=FakeRunSource(), screen="data", data_dir=SHARED_DATA)
    await check(app, "data")


@pytest.mark.parametrize(
    "state",
    ["", "networkShape=8,8,8,8,8,8&noise=50&showTestData=true"],
    ids=["default", "six-layers"],
)
async def test_the_playground_fits(state):
    async def trained(pilot) -> None:
        screen = pilot.app.screen
        screen.playground.train(1234)
        screen.redraw()
        await pilot.press("tab")  # the network focused

    app = make_app(source=FakeRunSource(), screen="playground", playground=state)
    await check(app, f"playground {state}", trained)


async def test_the_gan_lab_redraws_its_plane_when_the_plane_changes_size():
    """The first frame in a terminal drew the plane for the width it had before the screen
    sized it (27 of 36 columns): the plane is redrawn whenever its own size changes."""

    async def resized(pilot) -> None:
        screen = pilot.app.screen
        plane = screen.query_one("#gl-middle")
        screen.redraw()  # drawn for the old width…
        plane.styles.width = plane.size.width - 9  # …then the layout changes it
        await pilot.pause()
        await pilot.pause()

    await check(make_app(source=FakeRunSource(), screen="ganlab"), "ganlab", resized)


STEPS = ["data", "odd", "features", "model", "report", "threshold", "referee"]


@pytest.mark.skipif(not UCI.exists(), reason="TUI_DL_DATA does not hold the UCI file")
async def test_every_step_of_the_project_fits(tmp_path, monkeypatch):
    """One app, each step opened in turn as a learner does (the project screen takes seconds
    to start: one start, not seven); every step's cuts are gathered before the test fails."""
    from textual.widgets import TabbedContent

    import tui_dl.data.sources as data
    from tests.artifacts import kfold_events, write_kfold

    real = data.locate
    monkeypatch.setattr(  # the longest label a data folder gives
        data,
        "locate",
        lambda *a, **k: dataclasses.replace(
            real(*a, **k), label="Mammographic masses — data folder (/srv/tui-dl/datasets/uci)"
        ),
    )
    run_id = "20261122-120000-mammogram-ab12"
    run_dir = tmp_path / run_id
    run_dir.mkdir()
    write_kfold(run_dir, UCI)
    source = FakeRunSource(
        [FakeRun(run_id, kfold_events(), experiment="mammogram", run_dir=run_dir)]
    )

    app = make_app(source=source, screen="project:mammogram", run=run_id, data_dir=SHARED_DATA)
    failures = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.2)
        for step in STEPS:
            app.screen.query_one(TabbedContent).active = f"step-{step}"
            await settle(pilot, 0.2)
            try:
                assert_fits(app, f"project step {step}")
            except AssertionError as failure:
                failures.append(str(failure))
    assert not failures, "\n\n".join(failures)


LESSONS = [lesson.id for lesson in load_lessons()[0]]


@pytest.mark.parametrize("lesson_id", LESSONS)
async def test_every_page_of_every_lesson_fits(lesson_id):
    app = make_app(source=FakeRunSource(), screen=f"lesson:{lesson_id}")
    found = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for page in range(app.screen.pages):
            app.screen.show_page(page)
            await settle(pilot, 0.1)
            found += [f"page {page + 1}: {cut}" for cut in cuts(app)]
    assert not found, f"{lesson_id}: cut at 80×24:\n  " + "\n  ".join(found)


async def test_the_checks_see_each_kind_of_cut():
    """The reader of cuts is itself checked on widgets cut each way it knows."""
    from textual.app import App
    from textual.containers import Horizontal
    from textual.widgets import DataTable, Footer, OptionList, Static

    class Cut(App[None]):
        CSS = """#one { height: 1; width: 20; } #table { height: 3; }
        #crop { width: 10; text-wrap: nowrap; text-overflow: ellipsis; }"""

        def compose(self):
            yield Static("ETA 23 min 30 s · 40 s so far", id="one")
            yield DataTable(id="table")
            yield Static("accuracy 65.2/66.4 % train/test", id="crop")
            yield OptionList("3. Where neural networks came from  0/6", id="list")
            with Horizontal(id="row"):
                yield Static("x" * 70, id="a")
                yield Static("tui-dl data fetch imdb-word-index", id="b")
            yield Footer()

        BINDINGS = [(k, f"notify('{k}')", "Small batches") for k in "abcdefghij"]

    app = Cut()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.query_one("#list").styles.width = 30
        app.query_one("#a").styles.width = 30
        app.query_one("#b").styles.width = 40
        table = app.query_one(DataTable)
        table.add_column("lesson", key="lesson")
        table.add_row("", key="row")
        await pilot.pause()  # the column sized for the empty cell
        table.update_cell("row", "lesson", "overshoots")
        await pilot.pause(0.1)
        found = "\n".join(cuts(app))
    for widget in ("Static#one", "Static#crop", "OptionList#list", "Static#b", "footer", "Table"):
        assert widget in found, found


async def test_without_colour_the_selected_row_stands_out(monkeypatch):
    """NO_COLOR: Textual draws in greys, and a list's selected row (a table's cursor) was a
    shade lighter than the rest. It is a light row under dark text, bold, or reversed."""
    from textual.widgets import DataTable, OptionList

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(source=FakeRunSource(sample_runs()), screen="home")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.no_color
        for options in app.screen.query(OptionList):
            plain = options.get_visual_style("option-list--option")
            chosen = options.get_visual_style(
                "option-list--option", "option-list--option-highlighted"
            )
            apart = abs(chosen.background.brightness - plain.background.brightness)
            assert apart > 0.5 and chosen.bold, (options.id, plain, chosen)
        for table in app.screen.query(DataTable):
            cursor = table.get_component_rich_style("datatable--cursor")
            rest = table.rich_style
            assert cursor.reverse or (
                cursor.bgcolor is not None
                and rest.bgcolor is not None
                and abs(sum(cursor.bgcolor.get_truecolor()) - sum(rest.bgcolor.get_truecolor()))
                > 3 * 128
            ), (table.id, cursor)
