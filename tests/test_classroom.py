"""The class view: the room built from runs and seats, the screen (keys, opening a learner's
run, refusing to cancel another's), `tui-dl class` and `tui-dl queue` on real folders."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tui_dl.analysis.classroom.state import as_json, build_class, progress_words, read_class
from tui_dl.cli import main
from tui_dl.engine.events import Event, append_event, make_event
from tui_dl.engine.queue import QueueState
from tui_dl.engine.store import RunStore
from tui_dl.engine.workshop import folder as folder_module
from tui_dl.engine.workshop import seats
from tui_dl.engine.workshop.folder import cancel_refusal, is_instructor, open_workshop
from tui_dl.ui.app import make_app

ANA = {"user": "class", "name": "Ana", "seat": "aaaaaa01"}
BO = {"user": "class", "name": "Bo", "seat": "bbbbbb02"}
CY = {"user": "cy", "name": "cy"}


@pytest.fixture(autouse=True)
def keep_umask():
    """`tui-dl class --workshop` sets a group-writable umask for the process: not for the
    rest of the tests."""
    mask = os.umask(0o022)
    os.umask(mask)
    yield
    os.umask(mask)


USERS = {"class": 3000, "cy": 3001}
"""The Unix users of the fake room: Ana's and Bo's seats are the server's user, `class`."""


@pytest.fixture
def owners(monkeypatch):
    """The file system's word on who owns what, for the fake runs here: a run's folder is its
    owner's user's, a seat's folder (once it exists) the server's user's. (The multi-user
    test, tests/test_workshop_accounts.py, has real accounts.)"""
    runs = {run.run_id: USERS[run.owner["user"]] for run in room()}

    def owner_of(path):
        path = Path(path)
        if path.parent.name == "seats" or path.parent.parent.name == "seats":
            return USERS["class"] if path.exists() else None
        return runs.get(path.name)

    names = {uid: name for name, uid in USERS.items()}
    monkeypatch.setattr(seats, "owner_of", owner_of)
    monkeypatch.setattr(seats, "user_name", lambda uid: names.get(uid, "?"))
    for seat, name in (("aaaaaa01", "Ana"), ("bbbbbb02", "Bo")):
        seats.set_seat_name(name, seat=seat)


def room() -> list[FakeRun]:
    return [
        FakeRun("20261202-100000-mnist-mlp-a001", mnist_events(10, end="finished"), owner=ANA),
        FakeRun("20261202-100500-mnist-mlp-b001", mnist_events(10, end="finished"), owner=BO),
        FakeRun("20261202-101000-mnist-mlp-b002", mnist_events(3), owner=BO),
        FakeRun("20261202-100700-mnist-mlp-c001", mnist_events(2, end="failed"), owner=CY),
    ]


def better(run: FakeRun, accuracy: float) -> FakeRun:
    finished = next(e for e in run.events if e["event"] == Event.FINISHED)
    finished["metrics"] = {**finished["metrics"], "test_accuracy": accuracy}
    return run


def test_the_room_groups_runs_by_seat_and_user_running_first(owners):
    runs = room()
    better(runs[1], 0.951)
    source = FakeRunSource(runs)
    state = build_class(source.list_runs(), [], QueueState({}), "No GPU here")
    assert [p.label for p in state.people] == ["Bo", "cy", "Ana"]  # Bo runs; then newest
    bo = state.people[0]
    assert bo.where == "seat"  # a browser seat whose record is not here
    assert (bo.user, state.people[1].user) == ("class", "cy")  # by the folders' owners
    assert bo.live is not None and progress_words(bo.live) == "epoch 3/10 · 30%"
    assert [r.run_id for r in bo.runs] == [
        "20261202-101000-mnist-mlp-b002",
        "20261202-100500-mnist-mlp-b001",
    ]
    assert state.people[1].where == "ssh"
    board = state.leaderboards["mnist-mlp"]
    assert [(e.label, e.text) for e in board] == [("Bo", "95.1 %"), ("Ana", "93.3 %")]
    data = as_json(state)
    assert data["people"][0]["run"]["progress"] == "epoch 3/10 · 30%"
    assert data["people"][2]["run"] == {
        "id": "20261202-100000-mnist-mlp-a001",
        "experiment": "mnist-mlp",
        "status": "finished",
        "progress": "finished",
        "result": "93.3 %",
        "course": "98.0 %",
    }
    assert data["gpus"] == "No GPU here"


def test_a_named_seat_without_runs_is_in_the_room(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    seats.set_seat_name("Dee", seat="dddddd04")
    seats.write_seat_state("dddddd04", connected=True)
    state = read_class()
    assert [(p.label, p.where, p.current) for p in state.people] == [("Dee", "browser", None)]


async def test_the_screen_lists_the_room_and_opens_a_learners_run(owners):
    runs = room()
    better(runs[0], 0.971)
    source = FakeRunSource(runs)
    app = make_app(source=source, screen="class")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        from textual.widgets import DataTable, Static

        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        board = str(app.screen.query_one("#class-board", Static).render())
        assert "1. Ana" in board and "97.1 %" in board
        room_text = str(app.screen.query_one("#class-room", Static).render())
        assert "No GPU here" in room_text
        await pilot.press("enter")  # Bo's running run, in the lab
        await settle(pilot)
        assert type(app.screen).__name__ == "LabScreen"
        assert app.screen.run_id == "20261202-101000-mnist-mlp-b002"


async def test_another_learners_run_is_not_cancelled(tmp_path, monkeypatch, owners):
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    open_workshop(tmp_path / "ws")  # this user is the instructor...
    seats.set_seat_name("Bo", seat=BO["seat"])
    monkeypatch.setenv("TUI_DL_SEAT", "eeeeee05")  # ...but sits at a seat: a learner here
    seats.set_seat_name("Eve")  # named already: the app opens without asking
    assert not is_instructor()
    source = FakeRunSource(room())
    app = make_app(source=source, screen="lab", run="20261202-101000-mnist-mlp-b002")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert source.cancelled == []
        notes = [n.message for n in app._notifications]
        assert any("This run is Bo's" in m for m in notes), notes


def test_who_may_cancel(tmp_path, monkeypatch):
    """By the run folder's owner, never by what its spec says; at a seat, only that seat."""
    run_dir = tmp_path / "runs" / "20261202-101000-mnist-mlp-b002"
    run_dir.mkdir(parents=True)  # this user's folder
    spec = {"owner": BO}
    assert cancel_refusal(run_dir, spec) is None  # no workshop: a single user's own runs
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    open_workshop(tmp_path / "ws")
    assert is_instructor() and cancel_refusal(run_dir, spec) is None  # the instructor may
    monkeypatch.setenv("TUI_DL_SEAT", BO["seat"])
    assert not is_instructor()
    assert cancel_refusal(run_dir, spec) is None  # its owner (this user, at its seat) may
    monkeypatch.setenv("TUI_DL_SEAT", ANA["seat"])
    assert "only they or the instructor" in cancel_refusal(run_dir, spec)  # another seat
    forged = {"owner": {"user": "class", "name": "Ana", "seat": ANA["seat"]}}
    other = tmp_path / "runs" / "someone-elses"
    other.mkdir()
    monkeypatch.setattr(folder_module, "owner_of", lambda path: 4242)
    assert "only they or the instructor" in cancel_refusal(other, forged)  # not this user's


def test_tui_dl_class_and_queue_on_a_workshop_folder(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "ws"
    assert main(["class", "--workshop", str(folder)]) == 0
    assert "Nobody has sat down" in capsys.readouterr().out
    assert (folder / "workshop.json").stat().st_uid == os.geteuid()  # its owner: instructor
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(folder))
    seats.set_seat_name("Ana", seat=ANA["seat"])  # the seat's folder: this user's, as the run's
    store = RunStore()
    run_dir = store.create({"experiment": "mnist-mlp", "params": {"epochs": 1}, "owner": ANA})
    for event in mnist_events(1, epochs=1, end="finished"):
        fields = {k: v for k, v in event.items() if k not in ("event", "t")}
        append_event(run_dir, Event(event["event"]), **fields)
    assert main(["class", "--json"]) == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["people"][0]["name"] == "Ana"
    assert data["leaderboards"]["mnist-mlp"][0]["value"] == pytest.approx(0.933)
    assert main(["class"]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and "93.3 %" in out and "98.0 %" in out
    assert main(["queue", "set", "--cpu-slots", "3"]) == 0
    assert "Limits: 3 on the CPU" in capsys.readouterr().out
    assert json.loads((folder / "queue" / "config.json").read_text()) == {"cpu_slots": 3}
    assert main(["queue", "set", "--cpu-slots", "none"]) == 2
    assert "'none' is not a whole number" in capsys.readouterr().err
    assert main(["queue", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["limits"]["cpu_slots"] == 3
    assert os.environ["TUI_DL_WORKSHOP"] == str(folder)


def test_a_workshop_folder_is_read_whole_and_a_users_own_folder_its_newest(tmp_path, monkeypatch):
    from tui_dl.analysis.classroom import state

    monkeypatch.setattr(state, "RECENT_RUNS", 3)
    monkeypatch.setattr(state, "WORKSHOP_RUNS", 50)

    def five_runs() -> None:
        store = RunStore()
        for _ in range(5):
            run_dir = store.create({"experiment": "mnist-mlp", "params": {}, "owner": ANA})
            append_event(run_dir, Event.CANCELLED, by="request")

    monkeypatch.delenv("TUI_DL_WORKSHOP", raising=False)
    five_runs()
    assert len(state.ClassReader().runs()) == 3
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "class"))
    five_runs()
    assert len(state.ClassReader().runs()) == 5


def test_what_a_command_writes_in_a_workshop_is_its_users_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("TUI_DL_WORKSHOP", raising=False)
    os.umask(0o002)
    assert main(["queue", "--json"]) == 0
    assert os.umask(0o002) == 0o002  # alone: the user's own umask, untouched
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "class"))
    assert main(["queue", "--json"]) == 0
    assert os.umask(0o022) == 0o022  # in a workshop: readable by the group, never writable


def test_an_unwritable_workshop_folder_is_said(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["class", "--workshop", str(blocker / "ws")]) == 2
    assert "the workshop folder" in capsys.readouterr().err


def test_progress_of_a_queued_run_reads_its_place():
    events = [
        make_event(
            Event.PHASE,
            phase="waiting for a CPU slot: 2nd in line (2 of 2 slots busy)",
            queue={"device": "cpu", "position": 2, "slots": 2, "busy": 2, "eta_s": None},
        )
    ]
    from tui_dl.engine.store import RunInfo

    info = RunInfo("x", tmp_path_free(), {}, "queued", 0.0, events)
    assert progress_words(info) == "queued: 2nd in line"


def tmp_path_free():
    from pathlib import Path

    return Path("/nonexistent")


def test_the_class_view_at_80x24(snap_compare, owners):
    runs = room()
    better(runs[0], 0.971)
    app = make_app(source=FakeRunSource(runs), screen="class")
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_the_board_is_the_instructors_alone(tmp_path, monkeypatch):
    """Who put a code on every seat is the board file's owner; a seat cannot put one."""
    from tui_dl.engine.workshop import board

    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    open_workshop(tmp_path / "ws")  # this user: the instructor
    board.push_code("TD1-ABCD", label="[/] next")
    shown = board.pushed()
    assert shown is not None and shown.label == "[/] next" and shown.code == "TD1-ABCD"
    monkeypatch.setenv("TUI_DL_SEAT", "eeeeee05")
    with pytest.raises(PermissionError):
        board.push_code("TD1-EFGH")  # a browser seat has no instructor powers
    monkeypatch.delenv("TUI_DL_SEAT")
    monkeypatch.setattr(board, "owner_of", lambda path: 4242)  # another user's file
    assert board.pushed() is None


def test_what_a_viewer_works_out_about_anothers_run_stays_in_their_own_folder(
    tmp_path, monkeypatch
):
    """The instructor's attention maps or probe of a learner's run, a seat's of another
    seat's: in the viewer's own folder, never in the run's."""
    from tui_dl import paths
    from tui_dl.engine.jobs import insights, launch

    run_dir = tmp_path / "runs" / "20261202-101000-mnist-mlp-b002"
    run_dir.mkdir(parents=True)
    spec = {"experiment": "mnist-mlp", "params": {}, "owner": BO}
    (run_dir / "spec.json").write_text(json.dumps(spec))
    assert seats.notes_dir(run_dir, spec) == run_dir  # one's own run: its folder
    monkeypatch.setenv("TUI_DL_SEAT", ANA["seat"])  # the same user, another seat
    assert seats.notes_dir(run_dir, spec) == seats.seat_folder(ANA["seat"]) / "views" / run_dir.name
    monkeypatch.delenv("TUI_DL_SEAT")
    monkeypatch.setattr(seats, "is_mine", lambda path: False)  # another user's run
    notes = seats.notes_dir(run_dir, spec)
    assert notes == paths.home() / "views" / run_dir.name
    started = []

    def spawned(*args):
        started.append(args)
        return SimpleNamespace(note=None)

    monkeypatch.setattr(launch, "spawn_child", spawned)  # the one way a job's child starts
    insights.launch_job(run_dir, "attention")
    job_dir = started[0][2]
    assert job_dir.parent == notes / "jobs" and not (run_dir / "jobs").exists()
