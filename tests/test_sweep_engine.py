"""Sweeps through the real driver and real (tiny) runs on the offline MNIST sample."""

from __future__ import annotations

import json
import time

import pytest

from tui_dl.cli import main
from tui_dl.engine import runfiles
from tui_dl.engine.store import RunStore, pid_alive, read_pid
from tui_dl.engine.sweeps.launch import cancel_sweep, launch_sweep, list_sweeps, read_spec
from tui_dl.engine.sweeps.state import SweepState, track_sweep
from tui_dl.engine.tf_start import STARTING, WARM

pytestmark = pytest.mark.slow

TINY = {"epochs": 1, "train_limit": 300, "hidden_units": 16}


def follow(sweep_dir, until, timeout: float = 120.0) -> SweepState:
    tracker = track_sweep(sweep_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tracker.update()
        if until(tracker.state):
            return tracker.state
        time.sleep(0.1)
    pytest.fail(f"timed out; log: {(sweep_dir / runfiles.LOG).read_text()[-2000:]}")


def test_a_2x1_grid_with_two_seeds_through_the_cli_runs_each_cell_twice_and_prints_json(
    capsys, monkeypatch
):
    """One sweep (four TensorFlow children: two cells × two seeds) read two ways: the CLI's
    report, then the driver's own files and its exit code (each run is a TensorFlow start:
    one grid, not two)."""
    import tui_dl.cli.sweep as cli_sweep

    monkeypatch.setenv("TUI_DL_SPARE", "1")  # the suite turns spares off; a learner has them
    handles = []

    def launch_and_keep(*args, **kwargs):
        handles.append(launch_sweep(*args, **kwargs))
        return handles[-1]

    monkeypatch.setattr(cli_sweep, "launch_sweep", launch_and_keep)
    args = ["sweep", "mnist-mlp", "--lr", "0.01,1e30", "--batch-size", "64", "--epochs", "1"]
    code = main([*args, "--train-limit", "300", "--hidden-units", "16", "--seeds", "2", "--json"])
    out = capsys.readouterr()
    assert code == 0
    report = json.loads(out.out.strip().splitlines()[-1])
    assert [c["status"] for c in report["cells"]] == ["finished"] * 2 + ["failed"] * 2
    assert [c["verdict"] for c in report["cells"]][2:] == ["diverged", "diverged"]
    assert "best" in [c["verdict"] for c in report["cells"]][:2]
    assert report["best"]["learning_rate"] == 0.01 and report["metric"] == "test_accuracy"
    assert report["axes"] == ["learning_rate"] and report["seeds"] == 2
    seed = report["params"]["seed"]
    assert [c["seed"] for c in report["cells"]] == [seed, seed + 1] * 2
    assert f"cell 4/4  rate 1e+30  seed {seed + 1}  failed" in out.err
    # Each cell's two runs pooled: mean ± sample standard deviation, from the runs' own results.
    good_group, huge_group = report["groups"]
    results = [c["metric"] for c in report["cells"][:2]]
    assert good_group["results"] == results and huge_group["results"] == []
    assert good_group["mean"] == pytest.approx(sum(results) / 2)
    assert good_group["sd"] == pytest.approx(abs(results[0] - results[1]) / 2**0.5)
    assert "mean ± sd" in out.err and "most varied" not in out.err  # one cell has a spread

    [handle] = handles
    state = follow(handle.run_dir, lambda s: s.done)
    assert handle.wait(10) == 0
    assert state.status == "finished"
    good, good2, huge, _ = state.cells
    assert (good.learning_rate, good.batch_size, good.status) == (0.01, 64, "finished")
    assert 0.3 < good.metric <= 1.0 and good.history[0]["val_loss"] > 0
    # A failed cell is data, not the end of the sweep: NaN at a huge rate is the lesson.
    assert huge.status == "failed" and huge.verdict.code == "diverged"
    assert state.best in (0, 1)
    # Each run is an ordinary run, one after the other, recorded in sweep.json.
    spec = read_spec(handle.run_dir)
    run_ids = [c["run_id"] for c in spec["cells"]]
    assert run_ids == [c.run_id for c in state.cells]
    runs = {i.run_id: i for i in RunStore().list()}
    assert runs[good.run_id].spec["params"]["learning_rate"] == 0.01
    assert [runs[c.run_id].spec["params"]["seed"] for c in (good, good2)] == [seed, seed + 1]
    assert runs[good.run_id].final("finished")["t"] <= runs[huge.run_id].final("started")["t"]
    assert list_sweeps() == [handle.run_dir]
    # TensorFlow imported once for the sweep: each cell a fork of the driver's spare.
    for cell in state.cells:
        cell_phases = [e.get("phase") for e in runs[cell.run_id].events if e["event"] == "phase"]
        assert WARM in cell_phases and STARTING not in cell_phases, cell_phases
    assert "starting TensorFlow once" in (handle.run_dir / runfiles.LOG).read_text()


def test_cancel_stops_the_current_cell_and_the_sweep(monkeypatch):
    monkeypatch.setenv("TUI_DL_SPARE", "1")  # the cell cancelled is a fork of the spare
    params = {**TINY, "epochs": 50, "train_limit": 2000}
    handle = launch_sweep("mnist-mlp", params, [0.01, 0.001], [32], device="cpu")
    follow(handle.run_dir, lambda s: s.cells[0].epoch >= 1)
    started = time.monotonic()
    cancel_sweep(handle.run_dir)
    assert time.monotonic() - started < 4
    state = follow(handle.run_dir, lambda s: s.done, timeout=10)
    assert state.status == "cancelled"
    assert [c.status for c in state.cells] == ["cancelled", "skipped"]
    assert handle.wait(5) is not None
    run_dir = RunStore().resolve(state.cells[0].run_id)
    pid = read_pid(run_dir)
    assert pid is not None and not pid_alive(pid, run_dir)


def test_the_cli_exits_non_zero_when_every_cell_failed(capsys):
    args = ["sweep", "mnist-mlp", "--lr", "1e30", "--batch-size", "64", "--epochs", "1"]
    assert main([*args, "--train-limit", "300", "--hidden-units", "16", "--json"]) == 1
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["best"] is None and report["cells"][0]["verdict"] == "diverged"
