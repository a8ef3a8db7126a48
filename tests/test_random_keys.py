"""Stray keys never kill the app: every screen, at 80×24 and 200×60, a few hundred random keys
from fixed seeds, over a pre-written run folder of every kind (no training).

The keys are everything a learner's fingers reach except the ones that end the session
(q, ctrl+q, ctrl+c), launch training (ctrl+r) or open the command palette (ctrl+p, whose
commands include Quit). Enter on a Start button does launch — into the fake source, which
only records it. Whatever the keys open, the walk goes on there: that is the point.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from tests.artifacts import (
    imdb_events,
    kfold_events,
    transfer_events,
    write_attention,
    write_imdb_run,
    write_kfold,
    write_predictions,
    write_probe,
)
from tests.conftest import SHARED_DATA
from tests.fakes import FakeRun, FakeRunSource, mnist_events, sample_runs, sample_sweep, settle
from tests.my_images import shapes_folder
from tests.test_imagenet import write_zoo_result, zoo_events
from tui_dl.lessons import load_lessons
from tui_dl.ui import registry
from tui_dl.ui.app import make_app

KEYS = [
    *"abcdefghijklmnoprstuvwxyz",
    *"ABLT",
    *"0123456789",
    *("up", "down", "left", "right", "home", "end", "pageup", "pagedown"),
    *("tab", "shift+tab", "enter", "escape", "space", "backspace", "delete"),
    *("question_mark", "minus", "plus", "comma", "full_stop", "slash"),
    *("ctrl+o", "f5", "ctrl+a", "ctrl+e"),
]
"""Never q (quit), ctrl+q, ctrl+c, ctrl+r (launch) or ctrl+p (the palette can quit)."""
PRESSES = 120
"""Keys per screen and size; in chunks, each followed by a check that the app still runs."""
CHUNK = 20
SIZES = ((80, 24), (200, 60))

MNIST = "20261122-101500-mnist-mlp-a1b2"
IMDB = "20261122-120000-imdb-lstm-a1b2"
TRANSFER = "20261122-130000-transfer-digits-a1b2"
ZOO = "20261122-140000-transfer-imagenet-e1e1"
MAMMOGRAM = "20261122-150000-mammogram-ab12"
UCI = Path(SHARED_DATA or "/nonexistent") / "uci" / "mammographic_masses.data"
PICTURES = "pictures"
"""A folder of pictures beside the runs, for the data view of a learner's folder."""


def screens() -> list[str]:
    """Every name the registry opens, with each lesson and two ethics checklists."""
    names = [e.name for e in registry.SCREENS if e.kind != "family"]
    lessons, _ = load_lessons()
    return names + [f"lesson:{lesson.id}" for lesson in lessons] + ["ethics", "ethics:mammogram"]


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory) -> Path:
    """A finished run of each kind, its artifacts written once by the real writers."""
    root = tmp_path_factory.mktemp("runs")
    folders = {name: root / name for name in (MNIST, IMDB, TRANSFER, ZOO, MAMMOGRAM)}
    for folder in folders.values():
        folder.mkdir(parents=True)
    write_predictions(folders[MNIST])
    write_attention(folders[MNIST], [0, 9, 18])
    write_probe(folders[MNIST])
    write_predictions(folders[TRANSFER])
    write_imdb_run(folders[IMDB])
    write_zoo_result(folders[ZOO])
    if UCI.exists():
        write_kfold(folders[MAMMOGRAM], UCI)
    shapes_folder(root / PICTURES)
    return root


def folder_of(name: str, root: Path) -> str | None:
    """The folder of pictures a screen about one (`--folder`) is opened on."""
    entry = registry.BY_NAME.get(name)
    return str(root / PICTURES) if entry is not None and entry.takes_folder else None


def runs_folder(root: Path) -> FakeRunSource:
    """A source over those runs (and a finished sweep), fresh for each test."""
    folders = {name: root / name for name in (MNIST, IMDB, TRANSFER, ZOO, MAMMOGRAM)}
    sweep, cells = sample_sweep(cells_done=6)
    runs = [
        *sample_runs()[1:],
        FakeRun(MNIST, mnist_events(10, end="finished"), run_dir=folders[MNIST]),
        FakeRun(IMDB, imdb_events(), experiment="imdb-lstm", run_dir=folders[IMDB]),
        FakeRun(
            TRANSFER, transfer_events(), experiment="transfer-digits", run_dir=folders[TRANSFER]
        ),
        FakeRun(ZOO, zoo_events(), experiment="transfer-imagenet", run_dir=folders[ZOO]),
        FakeRun(MAMMOGRAM, kfold_events(), experiment="mammogram", run_dir=folders[MAMMOGRAM]),
        *cells,
    ]
    return FakeRunSource(runs, sweeps=[sweep])


async def type_fast(app, keys: list[str]) -> None:
    """Keys as a quick typist sends them: a few milliseconds apart, without waiting for the
    app to go idle in between (Pilot's press does, which stalls behind a playing animation)."""
    from textual import events

    for key in keys:
        char = key if len(key) == 1 else {"space": " ", "question_mark": "?"}.get(key)
        app._driver.send_message(events.Key(key, char))
        await asyncio.sleep(0)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", screens())
async def test_random_keys_never_kill_the_app(screen, size, runs_root):
    seed = sum(map(ord, screen)) * 1000 + size[0]
    keys = random.Random(seed).choices(KEYS, k=PRESSES)
    run = {"lab": MNIST, "imagenet": ZOO, "project:mammogram": MAMMOGRAM}.get(screen)
    folder = folder_of(screen, runs_root)
    app = make_app(screen=screen, run=run, source=runs_folder(runs_root), folder=folder)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for start in range(0, PRESSES, CHUNK):
            await type_fast(app, keys[start : start + CHUNK])
            # A hang is a failure too: the keys must keep being answered.
            await asyncio.wait_for(pilot.pause(0.05), timeout=30)
            assert app.is_running, f"{screen} at {size}: ended after {keys[: start + CHUNK]}"
        await asyncio.wait_for(pilot.pause(0.2), timeout=30)
        assert app.is_running
    assert app._exception is None, f"{screen} at {size}, seed {seed}: {app._exception!r}"
