"""The command line, as a user types it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TINY_RUN = ("run", "mnist-mlp", "--epochs", "1", "--train-limit", "400")


def tui_dl(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_dl", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "120"},
    )


@pytest.mark.slow
def test_run_json_reports_the_result_on_the_last_line():
    done = tui_dl(*TINY_RUN, "--hidden-units", "32", "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for key in (
        "experiment",
        "dataset",
        "data_source",
        "device",
        "epochs",
        "metrics",
        "reference",
        "duration_s",
        "run_dir",
    ):
        assert key in report, key
    assert report["experiment"] == "mnist-mlp" and report["device"] == "cpu"
    assert set(report["metrics"]) == {"test_accuracy", "test_loss"}
    assert report["reference"]["value"] == 0.98
    assert report["data_source"].startswith("MNIST — offline sample")
    per_class = report["per_class"]
    assert len(per_class["precision"]) == len(per_class["recall"]) == 10
    matrix = per_class["confusion_matrix"]
    assert len(matrix) == 10 and sum(map(sum, matrix)) == 1000
    diagonal = sum(matrix[i][i] for i in range(10))
    assert diagonal / 1000 == pytest.approx(report["metrics"]["test_accuracy"], abs=1e-6)
    assert "finished: test accuracy" in done.stderr and "the course: 98.0 %" in done.stderr

    listed = tui_dl("runs")
    assert os.path.basename(report["run_dir"]) in listed.stdout
    assert "finished" in listed.stdout
    runs = json.loads(tui_dl("runs", "--json").stdout)
    assert runs[0]["run_id"] == os.path.basename(report["run_dir"])


@pytest.mark.slow
def test_a_failed_run_exits_non_zero_with_the_message_not_a_traceback():
    done = tui_dl(*TINY_RUN, "--learning-rate", "1e30", "--json")
    assert done.returncode == 1
    assert "error:" in done.stderr and "NaN" in done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == "failed"


def test_bad_settings_are_refused_before_anything_starts():
    done = tui_dl("run", "mnist-mlp", "--epochs", "ten")
    assert done.returncode == 2
    assert "Epochs: 'ten' is not a whole number" in done.stderr
    assert "No runs yet" in tui_dl("runs").stdout


def test_data_status_prints_every_dataset():
    done = tui_dl("data", "status")
    assert done.returncode == 0
    for name in ("mnist", "fashion-mnist", "mammographic-masses", "house-votes", "imdb"):
        assert name in done.stdout
    assert "offline sample" in done.stdout


def test_data_fetch_offline_fails_fast_naming_the_data_folder():
    done = tui_dl("data", "fetch", "imdb", timeout=10)
    assert done.returncode == 1
    assert "TUI_DL_DATA" in done.stdout + done.stderr


def test_unknown_screen_is_refused():
    done = tui_dl("--screen", "nowhere")
    assert done.returncode == 2 and "unknown screen 'nowhere'" in done.stderr


def test_version():
    assert tui_dl("--version").stdout.startswith("tui-dl ")


def test_a_data_folder_that_is_not_there_is_said_naming_it(tmp_path):
    missing = tmp_path / "no" / "such" / "folder"
    done = tui_dl("run", "mnist-mlp", "--epochs", "ten", "--data-dir", str(missing))
    assert "warning:" in done.stderr and str(missing) in done.stderr
    assert "does not exist" in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    done = tui_dl("data", "status", "--data-dir", str(empty))
    assert done.returncode == 0
    assert str(empty) in done.stderr and "holds none of the files" in done.stderr


def test_run_name_help_lists_only_that_experiments_settings():
    done = tui_dl("run", "imdb-lstm", "-h")
    assert done.returncode == 0
    assert "--vocabulary" in done.stdout and "default 20000" in done.stdout
    assert "--hidden-units" not in done.stdout and "--k " not in done.stdout
    assert "a whole number 1–2500" in done.stdout  # the range of --maxlen
    listing = tui_dl("run", "-h")
    assert "imdb-lstm" in listing.stdout and "--vocabulary" not in listing.stdout
    wrong = tui_dl("run", "mnist-mlp", "--vocabulary", "10")
    assert wrong.returncode == 2 and "no setting --vocabulary" in wrong.stderr


def test_a_queued_run_says_where_it_waits_in_full_once_then_in_80_columns():
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from tui_dl.cli.run import _show

    console = Console(record=True, width=80, force_terminal=False)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=10),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
        console=console,
    )
    task = progress.add_task("starting TensorFlow", total=None, detail="")
    queue = {"device": "cpu", "position": 3, "slots": 2, "busy": 2, "eta_s": 240}
    for eta in ("about 4 min", "about 3 min"):
        phase = f"waiting for a CPU slot: 3rd in line (2 of 2 slots busy), {eta}"
        assert _show(progress, task, {"event": "phase", "phase": phase, "queue": queue}) is None
    line = "".join(s.text for s in console.render(progress.get_renderable())).splitlines()[0]
    assert line.startswith("⧗ waiting for a CPU slot") and "3rd in line, about 3 min" in line
    assert len(line.rstrip()) <= 80
    printed = console.export_text()
    assert printed.count("(2 of 2 slots busy)") == 1  # the full words once, not each update
    _show(progress, task, {"event": "phase", "phase": "starting TensorFlow"})
    assert progress.tasks[0].description == "starting TensorFlow"
    assert progress.tasks[0].fields["detail"] == ""


def test_the_apps_start_reads_its_options_without_the_commands_grammar():
    from tui_dl.cli import PLAIN_START
    from tui_dl.cli.parser import build_parser, parse_app_only

    assert vars(parse_app_only([])) == PLAIN_START  # `tui-dl` alone is read without a parser
    for words in ([], ["--screen", "lab"], ["--scr=runs", "--run", "latest"], ["--true", "3"]):
        assert vars(parse_app_only(words)) == vars(build_parser().parse_args(words)), words
    for words in (["runs"], ["-h"], ["--true", "x"], ["--data-dir", "d", "data", "status"]):
        assert parse_app_only(words) is None, words  # the whole grammar reads (or refuses) it
