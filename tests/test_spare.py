"""The spare: a process with TensorFlow imported, handed the next run or job (engine/spare).

Real processes throughout: a spare imports TensorFlow as it does for a learner, becomes the
run (its own session, folder, log, cancel handler and queue slot), and ends with the app that
started it, even one killed with -9.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.fakes import wait_until
from tui_dl.engine import runfiles
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, Status
from tui_dl.engine.jobs.insights import launch_job
from tui_dl.engine.jobs.launch import cancel_run, launch_run
from tui_dl.engine.spare import child as spare_child
from tui_dl.engine.spare.pool import SparePool, refusal
from tui_dl.engine.store import RunStore, pid_alive, read_pid
from tui_dl.engine.tf_start import STARTING, WARM
from tui_dl.engine.trust import proven_process

pytestmark = pytest.mark.cold  # each test here has the pool it tests, or a cold start

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"epochs": 2, "train_limit": 800, "hidden_units": 32, "dropout": 0.3, "seed": 7}
"""A short MLP run with dropout, so that its randomness is exercised too."""


def warm_pool(home: Path, device: str = "cpu") -> SparePool:
    """A pool whose spare has imported TensorFlow and waits."""
    pool = SparePool(home)
    pool.start(device)
    spare = pool.ready()
    assert spare is not None
    wait_until(
        lambda: "waiting for a run" in spare.log.read_text(errors="replace"),
        timeout=120,
        what="the spare's TensorFlow import",
    )
    return pool


def ended(run_dir: Path) -> dict:
    events = EventLog(run_dir).read_all()
    return next(e for e in reversed(events) if e.get("event") in TERMINAL_EVENTS)


def phases(folder: Path) -> list[str]:
    return [e["phase"] for e in EventLog(folder).read_all() if e.get("event") == Event.PHASE]


@pytest.fixture(scope="module")
def served_and_cold(tmp_path_factory):
    """The same run twice, same seed: handed to a spare, and from a cold start; with what was
    seen of the spare's process while it ran."""
    home = tmp_path_factory.mktemp("spare-home")
    saved = os.environ.get("TUI_DL_HOME")
    os.environ["TUI_DL_HOME"] = str(home)
    try:
        store = RunStore(home / "runs")
        pool = warm_pool(home)
        spare_pid = pool.ready().process.pid
        served = launch_run("mnist-mlp", SMALL, store=store, spare=pool)
        seen = {
            "pid": served.process.pid,
            "spare_pid": spare_pid,
            "session": os.getsid(served.process.pid),
            "pid_file": read_pid(served.run_dir),
            "proven": proven_process(served.process.pid, served.run_dir, os.geteuid()),
            "alive": pid_alive(served.process.pid, served.run_dir),
            "cmdline": Path(f"/proc/{served.process.pid}/cmdline").read_bytes().split(b"\0"),
            "note": served.note,
            "parent": int(Path(f"/proc/{served.process.pid}/stat").read_text().split()[3]),
        }
        served.wait(300)
        served.reaper.join(5)
        wait_until(lambda: pool.ready() is not None, timeout=30, what="the next spare")
        seen["next"] = pool.ready().process.pid
        cold = launch_run("mnist-mlp", SMALL, store=store)
        cold.wait(300)
        cold.reaper.join(5)
        seen["pool"] = pool  # its next spare serves the job test
        yield served.run_dir, cold.run_dir, seen
        pool.close()
    finally:
        if saved is None:
            os.environ.pop("TUI_DL_HOME", None)
        else:
            os.environ["TUI_DL_HOME"] = saved


def test_a_fork_of_the_spare_becomes_the_run_its_process_session_folder_and_log(
    served_and_cold,
):
    served, _cold, seen = served_and_cold
    assert seen["pid"] == seen["pid_file"] != seen["spare_pid"]  # a fork of the spare
    assert seen["parent"] == seen["spare_pid"]
    assert seen["session"] == seen["pid"]  # a session of its own: it outlives the app
    assert seen["proven"] is True and seen["alive"] is True
    # Its command line names the run's folder, as a cold child's does (what other users read).
    assert os.fsencode(served) in seen["cmdline"]
    assert b"tui_dl.engine.spare.child" in seen["cmdline"]
    assert seen["note"] is None
    assert ended(served)["event"] == Event.FINISHED
    said = phases(served)
    assert WARM in said and STARTING not in said  # not counted as a TensorFlow start
    log = (served / runfiles.LOG).read_text()
    assert log.startswith(
        f"[tui-dl] This run is served by pid {seen['pid']}, a fork of a spare process "
        f"(pid {seen['spare_pid']}) that had imported TensorFlow ahead of it"
    )
    assert "waiting for a run" in log  # what it printed before the run, kept in the run's log
    # The spare itself stays ready for the next order (its log with it): a fork per run.
    assert seen["next"] == seen["spare_pid"]
    assert len(list((Path(served).parents[1] / "spares").glob("*.log"))) == 1


def test_the_same_seed_gives_the_same_result_from_a_spare_as_from_a_cold_start(served_and_cold):
    served, cold, _seen = served_and_cold
    a, b = ended(served), ended(cold)
    assert a["event"] == b["event"] == Event.FINISHED
    assert a["metrics"] == pytest.approx(b["metrics"], rel=1e-6)
    curve = [e["logs"] for e in EventLog(served).read_all() if e["event"] == Event.EPOCH_END]
    again = [e["logs"] for e in EventLog(cold).read_all() if e["event"] == Event.EPOCH_END]
    assert len(curve) == len(again) == 2
    for mine, theirs in zip(curve, again, strict=True):
        assert mine == pytest.approx(theirs, rel=1e-6)
    assert STARTING in phases(cold) and WARM not in phases(cold)


def test_a_job_is_served_by_a_spare(served_and_cold):
    _served, cold, seen = served_and_cold
    pool = seen["pool"]
    spare = pool.ready()
    wait_until(lambda: "waiting for a run" in spare.log.read_text(), 120, "the next spare")
    try:
        handle = launch_job(cold, "probe", {"seed": 1}, spare=pool)
        assert handle.note is None and os.getsid(handle.process.pid) == handle.process.pid
        handle.wait(120)
        handle.reaper.join(5)
        job = handle.run_dir
        assert ended(job)["event"] == Event.FINISHED, (job / runfiles.LOG).read_text()[-2000:]
        assert WARM in phases(job) and STARTING not in phases(job)
        assert (job / runfiles.LOG).read_text().startswith("[tui-dl] This job is served")
    finally:
        pool.close()


def test_a_spare_served_run_takes_its_queue_slot_and_is_cancelled_at_once(
    fake_trainer, monkeypatch, tmp_path
):
    monkeypatch.setenv("TUI_DL_CPU_SLOTS", "1")
    monkeypatch.setenv("TUI_DL_TEST_SECONDS", "120")
    store = RunStore()
    pool = warm_pool(tmp_path / "home")
    try:
        holder = launch_run("mnist-mlp", {"epochs": 1}, store=store)
        wait_until(lambda: "start" in fake_trainer.read_text(), what="the holder's slot")
        served = launch_run("mnist-mlp", {"epochs": 1}, store=store, spare=pool)
        assert served.process.pid == read_pid(served.run_dir)
        wait_until(lambda: store.info(served.run_dir).status == Status.QUEUED, what="the queue")
        cancel_run(holder.run_dir, handle=holder)
        wait_until(
            lambda: fake_trainer.read_text().count("start") == 2, what="the spare's run to train"
        )
        assert store.info(served.run_dir).status == Status.RUNNING
        began = time.monotonic()
        cancel_run(served.run_dir)  # no handle: as `tui-dl cancel` or another app would
        assert time.monotonic() - began < 1.5
        last = ended(served.run_dir)
        assert last["event"] == Event.CANCELLED and last["by"] == "request"
        served.wait(5)
    finally:
        pool.close()


def test_a_spare_that_died_while_waiting_falls_back_to_a_cold_start(fake_trainer, tmp_path):
    pool = SparePool(tmp_path / "home")
    pool.start("cpu")
    spare = pool.ready()
    spare.process.kill()
    wait_until(lambda: pool.died is not None, timeout=10, what="the pool to see it die")
    handle = launch_run("mnist-mlp", {"epochs": 1}, store=RunStore(), spare=pool)
    assert handle.process.pid != spare.process.pid
    assert "nothing is lost" in handle.note and "exit status -9" in handle.note
    handle.wait(60)
    handle.reaper.join(5)
    assert ended(handle.run_dir)["event"] == Event.FINISHED
    log = (handle.run_dir / runfiles.LOG).read_text()
    assert "could not take this run" in log
    assert STARTING in phases(handle.run_dir)  # a real start, counted as one
    pool.close()


def test_a_spare_for_another_device_is_not_handed_the_run(fake_trainer, tmp_path):
    pool = SparePool(tmp_path / "home")
    pool.start("cpu")
    try:
        handle, problem = pool.hand_over({"kind": "run", "folder": str(tmp_path)}, "gpu:0")
        assert handle is None and problem is None
        assert pool.ready() is not None  # still there for the next CPU run
    finally:
        pool.close()


APP = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tui_dl.engine.spare.pool import SparePool
    pool = SparePool(Path(sys.argv[1]))
    pool.start("cpu")
    print(pool.ready().process.pid, flush=True)
    time.sleep(600)
    """
)


def test_killing_the_app_with_sigkill_ends_its_spare(tmp_path):
    app = subprocess.Popen(
        [sys.executable, "-c", APP, str(tmp_path / "home")],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    spare_pid = int(app.stdout.readline())
    assert Path(f"/proc/{spare_pid}").exists()
    app.send_signal(signal.SIGKILL)  # mid-import: the spare is still starting TensorFlow
    app.wait(5)
    wait_until(lambda: not alive(spare_pid), timeout=10, what="the spare to end")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_closing_the_pool_ends_the_waiting_spare(tmp_path):
    pool = SparePool(tmp_path / "home")
    pool.start("cpu")
    spare = pool.ready()
    pool.close()
    assert spare.process.wait(5) is not None
    pool.start("cpu")  # a closed pool starts no more
    assert pool.ready() is None


def test_the_spare_is_off_with_tui_dl_spare_0_and_in_a_workshop_until_the_instructor_says(
    monkeypatch, tmp_path
):
    from tui_dl.engine.workshop.folder import init_workshop, read_record, set_spare
    from tui_dl.ui.sources import LocalRunSource

    monkeypatch.setenv("TUI_DL_SPARE", "0")
    assert "TUI_DL_SPARE=0" in refusal()
    source = LocalRunSource(RunStore())
    source.start_spare()
    assert source._spare is None
    monkeypatch.delenv("TUI_DL_SPARE")
    assert refusal() is None
    monkeypatch.setenv("TUI_DL_SEAT", "seat01")  # a browser seat of `tui-dl serve`
    assert "browser seat" in refusal()
    monkeypatch.setenv("TUI_DL_SPARE", "1")  # the server's choice
    assert refusal() is None
    monkeypatch.delenv("TUI_DL_SPARE")
    monkeypatch.delenv("TUI_DL_SEAT")
    room = tmp_path / "room"
    init_workshop(room)
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(room))
    assert "instructor" in refusal()
    said = set_spare(room, True)
    assert "0.7 GB" in said and read_record(room)["spare"] is True
    assert refusal() is None
    set_spare(room, False)
    assert "instructor" in refusal()


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b"not json\n", "not JSON"),
        (b'{"folder": "/tmp"}\n', "without a kind"),
        (b'{"kind": "run", "folder": "relative/run"}\n', "not an absolute folder"),
        (b'{"kind": "job", "folder": "/tmp"}\n', "run_dir is not an absolute folder"),
        (b'{"kind": "run", "folder": "/tmp", "data_dir": 3}\n', "data_dir"),
    ],
)
def test_a_spare_refuses_an_order_it_cannot_follow(line, why):
    with pytest.raises(ValueError, match=why):
        spare_child.read_order(line)


# ----- the app's side ------------------------------------------------------------------------
async def test_the_app_keeps_a_spare_after_its_first_frame_and_ends_it_when_it_quits():
    from tests.fakes import FakeRunSource, sample_runs
    from tui_dl.ui.app import PRELOAD_AFTER_S, make_app

    source = FakeRunSource(sample_runs())
    app = make_app(source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(PRELOAD_AFTER_S + 0.5)  # after the first frame, with the preload
        await app.workers.wait_for_complete()
        assert source.spares == [None]
        assert not source.closed
    assert source.closed


async def test_the_lab_asks_for_a_gpu_spare_and_says_when_a_spare_could_not_take_the_run():
    from textual.widgets import Select

    from tests.fakes import FakeRunSource, settle
    from tui_dl.engine.devices import Gpu
    from tui_dl.ui.app import make_app

    source = FakeRunSource(gpus=[Gpu(0, "NVIDIA H100", 81559)])
    first = "20261122-150001-mnist-mlp-f001"
    source.launch_notes[first] = "The spare could not take this run; nothing is lost."
    app = make_app(source=source, screen="lab")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        device = app.screen.query_one("#field-device", Select)
        assert device.value == "gpu:0"  # offered and the default where there is a GPU
        device.value = "cpu"
        await settle(pilot)
        device.value = "gpu:0"
        await settle(pilot)
        assert source.spares.count("gpu:0") == 1  # asked once, not at every change
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.launched[0][2] == "gpu:0"
        said = [n.message for n in app._notifications]
        assert any("nothing is lost" in m for m in said), said


def test_the_spares_warm_up_leaves_tensorflows_devices_untouched():
    """A GPU run's memory limit is set when it starts (trainers/common.limit_gpu_memory), which
    TensorFlow refuses once its runtime is up: the spare's imports must not start it. Checked
    on the CPU the same way: a device configuration is still accepted after the warm-up."""
    script = textwrap.dedent(
        """
        from tui_dl.engine.spare.child import warm_up
        warm_up("cpu")
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2
        )
        print("configurable", len(tf.config.list_logical_devices("CPU")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": "-1"},
    )
    assert "configurable 2" in done.stdout, done.stderr[-2000:]


def test_old_logs_of_dead_spares_are_tidied_and_a_live_spares_log_is_not(tmp_path):
    from tui_dl.engine.spare.pool import KEEP_DEAD_LOG_S, tidy

    pool = SparePool(tmp_path / "home")
    pool.start("cpu")
    try:
        live = pool.ready().log
        folder = live.parent
        dead, recent = folder / "spare-20260101-000000-aaaaaa.log", folder / "spare-new.log"
        dead.write_text("it died\n")
        recent.write_text("it died a minute ago\n")
        old = time.time() - KEEP_DEAD_LOG_S - 60
        for log in (dead, live):
            os.utime(log, (old, old))
        tidy(folder)
        assert not dead.exists()  # no spare holds it, and it is old
        assert recent.exists()  # it may still say why a spare just died
        assert live.exists()  # its spare holds it, however old
    finally:
        pool.close()
    assert not live.exists()  # closing the pool takes its spare's log with it


def test_a_run_handed_to_a_spare_mid_import_says_what_it_waits_for(fake_trainer, tmp_path):
    pool = SparePool(tmp_path / "home")
    pool.start("cpu")  # still importing TensorFlow when the run comes
    try:
        handle = launch_run("mnist-mlp", {"epochs": 1}, store=RunStore(), spare=pool)
        assert handle.note is None
        handle.wait(180)
        handle.reaper.join(5)
        said = phases(handle.run_dir)
        assert said[0] == "TensorFlow still starting (in a spare)", said
        assert said[1] == WARM and STARTING not in said
        assert ended(handle.run_dir)["event"] == Event.FINISHED
    finally:
        pool.close()


def test_one_spare_forks_run_after_run_with_the_environment_of_each_launch(
    fake_trainer, monkeypatch, tmp_path
):
    """Each run a fork of one warm spare: a process of its own, born with TensorFlow
    imported, with the environment its launch had (set after the spare started), and the
    spare still there for the next; how a fork killed by a signal died is the spare's word."""
    pool = warm_pool(tmp_path / "home")  # the fake trainer's default: 0.3 s of training
    spare_pid = pool.ready().process.pid
    store = RunStore()
    try:
        monkeypatch.setenv("TUI_DL_TEST_SECONDS", "60")  # set after the spare started
        killed = launch_run("mnist-mlp", {"epochs": 1}, store=store, spare=pool)
        wait_until(lambda: "start" in fake_trainer.read_text(), what="the first fork to train")
        time.sleep(1.0)
        assert killed.process.poll() is None  # training for 60 s: the launch's environment
        assert store.info(killed.run_dir).status == Status.RUNNING
        os.kill(killed.process.pid, signal.SIGKILL)  # as the out-of-memory killer would
        assert killed.wait(10) == -signal.SIGKILL
        killed.reaper.join(5)
        last = ended(killed.run_dir)
        assert last["event"] == Event.FAILED and "SIGKILL" in last["message"], last

        monkeypatch.setenv("TUI_DL_TEST_SECONDS", "0.2")
        after = launch_run("mnist-mlp", {"epochs": 1}, store=store, spare=pool)
        assert after.process.pid not in (killed.process.pid, spare_pid)
        assert after.wait(60) == 0
        after.reaper.join(5)
        assert ended(after.run_dir)["event"] == Event.FINISHED
        assert WARM in phases(after.run_dir) and STARTING not in phases(after.run_dir)
        assert pool.ready() is not None and pool.ready().process.pid == spare_pid
    finally:
        pool.close()


def test_a_learning_rate_finder_is_a_fork_of_the_spare(tmp_path):
    """The finder is one of the views' TensorFlow jobs: a fork of the app's spare too."""
    from tui_dl.engine.jobs.lrfind.launch import launch_lr_find

    pool = warm_pool(tmp_path / "home")
    spare_pid = pool.ready().process.pid
    try:
        params = {"train_limit": 256, "hidden_units": 32, "batch_size": 32}
        handle = launch_lr_find("mnist-mlp", params, steps=30, root=tmp_path, spare=pool)
        parent = int(Path(f"/proc/{handle.process.pid}/stat").read_text().split()[3])
        assert handle.note is None and parent == spare_pid
        assert handle.wait(120) == 0
        handle.reaper.join(5)
        last = ended(handle.run_dir)
        assert last["event"] == Event.FINISHED, (handle.run_dir / runfiles.LOG).read_text()[-2000:]
        assert (handle.run_dir / runfiles.LOG).read_text().startswith("[tui-dl] This job is")
    finally:
        pool.close()


@pytest.mark.parametrize("killed", [True, False], ids=["killed by the app", "not killed in time"])
def test_a_fork_that_answers_after_the_launch_gave_up_never_trains(
    killed, fake_trainer, monkeypatch, tmp_path
):
    """A spare too slow to answer: the run starts cold, and a fork that takes it anyway (its
    `ok` late) never trains: one process per run, never two. The app kills it once it reads
    that `ok`; and should the fork get further first (under load), it goes on only once the
    app has written its pid into the run's folder, where the launch that gave up on it wrote
    the cold child's: it leaves, and says so."""
    from tui_dl.engine.spare import pool as pool_module

    pool = warm_pool(tmp_path / "home")
    try:
        monkeypatch.setattr(pool_module, "ANSWER_WAIT_S", 0.0)  # every answer is late
        if not killed:
            monkeypatch.setattr(pool_module, "_stop_late_fork", lambda spare, line: None)
        retire = SparePool._retire

        def slow_retire(self, spare):  # the spare lives long enough to fork
            time.sleep(1.0)
            retire(self, spare)

        monkeypatch.setattr(SparePool, "_retire", slow_retire)
        handle = launch_run("mnist-mlp", {"epochs": 1}, store=RunStore(), spare=pool)
        assert handle.note is not None and "did not answer" in handle.note
        assert handle.wait(120) == 0
        handle.reaper.join(5)
        assert ended(handle.run_dir)["event"] == Event.FINISHED
        assert STARTING in phases(handle.run_dir)  # the cold child's
        time.sleep(1.0)  # what a surviving fork would need to take the queue and train
        starts = [ln for ln in fake_trainer.read_text().splitlines() if ln.startswith("start")]
        assert len(starts) == 1, starts
        if not killed:
            log = (handle.run_dir / runfiles.LOG).read_text()
            assert f"to a fresh process (pid {handle.process.pid})" in log, log
    finally:
        pool.close()


def test_an_order_whose_tensorflow_settings_differ_goes_to_a_cold_start(
    fake_trainer, monkeypatch, tmp_path
):
    """TensorFlow reads its device settings once, at import: a launch that wants others
    (CUDA_VISIBLE_DEVICES, TF_*) cannot be a fork of this spare. It starts cold and says why."""
    pool = warm_pool(tmp_path / "home")
    try:
        monkeypatch.setenv("TF_NUM_INTEROP_THREADS", "1")
        handle = launch_run("mnist-mlp", {"epochs": 1}, store=RunStore(), spare=pool)
        assert handle.note is not None and "TF_NUM_INTEROP_THREADS" in handle.note
        assert "nothing is lost" in handle.note
        handle.wait(120)
        handle.reaper.join(5)
        assert ended(handle.run_dir)["event"] == Event.FINISHED
        assert STARTING in phases(handle.run_dir)
    finally:
        pool.close()


async def test_the_lab_stays_answering_keys_while_a_launch_waits_and_starts_one_run():
    """A hand-over to a spare still importing TensorFlow can take seconds: the launch runs
    in a thread, ctrl+r again does nothing meanwhile, and the run attaches when it comes."""
    import threading

    from tests.fakes import FakeRunSource, settle
    from tui_dl.ui.app import make_app

    source = FakeRunSource()
    gate = threading.Event()
    plain = source.launch

    def slow_launch(*args, **kwargs):
        gate.wait(10)
        return plain(*args, **kwargs)

    source.launch = slow_launch
    app = make_app(source=source, screen="lab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lab = app.screen
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)
        assert lab.launching and lab.run_id is None
        assert lab.check_action("start", ()) is False
        await pilot.press("ctrl+r")  # pressed again while the first waits
        field = app.focused
        before = field.value
        await pilot.press("7")  # and the app answers other keys meanwhile
        await pilot.pause(0.2)
        assert field.value == before + "7"
        gate.set()
        await settle(pilot)
        assert len(source.launched) == 1 and lab.run_id is not None and not lab.launching
