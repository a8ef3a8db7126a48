"""The normalising lesson's widget: standardising as scikit-learn does it, the logistic
regression's gradient against finite differences, and the race it shows (the scaled side ends
lower at the same number of steps, each at its own largest stable rate)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler
from textual.app import App, ComposeResult

from tests.conftest import SHARED_DATA
from tests.fakes import play_until
from tui_dl.lessons.widgets.scaling import (
    Descent,
    age_and_income,
    describe,
    largest_stable_rate,
    logistic_gradient,
    logistic_loss,
    standardise,
)
from tui_dl.ui.widgets.lesson.scaling_race import ScalingRace


def test_standardising_is_scikit_learns_standard_scaler():
    x, _, names = age_and_income()
    assert np.allclose(standardise(x), StandardScaler().fit_transform(x))
    z = describe(standardise(x), names)
    assert all(abs(c.mean) < 1e-12 and abs(c.std - 1) < 1e-12 for c in z)
    constant = np.column_stack([np.ones(5), np.arange(5.0)])
    assert np.isfinite(standardise(constant)).all()  # a constant column stays finite


def test_the_gradient_is_the_losss_derivative():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(40, 3)), (rng.random(40) > 0.5).astype(float)
    w, b = rng.normal(size=3), 0.3
    grad_w, grad_b = logistic_gradient(x, y, w, b)
    h = 1e-6
    for i in range(3):
        step = np.eye(3)[i] * h
        numeric = (logistic_loss(x, y, w + step, b) - logistic_loss(x, y, w - step, b)) / (2 * h)
        assert grad_w[i] == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    numeric_b = (logistic_loss(x, y, w, b + h) - logistic_loss(x, y, w, b - h)) / (2 * h)
    assert grad_b == pytest.approx(numeric_b, rel=1e-5)


def test_raw_income_needs_a_far_smaller_rate_and_ends_higher():
    x, y, _ = age_and_income()
    raw_rate, scaled_rate = largest_stable_rate(x, y), largest_stable_rate(standardise(x), y)
    assert raw_rate < 1e-6 < 1.0 <= scaled_rate
    raw, scaled = Descent(x, y, raw_rate), Descent(standardise(x), y, scaled_rate)
    raw.step(300)
    scaled.step(300)
    assert scaled.losses[-1] < raw.losses[-1] - 0.1
    assert np.isfinite(raw.losses).all()  # the rate chosen does not blow up


def mammogram_here() -> bool:
    from tui_dl.data.sources import locate

    try:
        return locate("mammographic-masses", SHARED_DATA).kind != "missing"
    except Exception:  # noqa: BLE001 - any failure to look means: not here
        return False


class Host(App[None]):
    def __init__(self, data_dir: str | None) -> None:
        super().__init__()
        self.data_dir = data_dir

    def compose(self) -> ComposeResult:
        yield ScalingRace(id="race")


async def until_ready(pilot, race: ScalingRace) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if race.raw is not None:
            return


@pytest.mark.skipif(not mammogram_here(), reason="the UCI mammogram file is not here")
async def test_the_widget_reads_the_mammogram_columns_and_its_keys_work():
    app = Host(SHARED_DATA)
    async with app.run_test(size=(80, 30)) as pilot:
        race = app.query_one(ScalingRace)
        race.focus()
        await until_ready(pilot, race)
        assert race.names == ["age", "shape", "margin", "density"]
        assert "mammogram masses" in race.render().plain
        await pilot.press("s")
        assert race.raw is not None and len(race.raw.losses) == 11
        await play_until(pilot, lambda: len(race.raw.losses) > 11, "a step past the eleventh")
        steps = len(race.raw.losses)
        assert steps > 11 and not race.playing
        await pilot.press("d")
        assert race.names == ["age", "income"] and len(race.raw.losses) == 1
        await pilot.press("d", "r", "x", "enter")  # back, reset, and keys it does not use
        assert race.names[0] == "age" and race.raw.losses[-1] == race.raw.losses[0]


async def test_without_the_mammogram_file_it_says_so_and_uses_age_and_income(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no Keras cache or user copy either
    app = Host(str(tmp_path))
    async with app.run_test(size=(80, 30)) as pilot:
        race = app.query_one(ScalingRace)
        await until_ready(pilot, race)
        assert race.names == ["age", "income"]
        assert "No mammogram file here" in race.render().plain
        race.focus()
        await pilot.press("d")  # nothing to switch to: a bell, no crash
        assert race.names == ["age", "income"]
