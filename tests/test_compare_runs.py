"""Runs side by side (issue 27 §5): `tui-dl runs --compare`, from run folders written here."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.fakes import mnist_events
from tui_dl.analysis.compare import CompareRefused, compare_runs
from tui_dl.cli import main
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.store import RunStore


def write_run(store: RunStore, accuracy: float | None, experiment="mnist-mlp", **params) -> Path:
    """A finished run (or, with accuracy None, one cut after 3 epochs) with these settings."""
    defaults = get_experiment(experiment).defaults()
    run_dir = store.create(
        {"experiment": experiment, "params": {**defaults, **params}, "device": "cpu"}
    )
    events = mnist_events(10, end="finished") if accuracy is not None else mnist_events(3)
    for event in events:
        if event["event"] == Event.FINISHED:
            event["metrics"] = {"test_accuracy": accuracy, "test_loss": 1 - accuracy}
    (run_dir / runfiles.EVENTS).write_text("".join(json.dumps(e) + "\n" for e in events))
    time.sleep(0.01)
    return run_dir


@pytest.fixture
def three() -> tuple[RunStore, list[Path]]:
    store = RunStore()
    runs = [
        write_run(store, 0.91, learning_rate=0.01),
        write_run(store, 0.95, learning_rate=0.001),
        write_run(store, 0.93, learning_rate=0.001, dropout=0.5),
    ]
    return store, runs


def test_the_columns_are_the_settings_that_differ_and_the_rest_is_said_once(three):
    store, runs = three
    compared = compare_runs([store.info(r) for r in runs])
    assert compared.settings == ("learning_rate", "dropout")
    assert compared.labels["learning_rate"] == "Learning rate"
    assert "epochs" in compared.shared and "learning_rate" not in compared.shared
    assert [compared.setting(i, "learning_rate") for i in compared.runs] == [0.01, 0.001, 0.001]
    # The same settings everywhere: no setting column at all.
    same = [write_run(store, 0.9), write_run(store, 0.8)]
    assert compare_runs([store.info(r) for r in same]).settings == ()


def test_a_setting_one_run_does_not_name_is_a_column_not_a_shared_value(three):
    store, runs = three
    older = write_run(store, 0.9, learning_rate=0.01)
    spec = json.loads((older / runfiles.SPEC).read_text())
    del spec["params"]["dropout"]
    (older / runfiles.SPEC).write_text(json.dumps(spec))
    compared = compare_runs([store.info(runs[0]), store.info(older)])
    assert compared.settings == ("dropout",)
    assert compared.setting(compared.runs[1], "dropout") is None


def test_against_the_baseline_each_result_says_by_how_much_and_which_way(three):
    store, runs = three
    infos = [store.info(r) for r in runs]
    compared = compare_runs(infos, baseline=infos[1].run_id)
    worse, base, better = infos[0], infos[1], infos[2]
    assert compared.delta(base, "accuracy") is None
    assert compared.delta(worse, "accuracy") == pytest.approx(0.91 - 0.95)
    assert compared.better(worse, "accuracy") is False
    # A loss that is lower is better: the sign flips, the verdict does not.
    assert compared.delta(worse, "loss") == pytest.approx(0.09 - 0.05)
    assert compared.better(worse, "loss") is False
    # Against the worst run instead, the same run is better.
    flipped = compare_runs(infos, baseline=worse.run_id)
    assert flipped.better(base, "accuracy") is True and flipped.better(better, "loss") is True


def test_sorted_by_accuracy_best_first_and_a_run_without_one_last(three):
    store, runs = three
    unfinished = write_run(store, None, learning_rate=0.1)
    compared = compare_runs([store.info(r) for r in [*runs, unfinished]])
    order = compared.sorted_by("accuracy", descending=True).runs
    assert [i.accuracy for i in order] == [0.95, 0.93, 0.91, None]
    by_rate = compared.sorted_by("learning_rate").runs
    assert [compared.setting(i, "learning_rate") for i in by_rate] == [0.001, 0.001, 0.01, 0.1]


def test_refusals_name_what_is_wrong(three):
    store, runs = three
    one = store.info(runs[0])
    with pytest.raises(CompareRefused, match="two runs or more; 1 given"):
        compare_runs([one])
    with pytest.raises(CompareRefused, match="given twice"):
        compare_runs([one, store.info(runs[0])])
    with pytest.raises(CompareRefused, match="baseline nope is not one"):
        compare_runs([one, store.info(runs[1])], baseline="nope")


def test_the_cli_prints_the_aligned_table_and_json(three, capsys, monkeypatch):
    store, runs = three
    ids = [r.name for r in runs]
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["runs", "--compare", *ids, "--baseline", ids[1], "--sort", "accuracy"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = lines[0]
    assert "Learning rate" in header and "Dropout" in header and "accuracy" in header
    assert "Epochs" not in header and "status" not in header  # shared: said once below
    assert "The same in every run: status finished, Epochs 10" in out
    rows = lines[1:4]
    assert "(baseline)" in rows[0] and "95.0 %" in rows[0]
    assert "93.0 % -2.0 pts" in rows[1] and "91.0 % -4.0 pts" in rows[2]
    assert main(["runs", "--compare", *ids, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"] == ["learning_rate", "dropout"]
    assert [r["results"]["accuracy"] for r in report["runs"]] == [0.91, 0.95, 0.93]


def test_at_80_columns_the_table_turns_a_column_per_run(three, capsys, monkeypatch):
    store, runs = three
    ids = [r.name for r in runs]
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["runs", "--compare", *ids, "--baseline", ids[1]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    for n, (line, run_id) in enumerate(zip(lines[:3], ids, strict=True), 1):
        number, start = line.split()
        assert number == f"#{n}" and run_id.startswith(start)  # a start `--compare` takes
    assert lines[3].split() == ["#1", "#2", "(baseline)", "#3"]
    rate = next(line for line in lines if line.startswith("Learning rate"))
    assert rate.split()[2:] == ["0.01", "0.001", "0.001"]
    accuracy = next(line for line in lines if line.startswith("accuracy"))
    assert accuracy.split()[1:] == ["91.0", "%", "-4.0", "pts", "95.0", "%", "93.0", "%"] + [
        "-2.0",
        "pts",
    ]


def test_the_cli_refuses_by_name(three, capsys):
    store, runs = three
    assert main(["runs", "--compare", runs[0].name, "nosuchrun"]) == 2
    assert "no run 'nosuchrun'" in capsys.readouterr().err
    assert main(["runs", "--compare", runs[0].name, runs[1].name, "--sort", "colour"]) == 2
    assert "cannot sort by 'colour'" in capsys.readouterr().err
    assert main(["runs", "--baseline", runs[0].name]) == 2
    assert "go with --compare" in capsys.readouterr().err


def test_a_setting_that_looks_like_markup_prints_as_typed(capsys):
    store = RunStore()
    a = write_run(store, 0.9, dataset="mnist")
    b = write_run(store, 0.8)
    spec = json.loads((b / runfiles.SPEC).read_text())
    spec["params"]["note"] = "[bold]x[/bold]"
    (b / runfiles.SPEC).write_text(json.dumps(spec))
    assert main(["runs", "--compare", a.name, b.name]) == 0
    out = capsys.readouterr().out
    assert "[bold]x[/bold]" in out, out


# ----- the runs list as a table: the settings that differ, a filter, a sort ---------------------
def test_the_list_has_a_column_for_each_setting_that_differs_among_the_runs_shown(three):
    from tui_dl.analysis.compare.listing import listing

    store, runs = three
    infos = [store.info(r) for r in reversed(runs)]  # newest first, as the store lists them
    table = listing(infos)
    assert table.keys[5:] == ("learning_rate", "dropout")
    assert table.labels[5:] == ("Learning rate", "Dropout")
    # Filtered to the two at rate 0.001, the rate is the same in both: no longer a column.
    narrowed = listing(infos, "learning-rate=1e-3")
    assert [row[0] for row in narrowed.rows] == [runs[2].name, runs[1].name]
    assert narrowed.keys[5:] == ("dropout",) and narrowed.total == 3


def test_the_filter_takes_words_and_setting_values_and_says_what_it_does_not_know(three):
    from tui_dl.analysis.compare.listing import listing

    store, runs = three
    infos = [store.info(r) for r in reversed(runs)]
    assert len(listing(infos, "Dropout=0.5").rows) == 1
    assert len(listing(infos, "dropout=0").rows) == 2
    assert len(listing(infos, "experiment=mnist-mlp status=finished").rows) == 3
    assert len(listing(infos, "0.01").rows) == 1  # a word: any value holding it
    assert len(listing(infos, "experiment=imdb-lstm").rows) == 0
    odd = listing(infos, "colour=red dropout=0.5")
    assert "no setting named 'colour'" in odd.problem and len(odd.rows) == 1


def test_the_list_sorts_by_accuracy_best_first_and_by_a_setting_smallest_first(three):
    from tui_dl.analysis.compare.listing import listing

    store, runs = three
    infos = [store.info(r) for r in reversed(runs)]
    assert [row[2] for row in listing(infos, sort="accuracy").rows] == [
        "95.0 %",
        "93.0 %",
        "91.0 %",
    ]
    by_rate = listing(infos, sort="learning_rate").rows
    assert [row[5] for row in by_rate] == ["0.001", "0.001", "0.01"]
