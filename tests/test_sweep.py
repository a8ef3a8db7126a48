"""Sweeps without training: the lesson rules, input checks, and state rebuilt from files."""

from __future__ import annotations

import json

import pytest

from tui_dl.cli import main
from tui_dl.engine import runfiles
from tui_dl.engine.events import append_event
from tui_dl.engine.sweeps.grid import MAX_CELLS, plan_sweep
from tui_dl.engine.sweeps.launch import list_sweeps, write_spec
from tui_dl.engine.sweeps.lessons import CellResult, best_cell, verdicts
from tui_dl.engine.sweeps.state import read_sweep


def cell(lr, bs, losses, val_losses=None, status="finished", metric=None, error=""):
    return CellResult(lr, bs, status, losses, val_losses or [], metric, error)


# ----- the lesson rules ------------------------------------------------------------------------
def codes(cells):
    return [v.code for v in verdicts(cells)]


def test_nan_or_a_rising_loss_overshoots():
    cells = [
        cell(10.0, 32, [], status="failed", error="NaNLoss"),
        cell(1.0, 32, [2.0, 2.4], [2.1, 2.5], metric=0.2),
        cell(0.01, 32, [0.5, 0.3], [0.4, 0.3], metric=0.9),
    ]
    assert codes(cells) == ["diverged", "overshoots", "best"]


def test_a_nan_epoch_counts_as_diverged_even_before_the_failed_event():
    assert codes([cell(10.0, 32, [2.3, None], status="running")]) == ["diverged"]


def test_rates_either_side_of_the_best_overshoot_or_crawl():
    cells = [
        cell(0.5, 64, [1.2], [1.2], metric=0.6),
        cell(0.01, 64, [0.4], [0.35], metric=0.9),
        cell(0.0001, 64, [2.0], [1.9], metric=0.5),
    ]
    assert codes(cells) == ["overshoots", "best", "crawls"]


def test_a_loss_close_to_the_best_is_ok():
    cells = [cell(0.02, 64, [0.42], [0.4], metric=0.89), cell(0.01, 64, [0.4], [0.38], metric=0.9)]
    assert codes(cells) == ["ok", "best"]


def test_a_large_batch_clearly_worse_than_a_small_one_at_the_same_rate_settled_higher():
    cells = [
        cell(0.01, 32, [0.3, 0.2], [0.3, 0.25], metric=0.93),
        cell(0.01, 1024, [0.6, 0.4], [0.5, 0.4], metric=0.88),
        cell(0.01, 256, [0.3, 0.22], [0.3, 0.26], metric=0.92),
    ]
    assert codes(cells) == ["best", "settled-higher", "ok"]


def test_no_verdict_before_the_first_epoch_and_best_only_among_finished():
    cells = [
        cell(0.1, 32, [0.3], [0.3], status="running"),
        cell(0.01, 32, [], status="pending"),
    ]
    assert codes(cells) == ["ok", ""]
    assert best_cell(cells) is None
    assert best_cell([cell(0.1, 32, [1.0], metric=0.4), cell(0.2, 32, [1.0], metric=0.3)]) == 0
    lower = [cell(0.1, 32, [1.0], metric=0.4), cell(0.2, 32, [1.0], metric=0.3)]
    assert best_cell(lower, higher_is_better=False) == 1


# ----- input checks ----------------------------------------------------------------------------
def rate_by_batch(rates: str, batches: str) -> dict[str, str]:
    return {"learning_rate": rates, "batch_size": batches}


def test_lists_are_parsed_by_the_experiments_own_settings():
    plan = plan_sweep("mnist-mlp", {"epochs": "2"}, rate_by_batch("0.1, 0.01,0.1", "32"))
    assert plan.experiment.name == "mnist-mlp" and plan.base["epochs"] == 2
    rates, batches = plan.values("learning_rate"), plan.values("batch_size")
    assert rates == [0.1, 0.01] and batches == [32]  # duplicates dropped, order kept


@pytest.mark.parametrize(
    ("rates", "batches", "message"),
    [
        ("0.1, abc", "32", "Learning rate list: 'abc' is not a number"),
        ("0.1", "32, 12.5", "Batch size list: '12.5' is not a whole number"),
        ("0.1", "0", "Batch size list: must be at least 1"),
        (" , ", "32", "Learning rate list: empty"),
        ("1,2,3,4,5,6", "1,2,3,4,5", f"= 30 runs; at most {MAX_CELLS} in one sweep"),
    ],
)
def test_a_bad_list_is_named(rates, batches, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        plan_sweep("mnist-mlp", {}, rate_by_batch(rates, batches))


def test_swept_settings_and_unknown_experiments_are_refused():
    with pytest.raises(ValueError, match="learning_rate is swept"):
        plan_sweep("mnist-mlp", {"learning_rate": "0.1"}, rate_by_batch("0.1", "32"))
    with pytest.raises(ValueError, match="unknown experiment"):
        plan_sweep("nope", {}, rate_by_batch("0.1", "32"))


def test_the_cli_refuses_a_bad_list_before_anything_starts(capsys):
    assert main(["sweep", "mnist-mlp", "--lr", "0.1,abc", "--batch-size", "32"]) == 2
    assert "'abc' is not a number" in capsys.readouterr().err
    assert list_sweeps() == []


# ----- state from files ------------------------------------------------------------------------
def write_sweep(tmp_path, finished=True):
    """A 2 × 1 sweep folder and its two cells' run folders, as the driver leaves them."""
    runs = tmp_path / "runs"
    sweep_dir = tmp_path / "sweeps" / "20261122-120000-mnist-mlp-abcd"
    sweep_dir.mkdir(parents=True)
    cells = [{"lr": 5.0, "batch_size": 32, "run_id": "r1"}, {"lr": 0.001, "batch_size": 32}]
    spec = {
        "sweep_id": sweep_dir.name,
        "experiment": "mnist-mlp",
        "params": {"epochs": 2},
        "learning_rates": [5.0, 0.001],
        "batch_sizes": [32],
        "device": "cpu",
        "created": 0,
        "cells": cells,
    }
    write_spec(sweep_dir, spec)
    curves = {"r1": ([2.3, 2.5], 0.1), "r2": ([0.6, 0.4], 0.88)}
    append_event(sweep_dir, "started", experiment="mnist-mlp", cells=2)
    for index, (run_id, (losses, metric)) in enumerate(curves.items()):
        if run_id == "r2" and not finished:
            break
        (runs / run_id).mkdir(parents=True)
        where = {"index": index, "lr": cells[index]["lr"], "batch_size": 32, "run_id": run_id}
        append_event(sweep_dir, "cell_started", cell_dir=str(runs / run_id), **where)
        for epoch, loss in enumerate(losses, 1):
            logs = {"loss": loss, "val_loss": loss, "val_accuracy": metric}
            append_event(runs / run_id, "epoch_end", epoch=epoch, epochs=2, logs=logs)
        append_event(
            runs / run_id, "finished", metrics={"test_accuracy": metric}, duration_s=1.0,
            data_source="MNIST", device="cpu", artifacts={},
        )  # fmt: skip
        append_event(sweep_dir, "cell_ended", status="finished", metric=metric, message="", **where)
    if finished:
        append_event(sweep_dir, "finished", finished=2, failed=0, duration_s=3.0)
    return sweep_dir, runs


def test_a_finished_sweep_is_rebuilt_from_its_files(tmp_path):
    sweep_dir, runs = write_sweep(tmp_path)
    state = read_sweep(sweep_dir, runs)
    assert state.status == "finished"
    assert [(c.learning_rate, c.run_id, c.status) for c in state.cells] == [
        (5.0, "r1", "finished"),
        (0.001, "r2", "finished"),
    ]
    assert [c.metric for c in state.cells] == [0.1, 0.88]
    assert state.best == 1
    assert [c.verdict.code for c in state.cells] == ["overshoots", "best"]
    assert state.cells[1].history[-1]["val_loss"] == 0.4


def test_a_sweep_whose_driver_died_is_marked_failed_and_its_pending_cells_skipped(tmp_path):
    sweep_dir, runs = write_sweep(tmp_path, finished=False)
    (sweep_dir / runfiles.PID).write_text("999999\n")  # no such process
    state = read_sweep(sweep_dir, runs)
    assert state.status == "failed"
    assert "driver process ended" in state.message
    assert [c.status for c in state.cells] == ["finished", "skipped"]
    events = [json.loads(line) for line in (sweep_dir / runfiles.EVENTS).read_text().splitlines()]
    assert events[-1]["event"] == "failed"  # written down once, for every later reader
