"""The finder on the experiments beyond the image classifiers, for real and tiny, in this
process (one TensorFlow start for all): the k-fold projects (one fold's model on its
training rows), the VAE (a model that learns from its inputs alone), the LSTM on made-up
reviews and my-images from scratch on a folder of drawn shapes. Each pass's points, as the
job reported them while it ran, are the result's own curve, step for step."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.artifacts import write_fake_imdb
from tests.my_images import shapes_folder
from tui_dl.analysis.lrfind import load_result, rates, smooth
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.jobs.lrfind.launch import SUPPORTED

STEPS = 8
DATA = Path(os.environ.get("TUI_DL_DATA") or "/nowhere")


def one_pass(tmp_path: Path, name: str, params: dict, data_dir: str | None) -> list[dict]:
    from tui_dl.engine.jobs.lrfind.task import lr_find_job

    folder = tmp_path / name
    folder.mkdir()
    spec = {
        "experiment": name,
        "params": get_experiment(name).validate(params),
        "device": "cpu",
        "data_dir": data_dir,
        "runs_dir": str(tmp_path / "runs"),
    }
    reported: list[dict] = []
    lr_find_job(folder, spec, {"steps": STEPS}, lambda event, **f: reported.append(f))
    result = load_result(folder)
    n = len(result["rates"])
    assert result["experiment"] == name and 2 <= n <= STEPS, name
    assert result["rates"] == pytest.approx(rates(STEPS)[:n].tolist())
    assert result["smoothed"] == pytest.approx(smooth(result["losses"]))
    points = [p for fields in reported for p in fields.get("points", [])]
    assert points == [
        [r, loss, s]
        for r, loss, s in zip(result["rates"], result["losses"], result["smoothed"], strict=True)
    ], name  # every step reported once, in order, as the result keeps it
    return reported


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "uci").is_dir(), reason="TUI_DL_DATA holds no UCI files")
def test_the_finder_trains_the_new_experiments_tiny_and_reports_its_curve_as_it_goes(tmp_path):
    small = {"batch_size": 16}
    reported = one_pass(tmp_path, "votes-kfold", {**small, "k": 3}, str(DATA))
    said = [f["phase"] for f in reported if "phase" in f]
    assert f"training {STEPS} steps of 16 rows" in said
    one_pass(tmp_path, "fashion-vae", {**small, "train_limit": 64, "latent_dim": 2}, str(DATA))
    reviews = write_fake_imdb(tmp_path / "reviews", n_train=64, n_test=16)
    imdb = {**small, "train_limit": 64, "maxlen": 20, "vocabulary": 500, "units": 4}
    one_pass(tmp_path, "imdb-lstm", {**imdb, "embedding": 8}, str(reviews))
    shapes = shapes_folder(tmp_path / "shapes", 8)
    scratch = {"folder": str(shapes), "base": "scratch", "image_size": 32, "batch_size": 8}
    said = [f.get("phase") for f in one_pass(tmp_path, "my-images", scratch, None)]
    assert f"training {STEPS} steps of 8 pictures" in said


def test_every_supported_experiment_has_a_recipe():
    from tui_dl.engine.jobs.lrfind.recipes import RECIPES

    assert sorted(RECIPES) == sorted(SUPPORTED)
