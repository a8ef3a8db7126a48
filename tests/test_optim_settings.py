"""The course's exercises as settings (issue 27 §3): the optimizers lesson's five optimizers and
momentum on every Keras experiment with an optimizer, tf-lowlevel's hidden units and layers,
mnist-cnn's filters, kernel, blocks and dense units — each reaching the model, each refused by
name when out of range, and runs and share codes from before meaning what they meant."""

from __future__ import annotations

import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from tui_dl.engine import runfiles
from tui_dl.engine.events import EventLog
from tui_dl.engine.experiments import EXPERIMENTS, get_experiment
from tui_dl.engine.experiments.catalogue import MOMENTUM, OPTIMIZERS, cnn_sides
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.engine.store import parse_spec
from tui_dl.engine.trainers import images, kfold
from tui_dl.engine.trainers.tf_lowlevel import RawNetwork, as_keras
from tui_dl.lessons.share.codes import decode
from tui_dl.lessons.tries import check_light

WITH_OPTIMIZER = [name for name, e in EXPERIMENTS.items() if "optimizer" in e.defaults()]


def test_every_keras_experiment_with_an_optimizer_offers_the_lessons_five_and_momentum():
    assert set(WITH_OPTIMIZER) == {
        "mnist-mlp",
        "mnist-mlp-dropout",
        "mnist-cnn",
        "mammogram",
        "votes-kfold",
    }
    for name in WITH_OPTIMIZER:
        experiment = get_experiment(name)
        assert experiment.param("optimizer").choices == OPTIMIZERS  # type: ignore[attr-defined]
        assert experiment.defaults()["momentum"] == MOMENTUM == 0.9
        assert "ignore" in experiment.param("momentum").help


@pytest.mark.parametrize(
    ("name", "kind", "momentum", "nesterov"),
    [
        ("sgd", keras.optimizers.SGD, 0.0, False),  # plain: the given momentum is not used
        ("momentum", keras.optimizers.SGD, 0.8, False),
        ("nesterov", keras.optimizers.SGD, 0.8, True),
        ("rmsprop", keras.optimizers.RMSprop, None, None),
        ("adam", keras.optimizers.Adam, None, None),
    ],
)
def test_the_optimizer_setting_reaches_the_compiled_model(name, kind, momentum, nesterov):
    params = get_experiment("mnist-mlp").validate(
        {"optimizer": name, "momentum": "0.8", "learning_rate": "0.01", "hidden_units": "4"}
    )
    model = images.compile_model(
        images.ARCHITECTURES["mnist-mlp"](params),
        params["optimizer"],
        params["learning_rate"],
        params["momentum"],
    )
    optimizer = model.optimizer
    assert type(optimizer) is kind
    assert float(optimizer.learning_rate) == pytest.approx(0.01)
    if momentum is not None:
        assert optimizer.momentum == pytest.approx(momentum) and optimizer.nesterov is nesterov
    # the k-fold experiments build theirs through the same function
    small = kfold.build_model("3", "relu", name, 0.01, 1, momentum=0.8)
    assert type(small.optimizer) is kind
    if momentum is not None:
        assert small.optimizer.momentum == pytest.approx(momentum)
        assert small.optimizer.nesterov is nesterov


def test_momentum_defaults_to_0_9_for_the_two_that_use_it():
    defaults = get_experiment("votes-kfold").defaults()
    for name in ("momentum", "nesterov"):
        model = kfold.build_model("3", "relu", name, 0.01, 1, momentum=defaults["momentum"])
        assert model.optimizer.momentum == pytest.approx(0.9)


def test_cnn_settings_reach_the_model():
    course = images.cnn()  # the defaults: the course's network, layer for layer
    assert [type(layer).__name__ for layer in course.layers] == [
        "Conv2D",
        "Conv2D",
        "MaxPooling2D",
        "Dropout",
        "Flatten",
        "Dense",
        "Dropout",
        "Dense",
    ]
    assert [course.layers[i].filters for i in (0, 1)] == [32, 64]
    assert course.layers[0].kernel_size == (3, 3) and course.layers[5].units == 128
    assert course.count_params() == 1_199_882  # Keras's mnist_cnn example's count

    defaults = get_experiment("mnist-cnn").defaults()
    assert images.ARCHITECTURES["mnist-cnn"](defaults).count_params() == course.count_params()

    params = get_experiment("mnist-cnn").validate(
        {"filters": "8", "kernel_size": "5", "conv_blocks": "2", "dense_units": "16"}
    )
    model = images.ARCHITECTURES["mnist-cnn"](params)
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [8, 16, 16, 32]
    assert {c.kernel_size for c in convs} == {(5, 5)}
    assert sum(isinstance(layer, keras.layers.MaxPooling2D) for layer in model.layers) == 2
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [d.units for d in dense] == [16, 10]
    flat = next(layer for layer in model.layers if isinstance(layer, keras.layers.Flatten))
    assert flat.output.shape[1] == 32 * cnn_sides(5, 2)[-1] ** 2  # 28 → 10 → 1: 1×1×32


def test_the_block_check_agrees_with_keras_for_every_kernel_and_count():
    """What the form refuses is exactly what Keras could not build (or would build down to
    nothing), and the side it promises is the one Keras makes."""
    spec = get_experiment("mnist-cnn")
    for kernel in range(1, 10):
        for blocks in range(1, 5):
            try:
                sides = cnn_sides(kernel, blocks)
            except ValueError:
                sides = None
            try:
                model = images.cnn(1, kernel, blocks, 1)
                pooled = model.layers[4 * blocks - 2].output.shape[1]
            except ValueError:
                pooled = None
            if sides is None:
                assert not pooled, (kernel, blocks, pooled)
            else:
                assert pooled == sides[-1], (kernel, blocks)
            if sides is None:
                with pytest.raises(ValueError, match="Conv blocks: "):
                    spec.validate({"kernel_size": kernel, "conv_blocks": blocks})
            else:
                spec.validate({"kernel_size": kernel, "conv_blocks": blocks})


def test_too_many_blocks_are_refused_before_launch_saying_how_many_fit():
    assert cnn_sides(3, 2) == [28, 12, 4]
    assert cnn_sides(1, 4) == [28, 14, 7, 3, 1]
    with pytest.raises(ValueError) as refused:
        get_experiment("mnist-cnn").validate({"conv_blocks": "3"})
    said = str(refused.value)
    assert said.startswith("Conv blocks: 3 blocks of 3×3")
    assert "28×28 → 12×12 → 4×4 → nothing in block 3" in said
    assert "at most 2 blocks fit" in said
    with pytest.raises(ValueError, match="at most 1 block fit"):
        get_experiment("mnist-cnn").validate({"conv_blocks": "2", "kernel_size": "9"})


@pytest.mark.parametrize(
    ("experiment", "values", "words"),
    [
        ("mnist-cnn", {"conv_blocks": "5"}, "Conv blocks: must be at most 4"),
        ("mnist-cnn", {"conv_blocks": "0"}, "Conv blocks: must be at least 1"),
        ("mnist-cnn", {"kernel_size": "10"}, "Kernel size: must be at most 9"),
        ("mnist-cnn", {"filters": "0"}, "Filters: must be at least 1"),
        ("mnist-cnn", {"filters": "300"}, "Filters: must be at most 256"),
        ("mnist-cnn", {"dense_units": "1.5"}, "Dense units: '1.5' is not a whole number"),
        ("tf-lowlevel", {"hidden_layers": "3"}, "Hidden layers: must be at most 2"),
        ("tf-lowlevel", {"hidden_layers": "0"}, "Hidden layers: must be at least 1"),
        ("tf-lowlevel", {"hidden_units": "0"}, "Hidden units: must be at least 1"),
        ("mnist-mlp", {"momentum": "1"}, "Momentum: must be at most 0.999"),
        ("votes-kfold", {"momentum": "-0.1"}, "Momentum: must be at least 0"),
        (
            "mammogram",
            {"optimizer": "adagrad"},
            "Optimizer: choose one of sgd, momentum, nesterov, rmsprop, adam",
        ),
    ],
)
def test_out_of_range_settings_are_refused_by_name(experiment, values, words):
    with pytest.raises(ValueError, match=words):
        get_experiment(experiment).validate(values)


def test_the_command_line_refuses_too_many_blocks_and_says_momentum_is_ignored():
    env = {**os.environ, "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-m", "tui_dl", "run", "mnist-cnn", "--conv-blocks", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 2 and "Conv blocks: 3 blocks of 3×3" in done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "tui_dl", "run", "mnist-mlp", "-h"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    said = " ".join(helped.stdout.split())
    assert "--momentum" in said and "sgd, rmsprop and adam ignore it" in said
    assert "sgd | momentum | nesterov | rmsprop | adam" in said


def test_tf_lowlevel_settings_reach_the_network_and_its_keras_twin():
    network = RawNetwork(3, hidden_units=32, hidden_layers=2)
    assert network.names == ["w1", "b1", "w2", "b2", "w3", "b3"]
    assert [tuple(v.shape) for v in network.variables[::2]] == [(784, 32), (32, 32), (32, 10)]
    twin = as_keras(network)
    assert [layer.units for layer in twin.layers] == [32, 32, 10]
    x = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    np.testing.assert_allclose(twin.predict(x, verbose=0), network(x).numpy(), atol=1e-5)
    one = RawNetwork(3, hidden_units=16)
    assert one.names == ["w1", "b1", "w2", "b2"] and [
        layer.units for layer in as_keras(one).layers
    ] == [16, 10]


def test_the_course_network_draws_the_weights_it_drew_before_the_settings():
    """Seed 7's first weights as the trainer drew them before hidden units and layers were
    settings (read off the code of that time): an old run reruns the same."""
    network = RawNetwork(7)
    sums = [float(np.round(v.numpy().astype(np.float64).sum(), 4)) for v in network.variables]
    assert sums == [46.3662, 0.0, -43.6332, 0.0]
    np.testing.assert_allclose(
        network.variables[2].numpy()[0, :3], [-1.0065291, -1.0452507, 0.1763587], rtol=1e-6
    )


OLD_SPEC = {
    "experiment": "mnist-cnn",
    "device": "cpu",
    "data_dir": None,
    "params": {  # a spec written before the settings of issue 27 §3
        "epochs": 10,
        "batch_size": 32,
        "learning_rate": 0.001,
        "optimizer": "sgd",
        "dataset": "mnist",
        "patience": 0,
        "train_limit": 0,
        "seed": 42,
    },
}


def test_an_old_run_spec_loads_and_means_what_it_meant():
    spec, problem = parse_spec(OLD_SPEC)
    assert problem is None and spec["params"]["optimizer"] == "sgd"
    experiment = get_experiment("mnist-cnn")
    params = experiment.complete(spec["params"])
    assert params["conv_blocks"] == 1 and params["filters"] == 32
    model = images.compile_model(
        images.ARCHITECTURES["mnist-cnn"](params),
        params["optimizer"],
        params["learning_rate"],
        params["momentum"],
    )
    assert model.count_params() == 1_199_882  # the course's network
    assert type(model.optimizer) is keras.optimizers.SGD
    assert model.optimizer.momentum == 0.0 and model.optimizer.nesterov is False  # plain SGD
    for old in ("rmsprop", "adam", "sgd"):  # every old choice still fits a spec
        assert parse_spec({**OLD_SPEC, "params": {"optimizer": old}})[1] is None
    assert parse_spec({**OLD_SPEC, "params": {"optimizer": "adagrad"}})[1]


def test_an_old_share_code_opens_the_same_plain_sgd():
    # made before the settings of issue 27 §3: `lab mnist-mlp optimizer=sgd learning_rate=0.01`
    shared = decode("TD1-83GM-AW59-88HD-06CR-XRT4-800M-ER")
    assert shared.text == "lab mnist-mlp optimizer=sgd learning_rate=0.01"
    check_light(shared.target)
    params = get_experiment("mnist-mlp").validate(shared.target.params)
    model = images.compile_model(
        images.ARCHITECTURES["mnist-mlp"](params),
        params["optimizer"],
        params["learning_rate"],
        params["momentum"],
    )
    assert type(model.optimizer) is keras.optimizers.SGD and model.optimizer.momentum == 0.0


def run_to_end(experiment: str, params: dict) -> tuple[list[dict], keras.Model]:
    """A real run through the engine: its events and the model it saved."""
    handle = launch_run(experiment, params)
    code = handle.wait(240)
    handle.reaper.join(5)
    events = EventLog(handle.run_dir).read_all()
    log = (handle.run_dir / runfiles.LOG).read_text()[-1500:]
    assert code == 0 and events[-1]["event"] == "finished", (events[-1], log)
    return events, keras.models.load_model(handle.run_dir / runfiles.MODEL)


@pytest.mark.slow
def test_a_real_tf_lowlevel_run_with_two_hidden_layers():
    events, model = run_to_end(
        "tf-lowlevel",
        {
            "steps": 40,
            "display_every": 20,
            "batch_size": 50,
            "hidden_units": 32,
            "hidden_layers": 2,
        },
    )
    started = next(e for e in events if e["event"] == "started")
    assert started["model"]["layers"] == ["w1", "b1", "w2", "b2", "w3", "b3"]
    assert [layer.units for layer in model.layers] == [32, 32, 10]
    assert 0 <= events[-1]["metrics"]["test_accuracy"] <= 1


@pytest.mark.slow
def test_a_real_mnist_cnn_run_with_one_small_block_and_nesterov():
    events, model = run_to_end(
        "mnist-cnn",
        {
            "epochs": 1,
            "train_limit": 200,
            "conv_blocks": 1,
            "filters": 4,
            "kernel_size": 5,
            "dense_units": 16,
            "optimizer": "nesterov",
            "momentum": 0.5,
        },
    )
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [4, 8] and convs[0].kernel_size == (5, 5)
    assert [d.units for d in model.layers if isinstance(d, keras.layers.Dense)] == [16, 10]
    optimizer = model.optimizer
    assert type(optimizer) is keras.optimizers.SGD and optimizer.nesterov is True
    assert optimizer.momentum == pytest.approx(0.5)
    assert 0 <= events[-1]["metrics"]["test_accuracy"] <= 1
