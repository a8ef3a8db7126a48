"""The my-images lab: a lab like every other, whose folder ctrl+o picks by keyboard; home lists
it among the experiments. Snapshots at 80×24 and 200×60."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.fakes import FakeRunSource, settle
from tests.my_images import shapes_folder
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.folder_picker import FolderPicker
from tui_dl.ui.screens.lab import LabScreen


async def until(pilot, done) -> None:
    """Not settle: a folder picker's tree keeps a loader worker going."""
    for _ in range(200):
        if done():
            return
        await pilot.pause(0.05)


async def open_my_images(pilot) -> LabScreen:
    pilot.app.open_lab("my-images")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LabScreen)
    return pilot.app.screen


async def test_ctrl_o_picks_the_folder_into_the_lab_and_only_where_there_is_one(tmp_path):
    pictures = shapes_folder(tmp_path / "pictures", 4)
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_lab("mnist-mlp")
        await settle(pilot)
        keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "ctrl+o" not in keys  # no folder to name in this lab
        await pilot.press("escape")
        screen = await open_my_images(pilot)
        assert "ctrl+o" in {b.binding.key for b in screen.active_bindings.values()}
        field = screen.query_one("#field-folder", Input)
        field.value = str(tmp_path / "nowhere")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, FolderPicker))
        assert isinstance(app.screen, FolderPicker)
        assert app.screen.start == tmp_path  # beside what was typed, where it would be
        app.screen.pick(pictures)
        await until(pilot, lambda: app.screen is screen and field.value == str(pictures))
        assert app.screen is screen and field.value == str(pictures)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, FolderPicker))
        await pilot.press("escape")  # picked nothing: the field stays
        await until(pilot, lambda: app.screen is screen)
        assert app.screen is screen and field.value == str(pictures)


async def test_ctrl_o_picks_for_the_folder_setting_being_typed_in(tmp_path):
    pictures = shapes_folder(tmp_path / "pictures", 4)
    other = shapes_folder(tmp_path / "else", {"triangles": 4})
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_my_images(pilot)
        folder = screen.query_one("#field-folder", Input)
        elsewhere = screen.query_one("#field-other", Input)
        folder.value = str(pictures)
        elsewhere.focus()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, FolderPicker))
        assert isinstance(app.screen, FolderPicker) and app.screen.start == Path.cwd()
        assert app.screen.title_text == "Other folder: choose"
        app.screen.pick(other)
        await until(pilot, lambda: app.screen is screen and elsewhere.value == str(other))
        assert elsewhere.value == str(other) and folder.value == str(pictures)
        assert app.focused is elsewhere
        screen.query_one("#field-epochs", Input).focus()  # not a folder: the first folder's
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, FolderPicker))
        assert isinstance(app.screen, FolderPicker) and app.screen.start == tmp_path
        await pilot.press("escape")


async def test_ctrl_l_shows_the_forms_folder_in_the_data_view_with_its_other_class(tmp_path):
    from tui_dl.ui.screens.my_images_data import MyImagesDataScreen

    pictures = shapes_folder(tmp_path / "pictures", {"circles": 4, "squares": 4})
    other = shapes_folder(tmp_path / "else", {"triangles": 5}) / "triangles"
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_my_images(pilot)
        keys = {b.binding.key: b for b in screen.active_bindings.values()}
        assert keys["ctrl+l"].binding.description == "Look at data" and keys["ctrl+l"].enabled
        await pilot.press("ctrl+l")  # no folder yet: said, nothing opens
        await settle(pilot)
        assert app.screen is screen
        notes = [n.message for n in app._notifications]
        assert any("Your folder: empty — name a folder. ctrl+o picks" in n for n in notes)
        screen.query_one("#field-folder", Input).value = str(pictures)
        screen.query_one("#field-other", Input).value = str(other)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, MyImagesDataScreen))
        view = app.screen
        assert isinstance(view, MyImagesDataScreen)
        await until(pilot, lambda: view.scanned is not None)
        assert view.scanned is not None and view.folder == pictures and view.other == other
        assert view.scanned.folder.counts() == {"circles": 4, "squares": 4, "other": 5}
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_home_lists_the_my_images_lab(tmp_path):
    from textual.widgets import OptionList

    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = app.screen.query_one("#experiments", OptionList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any("Your own images" in p for p in prompts)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_my_images_lab(snap_compare, size):
    async def opened(pilot):
        await settle(pilot)
        await open_my_images(pilot)

    app = make_app(source=FakeRunSource())
    assert snap_compare(app, terminal_size=size, run_before=opened)


async def test_an_untrained_imagenet_base_is_said_to_stay_at_chance_before_launch(tmp_path):
    from textual.widgets import Select

    from tui_dl.ui.widgets.run.cost_line import CostLine

    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_my_images(pilot)
        screen.query_one("#field-folder", Input).value = str(tmp_path)
        await settle(pilot)
        line = screen.query_one(CostLine)
        assert not line.display  # ImageNet weights: nothing to say
        screen.query_one("#field-weights", Select).value = "none"
        await settle(pilot)
        assert line.display and "untrained MobileNetV2" in str(line.render())
        assert "stays near chance" in str(line.render())
        screen.query_one("#field-base", Input).value = "scratch"
        await settle(pilot)
        assert not line.display


async def test_the_check_before_launch_says_how_far_it_reads_off_the_ui_thread(tmp_path):
    """The launch (and the folder's scan in it) runs in a thread: the screen answers, its
    phase line says how far the scan is, and a refusal puts it back as it was."""
    import threading

    from textual.widgets import Static

    from tui_dl.ui.widgets.run.run_progress import RunProgress

    source, gate, threads = FakeRunSource(), threading.Event(), []

    def launch(experiment, params, device, cluster=None, progress=None):
        threads.append(threading.current_thread())
        progress("Reading your folder: 5 of 9 files")
        gate.wait(10)
        raise ValueError("squares has 2 pictures")

    source.launch = launch  # type: ignore[method-assign]
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_my_images(pilot)
        screen.query_one("#field-folder", Input).value = str(tmp_path)
        phase = screen.query_one(RunProgress).query_one("#phase", Static)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "5 of 9" in str(phase.content))
        assert str(phase.content) == "Reading your folder: 5 of 9 files"
        assert threads and threads[0] is not threading.main_thread()
        gate.set()
        await until(pilot, lambda: not screen.launching)
        assert str(phase.content) == "No run yet."
        assert "squares has 2 pictures" in str(screen.query_one("#form-error", Static).content)
