"""The GAN Lab screen driven by keys: one D step, one G step, one iteration, play and pause,
slow motion, reset, the settings, a learner's CSV (and a bad one), no colour; the home list
and the registry; snapshots at 80×24 and 200×60 after a fixed number of seeded iterations."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.fakes import FakeRunSource, settle
from tests.test_snapshots import settle as snapshot_settle
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.file_picker import FilePicker
from tui_dl.ui.screens.ganlab import GanLabScreen
from tui_dl.ui.widgets.boundary_map import BoundaryMap
from tui_dl.ui.widgets.ganlab.controls import GanControls, settings_for


def ganlab_app(screen: str = "ganlab"):
    return make_app(source=FakeRunSource(), screen=screen)


def select(screen: GanLabScreen, key: str) -> None:
    controls = screen.query_one(GanControls)
    controls.selected = [s.key for s in settings_for(screen.settings)].index(key)


def side_text(screen: GanLabScreen) -> str:
    return str(screen.query_one("#gl-side").render())


def said(app, words: str) -> bool:
    return any(words in n.message for n in app._notifications)


async def test_one_d_step_one_g_step_one_iteration_play_pause_and_reset():
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GanLabScreen)
        lab = screen.lab
        await pilot.press("d")
        assert (lab.iteration, lab.d_updates, lab.g_updates) == (0, 1, 0)
        await pilot.press("g")
        assert (lab.iteration, lab.d_updates, lab.g_updates) == (0, 1, 1)
        await pilot.press("full_stop")
        assert (lab.iteration, lab.d_updates, lab.g_updates) == (1, 2, 2)
        await pilot.press("space")
        for _ in range(300):  # playing: iterations come on their own, until space again
            if lab.iteration > 20:
                break
            await pilot.pause(0.05)
        await pilot.press("space")
        await settle(pilot)
        trained = lab.iteration
        assert trained > 20 and not screen.playing
        await pilot.pause(0.2)
        assert lab.iteration == trained  # paused: no more
        assert f"Iteration {trained:,}" in side_text(screen)
        await pilot.press("r")
        await settle(pilot)
        assert (lab.iteration, lab.d_updates, lab.g_updates) == (0, 0, 0)
        assert "Iteration 0" in side_text(screen)


async def test_slow_motion_takes_one_step_at_a_time():
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("s", "space")
        await pilot.pause(0.6)
        await pilot.press("space")
        await settle(pilot)
        moves = screen.lab.d_updates + screen.lab.g_updates
        assert 1 <= moves <= 3 and "slow motion" in screen.sub_title
        await pilot.press("s")
        assert not screen.slow


async def test_the_settings_change_with_the_arrows_and_a_bad_one_is_said():
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("full_stop")
        select(screen, "d_learning_rate")
        await pilot.press("right")
        assert screen.settings.d_learning_rate == 1
        assert screen.lab.iteration == 1  # a learning rate is live: the networks go on
        select(screen, "dataset")
        await pilot.press("right")
        await settle(pilot)
        assert screen.settings.dataset == "line" and screen.lab.iteration == 0
        assert screen.query_one("#gl-middle").border_title.startswith("a line")
        select(screen, "g_steps")
        await pilot.press("left")
        select(screen, "d_steps")
        await pilot.press("left")
        await settle(pilot)
        assert (screen.settings.d_steps, screen.settings.g_steps) == (1, 0)
        assert said(app, "nothing would learn")


async def test_a_csv_of_your_own_and_a_bad_one(tmp_path):
    good = tmp_path / "mine.csv"
    good.write_text("x,y\n" + "".join(f"{i},{i * i % 7}\n" for i in range(30)))
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,four\n" + "5,6\n" * 20)
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.change(dataset="csv", csv=str(good))
        await settle(pilot)
        assert screen.lab.real.name == "mine.csv" and len(screen.lab.real.xy) == 30
        assert "mine.csv (scaled" in screen.query_one("#gl-middle").border_title
        screen.change(dataset="csv", csv=str(bad))  # read in a thread: refused once read
        await settle(pilot)
        assert said(app, "line 3: x and y must be numbers")
        assert screen.lab.real.name == "mine.csv" and app.is_running  # nothing lost
        select(screen, "dataset")
        await pilot.press("left")  # csv → blobs, and the file stays one key away
        await settle(pilot)
        assert screen.settings.dataset == "blobs" and screen.settings.csv == str(good)


async def test_ctrl_o_opens_the_file_picker():
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+o")
        await pilot.pause()  # not settle: the picker's tree loads in workers of its own
        assert isinstance(app.screen, FilePicker)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_a_learning_rate_that_blows_up_stops_and_says_so():
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.change(g_learning_rate=10)
        await pilot.press("space")
        await pilot.pause(0.5)
        await settle(pilot)
        assert not screen.playing and "blew up" in screen.lab.stopped
        assert said(app, "blew up") and "Blew up: r resets" in side_text(screen)
        await pilot.press("space")  # stopped: said again, not played
        assert not screen.playing
        await pilot.press("r")
        assert screen.lab.stopped == ""


async def test_no_color_draws_points_manifold_and_arrows_in_characters(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ganlab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.lab.train(50)
        await pilot.press("full_stop")
        await settle(pilot)
        drawn = screen.query_one("#gl-middle", BoundaryMap).text()
        assert "o" in drawn and ("x" in drawn or "*" in drawn) and "·" in drawn
        await pilot.press("m", "a")
        await settle(pilot)
        drawn = screen.query_one("#gl-middle", BoundaryMap).text()
        assert "·" not in drawn and any(arrow in drawn for arrow in "→↗↑↖←↙↓↘")
        assert "o real  x fake" in side_text(screen)


async def test_the_home_lists_it_and_it_is_kept_as_left():
    app = ganlab_app(screen="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        experiments = app.screen.query_one("#experiments", OptionList)
        last = experiments.option_count - 1
        assert experiments.get_option_at_index(last).id == "page:ganlab"
        experiments.highlighted = last
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GanLabScreen)
        await pilot.press("full_stop", "full_stop", "escape")
        await settle(pilot)
        app.open_screen("ganlab")
        await settle(pilot)
        assert app.screen is screen and screen.lab.iteration == 2


async def test_the_help_lists_its_keys():
    from tui_dl.ui.dialogs.help import help_rows

    app = ganlab_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = " ".join(f"{row.shown_keys} {row.description}" for row in help_rows(app.screen, app))
    for words in ("space Play/pause", "d D step", "g G step", "s Slow", "^o CSV", "m Manifold"):
        assert words in rows


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_snapshot(snap_compare, size):
    app = ganlab_app()

    async def trained(pilot):
        await snapshot_settle(pilot)
        screen = pilot.app.screen
        screen.lab.train(300)
        screen.redraw()
        await snapshot_settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=trained)
