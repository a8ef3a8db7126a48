"""Readers of run folders that may be another user's (issue 22, cases 1, 7 and 13): they never
write there, never follow a symlink, never believe a pid file, and work out "lost" in memory;
the run's owner records it, once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.fakes import mnist_events
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event, EventLog, Status, append_event
from tui_dl.engine.store import RunStore, pid_alive, read_pid
from tui_dl.engine.sweeps.launch import mark_lost, sweep_lost, write_spec
from tui_dl.engine.sweeps.state import read_sweep

OTHER_UID = 4242
"""A uid that is not this process's: a learner's, to an instructor reading the room."""


@pytest.fixture
def store(tmp_path) -> RunStore:
    """Runs outside the tui-dl home: crafted files are not the vocabulary check's business."""
    return RunStore(tmp_path / "elsewhere" / "runs")


def write_run(store: RunStore, events: list[dict], pid: str | None = None):
    run_dir = store.create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    (run_dir / runfiles.EVENTS).write_text("".join(json.dumps(e) + "\n" for e in events))
    if pid is not None:
        (run_dir / runfiles.PID).write_text(pid)
    return run_dir


def dead_pid() -> str:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return str(process.pid)


def anothers(path, monkeypatch) -> None:
    """Make `path` (and what it holds) another user's: chown as root, else the test sees it
    through `trust.is_mine` and `owner_of`, which is all a reader asks."""
    if os.geteuid() == 0:
        for item in [path, *path.iterdir()]:
            os.chown(item, OTHER_UID, OTHER_UID, follow_symlinks=False)
        return
    from tui_dl.engine import trust

    monkeypatch.setattr(trust, "is_mine", lambda p: False)
    monkeypatch.setattr(trust, "owner_of", lambda p: OTHER_UID)


@pytest.mark.parametrize("text", ["-1", "0", "1", "99999999999999999999", "[/]", "", "2.5"])
def test_a_pid_file_that_names_no_plausible_process_is_not_alive(tmp_path, text):
    (tmp_path / runfiles.PID).write_text(text)
    assert read_pid(tmp_path) is None
    for pid in (-1, 0, 1, 99999999999999999999):
        assert pid_alive(pid, tmp_path) is False


def test_a_process_is_alive_only_when_it_is_the_run_folders(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", str(tmp_path)])
    try:
        assert pid_alive(process.pid, tmp_path)
        assert not pid_alive(process.pid, tmp_path.parent)  # names another folder
        assert not pid_alive(os.getpid(), tmp_path)  # the reader's own process
    finally:
        process.kill()
        process.wait()


def test_a_process_between_exec_and_its_arguments_is_read_again_a_kernel_thread_is_not(
    tmp_path,
):
    """Right after Popen returns, a busy machine may show the new process with an empty
    command line: exec has put the program in place and not yet its arguments (a clean-clone
    run failed the test above so; 32 of 300 launches under load read it empty). The command
    line is read again for a moment; a kernel thread's, always empty, is not waited for."""
    import threading
    import time

    from tui_dl.engine.trust import pids

    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "cmdline").write_bytes(b"")
    later = threading.Timer(0.03, (proc / "cmdline").write_bytes, [b"python\0-c\0run\0"])
    later.start()
    try:
        assert pids._command_line(proc, flags=0) == b"python\0-c\0run\0"
    finally:
        later.join()
    (proc / "cmdline").write_bytes(b"")
    start = time.monotonic()
    assert pids._command_line(proc, flags=pids.KERNEL_THREAD) == b""
    assert time.monotonic() - start < pids.EXEC_WAIT_S / 2
    start = time.monotonic()
    assert pids._command_line(proc, flags=0) == b""  # still empty: names nothing
    assert time.monotonic() - start >= pids.EXEC_WAIT_S
    assert pid_alive(2, tmp_path) is False  # kthreadd: owned by root, its command line empty


def test_another_users_lost_run_is_failed_in_memory_and_its_folder_untouched(store, monkeypatch):
    """Case 13: a learner's dead run whose events file the instructor cannot write is still in
    the room, failed ("process lost"); nothing is written into the learner's folder."""
    run_dir = write_run(store, mnist_events(2), pid=dead_pid())
    anothers(run_dir, monkeypatch)
    before = (run_dir / runfiles.EVENTS).read_bytes()
    info = store.info(run_dir)
    assert info.status == Status.FAILED and "ended without reporting" in info.message
    assert info.last["error_type"] == "ProcessLost"
    assert [i.run_id for i in store.list()] == [run_dir.name]
    assert store.list()[0].status == Status.FAILED
    assert (run_dir / runfiles.EVENTS).read_bytes() == before
    assert sorted(p.name for p in run_dir.iterdir()) == ["events.jsonl", "pid", "spec.json"]


def test_the_owners_reader_records_a_lost_run_once(store):
    run_dir = write_run(store, mnist_events(2), pid=dead_pid())
    with (run_dir / runfiles.EVENTS).open("a") as handle:
        handle.write('{"event": "epoch_end", "epo')  # the run was killed mid-line
    for _ in range(3):
        assert store.info(run_dir).status == Status.FAILED
    lines = (run_dir / runfiles.EVENTS).read_text().splitlines()
    assert sum('"ProcessLost"' in line for line in lines) == 1
    assert json.loads(lines[-1])["error_type"] == "ProcessLost"  # on a line of its own


def test_a_symlinked_events_file_is_neither_followed_nor_written(store, tmp_path):
    """Case 1: a run whose events.jsonl points at the reader's ~/.bashrc, with no end and no
    process: the reader reports it, and the file it points at does not change."""
    run_dir = write_run(store, [], pid="-1")
    bashrc = tmp_path / "bashrc"
    bashrc.write_text("# the instructor's shell\n")
    (run_dir / runfiles.EVENTS).unlink()
    (run_dir / runfiles.EVENTS).symlink_to(bashrc)
    info = store.info(run_dir)
    assert info.status == Status.UNREADABLE and "symbolic link" in info.problem
    assert info.status_words.startswith("unreadable: ")
    assert EventLog(run_dir).read_all() == []
    with pytest.raises(OSError):
        append_event(run_dir, Event.FAILED, error_type="X", message="")
    assert bashrc.read_text() == "# the instructor's shell\n"


def test_a_symlink_in_the_runs_folder_is_not_a_run(store, tmp_path):
    real = write_run(store, mnist_events(1, end="finished"))
    elsewhere = tmp_path / "a-learners-home"
    real.rename(elsewhere)
    (store.root / real.name).symlink_to(elsewhere)
    assert store.run_ids() == []
    assert store.info(store.root / real.name).status == Status.UNREADABLE


def test_appending_to_another_users_file_or_folder_is_refused(monkeypatch, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to hand a file to another uid")
    folder = tmp_path / "learner"
    folder.mkdir()
    os.chown(folder, OTHER_UID, OTHER_UID)
    with pytest.raises(PermissionError, match="another user's folder"):
        append_event(folder, Event.FAILED, error_type="X", message="")
    (folder / runfiles.EVENTS).write_text("")
    os.chown(folder / runfiles.EVENTS, OTHER_UID, OTHER_UID)
    with pytest.raises(PermissionError, match="another user's file"):
        append_event(folder, Event.FAILED, error_type="X", message="")
    assert (folder / runfiles.EVENTS).read_text() == ""


def test_another_users_lost_sweep_is_failed_in_memory(tmp_path, monkeypatch):
    sweep_dir = tmp_path / "sweeps" / "20261122-120000-mnist-mlp-abcd"
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
    (sweep_dir / runfiles.EVENTS).write_text("")
    anothers(sweep_dir, monkeypatch)
    assert sweep_lost(sweep_dir)
    record, written = mark_lost(sweep_dir)
    assert not written and record["error_type"] == "ProcessLost"
    state = read_sweep(sweep_dir, tmp_path / "runs")
    assert state.status == Status.FAILED and "driver process ended" in state.message
    assert (sweep_dir / runfiles.EVENTS).read_text() == ""


@pytest.mark.parametrize(
    "line, why",
    [
        ('{"event": "epoch_end", "t": 1, "epoch": 1, "epochs": 2, "logs": {"loss": "high"}}',
         "logs.loss: text, not a number"),
        ('{"event": "epoch_end", "t": 1, "epoch": 1, "epochs": 2, "logs": {"loss": NaN}}',
         "NaN is not a number JSON allows"),
        ('{"event": "epoch_end", "t": 1, "epoch": 1, "epochs": 5000000000, "logs": {}}',
         "epochs: 5e+09 is out of range"),
        ('{"event": "epoch_end", "t": 1, "epoch": 99999999999999999999, "epochs": 2, "logs": {}}',
         "too large a whole number"),
        ('{"event": "finished", "t": 1, "metrics": [1, 2, 3], "duration_s": 1, "data_source": "",'
         ' "device": "cpu", "artifacts": {}}', "metrics: a list, not an object"),
        ('[1, 2, 3]', "not an object"),
        ("null", "not an object"),
        ('{"event": "[/]", "t": 1}', "unknown event '[/]'"),
    ],
)  # fmt: skip
def test_a_record_of_the_wrong_type_is_dropped_and_the_run_is_unreadable(store, line, why):
    run_dir = write_run(store, mnist_events(2, end="finished"))
    with (run_dir / runfiles.EVENTS).open("a") as handle:
        handle.write(line + "\n")
    info = store.info(run_dir)
    assert info.status == Status.UNREADABLE and why in info.problem, info.problem
    assert len(info.events) == len(mnist_events(2, end="finished"))  # the rest is kept


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from tui_dl.engine.store import RunStore
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
store = RunStore(Path(sys.argv[1]))
resource.setrlimit(resource.RLIMIT_FSIZE, (40, 40))  # the disk fills after 40 bytes
try:
    store.create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
except OSError:
    pass
"""


def test_a_full_disk_leaves_no_partial_spec_json(tmp_path):
    """Case 14: spec.json is written whole or not at all (a temporary file, then a rename)."""
    subprocess.run([sys.executable, "-c", FULL_DISK, str(tmp_path)], check=True)
    (run_dir,) = tmp_path.iterdir()
    assert list(run_dir.iterdir()) == []  # no half spec.json, no temporary left
    store = RunStore(tmp_path)
    assert store.run_ids() == []
