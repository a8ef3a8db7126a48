"""The data view of a learner's folder (issue 26, "Look at the data first"): counts and the
balance warning, each class's pictures drawn in colour (a ramp under NO_COLOR), names shown as
text, a bad folder said and recovered from with ctrl+o, the keys that page; `tui-dl data folder`
headless; the ethics checklist's data question opening it. Pictures are made by
tests/my_images.py; nothing trains."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.fakes import FakeRunSource, settle
from tests.my_images import shapes_folder
from tests.test_every_key import looks
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.folder_picker import FolderPicker
from tui_dl.ui.screens.my_images_data import MyImagesDataScreen

SKIPPED = "[bold red]notes.txt"
COPY = "[b]copy.png"


def pictures(root, per_class=None):
    """Circles 13 (one a copy of a square, named with markup), squares 4, triangles 6, and a
    text file named with markup: unbalanced, with one thing of each kind to show."""
    folder = shapes_folder(root, per_class or {"circles": 12, "squares": 4, "triangles": 6})
    (folder / "circles" / SKIPPED).write_text("not a picture")
    shutil.copy(folder / "squares" / "001.png", folder / "circles" / COPY)
    return folder


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # shown as "pictures", the same on every machine
    pictures(tmp_path / "pictures")
    return "pictures"


def app_on(folder):
    return make_app(screen="my-images-data", folder=folder, source=FakeRunSource([]))


def screen_text(app) -> str:
    return "\n".join("".join(text for text, _ in line) for line in looks(app))


def cells(app, selector: str) -> list[list[tuple[str, object]]]:
    """The (character, style) of each cell of a widget's content, row by row."""
    region = app.screen.query_one(selector).content_region
    rows = []
    for y, line in enumerate(looks(app)):
        if region.y <= y < region.bottom:
            row, x = [], 0
            for text, style in line:
                for char in text:
                    if region.x <= x < region.right:
                        row.append((char, style))
                    x += 1
            rows.append(row)
    return rows


def said(app, selector: str = "#mi-summary") -> str:
    """A widget's text, its lines joined by spaces, runs of spaces made one."""
    return " ".join(" ".join("".join(c for c, _ in row) for row in cells(app, selector)).split())


def message(app) -> str:
    return said(app, "#mi-message")


def sheet_cells(app) -> list[tuple[str, object]]:
    """Every (character, style) the page of pictures draws."""
    return [cell for row in cells(app, "#mi-sheet") for cell in row]


async def test_counts_the_warning_and_each_classs_pictures_in_colour(folder):
    app = app_on(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MyImagesDataScreen)
        text = said(app)
        assert "pictures: 3 classes, 23 pictures" in text
        assert "▸ circles █" in text and "█ 13 squares █" in text
        assert "Unbalanced classes: circles has 13 pictures, 3.2× as many as squares" in text
        assert "Sizes width 32–69 px" in text and "Modes RGB" in text
        assert "circles · 1–13 of 13 · page 1/1" in said(app, "#mi-caption")
        drawn = [style for char, style in sheet_cells(app) if char == "▀"]
        assert len(drawn) > 200
        colours = {style.color.get_truecolor() for style in drawn} | {
            style.bgcolor.get_truecolor() for style in drawn
        }
        reds = [c for c in colours if c.red > 150 and c.green < 90 and c.blue < 90]
        assert reds, "the circles are red"
        assert any(c.green > 120 and c.red < 90 for c in colours), "the copied green square"


async def test_without_colour_the_pictures_are_a_density_ramp(folder, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        cells = sheet_cells(app)
        assert "▀" not in {char for char, _ in cells}
        assert {"@", "%"} & {char for char, _ in cells}  # the white around each shape
        assert {".", ":", "-", "=", "+", "*"} & {char for char, _ in cells}


async def test_names_with_markup_are_shown_as_they_are(folder):
    app = app_on(folder)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        text = said(app)
        assert f"circles/{SKIPPED} — not a picture" in text
        assert "The same picture in two classes (1)" in text
        assert f"circles/{COPY} = squares/001.png" in text


async def test_the_split_and_a_class_too_small_for_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shapes_folder(tmp_path / "few", {"circles": 6, "squares": 2, "triangles": 6})
    app = app_on("few")
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        text = said(app)
        assert "Split 70/15/15 (train/validation/test)" in text
        assert "squares has 2 pictures; a 70/15/15 (train/validation/test) split needs at" in text


async def test_arrows_turn_the_pages_into_the_next_class_and_n_p_jump_classes(folder):
    app = app_on(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        pages = screen.pages()
        assert pages > 1  # 13 circles do not fit one page at 80×24
        caption = lambda: str(screen.query_one("#mi-caption").render())  # noqa: E731
        assert f"page 1/{pages}" in caption()
        await pilot.press("right")
        assert f"page 2/{pages}" in caption() and caption().startswith("circles")
        for _ in range(pages - 1):
            await pilot.press("right")
        await settle(pilot)
        assert caption().startswith("squares · 1–4 of 4")
        await pilot.press("left")
        assert caption().startswith("circles") and f"page {pages}/{pages}" in caption()
        await pilot.press("n", "n")
        await settle(pilot)
        assert caption().startswith("triangles")
        await pilot.press("n")
        assert caption().startswith("circles · 1–")
        await pilot.press("p")
        assert caption().startswith("triangles")


async def test_the_scan_runs_in_a_thread_and_says_how_far_it_is(folder, monkeypatch):
    import threading

    from tui_dl.data.my_images.problems import FolderProblem
    from tui_dl.ui.screens import my_images_pictures

    go_on, threads = threading.Event(), []

    def slow_scan(root, progress, other=None):
        threads.append(threading.current_thread())
        progress(3, 24)
        go_on.wait(10)
        raise FolderProblem(f"{root}: gone while it was scanned.")

    monkeypatch.setattr(my_images_pictures, "scan", slow_scan)
    app = app_on(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if "3 of 24 files" in message(app):
                break
        assert "Scanning pictures: 3 of 24 files…" in message(app)
        assert threads and threads[0] is not threading.main_thread()
        go_on.set()
        await settle(pilot)
        assert "pictures: gone while it was scanned." in message(app)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda root: root / "nowhere", "nowhere: there is no such folder."),
        (lambda root: shapes_folder(root / "one", {"circles": 2}), "has one class subfolder"),
        (lambda root: (root / "empty").mkdir() or root / "empty", "has no class subfolders"),
    ],
)
async def test_a_bad_folder_is_said_and_ctrl_o_picks_another(tmp_path, make, words):
    bad = make(tmp_path)
    good = pictures(tmp_path / "good")
    app = app_on(str(bad))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def said_it() -> bool:  # a long path wraps anywhere: compared without the spaces
            return words.replace(" ", "") in message(app).replace(" ", "")

        for _ in range(100):  # said once the scan's thread gave up and the line is laid out
            if said_it():
                break
            await pilot.pause(0.05)
        assert said_it(), message(app)
        assert "ctrl+o picks another folder" in message(app)
        await pilot.press("right", "n")  # nothing to page: nothing happens
        await pilot.press("ctrl+o")
        for _ in range(200):  # not settle: the tree's loader is cancelled and restarted
            if isinstance(app.screen, FolderPicker):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, FolderPicker)
        app.screen.pick(good)
        await settle(pilot)
        assert isinstance(app.screen, MyImagesDataScreen)
        assert "3 classes, 23 pictures" in said(app)
        assert app.is_running


async def test_f_in_the_picker_picks_the_folder_under_the_cursor(tmp_path, monkeypatch):
    pictures(tmp_path / "good")
    monkeypatch.chdir(tmp_path)
    app = make_app(screen="my-images-data", source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "ctrl+o picks one" in message(app)
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        picker = app.screen
        assert isinstance(picker, FolderPicker)
        tree = picker.query_one("DirectoryTree")
        await pilot.press("down")  # the root, then its first entry: good/
        assert tree.cursor_node.data.path.name == "good"
        await pilot.press("f")
        await settle(pilot)
        assert "3 classes, 23 pictures" in said(app)


async def test_the_ethics_checklists_data_question_opens_the_view(tmp_path):
    from tui_dl.lessons.ethics import ITEMS

    app = make_app(screen="ethics", source=FakeRunSource([]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        offered = lambda: "d" in app.screen.active_bindings  # noqa: E731
        assert not offered()  # the first question is not about the data
        checklist = app.screen.query_one("EthicsChecklist")
        checklist.items.highlighted = next(i for i, it in enumerate(ITEMS) if it.about_data)
        await settle(pilot)
        assert offered()
        await pilot.press("d")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FolderPicker)
        assert isinstance(app.screen_stack[-2], MyImagesDataScreen)


# ----- headless ------------------------------------------------------------------------------


def test_data_folder_prints_the_same_summary(tmp_path, capsys):
    from tui_dl.cli import main

    root = pictures(tmp_path / "pictures")
    assert main(["data", "folder", str(root)]) == 0
    out = capsys.readouterr().out
    assert "3 classes, 23 pictures" in " ".join(out.split())
    assert "Unbalanced classes: circles has 13" in out
    assert f"circles/{SKIPPED}" in out and f"circles/{COPY} = squares/001.png" in out
    assert main(["data", "folder", str(root), "--json", "--seed", "3"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"] == {"circles": 13, "squares": 4, "triangles": 6}
    assert summary["skipped"][0]["relative"] == f"circles/{SKIPPED}"


def test_data_folder_on_a_bad_folder_says_why_and_exits_2(tmp_path, capsys):
    from tui_dl.cli import main

    assert main(["data", "folder", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nowhere'}: there is no such folder." in err.replace("\n", "")


def test_folder_goes_with_the_data_view_only(capsys):
    from tui_dl.cli import main

    assert main(["--screen", "runs", "--folder", "x"]) == 2
    assert "--folder goes with --screen my-images-data" in capsys.readouterr().err


# ----- snapshots -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_data_view(snap_compare, folder, size):
    assert snap_compare(app_on(folder), terminal_size=size, run_before=settle)


def test_snapshot_of_a_bad_folder(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shapes_folder(tmp_path / "one", {"circles": 2})
    assert snap_compare(app_on("one"), terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_data_view_of_a_folder_fits(folder, size):
    from tests.test_fit_80x24 import check

    await check(app_on(folder), "my-images-data", size=size)
