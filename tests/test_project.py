"""The mammogram project screen over pre-written results (Pilot and 80×24 snapshots), and
the headless `tui-dl project` command's refusals."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, TabbedContent

from tests.artifacts import kfold_events, write_kfold
from tests.conftest import SHARED_DATA
from tests.fakes import FakeRun, FakeRunSource, settle
from tui_dl.engine import runfiles
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.project import ProjectScreen
from tui_dl.ui.widgets.run.threshold_slider import ThresholdSlider

UCI = Path(SHARED_DATA or "/nonexistent") / "uci" / "mammographic_masses.data"
pytestmark = pytest.mark.skipif(not UCI.exists(), reason="TUI_DL_DATA does not hold the UCI file")
RUN = "20261122-120000-mammogram-ab12"
SIZE = (80, 24)


@pytest.fixture
def source(tmp_path):
    run_dir = tmp_path / RUN
    run_dir.mkdir()
    write_kfold(run_dir, UCI)
    run = FakeRun(RUN, kfold_events(), experiment="mammogram", run_dir=run_dir)
    return FakeRunSource([run], launch_events=kfold_events(done=3, end=None), launch_delivered=9)


def app_for(source, **kwargs):
    return make_app(source=source, screen="project:mammogram", data_dir=SHARED_DATA, **kwargs)


def text_of(app, selector: str) -> str:
    """What a Static shows, as plain text (its content may be any Rich renderable)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector).content)
    return console.export_text()


def step_of(app) -> str:
    return app.screen.query_one(TabbedContent).active


async def test_the_data_steps_show_the_real_file(source):
    app = app_for(source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        assert isinstance(app.screen, ProjectScreen) and step_of(app) == "step-data"
        assert "5,67,3,5,3,1" in text_of(app, "#project-data")
        await pilot.press("n")
        assert step_of(app) == "step-odd"
        odd = text_of(app, "#project-odd")
        assert "131 of 961" in odd and "BI-RADS outside" in odd and "55" in odd
        await pilot.press("n")
        assert "830 complete rows" in text_of(app, "#project-features")
        await pilot.press("p", "p")
        assert step_of(app) == "step-data"


async def test_a_finished_run_fills_report_threshold_and_referee(source):
    app = app_for(source, run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        report = text_of(app, "#project-report")
        assert "Mean accuracy" in report and "the course: about 80 %" in report
        referee = text_of(app, "#project-referee")
        assert "BI-RADS ≥ 5" in referee and "naive Bayes" in referee
        app.screen.query_one(TabbedContent).active = "step-threshold"
        await pilot.pause()
        slider = app.screen.query_one(ThresholdSlider)
        assert slider.has_focus
        before = str(slider.render())
        await pilot.press("left", "left", "left")
        assert slider.threshold == pytest.approx(0.35)
        assert str(slider.render()) != before


async def test_folds_show_live_and_the_csv_is_checked_before_anything_starts(source, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,3\n" * 30)
    app = app_for(source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        app.screen.query_one(TabbedContent).active = "step-model"
        app.screen.query_one("#field-csv", Input).value = str(bad)
        await pilot.press("ctrl+r")
        await settle(pilot, 0.3)
        assert source.launched == []
        assert "3 columns, expected 6" in text_of(app, "#project-error")
        app.screen.query_one("#field-csv", Input).value = ""
        await pilot.press("ctrl+r")
        await settle(pilot, 0.3)
        assert [call[0] for call in source.launched] == ["mammogram"]
        folds = text_of(app, "#project-folds")
        assert "3 of 10" in folds and "fold 4 of 10: epoch 37 of 100" in folds


async def test_export_writes_the_report_with_the_checklist(source):
    from tui_dl.lessons.ethics import ITEMS, load_checklist, save_checklist

    checklist = load_checklist("mammogram")
    entry = checklist.entry(ITEMS[0].id)
    entry.checked, entry.note = True, "false negatives cost lives"
    save_checklist(checklist)
    app = app_for(source, run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        await pilot.press("e")
        await pilot.pause()
    text = (source.runs[RUN].run_dir / runfiles.PROJECT_REPORT).read_text()
    assert "## The radiologists as referee" in text and "| naive Bayes |" in text
    assert "false negatives cost lives" in text


@pytest.mark.parametrize(
    "step", ["data", "odd", "features", "model", "report", "threshold", "referee"]
)
def test_snapshot_step(snap_compare, source, step, monkeypatch):
    import tui_dl.data.sources as data

    real = data.locate

    def fixed_label(*args, **kwargs):  # the data folder's path differs between machines
        found = real(*args, **kwargs)
        return dataclasses.replace(found, label="Mammographic masses — data folder")

    monkeypatch.setattr(data, "locate", fixed_label)

    async def open_step(pilot):
        await settle(pilot, 0.3)
        pilot.app.screen.query_one(TabbedContent).active = f"step-{step}"
        await settle(pilot, 0.3)

    assert snap_compare(app_for(source, run=RUN), terminal_size=SIZE, run_before=open_step)


def test_headless_project_refuses_bad_input_before_starting(tmp_path):
    bad = tmp_path / "one-class.csv"
    bad.write_text("".join(f"4,{40 + i},2,3,3,1\n" for i in range(40)))
    done = subprocess.run(
        [sys.executable, "-m", "tui_dl", "project", "mammogram", "--csv", str(bad), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "every complete row is malignant" in done.stderr and "Traceback" not in done.stderr
    assert not list((Path(tmp_path) / "home").glob("runs/*"))


@pytest.mark.slow
def test_headless_project_writes_the_markdown_report_and_json():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui_dl",
            "project",
            "mammogram",
            "--k",
            "3",
            "--epochs",
            "2",
            "--data-dir",
            SHARED_DATA,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["kfold"]["k"] == 3 and len(report["kfold"]["network"]["per_fold"]) == 3
    assert "mean accuracy over the folds" in done.stderr
    markdown = Path(report["report_md"]).read_text()
    for heading in (
        "## The data",
        "## The network, fold by fold",
        "## The radiologists as referee",
        "## Classic models on the same folds",
        "Ethics checklist",
    ):
        assert heading in markdown
