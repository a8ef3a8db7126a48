"""A run's reports damaged or crafted (issue 22, cases 7 and 10, for the reports the
fuzz of tests/test_fuzz_run_folders.py does not reach): the IMDB run's reviews.json,
words.json and sentiment.npz, the mammogram run's kfold.json and kfold.npz — each of the
wrong shape, the wrong type, NaN, a symlink out, or empty. The reviews screen and the
project screen open on them and say what they cannot show; neither crashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Static

from tests.artifacts import imdb_events, kfold_events, write_imdb_run, write_kfold
from tests.conftest import SHARED_DATA
from tests.fakes import FakeRun, FakeRunSource, settle
from tui_dl.engine import runfiles
from tui_dl.ui.app import make_app

SIZE = (100, 30)
IMDB = "20261122-120000-imdb-lstm-a1b2"
MAMMO = "20261122-120000-mammogram-ab12"
UCI = Path(SHARED_DATA or "/nonexistent") / "uci" / "mammographic_masses.data"


def _text(path: Path, text: str) -> None:
    path.unlink(missing_ok=True)
    path.write_text(text)


def _symlink(path: Path, target: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to(target)


REVIEWS = {
    "reviews a list": ("reviews", "[1, 2, 3]"),
    "reviews null": ("reviews", "null"),
    "samples a string": ("reviews", json.dumps({"samples": "[/]", "wrong": []})),
    "a sample of markup": ("reviews", json.dumps({"samples": ["[/]"], "wrong": [{"x": 1}]})),
    "a sample's words not numbers": (
        "reviews",
        json.dumps({"samples": [{"indices": ["[b]x"], "label": "[/]", "p": "high"}]}),
    ),
    "a sample's word out of range": (
        "reviews",
        json.dumps({"samples": [{"indices": [10**12, -5], "label": 1, "p": 0.5}], "wrong": []}),
    ),
    "NaN": ("reviews", '{"samples": [NaN], "wrong": []}'),
    "words a number": ("words", json.dumps({"words": 5, "num_words": "[/]"})),
    "words of markup": ("words", json.dumps({"words": ["[/]", None, 3], "num_words": 3})),
    "words null": ("words", "null"),
    "sentiment empty": ("sentiment", ""),
    "sentiment garbage": ("sentiment", "PK not a zip"),
}


ON_SCREEN = ("a sample's words not numbers", "words of markup", "sentiment garbage", "NaN")
"""The cases also opened on the screen (every case is refused by the loaders, below)."""


@pytest.fixture(scope="module")
def imdb_run(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("imdb") / IMDB
    write_imdb_run(run_dir, finished=True)
    return run_dir


def _damaged_imdb_run(imdb_run: Path, tmp_path: Path, case: str) -> Path:
    run_dir = tmp_path / IMDB
    shutil.copytree(imdb_run, run_dir)
    which, text = REVIEWS[case]
    name = {"reviews": runfiles.REVIEWS, "words": runfiles.WORDS}.get(which, runfiles.SENTIMENT)
    _text(run_dir / name, text)
    return run_dir


@pytest.mark.parametrize("case", sorted(REVIEWS))
def test_the_loaders_refuse_each_damaged_report(imdb_run, tmp_path, case):
    from tui_dl.analysis.sentiment import NoSentimentModel, SentimentModel, load_reviews

    run_dir = _damaged_imdb_run(imdb_run, tmp_path, case)
    with pytest.raises((ValueError, NoSentimentModel)):
        load_reviews(run_dir)
        SentimentModel.load(run_dir)


@pytest.mark.parametrize("case", ON_SCREEN)
async def test_the_reviews_screen_opens_on_damaged_reports(imdb_run, tmp_path, case):
    run_dir = _damaged_imdb_run(imdb_run, tmp_path, case)
    source = FakeRunSource([FakeRun(IMDB, imdb_events("finished"), experiment="imdb-lstm",
                                    run_dir=run_dir)])  # fmt: skip
    app = make_app(source=source, screen="reviews", run=IMDB)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        for key in ("down", "enter", "w", "right", "left", "tab", "a", "enter"):
            await pilot.press(key)
        await settle(pilot)
        assert app.is_running


async def test_a_symlinked_report_is_not_followed(imdb_run, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"samples": [], "wrong": []}))
    run_dir = tmp_path / IMDB
    shutil.copytree(imdb_run, run_dir)
    _symlink(run_dir / runfiles.REVIEWS, secret)
    source = FakeRunSource([FakeRun(IMDB, imdb_events("finished"), experiment="imdb-lstm",
                                    run_dir=run_dir)])  # fmt: skip
    app = make_app(source=source, screen="reviews", run=IMDB)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        said = str(app.screen.query_one("#reviews-stats", Static).render())
        assert "symbolic link" in said


KFOLD = {
    "report a list": ("report", "[1, 2]"),
    "report null": ("report", "null"),
    "folds a string": ("report", json.dumps({"folds": "[/]", "pooled": {}})),
    "report of markup": ("report", json.dumps({"[/]": "[b]"})),
    "arrays empty": ("arrays", b""),
    "arrays of other lengths": ("arrays", {"y": np.zeros(5), "probabilities": np.zeros(7)}),
    "probabilities of NaN": ("arrays", {"y": np.zeros(3), "probabilities": np.full(3, np.nan)}),
    "labels of text": ("arrays", {"y": np.array(["[/]"] * 3), "probabilities": np.zeros(3)}),
}


NEEDS_UCI = pytest.mark.skipif(not UCI.exists(), reason="TUI_DL_DATA does not hold the UCI file")


@pytest.fixture(scope="module")
def kfold_run(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("kfold") / MAMMO
    run_dir.mkdir()
    write_kfold(run_dir, UCI)
    return run_dir


def _damaged_kfold_run(kfold_run: Path, tmp_path: Path, case: str) -> Path:
    run_dir = tmp_path / MAMMO
    shutil.copytree(kfold_run, run_dir)
    which, value = KFOLD[case]
    if which == "report":
        _text(run_dir / runfiles.KFOLD_REPORT, value)
    elif isinstance(value, bytes):
        (run_dir / runfiles.KFOLD_ARRAYS).write_bytes(value)
    else:
        np.savez(run_dir / runfiles.KFOLD_ARRAYS, **value)
    return run_dir


@NEEDS_UCI
@pytest.mark.parametrize("case", sorted(KFOLD))
def test_the_loaders_refuse_each_damaged_kfold_file(kfold_run, tmp_path, case):
    from tui_dl.analysis.kfold import MammogramReport, load_kfold_arrays, load_kfold_report

    run_dir = _damaged_kfold_run(kfold_run, tmp_path, case)
    with pytest.raises(ValueError):
        load_kfold_report(run_dir, MammogramReport)
        load_kfold_arrays(run_dir)


@NEEDS_UCI
@pytest.mark.parametrize("case", ("report a list", "folds a string", "arrays of other lengths"))
async def test_the_project_screen_opens_on_damaged_kfold_files(kfold_run, tmp_path, case):
    run_dir = _damaged_kfold_run(kfold_run, tmp_path, case)
    source = FakeRunSource([FakeRun(MAMMO, kfold_events(), experiment="mammogram",
                                    run_dir=run_dir)])  # fmt: skip
    app = make_app(source=source, screen="project:mammogram", run=MAMMO, data_dir=SHARED_DATA)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        for key in ("tab", "right", "left", "tab", "right", "e"):
            await pilot.press(key)
        await settle(pilot)
        for _ in range(100):  # said once the step's files were read (in a thread)
            notes = [str(n.message) for n in app._notifications]
            if any("cannot be read" in m for m in notes):
                break
            await pilot.pause(0.05)
        assert app.is_running
        assert any("cannot be read" in m for m in notes), notes
