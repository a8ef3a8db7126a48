"""The run queue: slots held by flock, tickets in order, a dead run's slot freed, the wait
reported — in this process, and through real run children (with a TensorFlow-free trainer,
`tests/queue_trainer.py`, so thirty of them take seconds, not minutes)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fakes import wait_until
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, Status, append_event
from tui_dl.engine.jobs.launch import cancel_run, launch_run
from tui_dl.engine.queue import RunQueue, device_key, limits, ordinal
from tui_dl.engine.queue.limits import Limits, write_config
from tui_dl.engine.queue.place import WaitReporter, estimate_s, wait_words
from tui_dl.engine.queue.queue import DeviceQueue, Holder, Waiting
from tui_dl.engine.store import RunStore, read_pid
from tui_dl.engine.tf_start import STARTING, WARM


# ----- in this process ----------------------------------------------------------------------
def test_limits_come_from_the_environment_then_the_file_then_the_machine(tmp_path, monkeypatch):
    folder = tmp_path / "queue"
    folder.mkdir()
    assert limits(folder).cpu_slots == (os.cpu_count() or 1)
    write_config(folder, cpu_slots=3, gpu_memory_mb=2048)
    assert limits(folder).cpu_slots == 3
    assert limits(folder).slots("gpu0", gpu_memory_mib=81920) == 40  # 80 GiB at 2 GiB a run
    monkeypatch.setenv("TUI_DL_CPU_SLOTS", "1")
    assert limits(folder).cpu_slots == 1
    monkeypatch.setenv("TUI_DL_CPU_SLOTS", "many")
    with pytest.raises(ValueError, match="'many' is not a whole number"):
        limits(folder)
    with pytest.raises(ValueError, match="at least 1"):
        write_config(folder, gpu_slots=0)
    assert Limits(2, None, 4096).slots("gpu0", None) == 1  # memory unknown: one at a time
    assert device_key("gpu:1") == "gpu1" and device_key("cpu") == "cpu"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "21st", "22nd"
    ]  # fmt: skip


def test_never_more_holders_than_slots_and_a_released_slot_goes_to_the_next(tmp_path):
    queue = RunQueue(tmp_path / "q", Limits(2, None, 4096))
    first = queue.wait_for_slot("cpu", {"run_id": "a"}, slots=2)
    second = queue.wait_for_slot("cpu", {"run_id": "b"}, slots=2)
    assert {first.slot, second.slot} == {0, 1}
    got: list[int] = []
    seen: list[tuple[int, int]] = []

    def third() -> None:
        held = queue.wait_for_slot(
            "cpu",
            {"run_id": "c"},
            slots=2,
            on_wait=lambda me, q: seen.append((me.position, len(q.held))),
            poll_s=0.02,
        )
        got.append(held.slot)

    waiter = threading.Thread(target=third)
    waiter.start()
    time.sleep(0.3)
    assert not got and seen and seen[-1] == (0, 2)
    state = queue.state()
    assert state.where("c") == ("waiting", 0) and state.where("a") == ("held", first.slot)
    first.release()
    waiter.join(5)
    assert got == [first.slot]
    assert queue.state().where("c") == ("held", first.slot)
    assert not queue.state().devices["cpu"].waiting  # the ticket went with the wait


def test_waiters_are_served_in_order_and_a_dead_waiters_ticket_is_dropped(tmp_path):
    queue = RunQueue(tmp_path / "q", Limits(1, None, 4096))
    holder = queue.wait_for_slot("cpu", {"run_id": "a"}, slots=1)
    order: list[str] = []

    def wait(run_id: str) -> None:
        with queue.wait_for_slot("cpu", {"run_id": run_id}, slots=1, poll_s=0.02):
            order.append(run_id)
            time.sleep(0.05)

    threads = []
    for run_id in ("b", "c", "d"):
        threads.append(threading.Thread(target=wait, args=(run_id,)))
        threads[-1].start()
        time.sleep(0.15)  # each takes its ticket before the next
    # A ticket nobody holds (its waiter was killed) is not a place in line.
    ghost = tmp_path / "q" / "cpu" / "t-ghost"
    ghost.write_text("{}")
    waiting = queue.state().devices["cpu"].waiting
    assert [w.run_id for w in waiting] == ["b", "c", "d"]
    assert [w.position for w in waiting] == [0, 1, 2]
    assert ghost.exists()  # a reader never removes a ticket: its owner's next run does
    holder.release()
    for thread in threads:
        thread.join(5)
    assert order == ["b", "c", "d"]
    with queue.wait_for_slot("cpu", {"run_id": "e"}, slots=1):
        assert not ghost.exists()  # this user's next run took its own dead ticket away


def test_giving_up_while_waiting_leaves_no_ticket(tmp_path):
    queue = RunQueue(tmp_path / "q", Limits(1, None, 4096))
    holder = queue.wait_for_slot("cpu", {"run_id": "a"}, slots=1)
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) > 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        queue.wait_for_slot("cpu", {"run_id": "b"}, slots=1, check=check, poll_s=0.01)
    assert not list((tmp_path / "q" / "cpu").glob("t-*b*"))
    holder.release()


def test_the_wait_is_played_through_the_slots():
    queue = DeviceQueue("gpu0", slots=2)
    queue.held = [Holder(0, {"left": 100}), Holder(1, {"left": 300})]
    queue.waiting = [
        Waiting(5, "x", {"estimate_s": 400}, 0),
        Waiting(6, "y", {"estimate_s": 50}, 1),
        Waiting(7, "me", {"estimate_s": 60}, 2),
    ]

    def left(holder: Holder) -> float:
        return holder.info["left"]

    # x gets slot 0 at 100 (free at 500); y gets slot 1 at 300 (free at 350); me at 350.
    assert RunQueue.eta_s(queue, queue.waiting[2], left) == 350
    assert RunQueue.eta_s(queue, queue.waiting[0], left) == 100
    queue.waiting[1].info = {}  # unknown length ahead: no guess
    assert RunQueue.eta_s(queue, queue.waiting[2], left) is None
    words = wait_words("gpu0", queue.waiting[2], queue, 350)
    assert words == "waiting for a GPU slot: 3rd in line (2 of 2 slots busy), about 6 min"
    assert "next in line" in wait_words("cpu", queue.waiting[0], queue, None)


def test_the_wait_is_said_when_it_changes_not_every_poll():
    said = []
    report = WaitReporter(lambda event, **fields: said.append(fields), "cpu")
    queue = DeviceQueue("cpu", 1, held=[Holder(0, {})])
    me = Waiting(3, "me", {}, 1)
    queue.waiting = [Waiting(2, "x", {}, 0), me]
    report(me, queue)
    report(me, queue)
    me.position = 0
    report(me, queue)
    assert [s["queue"]["position"] for s in said] == [2, 1]
    assert said[0]["phase"].startswith("waiting for a CPU slot: 2nd in line")


def test_a_runs_length_is_estimated_from_its_finished_ones(tmp_path):
    store = RunStore(tmp_path / "runs")
    for seconds, epochs in ((40.0, 2), (60.0, 2), (50.0, 4)):
        run_dir = store.create({"experiment": "mnist-mlp", "params": {"epochs": epochs}})
        append_event(
            run_dir,
            Event.FINISHED,
            metrics={},
            duration_s=seconds,
            data_source="x",
            device="cpu",
            artifacts={},
        )
    spec = {"experiment": "mnist-mlp", "device": "cpu", "params": {"epochs": 2}}
    assert estimate_s(spec, store.root) == 50.0  # median of the two at 2 epochs
    # none at 8 epochs: each scaled (160, 240, 100 s), the median taken
    assert estimate_s({**spec, "params": {"epochs": 8}}, store.root) == 160.0
    assert estimate_s({**spec, "experiment": "mnist-cnn"}, store.root) is None


# ----- through real children ----------------------------------------------------------------
def overlap(ledger: Path) -> int:
    """The most runs that held a slot at one moment, from their start and end lines."""
    moments = []
    for line in ledger.read_text().splitlines():
        kind, _run, stamp = line.split()
        moments.append((float(stamp), 1 if kind == "start" else -1))
    most = now = 0
    for _, step in sorted(moments, key=lambda m: (m[0], m[1])):
        now += step
        most = max(most, now)
    return most


def test_thirty_queued_runs_with_two_slots_never_overlap_more_and_all_finish(
    fake_trainer, monkeypatch
):
    monkeypatch.setenv("TUI_DL_CPU_SLOTS", "2")
    handles = [launch_run("mnist-mlp", {"epochs": 1}, device="cpu") for _ in range(30)]
    store = RunStore()
    seen_queued = []

    def all_ended() -> bool:
        infos = [store.info(h.run_dir) for h in handles]
        seen_queued.extend(i for i in infos if i.status == Status.QUEUED)
        return all(i.status in TERMINAL_EVENTS for i in infos)

    wait_until(all_ended, timeout=150, what="thirty runs to end")
    for handle in handles:
        handle.reaper.join(5)
    infos = [store.info(h.run_dir) for h in handles]
    assert [i.status for i in infos] == [Status.FINISHED] * 30, [
        (i.run_id, i.message) for i in infos if i.status != Status.FINISHED
    ]
    starts = [ln for ln in fake_trainer.read_text().splitlines() if ln.startswith("start")]
    assert len(starts) == 30 and len({ln.split()[1] for ln in starts}) == 30
    assert overlap(fake_trainer) == 2
    assert seen_queued, "no run was ever seen waiting"
    phase = next(e for e in seen_queued[0].events if e["event"] == Event.PHASE and "queue" in e)
    assert phase["phase"].startswith("waiting for a CPU slot:")
    assert phase["queue"]["slots"] == 2
    waited = [
        e.get("waited_s", 0)
        for h in handles
        for e in EventLog(h.run_dir).read_all()
        if e.get("phase") in (STARTING, WARM)  # a cold child's start, or a spare's fork
    ]
    assert max(waited) > 1  # the last ones waited, and said how long
    assert not list((Path(os.environ["TUI_DL_HOME"]) / "queue" / "cpu").glob("t-*"))


def test_a_killed_run_frees_its_slot_and_is_failed_with_the_reason(fake_trainer, monkeypatch):
    monkeypatch.setenv("TUI_DL_CPU_SLOTS", "1")
    monkeypatch.setenv("TUI_DL_TEST_SECONDS", "60")
    victim = launch_run("mnist-mlp", {"epochs": 1}, device="cpu")
    store = RunStore()
    wait_until(lambda: store.info(victim.run_dir).status == Status.RUNNING, what="the victim")
    wait_until(lambda: "start" in fake_trainer.read_text(), what="the victim's slot")
    monkeypatch.setenv("TUI_DL_TEST_SECONDS", "0.2")
    waiter = launch_run("mnist-mlp", {"epochs": 1}, device="cpu")
    wait_until(lambda: store.info(waiter.run_dir).status == Status.QUEUED, what="the queue")
    os.killpg(read_pid(victim.run_dir), signal.SIGKILL)
    victim.reaper.join(10)
    wait_until(lambda: store.info(waiter.run_dir).status == Status.FINISHED, what="the next run")
    failed = store.info(victim.run_dir)
    assert failed.status == Status.FAILED
    assert "killed by signal SIGKILL" in failed.message


def test_cancelling_a_queued_run_removes_it_from_the_line(fake_trainer, monkeypatch):
    monkeypatch.setenv("TUI_DL_CPU_SLOTS", "1")
    monkeypatch.setenv("TUI_DL_TEST_SECONDS", "60")
    first = launch_run("mnist-mlp", {"epochs": 1}, device="cpu")
    store = RunStore()
    wait_until(lambda: store.info(first.run_dir).status == Status.RUNNING, what="the first")
    queued = launch_run("mnist-mlp", {"epochs": 1}, device="cpu")
    wait_until(lambda: store.info(queued.run_dir).status == Status.QUEUED, what="the queue")
    started = time.monotonic()
    cancel_run(queued.run_dir, handle=queued)
    assert time.monotonic() - started < 1.5
    assert store.info(queued.run_dir).status == Status.CANCELLED
    assert RunQueue().state().where(queued.run_id) is None
    assert RunQueue().state().where(first.run_id) == ("held", 0)
    cancel_run(first.run_dir, handle=first)
    assert store.info(first.run_dir).status == Status.CANCELLED
    assert RunQueue().state().where(first.run_id) is None


def test_a_child_steps_back_behind_the_app_by_default_and_as_far_as_told():
    """A run's child lowers its priority first thing (`lower_priority`); the suite runs its own
    children at 0 (`TUI_DL_NICE=0`, conftest), so the default is checked here, each in a
    session of its own, as a child is (the session's autogroup is niced too). A lowered child
    also takes Linux's idle policy (SCHED_IDLE): it runs when nothing of normal priority wants
    the core, so a key's work is never queued behind it."""
    import subprocess
    import sys

    code = (
        "import os; from tui_dl.engine.jobs.launch import lower_priority; "
        "before = os.nice(0); lower_priority(); print(os.nice(0) - before); "
        "print(os.sched_getscheduler(0) == os.SCHED_IDLE)"
    )
    for value, expected in ((None, 10), ("3", 3), ("0", 0), ("x", 10)):
        env = {k: v for k, v in os.environ.items() if k != "TUI_DL_NICE"}
        if value is not None:
            env["TUI_DL_NICE"] = value
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            start_new_session=True,
            check=True,
        )
        niced, idle = done.stdout.split()
        assert int(niced) == expected, (value, done.stdout, done.stderr)
        assert idle == str(expected > 0), (value, done.stdout, done.stderr)
