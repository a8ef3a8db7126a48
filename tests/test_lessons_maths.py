"""The maths behind the lesson widgets, without a terminal."""

from __future__ import annotations

import numpy as np
import pytest

from tui_dl.lessons import maths
from tui_dl.lessons.maths import (
    ACTIVATIONS,
    Descent,
    cross_entropy,
    descend,
    naive_softmax,
    one_hot,
    softmax,
    stability_bound,
)

CURVATURE = 4.0


def quadratic_gradient(x):
    return CURVATURE * np.asarray(x)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_descent_converges_below_the_stability_bound(fraction):
    rate = fraction * stability_bound(CURVATURE)
    assert abs(descend(quadratic_gradient, [3.0], rate, 2000)[0]) < 1e-6


@pytest.mark.parametrize("fraction", [1.01, 1.2, 2.0])
def test_descent_diverges_above_the_stability_bound(fraction):
    rate = fraction * stability_bound(CURVATURE)
    assert abs(descend(quadratic_gradient, [3.0], rate, 400)[0]) > 1e3


def test_a_tiny_rate_crawls():
    assert descend(quadratic_gradient, [3.0], 1e-4, 100)[0] > 2.8


def test_plain_descent_settles_in_the_local_minimum_and_momentum_escapes():
    plain = Descent(maths.curve_loss, maths.curve_gradient, [3.2], rate=0.1)
    rolling = Descent(maths.curve_loss, maths.curve_gradient, [3.2], rate=0.1, momentum=0.9)
    for run in (plain, rolling):
        for _ in range(1000):
            run.step()
        assert run.converged_at is not None
    assert plain.position[0] == pytest.approx(2.1, abs=0.01)
    assert rolling.position[0] == pytest.approx(-2.35, abs=0.01)
    assert rolling.current_loss() < plain.current_loss()


def test_a_too_high_rate_is_reported_as_diverged_and_stops():
    run = Descent(maths.curve_loss, maths.curve_gradient, [3.2], rate=1.0)
    for _ in range(200):
        run.step()
    assert run.diverged and run.converged_at is None
    steps = run.steps
    run.step()
    assert run.steps == steps


def test_the_bowl_is_stable_below_its_bound_only():
    bound = stability_bound(float(maths.BOWL_CURVATURE.max()))
    assert bound == pytest.approx(0.25)
    for rate, diverges in ((0.9 * bound, False), (1.1 * bound, True)):
        run = Descent(maths.bowl_loss, maths.bowl_gradient, [-3.6, 1.4], rate=rate)
        for _ in range(2000):
            run.step()
        assert run.diverged is diverges, rate


@pytest.mark.parametrize("logits", [[2.0, 1.0, 0.5, -1.0], [0.0, 0.0], [1000.0, 999.0, -1000.0]])
def test_softmax_sums_to_one_and_is_finite(logits):
    p = softmax(logits)
    assert p.sum() == pytest.approx(1.0)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)


def test_softmax_ignores_a_common_shift():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    for shift in (-50.0, 3.0, 700.0):
        np.testing.assert_allclose(softmax(logits + shift), softmax(logits), atol=1e-12)


def test_large_logits_break_the_naive_formula_but_not_softmax():
    logits = [1000.0, 500.0]
    assert np.isnan(naive_softmax(logits)).any()
    np.testing.assert_allclose(softmax(logits), [1.0, 0.0], atol=1e-12)


def test_temperature_flattens_and_sharpens():
    logits = [2.0, 1.0, 0.0]
    assert softmax(logits, 4.0).max() < softmax(logits).max() < softmax(logits, 0.25).max()


def test_cross_entropy_punishes_confident_mistakes_and_never_is_infinite():
    target = one_hot(1, 3)
    assert target.tolist() == [0.0, 1.0, 0.0]
    near = cross_entropy([0.4, 0.5, 0.1], target)
    confident_wrong = cross_entropy([0.98, 0.01, 0.01], target)
    assert near == pytest.approx(-np.log(0.5))
    assert confident_wrong > 6 * near
    assert np.isfinite(cross_entropy([1.0, 0.0, 0.0], target))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_each_derivative_matches_finite_differences(name):
    x = np.linspace(-3.0, 3.0, 61)
    x = x[np.abs(x) > 1e-3]  # the kink (or jump) at zero has no derivative
    h = 1e-6
    numeric = (maths.activation(name, x + h) - maths.activation(name, x - h)) / (2 * h)
    np.testing.assert_allclose(maths.derivative(name, x), numeric, atol=1e-5)


def test_the_step_gives_gradient_descent_nothing():
    x = np.linspace(-3, 3, 13)
    assert np.all(maths.derivative("step", x) == 0)
    assert set(maths.activation("step", x)) == {0.0, 1.0}
