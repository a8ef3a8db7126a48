"""`x` in the runs list: a finished run exported from the app — the script written by a
worker, the TFLite file by a job whose phases and result the dialog shows; a course run
offered its script, model and notebook; a failed run offered nothing. Snapshots of the dialog
at 80×24 and 200×60."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tests.test_export import MY_IMAGES, started_and_finished
from tui_dl.engine import runfiles
from tui_dl.engine.events import JOB_EVENTS, Event, make_event
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.export_menu import ExportMenu

RUN = "20261122-120000-my-images-abcd"
MLP = "20261122-110000-mnist-mlp-e5f6"
FAILED = "20261122-100000-mnist-cnn-0a0b"


def source(tmp_path: Path) -> FakeRunSource:
    """A finished my-images run (its folder holding a model.keras) and an mnist-mlp run."""
    run_dir = tmp_path / RUN
    run_dir.mkdir()
    (run_dir / runfiles.MODEL).write_bytes(b"PK a model")
    mine = FakeRun(RUN, started_and_finished(), MY_IMAGES, experiment="my-images", run_dir=run_dir)
    return FakeRunSource(
        [
            mine,
            FakeRun(MLP, mnist_events(10, end="finished")),
            FakeRun(FAILED, mnist_events(2, end="failed"), experiment="mnist-cnn"),
        ]
    )


async def runs_at(pilot, run_id: str) -> None:
    await settle(pilot)
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(run_id))
    await settle(pilot)


def status(app) -> str:
    return str(app.screen.query_one("#export-status", Static).render())


async def until_written(pilot) -> None:
    for _ in range(200):
        if "Written to" in status(pilot.app) or "Not exported" in status(pilot.app):
            return
        await pilot.pause(0.05)


async def test_x_writes_the_script_into_the_exports_folder_and_says_where(tmp_path):
    app = make_app(source=source(tmp_path), screen="runs")
    async with app.run_test(size=(100, 30)) as pilot:
        await runs_at(pilot, FAILED)
        await pilot.press("x")  # a failed run: nothing to export
        await settle(pilot)
        assert not isinstance(app.screen, ExportMenu)
        await runs_at(pilot, MLP)
        await pilot.press("x")  # a course run: its script, its model, its notebook
        await settle(pilot)
        assert isinstance(app.screen, ExportMenu)
        assert app.screen.kinds == ("script", "keras", "notebook")
        await pilot.press("3")
        await until_written(pilot)
        notebook = tmp_path / "home" / "exports" / f"{MLP.replace('-', '_')}.ipynb"
        assert f"Written to {notebook}" in " ".join(status(app).split())
        assert '"nbformat": 4' in notebook.read_text()
        await pilot.press("escape")
        await settle(pilot)
        await runs_at(pilot, RUN)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportMenu)
        await pilot.press("1")
        await until_written(pilot)
        written = tmp_path / "home" / "exports" / f"{RUN.replace('-', '_')}.py"
        assert f"Written to {written}" in " ".join(status(app).split())
        assert "SETTINGS = {'run': '20261122-120000-my-images-abcd'" in written.read_text()


async def test_the_tflite_choice_runs_a_job_and_shows_its_phases_and_check(tmp_path):
    fake = source(tmp_path)
    fake.job_events += [
        make_event(Event.PHASE, phase="converting it to TensorFlow Lite"),
        make_event(
            Event.FINISHED, JOB_EVENTS, artifact="x.tflite", bytes=12_345, max_difference=2e-7,
            compared="8 test pictures", count=8,
        ),
    ]  # fmt: skip
    app = make_app(source=fake, screen="runs")
    async with app.run_test(size=(100, 30)) as pilot:
        await runs_at(pilot, RUN)
        await pilot.press("x", "3")
        await until_written(pilot)
        ((run_id, kind, args),) = fake.jobs
        assert (run_id, kind) == (RUN, "tflite")
        assert Path(args["path"]) == tmp_path / "home" / "exports" / f"{RUN}.tflite"
        said = " ".join(status(app).split())
        assert "(12,345 bytes). Checked on 8 test pictures: at most 2e-07" in said


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_export_dialog(snap_compare, size, monkeypatch, tmp_path):
    monkeypatch.setattr("tui_dl.paths.exports_dir", lambda: Path("/home/learner/tui-dl/exports"))

    async def opened(pilot):
        await runs_at(pilot, RUN)
        await pilot.press("x")
        await settle(pilot)

    app = make_app(source=source(tmp_path), screen="runs")
    assert snap_compare(app, terminal_size=size, run_before=opened)


async def test_a_refusal_is_said_in_the_dialog_and_the_app_stays(tmp_path):
    fake = source(tmp_path)
    (tmp_path / RUN / runfiles.MODEL).unlink()
    app = make_app(source=fake, screen="runs")
    async with app.run_test(size=(80, 24)) as pilot:
        await runs_at(pilot, RUN)
        await pilot.press("x", "2")
        await until_written(pilot)
        said = " ".join(status(app).split())
        assert f"Not exported: run {RUN} has no model.keras" in said
        assert not (tmp_path / "home" / "exports" / f"{RUN}.keras").exists()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportMenu)


async def test_x_in_the_lab_exports_its_finished_run_and_not_a_failed_one(tmp_path):
    fake = source(tmp_path)
    app = make_app(source=fake, screen="lab", run=MLP)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportMenu) and app.screen.run_id == MLP
        assert app.screen.kinds == ("script", "keras", "notebook")
    app = make_app(source=fake, screen="lab", run=FAILED)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, ExportMenu)
