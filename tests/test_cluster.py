"""Runs and sweeps on Ray, with a real local Ray (2 CPUs, no dashboard) and the tiny MLP:
a 2×2 sweep two cells at a time with every cell's events in order and the local backend's
results; cancel mid-sweep; a worker killed mid-run; an unreachable cluster; Ray missing."""

from __future__ import annotations

import importlib.util
import os
import signal
import time

import pytest

from tests.fakes import wait_until
from tui_dl.cli import main
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, Status
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.engine.store import RunStore
from tui_dl.engine.sweeps.launch import cancel_sweep, launch_sweep
from tui_dl.engine.sweeps.state import read_sweep

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("ray") is None, reason="Ray is not installed (the cluster extra)"
    ),
]

TINY = {"epochs": 2, "train_limit": 600, "hidden_units": 32}
ORDER = ["started", "epoch_end", "epoch_end", "finished"]


@pytest.fixture(autouse=True)
def quiet_ray(monkeypatch):
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    monkeypatch.delenv("TUI_DL_RAY_ADDRESS", raising=False)


def test_a_2x2_sweep_runs_two_cells_at_a_time_and_matches_the_local_backend():
    handle = launch_sweep("mnist-mlp", TINY, [0.01, 0.001], [32, 128], "cpu", cluster="local")
    handle.wait(300)
    state = read_sweep(handle.run_dir)
    assert state.status == Status.FINISHED
    store = RunStore()
    spans = []
    for cell in state.cells:
        events = EventLog(store.root / cell.run_id).read_all()
        kinds = [e["event"] for e in events if e["event"] in ORDER]
        assert kinds == ORDER, (cell.run_id, kinds)
        # In the order the trainer emitted them (stamped on the worker, not by the driver).
        steps = [(e["epoch"], e["batch"]) for e in events if e["event"] == Event.PROGRESS]
        assert steps and steps == sorted(set(steps)), steps
        elapsed = [e["elapsed_s"] for e in events if e["event"] == Event.PROGRESS]
        assert elapsed == sorted(elapsed)
        assert [e["epoch"] for e in events if e["event"] == Event.EPOCH_END] == [1, 2]
        times = [e["t"] for e in events]
        assert times == sorted(times)  # drained as they came
        ran = next(e for e in events if e.get("phase", "").startswith("running on"))
        assert ran["node"] and ran["worker_pid"]
        spans.append((ran["t"], events[-1]["t"]))
    # Two CPUs, one a run: two cells at once, never more.
    most = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert most == 2, spans
    # The same cell through this machine's own child: the same result on the same seed.
    cell = state.cells[1]
    local = launch_run("mnist-mlp", {**TINY, "learning_rate": cell.learning_rate,
                                     "batch_size": cell.batch_size})  # fmt: skip
    local.wait(120)
    local.reaper.join(5)
    mine = store.info(store.root / cell.run_id).test_accuracy
    theirs = store.info(local.run_dir).test_accuracy
    assert mine == pytest.approx(theirs, abs=1e-6)
    artifacts = {p.name for p in (store.root / cell.run_id).iterdir()}
    assert {"model.keras", "predictions.npz", "history.csv", "tensorboard"} <= artifacts


def test_cancel_mid_sweep_stops_every_cell():
    params = {**TINY, "epochs": 200}
    handle = launch_sweep("mnist-mlp", params, [0.01, 0.001], [32, 128], "cpu", cluster="local")
    store = RunStore()

    def two_training() -> bool:
        state = read_sweep(handle.run_dir)
        live = [c for c in state.cells if c.run_id]
        return (
            sum(
                any(
                    e["event"] == Event.PROGRESS for e in EventLog(store.root / c.run_id).read_all()
                )
                for c in live
            )
            >= 2
        )

    wait_until(two_training, 180, "two cells training")
    started = time.monotonic()
    cancel_sweep(handle.run_dir)
    handle.wait(30)
    assert time.monotonic() - started < 20
    state = read_sweep(handle.run_dir)
    assert state.status == Status.CANCELLED
    assert {c.status for c in state.cells} <= {Status.CANCELLED, Status.SKIPPED}
    for cell in state.cells:
        if cell.run_id:
            assert store.info(store.root / cell.run_id).status == Status.CANCELLED


def test_a_worker_killed_mid_run_is_a_failed_run_with_the_reason():
    handle = launch_run("mnist-mlp", {**TINY, "epochs": 500}, cluster="local")
    log = EventLog(handle.run_dir)
    seen: list[dict] = []

    def training() -> bool:
        seen.extend(log.read_new())
        return any(e["event"] == Event.PROGRESS for e in seen)

    wait_until(training, 120, "the run to train")
    worker = next(e["worker_pid"] for e in seen if "worker_pid" in e)
    os.kill(worker, signal.SIGKILL)
    handle.wait(60)
    handle.reaper.join(5)
    info = RunStore().info(handle.run_dir)
    assert info.status == Status.FAILED
    assert info.final(Event.FAILED)["error_type"] == "WorkerDied"
    assert "died" in info.message and "Not retried" in info.message
    starts = [e for e in info.events if e["event"] == Event.STARTED]
    assert len(starts) == 1  # no second attempt writing over the first


def test_an_unreachable_cluster_fails_at_once_naming_it(capsys):
    started = time.monotonic()
    handle = launch_run("mnist-mlp", TINY, cluster="127.0.0.1:1")
    handle.wait(60)
    handle.reaper.join(5)
    info = RunStore().info(handle.run_dir)
    assert info.status == Status.FAILED and "127.0.0.1:1" in info.message
    assert info.events[-1]["event"] in TERMINAL_EVENTS
    assert time.monotonic() - started < 30
    assert main(["run", "mnist-mlp", "--cluster", "not an address"]) == 2
    assert "use local" in capsys.readouterr().err
    assert main(["cluster", "status", "--cluster", "127.0.0.1:1"]) == 2
    assert "cannot be reached" in capsys.readouterr().err


def test_cluster_status_shows_what_each_node_has_free(capsys):
    import json

    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:

        @ray.remote(num_cpus=1)
        def hold(seconds: float) -> None:
            time.sleep(seconds)

        held = hold.remote(20)
        wait_until(lambda: ray.available_resources().get("CPU", 0) == 1, 30, "one CPU taken")
        assert main(["cluster", "status", "--cluster", "local", "--json"]) == 0
        status = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        (node,) = status["nodes"]
        assert node["alive"] and node["cpus"] == 2 and node["cpus_free"] == 1
        assert status["cpus_free"] == 1
        assert main(["cluster", "status", "--cluster", "local"]) == 0
        shown = capsys.readouterr().out
        assert "1 of 2 free" in shown and "Free in all: 1 CPU(s)" in shown
        ray.cancel(held, force=True)
    finally:
        ray.shutdown()


def test_ray_missing_says_which_extra(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a)
    )
    with pytest.raises(ValueError, match=r"pip install -e '\.\[cluster\]'"):
        launch_run("mnist-mlp", TINY, cluster="local")
    assert main(["sweep", "mnist-mlp", "--lr", "0.1", "--batch-size", "32", "--cluster",
                 "local"]) == 2  # fmt: skip
    assert "cluster extra" in capsys.readouterr().err
    assert RunStore().list() == []  # refused before any run folder
    with pytest.raises(ValueError, match="--gpu-share goes with --cluster"):
        launch_run("mnist-mlp", TINY, gpu_share=0.5)


def test_a_share_of_a_gpu_is_held_to_that_share_of_its_memory(monkeypatch):
    from tui_dl.engine import gpustats
    from tui_dl.engine.cluster.task import share_memory_mb

    totals = {0: 81559, 3: 24576}
    monkeypatch.setattr(gpustats, "gpu_memory_total_mib", lambda index: totals.get(index))
    spec = {"device": "gpu", "gpu_share": 0.25}
    assert share_memory_mb(spec, ["3"]) == 6144  # the GPU Ray gave the task, not GPU 0
    assert share_memory_mb(spec, [0]) == 20389
    assert share_memory_mb({**spec, "gpu_share": 1.0}, [0]) is None  # a whole GPU: all of it
    assert share_memory_mb({"device": "gpu"}, [0]) is None
    assert share_memory_mb({"device": "cpu", "gpu_share": 0.5}, [0]) is None
    assert share_memory_mb(spec, []) is None  # Ray gave it no GPU
    assert share_memory_mb(spec, [7]) is None  # NVML does not know that one
