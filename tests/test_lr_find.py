"""The learning-rate finder's arithmetic on made-up loss curves (no TensorFlow), its refusals
by name, its result file read believing nothing, and one tiny real pass through the CLI."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from tests.test_cli import tui_dl
from tui_dl.analysis.artifacts import UnreadableArtifact, save_json
from tui_dl.analysis.lrfind import (
    DIVERGED,
    RESULT,
    Smoother,
    how_chosen,
    load_result,
    rates,
    save_result,
    smooth,
    suggest,
)
from tui_dl.engine.jobs.lrfind.launch import SUPPORTED, launch_lr_find, refusal


def valley(step_rates: np.ndarray, fall_at: float, lowest_at: float) -> np.ndarray:
    """A loss that is flat at low rates, falls fastest around `fall_at` (a logistic step on
    the log axis), bottoms out at `lowest_at` and climbs after it."""
    x = np.log10(step_rates)
    fall = 2.0 - 1.5 / (1 + np.exp(-4 * (x - math.log10(fall_at))))
    climb = np.where(x > math.log10(lowest_at), 3.0 * (x - math.log10(lowest_at)) ** 2, 0.0)
    return fall + climb


def test_rates_rise_by_the_same_factor_from_1e_7_to_10():
    r = rates(100)
    assert r[0] == pytest.approx(1e-7) and r[-1] == pytest.approx(10.0)
    ratios = r[1:] / r[:-1]
    assert np.allclose(ratios, ratios[0])
    with pytest.raises(ValueError, match="2 steps"):
        rates(1)


def test_the_suggestion_is_the_steepest_fall_not_the_lowest_point_nor_its_tenth():
    r = rates(100)
    curve = valley(r, fall_at=1e-3, lowest_at=1e-1)
    s = suggest(r, curve.tolist())
    assert s is not None
    assert 5e-4 < s["rate"] < 2e-3  # where it falls fastest
    assert s["minimum_rate"] == pytest.approx(1e-1, rel=0.2)
    # neither of the other readings: the lowest point (0.1) nor the lowest ÷ 10 (0.01)
    assert not 5e-4 < s["minimum_rate"] < 2e-3
    assert not 5e-4 < s["minimum_rate"] / 10 < 2e-3
    moved = suggest(r, valley(r, fall_at=1e-5, lowest_at=1e-1).tolist())
    assert moved is not None and 5e-6 < moved["rate"] < 2e-5  # it follows the curve


def test_a_steep_fall_after_the_lowest_point_is_not_suggested():
    r = rates(100)
    curve = valley(r, fall_at=1e-4, lowest_at=1e-2)
    after = int(np.argmin(curve)) + 10
    curve[after:] = curve[after:] + 5.0  # a spike after the lowest point ...
    curve[after + 3 :] = curve[after + 3 :] - 5.0  # ... and a cliff back down from it
    s = suggest(r, curve.tolist())
    assert s is not None and s["index"] < s["minimum_index"] < after
    assert 5e-5 < s["rate"] < 2e-4


def test_no_suggestion_when_the_loss_never_falls():
    r = rates(50)
    rising = (1.0 + np.linspace(0, 3, 50)).tolist()
    assert suggest(r, rising) is None
    assert suggest(r[:2], [1.0, 0.5]) is None  # too few points to read a slope from
    result = {"suggestion": None}
    assert how_chosen(result).startswith("No suggestion")  # type: ignore[arg-type]


def test_the_smoothed_loss_starts_at_the_first_loss_and_blows_up_at_four_times_the_best():
    assert smooth([2.0, 2.0, 2.0]) == pytest.approx([2.0, 2.0, 2.0])  # corrected for its start
    smoother = Smoother(beta=0.0)  # no smoothing: each loss as it is
    smoother.add(1.0)
    assert not smoother.diverged(smoother.add(DIVERGED * 1.0 - 0.01))
    assert smoother.diverged(smoother.add(DIVERGED * 1.0 + 0.01))
    assert smoother.diverged(float("nan"))


def test_how_chosen_says_the_rates_it_read():
    r = rates(100)
    curve = valley(r, fall_at=1e-3, lowest_at=1e-1)
    result = {"suggestion": suggest(r, curve.tolist())}
    line = how_chosen(result)  # type: ignore[arg-type]
    s = result["suggestion"]
    assert s is not None
    assert f"Suggested {s['rate']:.2g}" in line and "fell fastest" in line
    assert f"{s['minimum_rate']:.2g}" in line


def result_of(n: int = 20) -> dict:
    r = rates(n)
    losses = valley(r, 1e-3, 1e-1).tolist()
    smoothed = smooth(losses)
    return {
        "experiment": "mnist-mlp",
        "params": {},
        "rates": r.tolist(),
        "losses": losses,
        "smoothed": smoothed,
        "stopped": "end",
        "steps": n,
        "suggestion": suggest(r, smoothed),
    }


def test_a_result_is_read_back_and_a_bad_one_is_refused(tmp_path):
    good = result_of()
    save_result(tmp_path, good)  # type: ignore[arg-type]
    assert load_result(tmp_path) == good
    bad = {**good, "losses": good["losses"][:-1]}
    save_json(tmp_path / RESULT, bad)
    with pytest.raises(UnreadableArtifact, match="different lengths"):
        load_result(tmp_path)
    save_json(tmp_path / RESULT, {**good, "rates": [0.0] + good["rates"][1:]})
    with pytest.raises(UnreadableArtifact, match="above 0"):
        load_result(tmp_path)
    (tmp_path / RESULT).write_text("{")
    with pytest.raises(UnreadableArtifact):
        load_result(tmp_path)
    with pytest.raises(FileNotFoundError):
        load_result(tmp_path / "nowhere")


def test_experiments_without_one_rate_to_find_are_refused_by_name(tmp_path):
    for name in SUPPORTED:
        assert refusal(name) is None
    gan = refusal("fashion-gan") or ""
    assert gan.startswith("fashion-gan trains two models") and "no curve" in gan
    assert "no learning-rate setting" in (refusal("transfer-imagenet") or "")
    assert "playground has no learning-rate setting" in (refusal("playground") or "")
    with pytest.raises(ValueError, match="fashion-gan"):
        launch_lr_find("fashion-gan", root=tmp_path)
    with pytest.raises(ValueError, match="Learning rate"):
        launch_lr_find("mnist-mlp", {"learning_rate": "-1"}, root=tmp_path)
    assert not list(tmp_path.iterdir())  # nothing made for a refused finder


def test_the_command_refuses_the_gan_by_name():
    done = tui_dl("lr-find", "fashion-gan")
    assert done.returncode == 2
    assert "fashion-gan trains two models against each other" in done.stderr


@pytest.mark.slow
def test_a_tiny_real_pass_on_mnist_mlp(isolated_home):
    done = tui_dl(
        "lr-find", "mnist-mlp", "--train-limit", "256", "--hidden-units", "32",
        "--find-steps", "40", "--json", timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["experiment"] == "mnist-mlp" and result["steps"] == 40
    assert result["params"]["train_limit"] == 256 and result["params"]["hidden_units"] == 32
    n = len(result["rates"])
    assert 2 <= n <= 40 and len(result["losses"]) == len(result["smoothed"]) == n
    assert result["rates"] == pytest.approx(rates(40)[:n].tolist())
    assert result["stopped"] == ("end" if n == 40 else "diverged")
    assert all(math.isfinite(v) for v in result["losses"])
    assert result["smoothed"] == pytest.approx(smooth(result["losses"]))
    assert result["suggestion"] == suggest(result["rates"], result["smoothed"])
    assert result["how"] == how_chosen(result)
    assert "… step" not in done.stderr  # --json: the phases are not said
    folder = isolated_home / "home" / "lr-find"
    assert [p.name for p in folder.iterdir()] == [os.path.basename(result["folder"])]
