"""Each experiment of the catalogue builds and trains one short epoch through the engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tui_dl
from tests.conftest import SHARED_DATA
from tui_dl.engine import runfiles
from tui_dl.engine.events import EventLog
from tui_dl.engine.experiments import EXPERIMENTS, metric
from tui_dl.engine.jobs.launch import launch_run

VOTES = Path(SHARED_DATA or "/nonexistent") / "uci" / "house-votes-84.data"
needs_votes = pytest.mark.skipif(not VOTES.exists(), reason="TUI_DL_DATA lacks house-votes")


def finished(experiment: str, params: dict, **kwargs) -> list[dict]:
    handle = launch_run(experiment, params, **kwargs)
    code = handle.wait(240)
    handle.reaper.join(5)
    events = EventLog(handle.run_dir).read_all()
    assert code == 0 and events[-1]["event"] == "finished", (
        events[-1],
        (handle.run_dir / runfiles.LOG).read_text()[-1500:],
    )
    return events


def test_every_experiment_names_the_course_figure_and_its_runner():
    for experiment in EXPERIMENTS.values():
        ref = experiment.reference
        if ref.value is None:  # an exercise of ours: the text says the course gave no figure
            assert ref.text.startswith("no figure of its own")
        elif metric(ref.metric).share:
            assert 0 < ref.value <= 1 and ref.text
        else:  # a figure that is not a share (the VAE's loss)
            assert ref.value > 0 and ref.text
        assert ":" in experiment.runner and experiment.defaults()
        module, _, func = experiment.runner.partition(":")
        assert (Path(tui_dl.__file__).parent.parent / (module.replace(".", "/") + ".py")).is_file()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mnist-mlp-dropout", "mnist-cnn"])
def test_image_experiments_train_a_short_epoch(name):
    events = finished(name, {"epochs": 1, "train_limit": 200})
    started = next(e for e in events if e["event"] == "started")
    assert started["data_source"].startswith("MNIST — offline sample")
    layers = started["model"]["layers"]
    if name == "mnist-cnn":
        assert any("conv2d" in layer for layer in layers)
    else:
        assert sum("dropout" in layer for layer in layers) == 2
    assert 0 <= events[-1]["metrics"]["test_accuracy"] <= 1


@pytest.mark.slow
def test_early_stopping_stops_on_a_plateau():
    # A learning rate this small changes nothing: validation loss sits on a plateau.
    events = finished(
        "mnist-mlp",
        {
            "epochs": 30,
            "patience": 2,
            "learning_rate": 1e-12,
            "train_limit": 300,
            "hidden_units": 16,
        },
    )
    stop = next(e for e in events if e["event"] == "early_stop")
    epochs = [e for e in events if e["event"] == "epoch_end"]
    assert stop["stopped_epoch"] == len(epochs) < 30
    assert stop["best_epoch"] <= stop["stopped_epoch"] - 2


@needs_votes
def test_votes_cleaning_keeps_232_of_435():
    from tui_dl.analysis.votes import load_votes

    votes = load_votes(SHARED_DATA, allow_download=False)
    assert votes.raw_rows == 435 and votes.x.shape == (232, 16)
    assert set(np.unique(votes.x)) == {0.0, 1.0}
    assert votes.democrat_share_raw == pytest.approx(267 / 435)
    assert votes.democrat_share_kept == pytest.approx(votes.y.mean())
    assert "232" in votes.note()


@pytest.mark.slow
@needs_votes
def test_votes_kfold_reports_every_fold():
    events = finished("votes-kfold", {"k": 3, "epochs": 2}, data_dir=SHARED_DATA)
    folds = [e for e in events if e["event"] == "fold_end"]
    assert [f["fold"] for f in folds] == [1, 2, 3]
    assert 0 <= events[-1]["metrics"]["accuracy_mean"] <= 1


def test_the_hard_way_step_lowers_the_loss_on_a_fixed_batch():
    import tensorflow as tf

    from tui_dl.engine.trainers.tf_lowlevel import RawNetwork, cross_entropy, make_step

    rng = np.random.default_rng(0)
    x = tf.constant(rng.random((64, 784), dtype=np.float32))
    y = tf.constant(rng.integers(0, 10, 64))
    network = RawNetwork(seed=1)
    step = make_step(network, learning_rate=0.1)
    before = float(cross_entropy(network(x), y))
    for _ in range(20):
        step(x, y)
    assert float(cross_entropy(network(x), y)) < before
    clipped = cross_entropy(tf.zeros((1, 10)), tf.constant([3]))
    assert np.isfinite(float(clipped))  # log never sees a zero


@pytest.mark.slow
def test_the_hard_way_reports_per_step_and_saves_a_keras_twin():
    events = finished("tf-lowlevel", {"steps": 60, "display_every": 20, "batch_size": 50})
    points = [e for e in events if e["event"] == "epoch_end"]
    assert [p["step"] for p in points] == [20, 40, 60]
    assert set(points[0]["logs"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert points[-1]["logs"]["loss"] < points[0]["logs"]["loss"] * 1.5
    assert events[-1]["artifacts"]["model"] == runfiles.MODEL
