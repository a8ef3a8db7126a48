"""A sweep over any setting, and several seeds per cell — without training: the axes' checks,
the cells a plan runs, and each cell's runs pooled into mean ± standard deviation."""

from __future__ import annotations

import statistics

import pytest

from tui_dl.cli import main
from tui_dl.cli.sweep import lesson_lines, spread_table, sweep_report
from tui_dl.engine.events import Status
from tui_dl.engine.sweeps.grid import MAX_CELLS, plan_sweep, split_lists
from tui_dl.engine.sweeps.launch import cell_params, list_sweeps, sweep_spec
from tui_dl.engine.sweeps.spread import best_group, group_cells, most_varied
from tui_dl.engine.sweeps.state import CellState, SweepState, spec_cells


# ----- axes --------------------------------------------------------------------------------------
def test_any_number_or_choice_setting_is_an_axis_and_a_single_value_is_shared():
    plan = plan_sweep(
        "mnist-mlp",
        {"epochs": "1"},
        {"hidden_units": "32,128,512", "optimizer": "sgd, adam", "dropout": "0.2"},
    )
    assert plan.axes == [("hidden_units", [32, 128, 512]), ("optimizer", ["sgd", "adam"])]
    assert plan.base["dropout"] == 0.2 and plan.base["epochs"] == 1
    assert plan.points()[:2] == [
        {"hidden_units": 32, "optimizer": "sgd"},
        {"hidden_units": 32, "optimizer": "adam"},
    ]
    assert plan.runs == 6 and plan.values("learning_rate") == [plan.base["learning_rate"]]


@pytest.mark.parametrize(
    ("lists", "seeds", "message"),
    [
        ({"hidden_units": "32,0"}, 1, "Hidden units list: must be at least 1"),
        ({"dropout": "0,1.5"}, 1, "Dropout list: must be at most 0.95 (got 1.5)"),
        ({"dropout": "0,5"}, 1, "Dropout list: must be at most 0.95 (got 5)"),
        ({"optimizer": "sgd,lbfgs"}, 1, "Optimizer list: choose one of"),
        ({"hidden_units": "8,x"}, 1, "Hidden units list: 'x' is not a whole number$"),
        ({"colour": "1,2"}, 1, "mnist-mlp has no setting 'colour' to sweep"),
        ({"seed": "1,2"}, 1, "seed is not an axis: --seeds K"),
        (
            {"hidden_units": "8,16", "dropout": "0,0.5", "optimizer": "sgd,adam"},
            1,
            "3 axes (hidden_units, dropout, optimizer): at most 2 at a time",
        ),
        ({"hidden_units": "8,16"}, 0, "--seeds 0: each cell needs at least one run"),
        ({"hidden_units": "8,16"}, -2, "--seeds -2: each cell needs at least one run"),
        ({"hidden_units": "8,16,32"}, 9, f"× 9 seeds = 27 runs; at most {MAX_CELLS}"),
    ],
)
def test_a_bad_axis_or_seed_count_is_refused_by_name(lists, seeds, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan_sweep("mnist-mlp", {}, lists, seeds)


def test_a_text_or_file_setting_cannot_be_an_axis():
    with pytest.raises(ValueError, match=r"CSV file \(csv\) cannot be swept|\(csv\) cannot be"):
        plan_sweep("mammogram", {}, {"csv": "a.csv,b.csv"})


def test_commas_make_a_list_except_in_a_setting_whose_syntax_has_them():
    shared, lists = split_lists("votes-kfold", {"hidden": "64,32", "k": "5,10", "epochs": "2"})
    assert shared == {"hidden": "64,32", "epochs": "2"} and lists == {"k": "5,10"}


def test_seeds_run_each_cell_from_the_base_seed_up():
    plan = plan_sweep("mnist-mlp", {"seed": "7"}, {"batch_size": "32,1024"}, seeds=3)
    spec = sweep_spec("s", plan)
    assert [(c["batch_size"], c["seed"]) for c in spec["cells"]] == [
        (32, 7), (32, 8), (32, 9), (1024, 7), (1024, 8), (1024, 9),
    ]  # fmt: skip
    assert cell_params(spec, spec["cells"][4])["seed"] == 8
    assert [c.settings for c in spec_cells(spec)][::3] == [{"batch_size": 32}, {"batch_size": 1024}]
    once = sweep_spec("s", plan_sweep("mnist-mlp", {"seed": "7"}, {"batch_size": "32,64"}))
    assert [c["seed"] for c in once["cells"]] == [None, None]  # the settings' seed, 7


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--hidden-units", "32,0"], "Hidden units list: must be at least 1"),
        (["--seed", "1,2"], "seed is not an axis"),
        (["--lr", "0.1,0.01", "--seeds", "0"], "--seeds 0"),
        (["--lr", "0.1,0.01", "--dropout", "0,0.5", "--optimizer", "sgd,adam"], "3 axes"),
    ],
)
def test_the_cli_refuses_before_anything_starts(capsys, args, said):
    assert main(["sweep", "mnist-mlp", *args]) == 2
    assert said in capsys.readouterr().err.replace("\n", " ")
    assert list_sweeps() == []


def test_the_cli_refuses_an_unknown_setting_by_name(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "mnist-mlp", "--colour", "1,2"])
    assert exit_.value.code == 2 and "--colour" in capsys.readouterr().err
    assert list_sweeps() == []


# ----- several seeds per cell: mean ± spread ------------------------------------------------------
def seeded_state(small: list[float], large: list[float]) -> SweepState:
    """A finished batch-size sweep, 32 against 1024, one result per seed."""
    plan = plan_sweep("mnist-mlp", {}, {"batch_size": "32,1024"}, seeds=len(small))
    spec = {**sweep_spec("20261122-120000-mnist-mlp-abcd", plan), "device": "cpu"}
    cells = spec_cells(spec)
    for cell, metric in zip(cells, small + large, strict=True):
        cell.status, cell.metric = Status.FINISHED, metric
    return SweepState(spec["sweep_id"], spec, cells, status=Status.FINISHED)


def test_each_cells_runs_are_pooled_into_mean_and_sample_standard_deviation():
    state = seeded_state([0.95, 0.96, 0.97], [0.80, 0.93, 0.88])
    small, large = group_cells(state.cells)
    assert small.settings == {"batch_size": 32} and small.members == [0, 1, 2]
    assert small.mean == pytest.approx(0.96) and small.sd == pytest.approx(0.01)
    assert large.sd == pytest.approx(statistics.stdev([0.80, 0.93, 0.88]))
    assert (large.low, large.high) == (0.80, 0.93)
    assert best_group([small, large]) == 0 and best_group([small, large], False) == 1
    report = sweep_report(state, "/x")
    assert report["groups"][1]["sd"] == pytest.approx(large.sd) and report["seeds"] == 3


def test_a_failed_run_is_left_out_of_its_cells_mean_and_one_run_has_no_spread():
    state = seeded_state([0.9, 0.5], [0.7, 0.8])
    state.cells[1].status = Status.FAILED
    small, _ = group_cells(state.cells)
    assert small.results == [0.9] and small.mean == 0.9 and small.sd is None


def test_the_sentence_names_the_cell_that_varied_most_and_turns_with_the_numbers():
    noisy_large = seeded_state([0.95, 0.96, 0.97], [0.80, 0.93, 0.88])
    line = next(s for s in lesson_lines(noisy_large) if s.startswith("most varied"))
    assert line.startswith("most varied from run to run: batch 1024 (sd 6.6 pts)")
    assert line.endswith("least: batch 32 (sd 1.0 pts)")
    noisy_small = seeded_state([0.80, 0.93, 0.88], [0.95, 0.96, 0.97])
    line = next(s for s in lesson_lines(noisy_small) if s.startswith("most varied"))
    assert line.startswith("most varied from run to run: batch 32 (sd 6.6 pts)")
    assert most_varied(group_cells(seeded_state([0.9, 0.8], [0.7, 0.6]).cells)) is None  # a tie


def test_the_cli_table_shows_mean_plus_minus_sd_and_the_range(capsys):
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(spread_table(seeded_state([0.95, 0.96, 0.97], [0.80, 0.93, 0.88])))
    text = console.export_text()
    assert "sample standard deviation" in text
    assert "96.0 % ± 1.0 pts" in text and "80.0 %–93.0 %" in text
    assert "★ 96.0 %" in text and "3/3" in text


def test_an_old_sweep_json_reads_as_rate_by_batch_axes():
    spec = {"learning_rates": [0.1, 0.01], "batch_sizes": [32], "cells": []}
    assert [c.settings for c in spec_cells(spec)] == [
        {"learning_rate": 0.1, "batch_size": 32},
        {"learning_rate": 0.01, "batch_size": 32},
    ]
    assert SweepState("s", spec, []).axes == ["learning_rate", "batch_size"]
    assert isinstance(spec_cells(spec)[0], CellState)
