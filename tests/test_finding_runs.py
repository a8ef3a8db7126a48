"""Finding a run again: the lab opens on a run still training (however it was started),
every command takes an id or a unique start of one, and every list says what a k-fold run
reached (its mean accuracy, folds × epochs) — issue 23 §5."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from tests.fakes import (
    FakeRun,
    FakeRunSource,
    kfold_events,
    mnist_events,
    sample_runs,
    settle,
)
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event, make_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunStore, resolve_id, short_ids, trained
from tui_dl.text import percent
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.sources import LocalRunSource

IDS = [
    "20261206-023645-mnist-mlp-ab12",
    "20261206-023645-mnist-cnn-77aa",
    "20261206-021000-mnist-mlp-0f0f",
    "20261205-180000-mammogram-1234",
]


# ----- one resolver: an id, a unique start of one, or latest ------------------------------------
def test_an_id_or_a_unique_start_names_one_run():
    assert resolve_id("20261206-021000-mnist-mlp-0f0f", IDS) == IDS[2]
    assert resolve_id("20261206-0210", IDS) == IDS[2]
    assert resolve_id("20261205", IDS) == IDS[3]
    assert resolve_id(" 20261206-023645-mnist-c ", IDS) == IDS[1]
    assert resolve_id("latest", IDS) == IDS[0]


def test_an_ambiguous_start_lists_the_runs_it_matches():
    with pytest.raises(LookupError) as caught:
        resolve_id("20261206-0236", IDS)
    message = str(caught.value)
    assert message.startswith("2 runs begin '20261206-0236'")
    assert IDS[0] in message and IDS[1] in message and IDS[2] not in message
    assert "give more of the id" in message
    many = [f"20261206-0000{i:02d}-mnist-mlp-aaaa" for i in range(12)]
    with pytest.raises(LookupError, match=r"12 runs begin .* and 7 more"):
        resolve_id("2026", many)


def test_no_match_and_no_id_are_said():
    with pytest.raises(LookupError, match="no run '2027' \\(see `tui-dl runs`\\)"):
        resolve_id("2027", IDS)
    with pytest.raises(LookupError, match="no run id given"):
        resolve_id("  ", IDS)  # not the start of every id
    with pytest.raises(LookupError, match="no runs yet"):
        resolve_id("latest", [])


def test_short_ids_are_the_shortest_starts_that_name_one_run():
    short = short_ids(IDS)
    assert short[IDS[2]] == "20261206-021000" and short[IDS[3]] == "20261205-180000"
    # Two runs the same second: the short ids reach into the experiment's name.
    assert short[IDS[0]] == "20261206-023645-mnist-m"
    assert short[IDS[1]] == "20261206-023645-mnist-c"
    for run_id, start in short.items():
        assert resolve_id(start, IDS) == run_id
        if len(start) > len("20261206-023645"):  # one character less is ambiguous
            with pytest.raises(LookupError, match="runs begin"):
                resolve_id(start[:-1], IDS)


def test_the_store_and_every_command_resolve_the_same_way(tmp_path):
    store = RunStore(tmp_path / "runs")
    for run_id in IDS:
        (store.root / run_id).mkdir()
        (store.root / run_id / runfiles.SPEC).write_text("{}")
    assert store.resolve("20261206-0210") == store.root / IDS[2]
    with pytest.raises(LookupError, match="2 runs begin"):
        store.resolve("20261206-0236")
    assert FakeRunSource(sample_runs()).resolve("20261122-1030") == "20261122-103000-mnist-mlp-c3d4"


def test_cancel_takes_a_start_and_names_the_runs_an_ambiguous_one_matches(tmp_path):
    store = RunStore()
    first = store.create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    time.sleep(1.05)
    second = store.create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    for run_dir in (first, second):
        (run_dir / runfiles.EVENTS).write_text(
            "".join(json.dumps(e) + "\n" for e in mnist_events(1, end="cancelled"))
        )
    done = tui_dl("cancel", second.name[:15])
    assert done.returncode == 0 and f"{second.name} is not running" in done.stdout
    both = os.path.commonprefix([first.name, second.name])
    done = tui_dl("cancel", both)
    assert done.returncode == 2
    assert f"2 runs begin '{both}'" in done.stderr
    assert first.name in done.stderr and second.name in done.stderr


def tui_dl(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_dl", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": str(columns)},
    )


# ----- `tui-dl runs`: ids a learner can type, at 80 columns ---------------------------------------
def write_run(store: RunStore, experiment: str, events: list[dict], **params) -> Path:
    defaults = get_experiment(experiment).defaults()
    run_dir = store.create(
        {"experiment": experiment, "params": {**defaults, **params}, "device": "cpu"}
    )
    (run_dir / runfiles.EVENTS).write_text("".join(json.dumps(e) + "\n" for e in events))
    return run_dir


def test_runs_at_80_columns_prints_ids_that_commands_take_and_kfold_results():
    store = RunStore()
    mnist = write_run(store, "mnist-mlp", mnist_events(10, end="finished"))
    time.sleep(1.05)
    project = write_run(store, "mammogram", kfold_events(10))
    done = tui_dl("runs")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), done.stdout
    rows = {line.split()[0]: line for line in lines[1:3]}
    assert set(rows) == {mnist.name[:15], project.name[:15]}  # each its unique start
    assert "80.5 %" in rows[project.name[:15]] and "10/10 × 100/100" in rows[project.name[:15]]
    assert "93.3 %" in rows[mnist.name[:15]] and "10/10" in rows[mnist.name[:15]]
    assert lines[-1].endswith(f"tui-dl --screen lab --run {project.name[:15]}")
    assert store.resolve(project.name[:15]) == project
    wide = tui_dl("runs", columns=160).stdout
    assert project.name in wide and mnist.name in wide  # room enough: whole ids


# ----- one accessor for a run's accuracy and how far it trained ---------------------------------
def test_a_kfold_runs_mean_accuracy_and_folds_times_epochs_come_from_its_events():
    store = RunStore()
    info = store.info(write_run(store, "mammogram", kfold_events(10)))
    assert info.test_accuracy is None  # what the lists showed: "—"
    assert percent(info.accuracy) == "80.5 %"
    assert info.trained.words == "10/10 × 100/100"  # not 1000/100
    middle = trained(kfold_events(2, epochs_of_next=40), info.spec)
    assert middle.words == "3/10 × 40/100"
    assert (middle.fold, middle.folds, middle.epoch, middle.epochs) == (3, 10, 40, 100)
    fewer = trained(kfold_events(2, epochs_of_next=7, epochs=20), info.spec)
    assert fewer.words == "3/10 × 7/20"  # what the run announced, not the spec's default
    assert trained([], info.spec).words == "0/10 × 0/100"


def test_other_runs_say_epochs_stages_or_steps():
    mnist = {"params": {"epochs": 40}}
    assert trained(mnist_events(12, epochs=40), mnist).words == "12/40"
    assert trained(mnist_events(10, end="finished"), {"params": {"epochs": 10}}).words == "10/10"
    staged = [
        make_event(Event.EPOCH_END, epoch=e, epochs=3, stage="base", logs={}, t=0.0)
        for e in (1, 2, 3)
    ] + [make_event(Event.EPOCH_END, epoch=1, epochs=5, stage="transfer", logs={}, t=0.0)]
    assert trained(staged, {"params": {"epochs": 5}}).words == "transfer 1/5"
    steps = [
        make_event(Event.EPOCH_END, epoch=10, epochs=30, step=1000, logs={}, t=0.0),
    ]
    assert trained(steps, {"params": {"steps": 3000}}).words == "1,000/3,000 steps"
    assert trained([], {"params": {}}).words == "—"


async def test_home_and_the_runs_screen_show_a_kfold_runs_mean_and_folds():
    project = FakeRun("20261122-120000-mammogram-9a9a", kfold_events(10), experiment="mammogram")
    middle = FakeRun("20261122-130000-mammogram-8b8b", kfold_events(2, 40), experiment="mammogram")
    app = make_app(source=FakeRunSource([project, middle]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        runs = app.screen.query_one("#recent-runs", DataTable)
        assert [str(c) for c in runs.get_row(project.run_id)][2] == "80.5 %"
        await pilot.press("r")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row(project.run_id)][2:4] == ["80.5 %", "10/10 × 100/100"]
        assert [str(c) for c in table.get_row(middle.run_id)][2:4] == ["—", "3/10 × 40/100"]


# ----- the lab opens on the run still training ---------------------------------------------------
@pytest.fixture
def live_run():
    """A mnist-mlp run of 40 epochs, three done, whose process (a sleeper naming its folder,
    as a run's child does) is alive: what a relaunched app finds."""
    store = RunStore()
    write_run(store, "mnist-mlp", mnist_events(10, end="finished"))  # an older, ended one
    time.sleep(1.05)
    run_dir = write_run(store, "mnist-mlp", mnist_events(3, epochs=40), epochs=40)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(run_dir)])
    (run_dir / runfiles.PID).write_text(f"{child.pid}\n")
    time.sleep(0.2)
    yield store, run_dir
    child.kill()
    child.wait()


def test_the_store_finds_the_newest_live_run_of_an_experiment(live_run):
    store, run_dir = live_run
    before = (run_dir / runfiles.EVENTS).read_text()
    found = store.newest_live("mnist-mlp")
    assert found is not None and found.run_dir == run_dir and found.status == "running"
    assert store.newest_live("mnist-cnn") is None
    time.sleep(1.05)
    # A newer run of the same experiment that ended: still the live one; a newer whose
    # process is gone without a last word is not live either (and its folder is not written).
    write_run(store, "mnist-mlp", mnist_events(2, end="failed"))
    dead = write_run(store, "mnist-mlp", mnist_events(1))
    (dead / runfiles.PID).write_text("4194000\n")
    assert store.newest_live("mnist-mlp").run_dir == run_dir
    assert (dead / runfiles.EVENTS).read_text().count("\n") == len(mnist_events(1))
    assert (run_dir / runfiles.EVENTS).read_text() == before


async def test_a_relaunched_app_opens_the_lab_on_the_run_still_training(live_run):
    store, run_dir = live_run
    app = make_app(source=LocalRunSource(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("l")
        await settle(pilot)
        lab = app.screen
        assert isinstance(lab, LabScreen)
        assert lab.run_id == run_dir.name and lab.running
        epochs = lab.query_one("#field-epochs", Input)
        assert epochs.value == "40" and epochs.disabled  # the run's settings, not the defaults
        assert len(lab.history) == 3
        assert "epoch 3 of 40" in str(lab.query_one("#phase").render())
        with (run_dir / runfiles.EVENTS).open("a") as events:  # it trains on: followed live
            logs = {"loss": 0.1, "accuracy": 0.97, "val_loss": 0.2, "val_accuracy": 0.95}
            epoch = make_event(Event.EPOCH_END, epoch=4, epochs=40, logs=logs, t=time.time())
            events.write(json.dumps(epoch) + "\n")
        await pilot.pause(0.4)
        assert len(lab.history) == 4
        assert lab.check_action("cancel", ()) and not lab.check_action("start", ())


async def test_enter_on_an_experiment_with_a_live_run_opens_on_it_and_none_idle():
    app = make_app(source=FakeRunSource(sample_runs()))  # e5f6 is a live mnist-mlp run
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
        assert app.screen.run_id == "20261122-110000-mnist-mlp-e5f6" and app.screen.running
    ended = [run for run in sample_runs() if not run.active]
    app = make_app(source=FakeRunSource(ended))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.run_id is None and app.screen.query_one("#field-epochs").value == "10"


async def test_a_kept_lab_opens_on_a_run_started_elsewhere_but_keeps_typed_settings():
    source = FakeRunSource([run for run in sample_runs() if not run.active])
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        lab = app.screen
        await pilot.press("escape")
        await settle(pilot)
        # The command line starts a run of this experiment: the kept lab opens on it.
        source.runs["20261122-140000-mnist-mlp-c1c1"] = FakeRun(
            "20261122-140000-mnist-mlp-c1c1", mnist_events(2, epochs=40), {"epochs": 40}
        )
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is lab and lab.run_id == "20261122-140000-mnist-mlp-c1c1"
        assert lab.query_one("#field-epochs", Input).value == "40"
        # It ends; back to the form; the learner types; another run starts elsewhere: the
        # typed settings stay, and the lab says where the run is.
        run = source.runs["20261122-140000-mnist-mlp-c1c1"]
        run.events.append(make_event(Event.CANCELLED, t=0.0, by="request"))
        run.delivered, run.active = len(run.events), False
        await pilot.pause(0.3)
        await pilot.press("n")
        lab.query_one("#field-epochs", Input).value = "7"
        await pilot.press("escape")
        await settle(pilot)
        source.runs["20261122-150000-mnist-mlp-d2d2"] = FakeRun(
            "20261122-150000-mnist-mlp-d2d2", mnist_events(1)
        )
        await pilot.press("l")
        await settle(pilot)
        assert lab.run_id is None and lab.query_one("#field-epochs", Input).value == "7"
        notes = [n.message for n in app._notifications]
        assert any("20261122-150000-mnist-mlp-d2d2 of this experiment is training" in n
                   for n in notes)  # fmt: skip


async def test_screen_lab_run_takes_a_unique_start_of_an_id():
    app = make_app(source=FakeRunSource(sample_runs()), screen="lab", run="20261122-1015")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.run_id == "20261122-101500-mnist-mlp-a1b2"
    app = make_app(source=FakeRunSource(sample_runs()), screen="lab", run="20261122-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("3 runs begin '20261122-1'") for n in notes), notes


async def test_the_project_screen_opens_on_its_run_still_training():
    live = FakeRun("20261122-130000-mammogram-8b8b", kfold_events(2, 40), experiment="mammogram")
    ended = FakeRun("20261122-140000-mammogram-9a9a", kfold_events(10), experiment="mammogram")
    app = make_app(source=FakeRunSource([live, ended]), screen="project:mammogram")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 0.3)
        assert app.screen.run_id == live.run_id and app.screen.status is None
    app = make_app(source=FakeRunSource([ended]), screen="project:mammogram")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 0.3)
        assert app.screen.run_id is None


def test_two_runs_named_in_the_same_second_with_the_same_draw_get_two_folders(
    tmp_path, monkeypatch
):
    """Thirty runs queued at once drew, one time in a few hundred, a run id already taken
    (four hex digits, the same second): the second `mkdir` raised and the launch failed
    (a clean-clone run). A taken name is drawn again."""
    from tui_dl.engine.store import RunStore

    draws = iter(["a1b2", "a1b2", "c3d4"])
    monkeypatch.setattr("secrets.token_hex", lambda n: next(draws))
    monkeypatch.setattr("time.strftime", lambda fmt, *a: "20261207-091111")
    store = RunStore(tmp_path / "runs")
    first = store.create({"experiment": "mnist-mlp", "params": {}})
    second = store.create({"experiment": "mnist-mlp", "params": {}})
    assert first.name == "20261207-091111-mnist-mlp-a1b2"
    assert second.name == "20261207-091111-mnist-mlp-c3d4"
    assert json.loads((second / "spec.json").read_text())["run_id"] == second.name
