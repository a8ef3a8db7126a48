"""my-images through the engine: every bad input refused before launch (no TensorFlow), the
feature cache believed only for the same folder and base, and a few real runs, each checked
for several things at once (a TensorFlow child costs tens of seconds here)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from tests.my_images import fashion_folder, shape_picture, shapes_folder
from tui_dl.analysis.predictions import load_predictions
from tui_dl.cli import main
from tui_dl.data.my_images.scan import scan_folder
from tui_dl.engine import runfiles
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.experiments.experiment import Checks
from tui_dl.engine.experiments.my_images import base_scale, run_base
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.engine.store import RunStore
from tui_dl.engine.trainers.my_images.cache import cache_problem, reusable, save_cache

EXP = get_experiment("my-images")


@pytest.fixture
def shapes(tmp_path):
    return shapes_folder(tmp_path / "shapes", 12)


def refused(params: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        launch_run("my-images", params)
    assert not [r for r in RunStore().run_ids() if "my-images" in r]  # nothing was made


def fake_run(
    name: str, layers: list[str] | None, experiment: str = "mnist-mlp", nested: bool = False
) -> str:
    """A finished run's folder with a model.keras holding only a config of these layers
    (None: no model at all; `nested`: inside a functional model inside the Sequential), made
    without TensorFlow."""
    run_dir = RunStore().create({"experiment": experiment, "params": {}, "device": "cpu"})
    if layers is not None:
        inner = [{"class_name": kind, "config": {}} for kind in layers]
        if nested:
            inner = [{"class_name": "Functional", "config": {"layers": inner}}]
        config = {
            "class_name": "Sequential",
            "config": {
                "layers": [
                    {"class_name": "InputLayer", "config": {"batch_shape": [None, 28, 28, 1]}}
                ]
                + inner
            },
        }
        with zipfile.ZipFile(run_dir / runfiles.MODEL, "w") as archive:
            archive.writestr("config.json", json.dumps(config))
    return run_dir.name


# ----- before launch ------------------------------------------------------------------------


def test_the_settings_parse_and_say_what_is_wrong():
    defaults = EXP.defaults()
    assert defaults["base"] == "mobilenetv2" and defaults["weights"] == "imagenet"
    assert EXP.data_needed == ()
    with pytest.raises(ValueError, match="Your folder: empty"):
        EXP.validate({})
    with pytest.raises(ValueError, match="choose one of mobilenetv2, resnet50, vgg16, scratch"):
        EXP.validate({"folder": "x", "base": "inception"})
    with pytest.raises(ValueError, match="choose one of"):
        EXP.validate({"folder": "x", "base": "run:"})
    assert EXP.validate({"folder": "x", "base": " run:abc "})["base"] == "run:abc"
    assert Path(EXP.validate({"folder": "~/x"})["folder"]).is_absolute()


def test_each_bad_input_is_refused_before_launch_by_name(tmp_path, shapes):
    scratch = {"base": "scratch"}
    refused({**scratch, "folder": tmp_path / "nowhere"}, "nowhere: there is no such folder")
    # The folder first: the default base's weights are not here either, but no pictures is
    # what the learner must hear about.
    refused({"folder": tmp_path / "nowhere"}, "nowhere: there is no such folder")
    one = shapes_folder(tmp_path / "one", {"circles": 5})
    refused({**scratch, "folder": one}, r"one class subfolder \(circles\)")
    few = shapes_folder(tmp_path / "few", {"circles": 12, "squares": 2})
    refused({**scratch, "folder": few}, "squares has 2 pictures; a 70/15/15")
    refused({"folder": shapes}, "`tui-dl data fetch mobilenetv2-weights`.*resnet50, vgg16")
    refused({"folder": shapes, "base": "vgg16"}, "`tui-dl data fetch vgg16-weights`")
    mlp = fake_run("mlp", ["Flatten", "Dense", "Dense"])
    refused({"folder": shapes, "base": f"run:{mlp}"}, f"run {mlp}'s model has no convolutional")
    deep_mlp = fake_run("mlp", ["Flatten", "Dense"], nested=True)
    refused(
        {"folder": shapes, "base": f"run:{deep_mlp}"},
        rf"run {deep_mlp}'s model has no convolutional layers \(Functional, Flatten, Dense\)",
    )
    none = fake_run("none", None)
    refused({"folder": shapes, "base": f"run:{none}"}, f"run {none} has no model")
    refused({"folder": shapes, "base": "run:nosuchrun"}, "no such run here")
    refused(
        {"folder": shapes, "base": "scratch", "validation": 0.5, "test": 0.5},
        "fractions must each be between 0 and 1",
    )


def test_a_base_runs_convolutions_are_found_inside_the_models_it_holds(tmp_path):
    deep = fake_run("cnn", ["Conv2D", "Flatten", "Dense"], experiment="mnist-cnn", nested=True)
    found = run_base(f"run:{deep}", RunStore().root)
    assert (found.run_id, found.input_shape, found.experiment) == (deep, (28, 28, 1), "mnist-cnn")
    assert base_scale(RunStore().root / deep) == 1 / 255
    mine = fake_run("mine", ["Conv2D"], experiment="my-images")
    assert base_scale(RunStore().root / mine) == 1.0  # its model takes pixels as they are


def test_the_convolutional_part_of_any_model_is_cut_out_flat():
    """Sequential in Sequential, a functional model with a branch inside a functional one,
    an MLP: the base is each one's layers up to its last convolution or pooling, at the top
    level of the new model (Grad-CAM finds them), its weights the same."""
    import keras

    from tui_dl.engine.experiments.my_images import FEATURE_KINDS
    from tui_dl.engine.export.templates.my_images_keras import conv_part, run_features

    layers = keras.layers
    cnn = keras.Sequential(
        [keras.Input((12, 12, 1)), layers.Conv2D(4, 3, name="c"), layers.MaxPooling2D(name="p"),
         layers.Dropout(0.1), layers.Dense(5)], name="cnn",
    )  # fmt: skip
    outer = keras.Sequential([keras.Input((12, 12, 1)), cnn, layers.Dense(3)])
    base = run_features(outer, FEATURE_KINDS, 1 / 255, [])
    assert [type(x).__name__ for x in base.layers] == [
        "InputLayer", "Rescaling", "Conv2D", "MaxPooling2D", "Flatten",
    ]  # fmt: skip
    assert base.get_layer("c") is cnn.get_layer("c") and base.output.shape == (None, 100)

    pixels = keras.Input((16, 16, 3))
    a = layers.Conv2D(4, 3, name="a")(pixels)
    joined = layers.Add()([a, layers.Conv2D(4, 1, name="b")(a)])
    pooled = layers.GlobalAveragePooling2D(name="gap")(joined)
    branchy = keras.Model(pixels, layers.Dense(7)(pooled), name="branchy")
    top_in = keras.Input((16, 16, 3))
    functional = keras.Model(top_in, layers.Dense(2)(branchy(layers.Rescaling(0.5)(top_in))))
    part = conv_part(functional, FEATURE_KINDS)
    assert part.output.shape == (None, 4)
    assert {"a", "b", "gap", "rescaling"} <= {x.name for x in part.layers}
    x = np.random.default_rng(0).uniform(0, 1, (2, 16, 16, 3)).astype(np.float32)
    cut = keras.Model(branchy.inputs, branchy.get_layer("gap").output)
    assert np.allclose(part.predict(x, verbose=0), cut.predict(x * 0.5, verbose=0), atol=1e-6)

    mlp = keras.Sequential([keras.Input((4, 4, 1)), layers.Dense(3)])
    assert conv_part(mlp, FEATURE_KINDS) is None
    with pytest.raises(ValueError, match="no convolutional layers"):
        run_features(mlp, FEATURE_KINDS, 1.0, [])


def test_a_sweep_scans_the_folder_once_not_once_a_cell(tmp_path, shapes, monkeypatch):
    """Each cell's launch checks its settings, but the folder (every picture read and hashed)
    is scanned once for the whole sweep; a lone launch still scans it afresh."""
    from tui_dl.data.my_images import scan
    from tui_dl.engine.jobs import launch
    from tui_dl.engine.sweeps.driver import Driver
    from tui_dl.engine.sweeps.launch import write_spec

    scans = []
    real_scan = scan.scan_folder
    monkeypatch.setattr(scan, "scan_folder", lambda *a, **k: scans.append(a) or real_scan(*a, **k))
    monkeypatch.setattr(  # no child: the check before launch is what is counted
        launch, "served", lambda _s, order, *_a: launch.RunHandle(Path(order["folder"]), None, None)
    )  # type: ignore[arg-type]
    params = EXP.validate({"folder": shapes, "base": "scratch"})
    cells = [{"lr": lr, "batch_size": 8, "run_id": None} for lr in (0.1, 0.01, 0.001)]
    sweep_dir = tmp_path / "sweep"
    sweep_dir.mkdir()
    write_spec(sweep_dir, {
        "sweep_id": "s", "experiment": "my-images", "params": params, "learning_rates":
        [0.1, 0.01, 0.001], "batch_sizes": [8], "cells": cells, "device": "cpu",
    })  # fmt: skip
    driver = Driver(sweep_dir)
    handles = [driver.start_cell(i, cell) for i, cell in enumerate(cells)]
    assert all(h is not None for h in handles) and len(scans) == 1
    launch_run("my-images", params)
    assert len(scans) == 2
    for name in sorted((shapes / "squares").iterdir())[2:]:  # a bad folder: said to each cell
        name.unlink()
    again = Driver(sweep_dir)
    assert [again.start_cell(i, cell) for i, cell in enumerate(cells)] == [None] * 3
    assert len(scans) == 3
    ended = [json.loads(line) for line in (sweep_dir / runfiles.EVENTS).read_text().splitlines()]
    failed = [e["message"] for e in ended if e.get("status") == "failed"]
    assert len(failed) == 3 and all("squares has 2 pictures" in m for m in failed)


def test_an_untrained_imagenet_base_is_said_to_stay_at_chance_after_the_scans_progress(
    shapes, monkeypatch
):
    from tui_dl.engine.jobs import launch

    monkeypatch.setattr(  # no child: what is said before launch
        launch, "served", lambda _s, order, *_a: launch.RunHandle(Path(order["folder"]), None, None)
    )  # type: ignore[arg-type]
    checks = Checks(progress=(progress := []).append)
    params = {"folder": shapes, "base": "resnet50", "weights": "none"}
    handle = launch_run("my-images", params, checks=checks)
    assert progress[-1] == "Reading your folder: 36 of 36 files"  # and on the way there
    said = " ".join(" ".join(handle.before).split())
    assert "an untrained ResNet50 gives random features" in said
    assert "stays near chance (33% for 3 classes)" in said
    handle = launch_run("my-images", {"folder": shapes, "base": "scratch"})
    assert "chance" not in " ".join(handle.before)


def test_the_command_line_exits_2_with_the_message(tmp_path, capsys):
    code = main(["run", "my-images", "--folder", str(tmp_path / "nowhere"), "--base", "scratch"])
    err = capsys.readouterr().err
    assert code == 2
    assert "there is no such folder" in " ".join(err.split()) and "Traceback" not in err


# ----- the feature cache --------------------------------------------------------------------


def test_the_cache_is_reused_for_the_same_folder_and_rejected_when_it_changed(tmp_path, shapes):
    store = RunStore()
    older = store.create({"experiment": "my-images", "params": {}, "device": "cpu"})
    newer = store.create({"experiment": "my-images", "params": {}, "device": "cpu"})
    folder = scan_folder(shapes)
    key = {"base": "mobilenetv2", "weights": "none", "size": 96, "seed": 1}
    features = np.arange(len(folder.images) * 4, dtype=np.float32).reshape(-1, 4)
    save_cache(older / runfiles.FEATURES, features, key, folder)
    assert cache_problem(older / runfiles.FEATURES, key, folder) is None
    said: list[str] = []

    def emit(_event, **fields):
        said.append(fields["phase"])

    assert reusable(newer, key, folder, emit) == older
    copied = np.load(newer / runfiles.FEATURES)["features"]
    assert np.array_equal(copied, features)
    (newer / runfiles.FEATURES).unlink()

    other = {**key, "size": 128}
    assert cache_problem(older / runfiles.FEATURES, other, folder) == "made by another base or size"
    picture = shape_picture("circles", (40, 40), seed=99)
    picture.save(folder.images[0].path.with_suffix(".png"))  # its content, not its name
    changed = scan_folder(shapes)
    assert cache_problem(older / runfiles.FEATURES, key, changed) == (
        "the folder changed: 1 picture differ"
    )
    assert reusable(newer, key, changed, emit) is None
    assert (
        said[-1]
        == f"cached features of run {older.name} not used: the folder changed: 1 picture differ"
    )
    picture.save(shapes / "squares" / "extra.png")
    grown = scan_folder(shapes)
    assert cache_problem(older / runfiles.FEATURES, key, grown) == (
        "the folder's files changed (36 then, 37 now)"
    )


# ----- real runs ----------------------------------------------------------------------------


def finished(handle, timeout: float = 400) -> list[dict]:
    from test_engine import ended, wait_for

    events = wait_for(handle.run_dir, ended, timeout=timeout)
    assert events[-1]["event"] == "finished", events[-1]
    return events


@pytest.mark.slow
def test_scratch_learns_coloured_shapes_through_the_command_line(tmp_path, capsys):
    folder = shapes_folder(tmp_path / "shapes", 30)
    args = ["run", "my-images", "--folder", str(folder), "--base", "scratch"]
    settings = ["--epochs", "12", "--learning-rate", "0.003", "--image-size", "32", "--json"]
    code = main([*args, *settings])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["experiment"] == "my-images" and report["status"] == "finished"
    assert report["per_class"]["classes"] == ["circles", "squares", "triangles"]
    assert "3 classes, 90 pictures; split 60 train, 15 validation, 15 test" in " ".join(err.split())
    run_dir = RunStore().resolve("latest")
    events = [json.loads(line) for line in (run_dir / runfiles.EVENTS).read_text().splitlines()]
    started = next(e for e in events if e["event"] == "started")
    assert started["classes"] == ["circles", "squares", "triangles"]
    assert (started["n_train"], started["n_validation"], started["n_test"]) == (60, 15, 15)
    assert started["split"]["classes"]["circles"] == [20, 5, 5]
    assert [e["epoch"] for e in events if e["event"] == "epoch_end"] == list(range(1, 13))
    end = events[-1]
    assert end["metrics"]["test_accuracy"] >= 0.8, end
    assert set(end["per_class"]) == {"circles", "squares", "triangles"}
    assert not (run_dir / runfiles.FEATURES).exists()  # nothing frozen, nothing cached
    predictions = np.load(run_dir / runfiles.PREDICTIONS)
    assert predictions["images"].shape == (15, 28, 28)
    assert predictions["colour_images"].shape == (15, 48, 48, 3)
    assert predictions["class_names"].tolist() == ["circles", "squares", "triangles"]
    shown = load_predictions(run_dir)  # what the confusion and mistakes views draw
    assert shown.own_pictures and shown.colour_problem is None
    assert (run_dir / runfiles.MODEL).exists() and list(run_dir.glob("history*.csv"))

    # That run, a functional model with its preprocessing inside, is a base for another: its
    # layers up to its last pooling, fed pixels as they are (it rescales them itself).
    handle = launch_run("my-images", {"folder": folder, "base": f"run:{run_dir.name}", "epochs": 8})
    assert handle.before[0] == f"base: run {run_dir.name}"
    events = finished(handle)
    started = next(e for e in events if e["event"] == "started")
    assert started["base"]["size"] == [32, 32] and started["base"]["channels"] == 3
    assert started["base"]["source"].startswith("['Conv2D', 'MaxPooling2D', 'Conv2D',")
    assert "'GlobalAveragePooling2D'] of run" in started["base"]["source"]
    assert events[-1]["features"]["how"] == "computed"
    assert events[-1]["metrics"]["test_accuracy"] >= 0.8, events[-1]


@pytest.mark.slow
def test_mobilenetv2_without_weights_caches_its_features_then_a_second_run_reuses_them(shapes):
    params = {
        "folder": shapes, "base": "mobilenetv2", "weights": "none", "image_size": 32,
        "epochs": 3, "fine_tune": 2, "fine_tune_epochs": 1, "batch_size": 8,
    }  # fmt: skip
    events = finished(launch_run("my-images", params))
    run_dir = RunStore().resolve("latest")
    stages = [e["stage"] for e in events if e["event"] == "epoch_end"]
    assert stages == ["head", "head", "head", "fine-tune"]
    assert any(e["event"] == "progress" and e.get("stage") == "features" for e in events)
    assert events[-1]["features"]["how"] == "computed"
    cached = np.load(run_dir / runfiles.FEATURES)
    assert cached["features"].shape == (36, 1280) and len(cached["sha256"]) == 36
    assert any("fine-tuning: the base's top" in e.get("phase", "") for e in events)

    again = finished(launch_run("my-images", {**params, "fine_tune": 0, "epochs": 2}))
    assert again[-1]["features"]["how"] == "reused"
    assert again[-1]["features"]["from_run"] == run_dir.name


@pytest.mark.slow
def test_a_run_of_mnist_cnn_is_a_base_for_new_classes(tmp_path):
    digits = finished(
        launch_run("mnist-cnn", {"epochs": 1, "train_limit": 1500, "batch_size": 64}), 300
    )
    assert digits[-1]["metrics"]["test_accuracy"] > 0.5
    base_id = RunStore().resolve("latest").name
    folder = fashion_folder(tmp_path / "fashion", 30) if SHARED_DATA else None
    folder = folder or shapes_folder(tmp_path / "shapes", 30)
    params = {"folder": folder, "base": f"run:{base_id}", "epochs": 30, "batch_size": 16}
    handle = launch_run("my-images", params)
    assert handle.before[0] == f"base: run {base_id}"
    events = finished(handle)
    started = next(e for e in events if e["event"] == "started")
    assert started["base"]["size"] == [28, 28] and started["base"]["channels"] == 1
    assert events[-1]["metrics"]["test_accuracy"] >= 0.8, events[-1]
    assert events[-1]["features"]["how"] == "computed"
