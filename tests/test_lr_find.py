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


def straight_valley(step_rates: np.ndarray, top: float, bottom: float) -> np.ndarray:
    """A clean loss whose valley is known: flat at 1 up to the rate `top`, falling straight
    (on the log-rate axis) to the rate `bottom`, rising steeply after it."""
    x = np.log10(step_rates)
    t, b = math.log10(top), math.log10(bottom)
    return 1.0 - 0.2 * (np.clip(x, t, b) - t) + np.where(x > b, 2.0 * (x - b), 0.0)


def test_the_suggestion_is_two_thirds_of_the_way_down_a_known_valley():
    r = rates(100)
    step = 8 / 99  # one step on the log10 axis
    s = suggest(r, straight_valley(r, 1e-4, 1e-1).tolist())
    assert s is not None
    assert math.log10(s["rate"]) == pytest.approx(-2.0, abs=step)  # -4 + 2/3 × 3 decades
    assert math.log10(r[s["valley_top"]]) == pytest.approx(-4.0, abs=step)
    assert math.log10(r[s["valley_bottom"]]) == pytest.approx(-1.0, abs=step)
    assert s["minimum_rate"] == r[s["valley_bottom"]]
    moved = suggest(r, straight_valley(r, 1e-6, 1e-3).tolist())
    assert moved is not None and math.log10(moved["rate"]) == pytest.approx(-4.0, abs=step)
    # a blip of two steps inside the descent is skipped over: the valley as long, less those
    blipped = straight_valley(r, 1e-4, 1e-1)
    middle = int(np.argmin(np.abs(np.log10(r) + 2.5)))
    blipped[middle : middle + 2] += 0.05  # above the step before
    b = suggest(r, blipped.tolist())
    assert b is not None and b["valley_bottom"] == s["valley_bottom"]
    assert b["valley_top"] == s["valley_top"] + 2 and abs(b["index"] - s["index"]) <= 1


def test_the_longest_fall_is_the_valley_not_the_steepest():
    r = rates(100)
    curve = straight_valley(r, 1e-4, 1e-1)
    cliff = int(np.argmin(np.abs(np.log10(r) + 5.5)))  # on the flat part, before the valley
    curve[: cliff + 1] += 0.5  # a higher plateau ...
    curve[cliff - 1] += 0.3  # ... and a short cliff down from it, far steeper than the valley
    s = suggest(r, curve.tolist())  # the cliff lengthens the valley by its two steps at most
    assert s is not None and math.log10(s["rate"]) == pytest.approx(-2.0, abs=2 * 8 / 99)


def noisy_small_data(seed: int) -> tuple[list[float], list[float]]:
    """A finder's pass on a small data set, as the mammogram's: the batch loss flat near 0.69
    at low rates and noisy from batch to batch, its first batches noisier still, a real
    descent to about 0.45 around 1e-2, blown up past 0.2. Smoothed and stopped as the job
    does."""
    r = rates(100)
    x = np.log10(r)
    rng = np.random.default_rng(seed)
    loss = 0.69 - 0.25 / (1 + np.exp(-3 * (x + 2))) + np.where(x > -0.7, 4 * (x + 0.7) ** 2, 0)
    loss = loss + rng.normal(0, 0.05, len(r))
    loss[:3] += [0.4, -0.1, 0.2]
    smoother, smoothed = Smoother(), []
    for value in loss:
        smoothed.append(smoother.add(float(value)))
        if smoother.diverged(smoothed[-1]):
            break
    return r[: len(smoothed)].tolist(), smoothed


@pytest.mark.parametrize("seed", range(8))
def test_noisy_first_steps_do_not_fool_the_suggestion(seed):
    step_rates, smoothed = noisy_small_data(seed)
    s = suggest(step_rates, smoothed)
    assert s is not None
    assert 1e-3 < s["rate"] < 1e-1, s  # inside the real descent, not at 1e-7
    assert step_rates[s["valley_top"]] > 1e-5 and s["valley_bottom"] > s["index"] > 10


def test_no_suggestion_when_the_loss_never_falls_and_the_line_says_why():
    r = rates(50)
    rising = (1.0 + np.linspace(0, 3, 50)).tolist()
    assert suggest(r, rising) is None
    assert suggest(r, [1.0] * 50) is None  # flat: nothing falls
    dip = np.array(rising)
    dip[20:22] = dip[19] - [0.01, 0.02]  # a fall of two steps (three lower each) ...
    assert suggest(r, dip.tolist()) is None  # ... too short to be a valley
    dip[22:25] = dip[21] - 0.01 * np.arange(1, 4)  # five steps now: a valley
    assert suggest(r, dip.tolist()) is not None
    never = {"rates": r.tolist(), "stopped": "end", "suggestion": None}
    line = how_chosen(never)  # type: ignore[arg-type]
    assert line.startswith("No suggestion: the smoothed loss never fell steadily")
    assert "(no 4 steps each lower than the one before" in line
    assert suggest(r[:3], [1.0, 0.9, 0.8]) is None  # too few points to find a valley in
    assert suggest(r[:4], [1.0, 0.9, 0.8, 0.7]) is not None
    few = {"rates": r[:3].tolist(), "stopped": "diverged", "suggestion": None}
    line = how_chosen(few)  # type: ignore[arg-type]
    assert line.startswith("No suggestion: 3 steps recorded, too few") and "blew up" in line


def test_the_smoothed_loss_starts_at_the_first_loss_and_blows_up_at_four_times_the_best():
    assert smooth([2.0, 2.0, 2.0]) == pytest.approx([2.0, 2.0, 2.0])  # corrected for its start
    smoother = Smoother(beta=0.0)  # no smoothing: each loss as it is
    smoother.add(1.0)
    assert not smoother.diverged(smoother.add(DIVERGED * 1.0 - 0.01))
    assert smoother.diverged(smoother.add(DIVERGED * 1.0 + 0.01))
    assert smoother.diverged(float("nan"))


def test_how_chosen_says_the_rates_it_read():
    r = rates(100)
    result = {"rates": r.tolist(), "suggestion": suggest(r, straight_valley(r, 1e-4, 1e-1))}
    line = how_chosen(result)  # type: ignore[arg-type]
    s = result["suggestion"]
    assert s is not None
    top, bottom = r[s["valley_top"]], r[s["valley_bottom"]]
    assert line.startswith(f"Suggested {s['rate']:.2g}: two-thirds of the way down")
    assert f"valley, {top:.2g} to {bottom:.2g} (its longest fall); its lowest point at" in line
    assert f"lowest point at {s['minimum_rate']:.2g}" in line
    assert f"(lowest ÷ 10 = {s['minimum_rate'] / 10:.2g})" in line
    # a result written before the valley rule has no valley to name: the rest still reads
    old = {**s, "valley_top": None}
    del old["valley_top"]
    assert how_chosen({**result, "suggestion": old}).startswith(f"Suggested {s['rate']:.2g}; its")  # type: ignore[typeddict-item]


def test_the_command_marks_the_suggestion_and_says_the_rule(capsys, monkeypatch):
    from tui_dl.cli.lr_find import show

    monkeypatch.setenv("COLUMNS", "200")
    step_rates, smoothed = noisy_small_data(0)
    s = suggest(step_rates, smoothed)
    assert s is not None
    show({"experiment": "mammogram", "rates": step_rates, "losses": smoothed,
          "smoothed": smoothed, "stopped": "diverged", "steps": 100, "suggestion": s})  # fmt: skip
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "◀ suggested" in line)
    assert f" {s['index'] + 1} " in row and f" {step_rates[s['index']]:.2g} " in row
    assert f"Suggested {s['rate']:.2g}: two-thirds of the way down" in out
    assert "1e-07" not in row  # the noisy first steps are not what it suggests


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
    old = {**good, "suggestion": {**good["suggestion"]}}
    del old["suggestion"]["valley_top"], old["suggestion"]["valley_bottom"]
    save_json(tmp_path / RESULT, old)
    assert load_result(tmp_path) == old  # written before the valley rule: still read
    save_json(tmp_path / RESULT, {**good, "suggestion": {**good["suggestion"], "valley_top": 20}})
    with pytest.raises(UnreadableArtifact, match="outside the curve"):
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
