"""A browser seat of `tui-dl serve` opens files only from its own folder (and, read-only, the
server's --data-dir) and exports only into it: `..`, absolute paths and symlinks out are
refused, in the file picker, the run forms and a Playground state. Every seat's app runs as
the server's Unix user, so this is all that keeps a seat out of that user's ~/.ssh. Outside
a seat (SSH, alone) nothing changes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import DirectoryTree

from tests.fakes import FakeRunSource, settle
from tui_dl import paths
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.workshop import seats
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.file_picker import FilePicker
from tui_dl.ui.serve import seat_files
from tui_dl.ui.serve.seat_files import SEAT_DATA_ENV, OutsideSeatFolder

SEAT = "abcdef12"
POINTS = "x1,x2,label\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40))


@pytest.fixture
def private(tmp_path) -> Path:
    """The server user's own files, which no seat may reach."""
    home = tmp_path / "server-home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (home / "grades.csv").write_text(POINTS)
    home.chmod(0o700)
    return home


@pytest.fixture
def seat(monkeypatch) -> seat_files.SeatFiles:
    monkeypatch.setenv("TUI_DL_SEAT", SEAT)
    monkeypatch.delenv(SEAT_DATA_ENV, raising=False)
    seats.set_seat_name("Ana", SEAT)
    found = seat_files.here()
    assert found is not None
    return found


def test_a_seat_reads_only_from_its_own_folder(seat, private):
    folder = seat.folder
    assert folder == (paths.seats_dir() / SEAT / "files").resolve()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (folder / "mine.csv").write_text(POINTS)
    # A relative name is the seat's folder's, never the server's working directory's.
    assert seat_files.readable("mine.csv") == folder / "mine.csv"
    assert seat_files.readable(folder / "mine.csv") == folder / "mine.csv"
    assert seat_files.readable("~/.ssh/id_ed25519").is_relative_to(folder)
    (folder / "key").symlink_to(private / ".ssh" / "id_ed25519")
    (folder / "home").symlink_to(private)
    for way_out in (
        "../../../server-home/grades.csv",
        "../" * 30 + "etc/passwd",
        f"{folder}/../../../../server-home/grades.csv",
        str(private / "grades.csv"),
        "/etc/passwd",
        "key",
        "home/grades.csv",
        str(folder / "home" / ".ssh" / "id_ed25519"),
    ):
        with pytest.raises(OutsideSeatFolder, match="files come from your seat's folder"):
            seat_files.readable(way_out)
    assert seat_files.export_folder(paths.home() / "playground") == folder


def test_the_servers_data_folder_is_readable_but_no_way_out(seat, private, tmp_path, monkeypatch):
    data = tmp_path / "class-data"
    data.mkdir()
    (data / "points.csv").write_text(POINTS)
    (data / "leak").symlink_to(private)
    with pytest.raises(OutsideSeatFolder):  # not before the server names it
        seat_files.readable(data / "points.csv")
    monkeypatch.setenv(SEAT_DATA_ENV, str(data))
    assert seat_files.readable(data / "points.csv") == data / "points.csv"
    with pytest.raises(OutsideSeatFolder, match="the workshop's data folder"):
        seat_files.readable(data / "leak" / "grades.csv")
    assert seat_files.export_folder(tmp_path) == seat.folder  # exports: the seat's own only


def test_a_seat_folder_made_by_someone_else_is_refused(seat, monkeypatch):
    monkeypatch.setattr(seat_files.os, "geteuid", lambda: 12345)  # not the folder's owner
    with pytest.raises(OutsideSeatFolder, match="not a folder of this server's user"):
        seat_files.here()


def test_outside_a_seat_nothing_is_confined(private, tmp_path):
    assert seat_files.here() is None
    assert seat_files.readable(private / "grades.csv") == private / "grades.csv"
    assert seat_files.export_folder(tmp_path) == tmp_path
    mammogram = get_experiment("mammogram")
    csv = next(p for p in mammogram.params if p.name == "csv")
    assert seat_files.confine_value(csv, str(private / "grades.csv")) == str(private / "grades.csv")


def test_a_runs_files_are_checked_at_a_seat(seat, private):
    """The run's process reads the file as the server's user: a path (the mammogram CSV, the
    model zoo's photo) or a Playground state's CSV is checked before anything starts."""
    (seat.folder / "mine.csv").write_text(POINTS)
    for experiment, name in (("mammogram", "csv"), ("transfer-imagenet", "image")):
        param = next(p for p in get_experiment(experiment).params if p.name == name)
        with pytest.raises(OutsideSeatFolder):
            seat_files.confine_value(param, str(private / "grades.csv"))
        assert seat_files.confine_value(param, "mine.csv") == str(seat.folder / "mine.csv")
        assert seat_files.confine_value(param, "") == ""
    state = next(p for p in get_experiment("playground").params if p.name == "state")
    with pytest.raises(OutsideSeatFolder):
        seat_files.confine_value(state, f"networkShape=3&csv={private / 'grades.csv'}")
    kept = seat_files.confine_value(state, "networkShape=3&csv=mine.csv")
    assert f"csv={seat.folder / 'mine.csv'}" in kept


async def test_the_lab_form_at_a_seat_refuses_a_file_outside(seat, private):
    from tui_dl.ui.widgets.run.run_form import RunForm

    app = make_app(source=FakeRunSource([]), screen="lab")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = RunForm(get_experiment("mammogram"), id="seat-form")
        await app.screen.mount(form)
        await settle(pilot)
        form.field("csv").value = str(private / "grades.csv")
        with pytest.raises(ValueError, match="your seat's folder"):
            form.read()
        form.field("csv").value = ""
        params, _ = form.read()
        assert params["csv"] == ""


async def test_the_picker_at_a_seat_shows_its_folder_and_never_a_way_out(seat, private):
    (seat.folder / "points.csv").write_text(POINTS)
    (seat.folder / "home").symlink_to(private)
    (seat.folder / "grades.csv").symlink_to(private / "grades.csv")
    app = make_app(source=FakeRunSource([]))
    picked: list[Path | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(FilePicker(Path.cwd()), picked.append)
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FilePicker)
        tree = picker.query_one(DirectoryTree)
        assert Path(tree.path) == seat.folder  # not the server's working directory
        for _ in range(100):
            if tree.root.children:
                break
            await pilot.pause(0.02)
        listed = {node.data.path.name for node in tree.root.children if node.data}
        assert listed == {"points.csv"}  # the symlinks out are not even listed
        for way_out in (
            seat.folder / "home" / ".ssh" / "id_ed25519",
            seat.folder / "grades.csv",
            seat.folder / ".." / ".." / "..",
            Path("/etc/passwd"),
        ):
            picker.pick(way_out)
            await pilot.pause()
            assert app.screen is picker, way_out
        assert any("your seat's folder" in n.message for n in app._notifications)
        picker.pick(seat.folder / "points.csv")
        await pilot.pause()
    assert picked == [seat.folder / "points.csv"]


async def test_a_playground_state_cannot_open_a_file_outside_and_exports_land_in_the_seat(
    seat, private
):
    app = make_app(
        source=FakeRunSource([]),
        screen="playground",
        playground=f"networkShape=3&csv={private / 'grades.csv'}",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert "your seat's folder" in screen.problem
        assert screen.state.csv == ""
        await pilot.press("x")
        await settle(pilot)
    written = list(seat.folder.glob("playground-*.py"))
    assert len(written) == 1
    assert not (paths.home() / "playground").exists()


async def test_d_in_the_picker_shows_the_servers_data_folder(seat, private, tmp_path, monkeypatch):
    data = tmp_path / "class-data"
    data.mkdir()
    (data / "points.csv").write_text(POINTS)
    (data / "leak").symlink_to(private)
    monkeypatch.setenv(SEAT_DATA_ENV, str(data))
    app = make_app(source=FakeRunSource([]))
    picked: list[Path | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(FilePicker(Path.cwd()), picked.append)
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FilePicker)
        tree = picker.query_one(DirectoryTree)
        assert Path(tree.path) == seat.folder
        await pilot.press("d")
        await pilot.pause()
        assert Path(tree.path) == data.resolve()
        for _ in range(100):
            if tree.root.children:
                break
            await pilot.pause(0.02)
        assert {node.data.path.name for node in tree.root.children if node.data} == {"points.csv"}
        await pilot.press("d")
        assert Path(tree.path) == seat.folder  # and back
        picker.pick(data / "points.csv")
        await pilot.pause()
    assert picked == [data.resolve() / "points.csv"]
