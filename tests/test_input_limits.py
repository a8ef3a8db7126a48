"""Inputs have limits (issue 22, cases 11, 12 and 14): the home spelt one way however it is
named, a home that cannot be written said once at start, a CSV over its limit refused before a
byte is read (and read off the screen's thread), a FIFO or a folder called what it is, numbers
refused where they are parsed, read-modify-writes locked and a model saved whole or not at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.fakes import FakeRunSource, settle
from tui_dl import paths
from tui_dl.analysis.mammogram import CSV_LIMIT, ProjectDataError, prepare
from tui_dl.cli import main
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.ganlab.datasets import load_csv as load_gan_csv
from tui_dl.engine.ganlab.settings import GanSettings, SettingError
from tui_dl.engine.playground.datasets import POINTS_CSV_LIMIT, DataError
from tui_dl.engine.playground.datasets import load_csv as load_points_csv
from tui_dl.ui.app import make_app

ROOT = Path(__file__).resolve().parents[1]
POINTS = "x1,x2,label\n" + "".join(f"{i % 7},{i % 5},{'a' if i % 2 else 'b'}\n" for i in range(40))


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that costs no disk (a hole)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def run_cli(*argv: str, env: dict[str, str], cwd: Path, user: list[str] | None = None):
    return subprocess.run(
        [*(user or []), sys.executable, "-m", "tui_dl", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


# ----- case 11: the home, however it is spelt ---------------------------------------------------
def test_a_relative_or_symlinked_home_is_one_absolute_resolved_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TUI_DL_HOME", "rel-home")
    assert paths.home() == (tmp_path / "rel-home").resolve()
    assert os.environ["TUI_DL_HOME"] == str(paths.home())  # what a run's process inherits
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.setenv("TUI_DL_HOME", str(tmp_path / "link"))
    assert paths.home() == (tmp_path / "real").resolve()
    assert paths.runs_dir() == (tmp_path / "real" / "runs").resolve()


def test_a_run_launched_with_a_relative_home_finishes(tmp_path):
    (tmp_path / "ledger").touch()
    env = {
        **os.environ,
        "TUI_DL_HOME": "rel-home",  # the run's process works in its own folder
        "TUI_DL_TEST_TRAINER": "queue_trainer:train",
        "TUI_DL_TEST_LEDGER": str(tmp_path / "ledger"),
        "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{ROOT}",
        "TUI_DL_NICE": "0",
        "NO_COLOR": "1",
    }
    done = run_cli("run", "mnist-mlp", "--epochs", "1", "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"status": "finished"' in done.stdout.splitlines()[-1]
    runs = list((tmp_path / "rel-home" / "runs").iterdir())
    assert len(runs) == 1 and (runs[0] / "events.jsonl").is_file()


@pytest.mark.parametrize("argv", [[], ["runs"], ["lessons"]], ids=["app", "runs", "lessons"])
def test_a_home_that_is_a_file_is_said_once_with_status_2(argv, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("TUI_DL_HOME", str(home))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == (
        f"tui-dl: TUI_DL_HOME={home} is a file, not a folder; set TUI_DL_HOME to a folder you "
        "can write\n"
    )


def test_a_read_only_home_is_said_once_with_status_2(tmp_path):
    user: list[str] = []
    base = tmp_path
    if os.geteuid() == 0:  # root writes anywhere: the home is read-only to nobody
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root, needs setpriv to run as another user")
        user = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run([*user, sys.executable, "-c", "pass"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip("this Python cannot be run by another user here")
        base = Path(tempfile.mkdtemp(prefix="tui-dl-read-only-"))  # pytest's folder is 0700
        base.chmod(0o755)
    try:
        home = base / "read-only"
        home.mkdir()
        home.chmod(0o555)
        env = {**os.environ, "TUI_DL_HOME": str(home), "HOME": str(base), "NO_COLOR": "1"}
        env["PYTHONPATH"] = str(ROOT)
        done = run_cli("runs", env=env, cwd=base, user=user)
    finally:
        if base != tmp_path:
            shutil.rmtree(base, ignore_errors=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"tui-dl: TUI_DL_HOME={home} is read-only (tui-dl keeps its runs and progress there); "
        "set TUI_DL_HOME to a folder you can write\n"
    )


# ----- case 12: a CSV over its limit, a FIFO, a folder ----------------------------------------
def test_a_csv_over_the_limit_is_refused_before_reading_with_the_limit_named(tmp_path):
    huge = sparse(tmp_path / "huge.csv", 1_000_000_000)
    started = time.perf_counter()
    with pytest.raises(DataError, match=r"1,000,000,000 bytes, over the 2 MB limit"):
        load_points_csv(huge, False, "1", 50)
    with pytest.raises(DataError, match=r"over the 2 MB limit"):
        load_gan_csv(huge)
    with pytest.raises(ProjectDataError, match=r"over the 10 MB limit"):
        prepare(huge, "your file")
    assert time.perf_counter() - started < 1.0  # nothing was read
    assert POINTS_CSV_LIMIT == 2_000_000 and CSV_LIMIT == 10_000_000
    just_under = tmp_path / "points.csv"
    just_under.write_text(POINTS)
    assert len(load_points_csv(just_under, False, "1", 50).train_xy) == 20


def test_a_fifo_or_a_folder_given_as_a_csv_says_so(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # nobody writes: a reader that opened it would wait for ever
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for path, said in ((fifo, "not a regular file"), (folder, "a folder")):
        with pytest.raises(DataError, match=said):
            load_points_csv(path, False, "1", 50)
        with pytest.raises(DataError, match=said):
            load_gan_csv(path)
        with pytest.raises(ProjectDataError, match=said):
            prepare(path, "your file")
    state = next(p for p in get_experiment("playground").params if p.name == "state")
    with pytest.raises(ValueError, match="not a regular file"):
        state.parse(f"csv={fifo}")


def test_the_command_line_refuses_an_over_limit_csv_with_status_2(tmp_path, capsys):
    huge = sparse(tmp_path / "huge.csv", 300_000_000)
    assert main(["ganlab", "--dataset", str(huge), "--iterations", "1"]) == 2
    assert "over the 2 MB limit" in capsys.readouterr().err
    assert main(["playground", f"csv={huge}", "--epochs", "1"]) == 2
    assert "over the 2 MB limit" in capsys.readouterr().err
    assert main(["project", "mammogram", "--csv", str(huge), "--k", "2"]) == 2
    assert "over the 10 MB limit" in capsys.readouterr().err


async def test_the_playground_reads_a_csv_off_the_screen_and_says_one_over_the_limit(
    tmp_path, monkeypatch
):
    from tui_dl.engine.playground import session
    from tui_dl.ui.screens.playground import NetworkView

    good = tmp_path / "mine.csv"
    good.write_text(POINTS)
    huge = sparse(tmp_path / "huge.csv", 300_000_000)
    real = session.load_csv
    reading = threading.Event()

    def slow(*args, **kwargs):  # a file that takes a while to read: until the test says
        reading.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(session, "load_csv", slow)
    app = make_app(source=FakeRunSource(), screen="playground")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        started = time.perf_counter()
        screen.change(csv=str(good))
        assert time.perf_counter() - started < 0.5  # not read on the screen's thread
        await pilot.press("t")  # answered while the file is read
        await pilot.press("tab")
        assert screen.query_one(NetworkView).has_focus and screen.state.showTestData
        assert not screen.state.csv  # not yet
        reading.set()
        await settle(pilot)
        assert screen.state.csv == str(good) and len(screen.playground.points.train_xy) == 20
        assert screen.state.showTestData  # what was changed meanwhile stays
        screen.change(csv=str(huge))
        await settle(pilot)
        assert screen.state.csv == str(good)  # refused: the last good points stay
        notes = [n.message for n in app._notifications]
        assert any("300,000,000 bytes, over the 2 MB limit" in n for n in notes), notes
        assert app.is_running


async def test_the_gan_lab_says_a_folder_given_as_its_csv(tmp_path):
    from tests.test_ganlab_ui import said

    app = make_app(source=FakeRunSource(), screen="ganlab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.change(dataset="csv", csv=str(tmp_path))
        await settle(pilot)
        assert said(app, "a folder, not a file") and app.screen.lab.real.name == "ring"


# ----- case 14: numbers where they are parsed -------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["ganlab", "--seed", "-5"], "argument --seed: -5: a whole number from 0 to 4294967295"),
        (["ganlab", "--seed", "99999999999999999999999"], "a whole number from 0 to 4294967295"),
        (["ganlab", "--iterations", "10000000000"], "a whole number from 0 to 1000000"),
        (["playground", "--epochs", "1000000000"], "a whole number from 0 to 100000"),
        (["playground", "--epochs", "-1"], "a whole number from 0 to 100000"),
        (["--screen", "misclassified", "--true", "-3"], "a whole number from 0 to 999"),
    ],
)
def test_numbers_out_of_range_are_refused_as_they_are_parsed(argv, said, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_the_gan_lab_names_its_datasets_for_a_name_it_does_not_know(capsys):
    assert main(["ganlab", "--dataset", "nosuch"]) == 2
    assert capsys.readouterr().err == (
        "tui-dl ganlab: no dataset 'nosuch': one of ring, line, blobs, or a CSV file of x,y rows\n"
    )
    assert main(["ganlab", "--dataset", "nosuch.csv"]) == 2
    assert "nosuch.csv: no such file" in capsys.readouterr().err  # spelt as typed
    with pytest.raises(SettingError, match="seed=-5"):
        GanSettings().with_(seed=-5)


@pytest.mark.parametrize("experiment", ["mnist-mlp", "votes-kfold", "playground", "fashion-gan"])
def test_an_experiments_seed_and_train_limit_are_range_checked(experiment, capsys):
    exp = get_experiment(experiment)
    with pytest.raises(ValueError, match="Seed: must be at most 4294967295"):
        exp.validate({"seed": "99999999999999999999999"})
    with pytest.raises(ValueError, match="Seed: must be at least 0"):
        exp.validate({"seed": "-5"})
    if any(p.name == "train_limit" for p in exp.params):
        with pytest.raises(ValueError, match="Train limit: must be at most 10000000"):
            exp.validate({"train_limit": "1e12"})
    assert main(["run", experiment, "--seed", "99999999999999999999999"]) == 2
    assert "at most 4294967295" in capsys.readouterr().err


# ----- case 14: read-modify-writes are locked; a model is saved whole -------------------------
RECORD = """
import sys
from tui_dl.lessons.progress import Answer, record_answer
who = sys.argv[1]
for i in range(300):
    record_answer("neurons", f"{who}-{i}", Answer("OR", i % 2 == 0))
"""

TICK = """
import sys
from tui_dl.lessons.ethics import Entry, update_entry
who = sys.argv[1]
for i in range(150):
    update_entry("general", f"{who}-{i}", Entry(True, f"note {i}"))
"""


def _twice(script: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    both = [subprocess.Popen([sys.executable, "-c", script, who], env=env) for who in ("ana", "bo")]
    assert [process.wait(timeout=120) for process in both] == [0, 0]


def test_two_processes_recording_lesson_answers_at_once_keep_all_600():
    from tui_dl.lessons.progress import load_progress

    _twice(RECORD)
    progress, problem = load_progress()
    assert problem is None and len(progress["neurons"].answers) == 600


def test_two_processes_ticking_the_ethics_checklist_at_once_keep_all_300():
    from tui_dl.lessons.ethics import load_checklist

    _twice(TICK)
    assert len(load_checklist("general").entries) == 300


class FullDisk:
    """A model whose save writes half a file, then finds the disk full."""

    def save(self, path) -> None:
        Path(path).write_bytes(b"PK\x03\x04 half a model")
        raise OSError(28, "No space left on device")


class Whole:
    def save(self, path) -> None:
        assert str(path).endswith(".keras")  # Keras refuses any other name
        Path(path).write_bytes(b"a whole model")


def test_a_model_is_saved_whole_or_not_at_all(tmp_path):
    from tui_dl.engine.trainers.common import save_model

    run_dir = tmp_path / "run"
    run_dir.mkdir()

    with pytest.raises(OSError, match="No space left"):
        save_model(FullDisk(), run_dir)
    assert list(run_dir.iterdir()) == []  # no partial model.keras, no temporary file
    assert save_model(Whole(), run_dir) == run_dir / "model.keras"
    with pytest.raises(OSError):
        save_model(FullDisk(), run_dir)
    assert [p.name for p in run_dir.iterdir()] == ["model.keras"]
    assert (run_dir / "model.keras").read_bytes() == b"a whole model"  # the last whole one
