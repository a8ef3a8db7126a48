"""The engine through the real child process, on small data (the offline MNIST sample).

Each test pays one TensorFlow start in a child (~5 s); the UI and these tests never
import TensorFlow themselves.
"""

from __future__ import annotations

import gzip
import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from tui_dl.engine import runfiles
from tui_dl.engine.events import TERMINAL_EVENTS, EventLog
from tui_dl.engine.jobs.launch import cancel_run, launch_run
from tui_dl.engine.store import RunStore, pid_alive, read_pid

pytestmark = pytest.mark.slow

TINY = {"epochs": 2, "train_limit": 600, "hidden_units": 32}


def wait_for(run_dir: Path, predicate, timeout: float = 90.0) -> list[dict]:
    """Events so far, once `predicate(events)` holds (fails the test on timeout)."""
    log = EventLog(run_dir)
    events: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events += log.read_new()
        if predicate(events):
            return events
        time.sleep(0.05)
    pytest.fail(
        f"timed out; events so far: {[e['event'] for e in events]}\n"
        f"log: {(run_dir / runfiles.LOG).read_text()[-2000:]}"
    )


def ended(events: list[dict]) -> bool:
    return any(e["event"] in TERMINAL_EVENTS for e in events)


def test_a_run_reports_its_whole_life_and_leaves_its_artifacts():
    handle = launch_run("mnist-mlp", TINY, device="cpu")
    events = wait_for(handle.run_dir, ended)
    assert handle.wait(10) == 0
    kinds = [e["event"] for e in events]
    assert kinds[0] == "phase"
    assert kinds[-1] == "finished", events[-1]
    order = [k for k in kinds if k in ("started", "epoch_end", "finished")]
    assert order == ["started", "epoch_end", "epoch_end", "finished"]
    assert kinds.index("started") < kinds.index("progress") < kinds.index("epoch_end")

    started = next(e for e in events if e["event"] == "started")
    assert started["devices"][0]["type"] == "CPU"
    assert started["data_source"].startswith("MNIST — offline sample")
    assert started["n_train"] == 600 and started["n_test"] == 1000

    epoch = next(e for e in events if e["event"] == "epoch_end")
    assert set(epoch["logs"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    progress = [e for e in events if e["event"] == "progress"]
    assert all(p["samples_per_s"] > 0 for p in progress)
    # Throttled: at most 10 a second, plus the one that closes each epoch.
    elapsed = progress[-1]["elapsed_s"]
    assert len(progress) <= 10 * elapsed + 2 + 1

    finished = events[-1]
    assert 0.3 < finished["metrics"]["test_accuracy"] <= 1.0
    run_dir = handle.run_dir
    assert (run_dir / runfiles.MODEL).stat().st_size > 1000
    predictions = np.load(run_dir / runfiles.PREDICTIONS)
    assert predictions["y_true"].shape == (1000,)
    assert predictions["probabilities"].shape == (1000, 10)
    np.testing.assert_allclose(predictions["probabilities"].sum(axis=1), 1.0, atol=1e-4)
    assert (predictions["y_pred"] == predictions["probabilities"].argmax(axis=1)).all()
    assert predictions["images"].shape == (1000, 28, 28)
    accuracy = (predictions["y_pred"] == predictions["y_true"]).mean()
    assert accuracy == pytest.approx(finished["metrics"]["test_accuracy"], abs=1e-6)
    # TensorFlow's own chatter went to log.txt, before TF was imported.
    assert (run_dir / runfiles.LOG).exists()
    assert RunStore().info(run_dir).status == "finished"
    # For TensorBoard and spreadsheets: Keras's own event files and CSV, every epoch.
    history = (run_dir / runfiles.HISTORY_CSV).read_text().splitlines()
    assert history[0].split(",") == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(history) == 1 + 2
    boards = {p.parent.name for p in (run_dir / runfiles.TENSORBOARD).rglob("events.out.*")}
    assert boards == {"train", "validation"}
    # It went through the queue (a free slot: no wait) and says whose it is.
    assert RunStore().info(run_dir).spec["owner"]["user"]
    assert not any("queue" in e for e in events)


def test_cancel_stops_a_run_within_a_second_and_leaves_nothing_behind():
    handle = launch_run("mnist-mlp", {"epochs": 500}, device="cpu")

    # In its second epoch: Keras has built its training and its validation step (each a
    # trace of a second or more on a loaded machine, with no batch to stop at meanwhile),
    # so what is timed is a cancel in steady training, where a batch takes milliseconds.
    def in_training(events: list[dict]) -> bool:
        return ended(events) or any(e["event"] == "progress" and e["epoch"] >= 2 for e in events)

    wait_for(handle.run_dir, in_training)
    pid = read_pid(handle.run_dir)
    start = time.monotonic()
    cancel_run(handle.run_dir, handle=handle)
    took = time.monotonic() - start
    assert took < 1.0, f"cancel took {took:.2f} s"
    events = EventLog(handle.run_dir).read_all()
    assert events[-1]["event"] == "cancelled"
    assert events[-1]["by"] == "request", "Keras stopped cleanly, no terminate was needed"
    handle.wait(2)
    assert not pid_alive(pid, handle.run_dir)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # no process of the run's group is left
    assert RunStore().info(handle.run_dir).status == "cancelled"


@pytest.mark.cold  # a fork of the suite's spare has TensorFlow already: a tiny run in it
def test_cancel_during_startup_also_stops_within_a_second():  # could end within the second
    handle = launch_run("mnist-mlp", TINY, device="cpu")
    time.sleep(1.0)  # TensorFlow is still importing
    start = time.monotonic()
    cancel_run(handle.run_dir, handle=handle)
    assert time.monotonic() - start < 1.0
    assert EventLog(handle.run_dir).read_all()[-1]["event"] == "cancelled"


def test_nan_loss_becomes_a_failed_run_with_a_reason():
    handle = launch_run("mnist-mlp", {**TINY, "learning_rate": 1e30}, device="cpu")
    events = wait_for(handle.run_dir, ended)
    failed = events[-1]
    assert failed["event"] == "failed"
    assert failed["error_type"] == "NaNLoss"
    assert "NaN" in failed["message"] and "learning rate" in failed["message"]
    assert "\x1b[" not in failed["message"]
    assert handle.wait(10) == 1


def test_a_missing_dataset_is_a_clear_message(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    handle = launch_run(
        "mnist-mlp", {**TINY, "dataset": "fashion-mnist"}, device="cpu", data_dir=empty
    )
    failed = wait_for(handle.run_dir, ended)[-1]
    assert failed["event"] == "failed"
    assert failed["error_type"] == "DatasetUnavailable"
    assert "Fashion-MNIST" in failed["message"] and "TUI_DL_DATA" in failed["message"]
    assert "Traceback" not in failed["message"]


def test_data_of_the_wrong_shape_is_a_clear_message(tmp_path):
    folder = tmp_path / "data"
    (folder / "fashion-mnist").mkdir(parents=True)
    images = np.zeros((10, 32, 32), np.uint8)  # CIFAR-sized, not 28×28
    for name, array in (
        ("train-images-idx3-ubyte.gz", images),
        ("t10k-images-idx3-ubyte.gz", images),
        ("train-labels-idx1-ubyte.gz", np.zeros(10, np.uint8)),
        ("t10k-labels-idx1-ubyte.gz", np.zeros(10, np.uint8)),
    ):
        header = np.array([0x800 + array.ndim, *array.shape], dtype=">u4").tobytes()
        (folder / "fashion-mnist" / name).write_bytes(gzip.compress(header + array.tobytes()))
    handle = launch_run(
        "mnist-mlp", {**TINY, "dataset": "fashion-mnist"}, device="cpu", data_dir=folder
    )
    failed = wait_for(handle.run_dir, ended)[-1]
    assert failed["event"] == "failed"
    assert "shape" in failed["message"] and "(10, 32, 32)" in failed["message"]


def test_a_child_killed_by_a_signal_becomes_a_failed_run():
    handle = launch_run("mnist-mlp", {"epochs": 500}, device="cpu")
    wait_for(handle.run_dir, lambda ev: any(e["event"] == "started" for e in ev))
    os.kill(read_pid(handle.run_dir), signal.SIGKILL)  # what the OOM killer does
    failed = wait_for(handle.run_dir, ended, timeout=10)[-1]
    assert failed["event"] == "failed"
    assert "SIGKILL" in failed["message"] and "out-of-memory" in failed["message"]


def test_gpu_requested_without_one_fails_clearly():
    handle = launch_run("mnist-mlp", TINY, device="gpu:0")
    failed = wait_for(handle.run_dir, ended)[-1]
    if failed["event"] == "finished":
        pytest.skip("this machine has a GPU")
    assert failed["error_type"] == "NoGPU"
    assert "GPU:0" in failed["message"] and "tui-dl[gpu]" in failed["message"]
