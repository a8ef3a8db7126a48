"""Run folders, events and settings, without TensorFlow."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time

import pytest

from tui_dl.engine import runfiles
from tui_dl.engine.devices import device_env, list_gpus, normalise_device
from tui_dl.engine.events import Event, EventLog, append_event, strip_ansi
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunStore

STARTED = {
    "devices": [{"name": "/device:CPU:0", "type": "CPU"}],
    "device": "cpu",
    "dataset": "mnist",
    "data_source": "MNIST — test",
    "reference": get_experiment("mnist-mlp").reference_fields(),
}


def finished(metrics: dict) -> dict:
    return {
        "metrics": metrics,
        "duration_s": 1.0,
        "data_source": STARTED["data_source"],
        "device": "cpu",
        "artifacts": {"log": runfiles.LOG},
    }


def make_run(store: RunStore, pid: int | None = None):
    run_dir = store.create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    if pid is not None:
        (run_dir / runfiles.PID).write_text(str(pid))
    return run_dir


def test_events_are_read_incrementally_and_a_torn_line_waits(tmp_path):
    append_event(tmp_path, Event.STARTED, **STARTED)
    log = EventLog(tmp_path)
    assert [e["event"] for e in log.read_new()] == ["started"]
    early = {"event": "early_stop", "t": 1.0, "stopped_epoch": 4, "best_epoch": 2, "patience": 2}
    line = json.dumps(early) + "\n"
    with (tmp_path / runfiles.EVENTS).open("a") as handle:
        handle.write(line[:20])  # a writer mid-line
    assert log.read_new() == []
    with (tmp_path / runfiles.EVENTS).open("a") as handle:
        handle.write(line[20:])
    assert log.read_new() == [early]


def test_nan_and_numpy_values_become_plain_json(tmp_path):
    import numpy as np

    record = append_event(
        tmp_path, Event.EPOCH_END, logs={"loss": float("nan"), "acc": np.float32(0.5)}
    )
    assert record["logs"] == {"loss": None, "acc": 0.5}
    assert json.loads((tmp_path / runfiles.EVENTS).read_text())["logs"]["acc"] == 0.5


def test_ansi_codes_are_stripped():
    assert strip_ansi("\x1b[31mboom\x1b[0m") == "boom"


def test_status_comes_from_the_last_event():
    store = RunStore()
    run_dir = make_run(store, pid=os.getpid())
    append_event(run_dir, Event.STARTED, **STARTED)
    append_event(run_dir, Event.FINISHED, **finished({"test_accuracy": 0.97}))
    info = store.info(run_dir)
    assert info.status == "finished" and info.test_accuracy == 0.97


def test_a_run_whose_process_vanished_is_marked_failed_once():
    store = RunStore()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_dir = make_run(store, pid=dead.pid)
    append_event(run_dir, Event.STARTED, **STARTED)
    info = store.info(run_dir)
    assert info.status == "failed"
    assert "killed" in info.message and runfiles.LOG in info.message
    assert store.info(run_dir).status == "failed"
    kinds = [e["event"] for e in EventLog(run_dir).read_all()]
    assert kinds.count("failed") == 1


def test_a_live_process_of_another_program_is_not_mistaken_for_the_run():
    store = RunStore()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    time.sleep(0.3)  # a recycled pid belongs to a process that is well under way
    try:
        run_dir = make_run(store, pid=other.pid)  # a recycled pid
        append_event(run_dir, Event.STARTED, **STARTED)
        assert store.info(run_dir).status == "failed"
    finally:
        other.kill()
        other.wait()


def test_resolve_latest_prefix_and_unknown():
    store = RunStore()
    first = make_run(store)
    second = make_run(store)
    assert store.resolve("latest") == max(first, second)
    assert store.resolve(first.name[:-2] + first.name[-2:]) == first
    with pytest.raises(LookupError, match="no run"):
        store.resolve("nothing-like-it")


def test_settings_are_parsed_and_bad_ones_named():
    exp = get_experiment("mnist-mlp")
    assert exp.validate({"epochs": "3", "learning_rate": "1e-2"})["epochs"] == 3
    for bad, words in (
        ({"epochs": "ten"}, "Epochs: 'ten' is not a whole number"),
        ({"epochs": "2.5"}, "not a whole number"),
        ({"epochs": "0"}, "at least 1"),
        ({"dropout": "1.5"}, "at most 0.95"),
        ({"optimizer": "adagrad"}, "choose one of sgd, momentum, nesterov, rmsprop, adam"),
        ({"units": "3"}, "unknown setting"),
    ):
        with pytest.raises(ValueError, match=words):
            exp.validate(bad)
    with pytest.raises(ValueError, match="known: .*mnist-mlp"):
        get_experiment("resnet")


def test_devices_are_normalised_and_reach_the_environment():
    assert normalise_device("GPU") == "gpu:0"
    assert normalise_device("cuda:1") == "gpu:1"
    assert device_env("cpu")["CUDA_VISIBLE_DEVICES"] == "-1"
    env = device_env("gpu:1")
    assert env["CUDA_VISIBLE_DEVICES"] == "1" and env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"
    with pytest.raises(ValueError, match="cpu, gpu or gpu:N"):
        normalise_device("tpu")


def test_gpus_are_listed_from_nvidia_smi(tmp_path, monkeypatch):
    fake = tmp_path / "nvidia-smi"
    fake.write_text(
        "#!/bin/sh\necho '0, NVIDIA H100 80GB HBM3, 81559'\necho '1, NVIDIA A10, 23028'\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tmp_path))
    gpus = list_gpus()
    assert [(g.index, g.name) for g in gpus] == [(0, "NVIDIA H100 80GB HBM3"), (1, "NVIDIA A10")]
    assert gpus[0].label == "GPU 0: NVIDIA H100 80GB HBM3 (80 GiB)"
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    assert list_gpus() == []
