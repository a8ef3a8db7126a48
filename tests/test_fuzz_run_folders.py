"""Crafted and damaged run folders (issue 22, cases 7 and 10): each field of spec.json,
events.jsonl, pid and predictions.npz given markup, the wrong type, null, a list, a huge or a
NaN value, or a symlink out of the folder. Home, runs, the class view, the lab, the sweep and
every run view open on them (headless Pilot, the real store): none crashes, a bad run is a
row that says "unreadable: why", and the file a symlink points at never changes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import DataTable, Static

from tests.artifacts import write_predictions
from tests.fakes import mnist_events, settle
from tui_dl import paths
from tui_dl.engine import runfiles
from tui_dl.engine.events import Status
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunStore
from tui_dl.engine.sweeps.launch import write_spec
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.sources import LocalRunSource

SIZE = (120, 40)
BASHRC = "# the instructor's shell\nexport PS1='$ '\n"
UNREADABLE = "unreadable: "


def spec_with(**fields) -> str:
    spec = {
        "experiment": "mnist-mlp",
        "params": get_experiment("mnist-mlp").defaults(),
        "device": "cpu",
        "owner": {"user": "ana", "name": "Ana"},
        "created": 1_795_350_000.0,
    }
    return json.dumps({**spec, **fields})


def events_text(events: list[dict]) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


def epoch_end(**fields) -> str:
    record = {"event": "epoch_end", "t": 1.0, "epoch": 1, "epochs": 10, "logs": {"loss": 0.5}}
    return json.dumps({**record, **fields})


def spec_is(text: str) -> Callable[[Path], None]:
    return lambda run_dir: (run_dir / runfiles.SPEC).write_text(text)


def event_added(line: str) -> Callable[[Path], None]:
    def add(run_dir: Path) -> None:
        with (run_dir / runfiles.EVENTS).open("a") as handle:
            handle.write(line + "\n")

    return add


def pid_is(text: str) -> Callable[[Path], None]:
    def write(run_dir: Path) -> None:
        (run_dir / runfiles.EVENTS).write_text(events_text(mnist_events(3)))
        (run_dir / runfiles.PID).write_text(text)

    return write


def predictions_are(**arrays) -> Callable[[Path], None]:
    def write(run_dir: Path) -> None:
        np.savez(run_dir / runfiles.PREDICTIONS, **arrays)

    return write


def predictions_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda run_dir: (run_dir / runfiles.PREDICTIONS).write_bytes(data)


DEEP = "[" * 100_000 + "]" * 100_000
"""Nested beyond what Python's JSON parser recurses."""
N = 20
GOOD = {
    "y_true": np.arange(N) % 10,
    "y_pred": np.arange(N) % 10,
    "probabilities": np.full((N, 10), 0.1, np.float32),
    "images": np.zeros((N, 28, 28), np.uint8),
}

CASES: list[tuple[str, str, Callable[[Path], None]]] = [
    # spec.json
    ("spec-list", UNREADABLE, spec_is("[1,2,3]")),
    ("spec-null", UNREADABLE, spec_is("null")),
    ("spec-markup", UNREADABLE, spec_is("[/]")),
    ("spec-empty", UNREADABLE, spec_is("")),
    ("spec-torn", UNREADABLE, spec_is('{"experiment": "mnist-')),
    ("experiment-list", UNREADABLE, spec_is(spec_with(experiment=["mnist-mlp"]))),
    ("experiment-number", UNREADABLE, spec_is(spec_with(experiment=7))),
    ("experiment-null", UNREADABLE, spec_is(spec_with(experiment=None))),
    ("params-list", UNREADABLE, spec_is(spec_with(params=[1, 2, 3]))),
    ("params-markup", UNREADABLE, spec_is(spec_with(params={"optimizer": "[/]"}))),
    ("params-text-epochs", UNREADABLE, spec_is(spec_with(params={"epochs": "[b]x"}))),
    ("params-huge", UNREADABLE, spec_is(spec_with(params={"epochs": 99999999999999999999}))),
    ("owner-number", UNREADABLE, spec_is(spec_with(owner={"user": 3}))),
    ("owner-list", UNREADABLE, spec_is(spec_with(owner=[1, 2, 3]))),
    ("created-nan", UNREADABLE, spec_is(spec_with().replace("1795350000.0", "NaN"))),
    ("created-text", UNREADABLE, spec_is(spec_with(created="[b]x"))),
    ("device-list", UNREADABLE, spec_is(spec_with(device=["cpu"]))),
    ("spec-deep", UNREADABLE, spec_is("[" * 100_000 + "]" * 100_000)),
    (
        "params-deep",
        UNREADABLE,
        spec_is(spec_with(params={"epochs": [[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]})),
    ),
    ("owner-markup", "finished", spec_is(spec_with(owner={"user": "[/]", "name": "[b]x"}))),
    ("experiment-renamed", "finished", spec_is(spec_with(experiment="mnist-mlp-v2"))),
    ("experiment-markup", "finished", spec_is(spec_with(experiment="[/]"))),
    # events.jsonl
    ("metric-text", UNREADABLE, event_added(epoch_end(logs={"loss": "high"}))),
    ("metric-nan", UNREADABLE, event_added(epoch_end().replace("0.5", "NaN"))),
    ("metric-infinity", UNREADABLE, event_added(epoch_end().replace("0.5", "Infinity"))),
    ("epochs-billions", UNREADABLE, event_added(epoch_end(epochs=5_000_000_000))),
    ("epoch-huge", UNREADABLE, event_added(epoch_end(epoch=99999999999999999999))),
    ("epoch-text", UNREADABLE, event_added(epoch_end(epoch="[/]"))),
    ("event-markup", UNREADABLE, event_added('{"event": "[/]", "t": 1}')),
    ("record-list", UNREADABLE, event_added("[1,2,3]")),
    ("record-null", UNREADABLE, event_added("null")),
    ("record-deep", UNREADABLE, event_added('{"event": "phase", "queue": ' + "[" * 100_000)),
    (
        "queue-deep",
        UNREADABLE,
        event_added('{"event": "phase", "t": 1, "phase": "x", "queue": {"a": ' + DEEP + "}}"),
    ),
    ("metrics-null", UNREADABLE, event_added('{"event": "finished", "t": 1, "metrics": null}')),
    ("phase-markup", "finished", event_added('{"event": "phase", "t": 1, "phase": "[/]"}')),
    ("torn-line", "finished", event_added('{"event": "epoch_end", "ep')),
    # pid
    ("pid-minus-one", "failed", pid_is("-1")),
    ("pid-zero", "failed", pid_is("0")),
    ("pid-one", "failed", pid_is("1")),
    ("pid-huge", "failed", pid_is("99999999999999999999")),
    ("pid-markup", "failed", pid_is("[/]")),
    # predictions.npz
    ("predictions-empty", "finished", predictions_bytes(b"")),
    ("predictions-garbage", "finished", predictions_bytes(b"[/]" * 100)),
    ("predictions-mismatched", "finished", predictions_are(**{**GOOD, "y_pred": np.arange(7)})),
    (
        "predictions-none",
        "finished",
        predictions_are(
            y_true=np.zeros(0, int),
            y_pred=np.zeros(0, int),
            probabilities=np.zeros((0, 10)),
            images=np.zeros((0, 28, 28)),
        ),
    ),
    ("predictions-classes", "finished", predictions_are(**{**GOOD, "y_true": np.arange(N) + 50})),
    (
        "predictions-nan",
        "finished",
        predictions_are(**{**GOOD, "probabilities": np.full((N, 10), np.nan)}),
    ),
    ("predictions-text", "finished", predictions_are(**{**GOOD, "y_true": np.array(["[/]"] * N)})),
]
LAB_OPENS = ("owner-markup", "phase-markup", "pid-minus-one", "pid-huge", "predictions-empty")
"""Readable runs the lab test opens, one of each kind."""
BROKEN_PREDICTIONS = [tag for tag, _, _ in CASES if tag.startswith("predictions-")]


def run_id(index: int, tag: str) -> str:
    return f"20261201-10{index:04d}-mnist-mlp-{tag}"


@pytest.fixture
def room(tmp_path):
    """Every case as a run folder (a finished mnist-mlp run, then broken one way), plus a
    run whose events.jsonl is a symlink to a fake ~/.bashrc and a live run whose phase is
    markup."""
    root = tmp_path / "workshop" / "runs"
    write_predictions(tmp_path)
    predictions = (tmp_path / runfiles.PREDICTIONS).read_bytes()
    for index, (tag, _, breaker) in enumerate(CASES):
        run_dir = root / run_id(index, tag)
        run_dir.mkdir(parents=True)
        (run_dir / runfiles.SPEC).write_text(spec_with())
        (run_dir / runfiles.EVENTS).write_text(events_text(mnist_events(10, end="finished")))
        (run_dir / runfiles.PREDICTIONS).write_bytes(predictions)
        breaker(run_dir)
    bashrc = tmp_path / "instructor" / ".bashrc"
    bashrc.parent.mkdir()
    bashrc.write_text(BASHRC)
    linked = root / "20261201-200000-mnist-mlp-$(touch${IFS}PWNED)"
    linked.mkdir()
    (linked / runfiles.SPEC).write_text(spec_with())
    (linked / runfiles.PID).write_text("-1")
    (linked / runfiles.EVENTS).symlink_to(bashrc)
    live = root / "20261201-190000-mnist-mlp-live"
    live.mkdir()
    (live / runfiles.SPEC).write_text(spec_with())
    phase = '{"event": "phase", "t": 1, "phase": "[/]"}\n'
    (live / runfiles.EVENTS).write_text(events_text(mnist_events(0)[:2]) + phase)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(live)])
    (live / runfiles.PID).write_text(str(process.pid))
    yield root, bashrc, linked, live
    process.kill()
    process.wait()


def app_on(root: Path, screen: str = "home", run: str | None = None):
    return make_app(source=LocalRunSource(RunStore(root)), screen=screen, run=run)


def cells(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


def test_every_case_is_a_run_with_the_status_it_should_have(room):
    root, bashrc, linked, live = room
    infos = {info.run_id: info for info in RunStore(root).list()}
    for index, (tag, expected, _) in enumerate(CASES):
        info = infos[run_id(index, tag)]
        assert info.status_words.startswith(expected), (tag, info.status_words)
        if expected == UNREADABLE:
            assert info.status == Status.UNREADABLE and info.problem
    assert infos[linked.name].status == Status.UNREADABLE
    assert "symbolic link" in infos[linked.name].problem
    assert infos[live.name].status == Status.RUNNING
    assert infos[live.name].events[-1]["phase"] == "[/]"
    assert bashrc.read_text() == BASHRC


async def test_home_runs_and_the_class_view_list_every_damaged_run(room):
    root, bashrc, linked, live = room
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        recent = app.screen.query_one("#recent-runs", DataTable)
        assert "unreadable" in cells(recent, linked.name)  # the runs screen says why
        await pilot.press("r")
        await settle(pilot)
        table = app.screen.query_one("#runs", DataTable)
        assert table.row_count == len(CASES) + 2
        for index, (tag, expected, _) in enumerate(CASES):
            status = cells(table, run_id(index, tag))[1]
            assert status.startswith(expected), (tag, status)
        assert cells(table, linked.name)[1].startswith(UNREADABLE)
        assert cells(table, live.name)[1] == Status.RUNNING
        await pilot.press("escape")
        app.open_screen("class")
        await settle(pilot)
        people = app.screen.query_one("#class-people", DataTable)
        assert people.row_count >= 1
        shown = " ".join(" ".join(cells(people, str(key.value))) for key in people.rows)
        assert "[/]" in shown  # the live run's phase, as text
        runs = [run for person in app.source.class_state().people for run in person.runs]
        assert len(runs) == len(CASES) + 2  # none dropped
        assert sum(run.status == Status.UNREADABLE for run in runs) > len(CASES) // 2
        assert app.is_running
    assert bashrc.read_text() == BASHRC


async def test_the_lab_opens_each_run_or_says_why_it_cannot(room):
    root, bashrc, *_ = room
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for index, (tag, expected, _) in enumerate(CASES):
            if expected != UNREADABLE and tag not in LAB_OPENS:
                continue  # opens as the ones below do (each lab takes a while to build)
            app.clear_notifications()
            app.open_run(run_id(index, tag))
            await settle(pilot)
            if expected == UNREADABLE or tag.startswith("experiment-"):
                assert not isinstance(app.screen, LabScreen), tag
                said = " ".join(str(n.message) for n in app._notifications)
                assert UNREADABLE in said or "does not know" in said, (tag, said)
            elif tag in LAB_OPENS:
                assert isinstance(app.screen, LabScreen), tag
                await pilot.press("o")  # lay another run over it: reads every run
                await settle(pilot)
                app.pop_screen()
                await settle(pilot)
        assert app.is_running
    assert bashrc.read_text() == BASHRC


@pytest.mark.parametrize("view", ["confusion", "misclassified", "attention", "probe"])
async def test_every_run_view_says_a_damaged_run_is_unreadable(room, view):
    root, *_ = room
    app = app_on(root)
    unreadable = [run_id(i, tag) for i, (tag, expected, _) in enumerate(CASES)][:3]
    damaged = [run_id(i, tag) for i, (tag, _, _) in enumerate(CASES) if tag in BROKEN_PREDICTIONS]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for run in unreadable + damaged:
            app.open_insight(view, run)
            await settle(pilot)
            message = str(app.screen.query_one("#view-message", Static).render())
            assert "unreadable" in message, (run, message)
            await pilot.press("right", "down", "enter", "n", "g")  # its keys do nothing
            await settle(pilot)
            app.pop_screen()
        assert app.is_running


@pytest.mark.parametrize("view", ["samples", "latent", "reviews"])
async def test_the_other_run_views_say_what_they_cannot_show(room, view):
    root, *_ = room
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for index, (tag, _, _) in enumerate(CASES[:6]):
            app.open_insight(view, run_id(index, tag))
            await settle(pilot)
            app.pop_screen()
        assert app.is_running


async def test_damaged_maps_and_probe_files_are_unreadable_not_a_crash(room):
    root, *_ = room
    run = next(run_id(i, t) for i, (t, _, _) in enumerate(CASES) if t == "owner-markup")
    (root / run / runfiles.ATTENTION).write_bytes(b"")
    (root / run / runfiles.PROBE_REPORT).write_text('{"groups": [{"name": "[/]"}]}')
    (root / run / runfiles.PROBE_EXAMPLES).write_bytes(b"PK")
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for view in ("attention", "probe"):
            app.open_insight(view, run)
            await settle(pilot)
            message = str(app.screen.query_one("#view-message", Static).render())
            assert "unreadable" in message, (view, message)
            await pilot.press("right", "left", "t")
            app.pop_screen()
        assert app.is_running


async def test_a_sweep_whose_pid_is_no_pid_opens(room):
    root, *_ = room
    sweep_dir = paths.sweeps_dir() / "20261201-100000-mnist-mlp-abcd"
    sweep_dir.mkdir(parents=True)
    spec = {
        "sweep_id": sweep_dir.name,
        "experiment": "mnist-mlp",
        "params": {"epochs": 2},
        "learning_rates": [0.1],
        "batch_sizes": [32],
        "created": 0,
        "cells": [{"lr": 0.1, "batch_size": 32, "run_id": None}],
    }
    write_spec(sweep_dir, spec)
    (sweep_dir / runfiles.PID).write_text("99999999999999999999")
    app = app_on(root, screen="sweep")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        assert app.is_running


def test_tui_dl_runs_lists_every_damaged_run(room, monkeypatch, capsys):
    root, bashrc, linked, live = room
    monkeypatch.setenv("TUI_DL_HOME", str(root.parent))
    monkeypatch.setenv("COLUMNS", "400")
    from tui_dl.cli import main

    assert main(["runs"]) == 0
    listed = capsys.readouterr().out
    assert listed.count(UNREADABLE) >= sum(e == UNREADABLE for _, e, _ in CASES)
    assert main(["runs", "--json"]) == 0
    runs = {r["run_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(runs) == len(CASES) + 2
    assert "symbolic link" in runs[linked.name]["problem"]
    assert bashrc.read_text() == BASHRC
