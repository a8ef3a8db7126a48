"""The Playground's network in Keras: the exported script and the playground experiment take
the same steps as the numpy Playground, from the same first weights.

The fast tests read the script as text; the slow ones import TensorFlow (one SGD step in this
process, the script and a run each in a child)."""

from __future__ import annotations

import ast
import json
import os
import re

import numpy as np
import pytest

from tests.script_runner import run_script
from tui_dl.analysis.artifacts import (
    PlaygroundBoundary,
    load_playground_boundary,
    save_playground_boundary,
)
from tui_dl.cli.parser import build_parser, settings
from tui_dl.engine import runfiles
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.experiments.catalogue import PLAYGROUND_DEFAULT
from tui_dl.engine.playground.export import keras_script, network_setup, parameters
from tui_dl.engine.playground.session import Playground, features
from tui_dl.engine.playground.state import PlaygroundState, parse_state

SETUPS = {
    "tanh, square loss": "",
    "softmax, 3 classes": "dataset=gauss&classes=3&networkShape=4,3&activation=relu",
    "softmax, 2 classes": "loss=xent&activation=sigmoid",
    "L2": "regularization=L2&regularizationRate=0.3&networkShape=3",
    "L1": "regularization=L1&regularizationRate=0.1",
    "regression, linear output": "problem=regression&regDataset=reg-gauss&networkShape=5,3",
}


def literals(script: str) -> dict[str, object]:
    """The script's top-level constants (NETWORK, WEIGHTS, TRAIN, …), read back."""
    found = {}
    for node in ast.parse(script).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.isupper():
                try:
                    found[name] = ast.literal_eval(node.value)
                except ValueError:
                    continue  # FEATURES: functions, not data
    return found


# ----- the script, as text ----------------------------------------------------------------------
def test_the_script_compiles_and_holds_the_state_the_exact_weights_and_points():
    state = "regularization=L2&regularizationRate=0.01&networkShape=3,2&dropout=0.1,0&batchSize=30"
    playground = Playground(parse_state(state))
    playground.train(3)  # the weights now, not the first ones, are where Keras starts
    script = keras_script(playground, epochs=40)
    compile(script, "playground_keras.py", "exec")
    text = playground.state.to_string()
    assert text in "\n".join(script.splitlines()[:4])  # in a comment at the top
    assert "after 3 epochs" in script
    assert "short batch" in script  # the one known difference is said

    data = literals(script)
    assert data["STATE"] == text and data["EPOCHS"] == 40
    assert data["NETWORK"] == network_setup(playground)
    assert data["NETWORK"]["dropout"] == [0.1, 0.0]
    weights, biases = parameters(playground)
    assert data["WEIGHTS"] == weights and data["BIASES"] == biases  # every float exact
    assert [np.asarray(w) for w in data["WEIGHTS"]][0].tobytes() == (
        playground.network.weights[0].tobytes()
    )
    assert data["TRAIN"]["xy"] == playground.points.train_xy.tolist()
    assert data["TEST"]["labels"] == playground.points.test_y.astype(int).tolist()

    imported = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported == {"keras", "numpy", "sys"}  # no tui_dl: it runs anywhere Keras does


def test_the_script_trains_as_long_as_the_state_says_unless_told():
    stops = Playground(parse_state("stopEpochs=25"))
    assert literals(keras_script(stops))["EPOCHS"] == 25
    assert literals(keras_script(Playground(parse_state(""))))["EPOCHS"] == 300
    regression = Playground(parse_state("problem=regression"))
    assert literals(keras_script(regression))["TRAIN"]["labels"] == (
        regression.points.train_y.tolist()
    )


# ----- the experiment -----------------------------------------------------------------------
def test_the_experiment_takes_a_state_string_checked_before_launch():
    experiment = get_experiment("playground")
    assert PLAYGROUND_DEFAULT == PlaygroundState().to_string()
    defaults = experiment.defaults()
    assert defaults["state"] == PLAYGROUND_DEFAULT and defaults["epochs"] == 300
    settled = experiment.validate({"state": "networkShape=3&learningRate=0.1"})
    assert parse_state(settled["state"]) == parse_state("networkShape=3&learningRate=0.1")
    url = experiment.validate({"state": "https://playground.tensorflow.org/#networkShape=5"})
    assert parse_state(url["state"]).networkShape == [5]
    with pytest.raises(ValueError, match="State: learningRate=20: must be 0.00001 to 10"):
        experiment.validate({"state": "learningRate=20"})
    with pytest.raises(ValueError, match="csv=.*no such file"):
        experiment.validate({"state": "csv=/nowhere/points.csv"})
    with pytest.raises(ValueError, match="Epochs: must be at most 100000"):
        experiment.validate({"epochs": "100001"})


def test_the_command_line_takes_the_state_as_a_flag():
    args = build_parser().parse_args(
        ["run", "playground", "--state", "networkShape=3", "--epochs", "50", "--json"]
    )
    assert settings(args) == {"state": "networkShape=3", "epochs": "50"}
    assert args.json


def test_the_boundary_file_round_trips(tmp_path):
    boundary = PlaygroundBoundary(
        state="networkShape=3",
        epoch=2,
        epochs=10,
        value=np.linspace(-1, 1, 12).reshape(3, 4),
        outputs=np.linspace(-1, 1, 12).reshape(3, 4, 1),
        losses=np.array([[0.5, 0.6], [0.4, 0.5], [0.3, 0.4]]),
        accuracy=np.full((3, 2), np.nan),
        parameters=[np.ones((2, 3)), np.zeros(3), np.ones((3, 1)), np.zeros(1)],
    )
    assert save_playground_boundary(tmp_path, boundary) == runfiles.PLAYGROUND
    loaded = load_playground_boundary(tmp_path)
    assert (loaded.state, loaded.epoch, loaded.epochs) == ("networkShape=3", 2, 10)
    assert loaded.value == pytest.approx(boundary.value, abs=1e-7)
    assert loaded.losses.tolist() == boundary.losses.tolist()
    assert [p.shape for p in loaded.parameters] == [(2, 3), (3,), (3, 1), (1,)]
    assert not list(tmp_path.glob("*.partial*"))


# ----- in Keras ---------------------------------------------------------------------------------
@pytest.fixture
def keras_model():
    """The script's code, computing in float64 as it does (floatx put back afterwards)."""
    import keras

    from tui_dl.engine.playground import keras_model

    before, policy = keras.config.floatx(), keras.config.dtype_policy()
    keras_model.use_float64()
    yield keras_model
    keras.config.set_floatx(before)
    keras.config.set_dtype_policy(policy)


@pytest.mark.slow
@pytest.mark.parametrize("text", SETUPS.values(), ids=SETUPS.keys())
def test_one_keras_sgd_step_is_the_playgrounds_update(keras_model, text):
    playground = Playground(parse_state(text))
    network = network_setup(playground)
    model = keras_model.build_model(network, *parameters(playground))
    keras_model.compile_model(model, network)
    size = playground.state.batchSize
    x, t = playground.train_x[:size], playground.train_t[:size]
    start = [p.copy() for p in playground.network.parameters()]
    assert all(
        np.array_equal(k, p) for k, p in zip(model.get_weights(), start, strict=True)
    )  # the same first weights, bit for bit
    model.train_on_batch(x, t)
    playground.network.accumulate(x, t, playground.dropout_rng)
    playground.network.update(playground.state.learningRate, playground.state.regularizationRate)
    for got, expected, before in zip(
        model.get_weights(), playground.network.parameters(), start, strict=True
    ):
        assert not np.allclose(expected, before)  # the step moved it…
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)  # …the same way
    out = np.asarray(model(playground.test_x))
    assert keras_model.playground_loss(network, out, playground.test_t) == pytest.approx(
        playground.loss(playground.test_x, playground.test_t), abs=1e-9
    )


@pytest.mark.slow
def test_the_scripts_features_are_the_playgrounds(keras_model):
    state = parse_state(
        "x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
    )
    xy = np.random.default_rng(0).uniform(-6, 6, size=(50, 2))
    assert np.array_equal(keras_model.features(state.features, xy), features(state, xy))


@pytest.mark.slow
def test_the_exported_script_runs_alone_and_lands_where_the_playground_does(tmp_path):
    playground = Playground(parse_state(""))
    script = tmp_path / "playground_keras.py"
    script.write_text(keras_script(playground))
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = run_script(script, "100", cwd=tmp_path, env=env, timeout=400)  # a fork, warm
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"After (\d+) epochs.*train loss ([\d.]+), test loss ([\d.]+)", done.stdout)
    assert found, done.stdout[-2000:]
    assert found[1] == "100" and "Epoch 100/100" in done.stdout
    playground.train(100)
    train_loss, test_loss = playground.history[-1]
    assert float(found[3]) == pytest.approx(test_loss, abs=0.05)
    assert float(found[3]) == pytest.approx(test_loss, abs=1e-5)  # in fact: the same steps
    assert float(found[2]) == pytest.approx(train_loss, abs=1e-5)
    assert "test accuracy" in done.stdout


@pytest.mark.slow
def test_a_playground_run_reports_like_every_run_and_redraws_its_boundary():
    from test_cli import tui_dl

    state = "networkShape=3&regularization=L2&regularizationRate=0.01"
    done = tui_dl(
        "run", "playground", "--state", state, "--epochs", "25", "--every", "10", "--json"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["experiment"] == "playground" and report["status"] == "finished"
    assert report["epochs_completed"] == 25
    assert set(report["history"][-1]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    metrics = report["metrics"]
    assert set(metrics) == {"train_loss", "test_loss", "train_accuracy", "test_accuracy"}

    boundary = load_playground_boundary(report["run_dir"])
    assert (boundary.epoch, boundary.epochs) == (25, 25)
    assert boundary.value.shape == (30, 60) and boundary.outputs.shape == (30, 60, 1)
    assert boundary.losses.shape == (26, 2) and boundary.accuracy.shape == (26, 2)
    assert parse_state(boundary.state) == parse_state(state)
    assert boundary.losses[-1, 1] == pytest.approx(metrics["test_loss"])
    assert np.abs(boundary.value).max() <= 1

    playground = Playground(parse_state(state))
    playground.train(25)
    assert np.abs(boundary.losses - np.asarray(playground.history)).max() < 1e-6
    numpy_value = playground.value(playground.grid(60, 30)[-1])
    assert np.abs(boundary.value - numpy_value).max() < 1e-5  # float32 on disk
    for got, expected in zip(boundary.parameters, playground.network.parameters(), strict=True):
        np.testing.assert_allclose(got, expected, atol=1e-7)
