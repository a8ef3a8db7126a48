"""The perceptron, backpropagation, optimizer and overfitting lessons: their maths against
closed forms and finite differences, their widgets driven by every key, their lesson files."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.containers import Container, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from tests.fakes import play_until, settle
from tui_dl.lessons import content
from tui_dl.lessons.widgets import backprop, optimizers, overfitting, perceptron
from tui_dl.lessons.widgets.optimizers import (
    SADDLE,
    SGD,
    VALLEY,
    Adam,
    Momentum,
    Nesterov,
    Race,
    RMSProp,
)
from tui_dl.lessons.widgets.overfitting import FitRun, early_stopping
from tui_dl.lessons.widgets.perceptron import GATES, POINTS, Perceptron, mistake_bound
from tui_dl.ui.widgets.lesson.backprop_steps import BackpropSteps
from tui_dl.ui.widgets.lesson.optimizers_race import OptimizerRace, RaceView
from tui_dl.ui.widgets.lesson.overfitting_curves import OverfittingCurves
from tui_dl.ui.widgets.lesson.perceptron_trainer import PerceptronPlot, PerceptronTrainer

MINE: dict[str, type[Widget]] = {
    "perceptron": PerceptronTrainer,
    "backprop": BackpropSteps,
    "optimizers": OptimizerRace,
    "overfitting": OverfittingCurves,
}
LESSONS = Path(__file__).resolve().parents[1] / "lessons"
FILES = {
    "03-history.md": ("history", 30, "perceptron"),
    "04-backprop.md": ("backprop", 50, "backprop"),
    "06-optimizers.md": ("optimizers", 70, "optimizers"),
    "07-overfitting.md": ("overfitting", 80, "overfitting"),
}


# ----- the perceptron -----------------------------------------------------------------------
def test_one_update_of_the_perceptron_rule_by_hand():
    unit = Perceptron("AND")
    unit.presented = 3  # the next example is (1, 1), target 1
    update = unit.step()  # sum 0 → does not fire, wanted 1: w += 1·(1, 1), b += 1
    assert update.total == 0 and update.output == 0 and update.wrong
    assert np.array_equal(unit.weights, [1, 1]) and unit.bias == 1
    unit.presented = 1  # (0, 1), target 0: sum 1 + 1 = 2 → fires, wanted 0
    unit.step()
    assert np.array_equal(unit.weights, [1, 0]) and unit.bias == 0
    unit.rate = 0.5
    unit.presented = 0  # (0, 0), target 0: sum 0 → does not fire: right, no change
    assert not unit.step().wrong and unit.bias == 0


def test_and_from_zero_follows_the_hand_worked_trace():
    unit = Perceptron("AND")
    assert unit.train(20) == 6
    assert unit.errors == [1, 3, 3, 2, 1, 0]
    assert np.array_equal(unit.weights, [2, 1]) and unit.bias == -2
    assert list(unit.predict(POINTS)) == list(GATES["AND"])


SEPARATORS = {
    ("AND", False): ([1.0, 1.0], -1.5),
    ("OR", False): ([1.0, 1.0], -0.5),
    ("AND", True): ([0.0, 1.0], -0.5),
    ("OR", True): ([1.0, 0.0], -0.5),
    ("XOR", True): ([1.0, -2.0], -0.5),  # in (h₁, h₂): OR but not AND
}


@pytest.mark.parametrize(("gate", "hidden"), list(SEPARATORS))
@pytest.mark.parametrize("rate", [0.1, 0.5, 1.0, 3.0])
def test_converges_within_the_mistake_bound(gate, hidden, rate):
    unit = Perceptron(gate, rate=rate, hidden=hidden)
    inputs = np.array([unit.features(x) for x in POINTS])
    weights, bias = SEPARATORS[(gate, hidden)]
    bound = mistake_bound(inputs, unit.targets, weights, bias)
    assert np.isfinite(bound)
    epoch = unit.train(int(bound) + 2)
    assert epoch is not None and unit.mistakes <= bound
    assert list(unit.predict(POINTS)) == list(GATES[gate])


def test_the_mistake_bound_by_hand_and_for_a_line_that_does_not_separate():
    # AND, line x₁ + x₂ − 1.5: R² = 3 (the corner (1,1,1)), margin 0.5 / √4.25
    assert mistake_bound(POINTS, GATES["AND"], [1, 1], -1.5) == pytest.approx(3 * 4.25 / 0.25)
    assert mistake_bound(POINTS, GATES["XOR"], [1, 1], -1.5) == np.inf


def test_xor_is_not_separable_and_the_perceptron_cycles_for_ever():
    assert perceptron.separable("AND") and perceptron.separable("OR")
    assert not perceptron.separable("XOR", np.linspace(-10, 10, 81))
    unit = Perceptron("XOR")
    states = []
    for _ in range(1000):
        unit.epoch()
        states.append((*unit.weights, unit.bias))
    assert unit.converged_at is None and min(unit.errors) > 0 and unit.gave_up
    assert len(set(states[10:])) < len(states[10:])  # back where it was: a cycle


def test_the_hidden_layer_computes_or_and_and():
    assert perceptron.hidden_layer(POINTS).tolist() == [[0, 0], [1, 0], [1, 0], [1, 1]]


# ----- backpropagation ----------------------------------------------------------------------
def problems():
    rng = np.random.default_rng(0)
    return [backprop.START, *(backprop.random_problem(rng) for _ in range(20))]


@pytest.mark.parametrize("problem", problems())
def test_every_backprop_gradient_matches_its_finite_difference(problem):
    params, x, target = problem
    fwd = backprop.forward(params, x, target)
    grads = backprop.backward(params, fwd).gradient
    numeric = backprop.finite_difference(params, x, target)
    assert np.allclose(grads, numeric, rtol=1e-6, atol=1e-9)
    assert all(backprop.agrees(a, n) for a, n in zip(grads, numeric, strict=True))


def test_backprop_by_hand_on_the_opening_example():
    params, x, target = backprop.START
    fwd = backprop.forward(params, x, target)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h1, h2 = sig(0.5 * 1 - 0.3 * 0.5 + 0.1), sig(-0.4 * 1 + 0.8 * 0.5 + 0.0)
    out = sig(1.2 * h1 - 0.7 * h2 + 0.2)
    assert fwd.hidden == pytest.approx([h1, h2]) and fwd.out == pytest.approx(out)
    assert fwd.loss == pytest.approx(0.5 * (out - 1) ** 2)
    bwd = backprop.backward(params, fwd)
    delta_out = (out - 1) * out * (1 - out)
    delta_1 = delta_out * 1.2 * h1 * (1 - h1)
    assert bwd.delta_out == pytest.approx(delta_out)
    assert bwd.gradient[6:] == pytest.approx([delta_out * h1, delta_out * h2, delta_out])
    assert bwd.gradient[:3] == pytest.approx([delta_1 * 1.0, delta_1 * 0.5, delta_1])
    after = backprop.update(params, bwd.gradient, 1.0)
    assert after == pytest.approx(params - bwd.gradient)
    assert backprop.loss(after, x, target) < fwd.loss


def test_agreement_is_relative_and_catches_a_wrong_gradient():
    assert backprop.agrees(1.0, 1.0 + 1e-8) and backprop.agrees(1e-12, 0.0)
    assert not backprop.agrees(0.02, 0.021)


# ----- optimizers -----------------------------------------------------------------------------
CURVATURE = np.array([1.0, 4.0])


def quadratic(p):
    return CURVATURE * np.asarray(p, dtype=float)


P0 = np.array([2.0, -1.0])


def two_steps(optimizer):
    p1 = optimizer.step(P0, quadratic)
    return p1, optimizer.step(p1, quadratic)


def test_sgd_first_steps():
    p1, p2 = two_steps(SGD(0.1))
    assert p1 == pytest.approx(P0 - 0.1 * CURVATURE * P0)
    assert p2 == pytest.approx(p1 - 0.1 * CURVATURE * p1)


def test_momentum_first_steps():
    p1, p2 = two_steps(Momentum(0.1, beta=0.9))
    g0 = CURVATURE * P0
    assert p1 == pytest.approx(P0 - 0.1 * g0)
    assert p2 == pytest.approx(p1 - 0.9 * 0.1 * g0 - 0.1 * CURVATURE * p1)


def test_nesterov_first_steps_look_ahead():
    p1, p2 = two_steps(Nesterov(0.1, beta=0.9))
    v1 = -0.1 * CURVATURE * P0
    assert p1 == pytest.approx(P0 + v1)  # no velocity yet: the look-ahead is where it is
    ahead = p1 + 0.9 * v1
    assert p2 == pytest.approx(p1 + 0.9 * v1 - 0.1 * CURVATURE * ahead)


def test_rmsprop_first_step_is_rate_over_root_one_minus_rho_in_every_direction():
    p1, p2 = two_steps(RMSProp(0.01, rho=0.9))
    assert p1 == pytest.approx(P0 - 0.01 / np.sqrt(0.1) * np.sign(P0), rel=1e-6)
    g0, g1 = CURVATURE * P0, CURVATURE * p1
    square = 0.9 * 0.1 * g0**2 + 0.1 * g1**2
    assert p2 == pytest.approx(p1 - 0.01 * g1 / (np.sqrt(square) + optimizers.EPSILON))


def test_adam_first_step_is_the_rate_times_the_sign_and_its_second_by_hand():
    p1, p2 = two_steps(Adam(0.01))
    assert p1 == pytest.approx(P0 - 0.01 * np.sign(P0), rel=1e-6)
    g0, g1 = CURVATURE * P0, CURVATURE * p1
    mean = (0.9 * 0.1 * g0 + 0.1 * g1) / (1 - 0.9**2)
    square = (0.999 * 0.001 * g0**2 + 0.001 * g1**2) / (1 - 0.999**2)
    assert p2 == pytest.approx(p1 - 0.01 * mean / (np.sqrt(square) + optimizers.EPSILON))


def test_adam_takes_the_same_step_whatever_the_gradient_size():
    for scale in (1e-2, 1.0, 1e4):  # (far below, ε = 1e-7 starts to count)
        gradient = np.array([4.0, -0.1]) * scale

        def constant(p: np.ndarray, g: np.ndarray = gradient) -> np.ndarray:
            return g

        step = Adam(0.01).step(np.zeros(2), constant)
        assert step == pytest.approx([-0.01, 0.01], rel=1e-3)


@pytest.mark.parametrize("surface", [VALLEY, SADDLE], ids=["valley", "saddle"])
def test_the_surfaces_gradients_match_finite_differences(surface):
    rng = np.random.default_rng(1)
    for point in rng.uniform(-2, 2, size=(10, 2)):
        numeric = [
            (surface.loss(point + e) - surface.loss(point - e)) / 2e-6 for e in np.eye(2) * 1e-6
        ]
        assert surface.gradient(point) == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_the_race_on_the_valley_sgd_crawls_and_at_rate_half_bounces_for_ever():
    race = Race(VALLEY, 0.1)
    for _ in range(100):
        race.step()
    losses = {r.optimizer.name: race.loss(r) for r in race.racers}
    assert losses["SGD"] > 0.05 and all(v < 0.01 for k, v in losses.items() if k != "SGD")
    race = Race(VALLEY, 0.5)  # 0.5 × curvature 4 = 2: y ← (1 − 2)·y, for ever
    for _ in range(5):
        race.step()
    ys = [p[1] for p in race.racers[0].path]
    assert ys == pytest.approx([1.5, -1.5, 1.5, -1.5, 1.5, -1.5])


def test_nesterov_diverges_first_and_stops_there():
    race = Race(VALLEY, 0.4)
    for _ in range(60):
        race.step()
    diverged = [r.optimizer.name for r in race.racers if r.diverged]
    assert diverged == ["Nesterov"] and race.leader().optimizer.name != "Nesterov"
    assert len(race.racers[2].path) == 61 and np.all(np.isfinite(race.racers[2].position))


def test_on_the_saddle_sgd_lingers_while_adam_leaves():
    race = Race(SADDLE, 0.1)
    for _ in range(40):
        race.step()
    sgd, adam = race.racers[0], race.racers[4]
    assert abs(sgd.position[1]) < 0.2 and abs(adam.position[1]) > 0.8
    race.set_rate(0.3)
    assert all(r.optimizer.rate == 0.3 for r in race.racers)
    race.reset(VALLEY)
    assert race.steps == 0 and race.surface is VALLEY


# ----- overfitting --------------------------------------------------------------------------
def test_early_stopping_by_hand():
    losses = [5, 4, 3, 2, 1, 2, 3, 1, 4, 5, 6]
    assert early_stopping(losses, patience=3) == overfitting.EarlyStop(best=5, stop=8)
    assert early_stopping([3, 2, 2, 2], patience=2) == overfitting.EarlyStop(2, 4)  # equal ≠ better
    assert early_stopping([3, 2, 1], patience=2) == overfitting.EarlyStop(3, None)
    assert early_stopping([], patience=2) == overfitting.EarlyStop(0, None)


def test_the_fit_gradient_matches_finite_differences():
    run = FitRun(seed=3)
    flat = run.parameters()
    grad = run.gradient(flat.copy())
    rng = np.random.default_rng(0)
    for i in rng.choice(len(flat), size=12, replace=False):
        nudge = np.zeros_like(flat)
        nudge[i] = 1e-6
        run.set_parameters(flat + nudge)
        up = run.loss(run.train_x, run.train_y)
        run.set_parameters(flat - nudge)
        down = run.loss(run.train_x, run.train_y)
        assert grad[i] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-8)


def test_without_dropout_validation_turns_up_and_dropout_keeps_it_lower():
    plain = FitRun(seed=5)
    plain.train(overfitting.MAX_EPOCHS)
    stop = plain.early_stop()
    best = plain.validation_loss[stop.best - 1]
    assert plain.done and stop.stop is not None and stop.stop == stop.best + overfitting.PATIENCE
    assert plain.validation_loss[-1] > 3 * best and plain.train_loss[-1] < best
    assert min(plain.validation_loss) == best
    assert np.allclose(plain.predict_best(plain.validation_x[:, 0]), plain.predict_best(
        plain.validation_x[:, 0]))  # fmt: skip
    kept = plain.parameters()
    plain.set_parameters(plain.best_parameters)
    assert plain.loss(plain.validation_x, plain.validation_y) == pytest.approx(best)
    plain.set_parameters(kept)
    dropped = FitRun(seed=5, dropout=True)
    dropped.train(overfitting.MAX_EPOCHS)
    assert dropped.validation_loss[-1] < plain.validation_loss[-1] / 2
    assert dropped.net.dropout == [overfitting.DROPOUT] * len(overfitting.HIDDEN)
    again = FitRun(seed=5)
    assert np.array_equal(again.train_y, plain.train_y)  # same points and start each reset


# ----- the widgets --------------------------------------------------------------------------
class Holder(App):
    """One widget below a block of lesson text, focused: the lesson screen at 80 columns."""

    CSS = """
    #body { height: 1fr; }
    #text { height: 8; border-bottom: hkey $panel-lighten-2; }
    #body > .lesson-widget { height: 1fr; }
    #pager { height: 1; }
    """

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="body"):
            with VerticalScroll(id="text"):
                yield Static("The lesson's text stands here, above the widget. " * 6)
            self.widget.add_class("lesson-widget")
            yield self.widget
        yield Static("○●○○○ page 2/5 · n next · p previous · tab text/widget", id="pager")
        yield Footer()

    def on_mount(self) -> None:
        self.widget.focus()


def plain(widget: Widget, selector: str) -> str:
    return str(widget.query_one(selector, Static).render())


async def test_perceptron_keys():
    widget = PerceptronTrainer()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        model = widget.model
        assert "s shows the first example" in plain(widget, "#perceptron-readout")
        await pilot.press("s", "s", "s", "s")
        assert model.presented == 4 and model.errors == [1]
        assert "w = (1, 1)  b = 1" in plain(widget, "#perceptron-readout")
        await pilot.press("full_stop", "e")
        assert model.presented == 8 and model.errors == [1, 3]
        await pilot.press("r")
        assert model.presented == 0 and not model.errors
        await pilot.press("o")
        assert model.gate == "OR"
        await play_until(
            pilot, lambda: widget.playing and model.presented >= 2, "two points presented"
        )
        assert not widget.playing and model.presented >= 2
        await pilot.press("x", *["e"] * 12)
        assert model.gate == "XOR" and model.gave_up
        assert "no straight line separates XOR" in plain(widget, "#perceptron-readout")
        await pilot.press("h")
        assert model.hidden and model.presented == 0
        await pilot.press(*["e"] * 6)
        assert model.converged_at == 5 and "XOR learned" in plain(widget, "#perceptron-readout")
        assert "h₁ OR" in plain(widget, "#perceptron-readout")
        await pilot.press("g")
        assert model.gate == "AND" and model.hidden
        await pilot.press("x", "a", "h")
        assert model.gate == "AND" and not model.hidden


async def test_perceptron_plays_to_the_end_and_stops():
    widget = PerceptronTrainer()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget.model.train(5)  # one example short of AND's clean epoch
        widget.model.epoch()
        widget.model.epoch()
        await pilot.press("space")  # finished: play starts it again from zero
        assert widget.model.presented == 0 and widget.playing
        widget.pause()
        assert not widget.playing


async def test_backprop_keys():
    widget = BackpropSteps()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        nodes, edges = "#backprop-nodes", "#backprop-edges"
        assert widget.stage == 0 and "step 1/8" in plain(widget, nodes)
        assert plain(widget, edges).count("✓") == 0
        await pilot.press("right", "space", "s")
        assert widget.stage == 3 and "ŷ = σ(z) = 0.642" in plain(widget, nodes)
        await pilot.press("right", "right")
        assert widget.key == "back-out" and plain(widget, edges).count("✓") == 3
        await pilot.press("right", "right", "right")  # stops at the last step
        assert widget.stage == 7 and plain(widget, edges).count("✓") == 9
        await pilot.press("left", "b")
        assert widget.stage == 5
        await pilot.press("r")
        assert widget.stage == 0
        before = widget.fwd.loss
        await pilot.press("u")
        assert widget.updates == 1 and widget.fwd.loss < before
        assert f"L {before:.4f} → {widget.fwd.loss:.4f} ✓" in plain(widget, edges)
        params = widget.params.copy()
        await pilot.press("x")
        assert not np.array_equal(params, widget.params) and widget.last_update is None
        widget.pause()


async def test_optimizer_keys():
    widget = OptimizerRace()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        race = widget.race
        await pilot.press("s", "full_stop")
        assert race.steps == 2 and "step 2" in plain(widget, "#race-board")
        await pilot.press("up")
        assert race.rate == 0.2 and all(r.optimizer.rate == 0.2 for r in race.racers)
        await pilot.press("down", "down", "minus", "plus")
        assert race.rate == 0.05
        for _ in range(12):
            await pilot.press("up")
        assert race.rate == 0.5
        await pilot.press("v")
        assert widget.race.surface is SADDLE and race.steps == 0
        assert "saddle" in plain(widget, "#race-board")
        await pilot.press("1")
        assert "S" not in widget.shown and "hidden" in plain(widget, "#race-board")
        await pilot.press("1", "5")
        assert widget.shown == {"S", "M", "N", "R"}
        await play_until(pilot, lambda: widget.playing and race.steps >= 2, "two steps")
        assert not widget.playing and race.steps >= 2
        await pilot.press("r")
        assert race.steps == 0
        await pilot.press("v")
        assert race.surface is VALLEY


async def test_the_race_draws_a_letter_for_every_optimiser():
    widget = OptimizerRace()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["s"] * 30)
        marks = "".join(char for char, _ in widget.query_one(RaceView).marks().values())
        assert all(letter in marks for letter in "SMNRA") and "+" in marks
        assert all(letter in marks for letter in "smnra")


async def test_a_race_plays_to_its_end_and_stops(monkeypatch):
    from tui_dl.ui.widgets.lesson import optimizers_race

    monkeypatch.setattr(optimizers_race, "MAX_STEPS", 3)
    widget = OptimizerRace()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        for _ in range(600):  # it plays to its end and stops by itself
            if widget.race.steps == 3 and not widget.playing:
                break
            await pilot.pause(0.05)
        assert not widget.playing and widget.race.steps == 3
        assert "3 steps" in plain(widget, "#race-board")


async def test_overfitting_keys():
    widget = OverfittingCurves()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s", "full_stop")
        assert widget.run.epochs == 80 and "epoch 80" in plain(widget, "#overfit-readout")
        await pilot.press("d")
        assert widget.run.dropout and widget.run.epochs == 0
        assert "last run: dropout off" in plain(widget, "#overfit-readout")
        await pilot.press("s", "r")
        assert widget.run.dropout and widget.run.epochs == 0
        await pilot.press("x")
        assert widget.run.seed == 6 and widget.previous is None
        await play_until(pilot, lambda: widget.playing and widget.run.epochs >= 40, "40 epochs")
        assert not widget.playing and widget.run.epochs >= 40
        widget.run.train(overfitting.MAX_EPOCHS)
        await pilot.press("s")
        assert widget.run.done and "early stopping (patience 200) stops at" in plain(
            widget, "#overfit-readout"
        )
        finished = widget.run
        await pilot.press("space")  # at the end: play starts the run again
        # A new run of the same points (how far it has played by now is the machine's load)
        assert widget.run is not finished and widget.playing
        assert (widget.run.seed, widget.run.dropout) == (finished.seed, finished.dropout)
        assert widget.run.epochs < finished.epochs
        widget.pause()


async def test_the_widgets_tell_things_apart_by_characters_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    widget = PerceptronTrainer()
    async with Holder(widget).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", *["e"] * 3)
        plot = widget.query_one(PerceptronPlot)
        drawn = "".join(plot.render_line(y).text for y in range(plot.size.height))
        assert {"●", "○", "✗", "·"} <= set(drawn) and any(c in drawn for c in "─│╱╲")
    race = OptimizerRace()
    async with Holder(race).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["s"] * 30)
        view = race.query_one(RaceView)
        drawn = "".join(view.render_line(y).text for y in range(view.size.height))
        assert set("SMNRAsmnra+") <= set(drawn)


@pytest.mark.parametrize("size", [(80, 24), (30, 8)], ids=str)
@pytest.mark.parametrize("kind", list(MINE.values()), ids=lambda kind: kind.__name__)
async def test_stray_keys_never_crash_a_widget(kind, size):
    keys = ["space", "s", "e", "g", "h", "a", "o", "1", "3", "5", "9", "0", "r", "x", "u"]
    keys += ["d", "v", "b", "up", "down", "left", "right", "full_stop", "minus", "plus"]
    keys += ["q", "z", "tab", "enter", "home", "end", "pageup", "escape", "n", "p"]
    chooser = random.Random(14)
    widget = kind()
    async with Holder(widget).run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*(chooser.choice(keys) for _ in range(40)))
        await pilot.pause()
        widget.pause()


SNAPSHOTS = {
    "perceptron": ["x", "e", "e", "s"],
    "backprop": ["right"] * 6,
    "optimizers": ["s"] * 30,
    "overfitting": ["s"] * 12,
}


@pytest.mark.parametrize("name", list(SNAPSHOTS))
def test_snapshot(snap_compare, name):
    assert snap_compare(
        Holder(MINE[name]()), terminal_size=(80, 24), press=SNAPSHOTS[name], run_before=settle
    )


# ----- the lessons ----------------------------------------------------------------------------
@pytest.fixture
def registered(monkeypatch):
    """The widget names known to the parser, until the app lists them."""
    monkeypatch.setattr(content, "WIDGETS", tuple(dict.fromkeys([*content.WIDGETS, *MINE])))


@pytest.mark.parametrize("name", list(FILES))
def test_the_lessons_read_cleanly(registered, name):
    from tui_dl.ui.tries import check_target

    lesson = content.read_lesson(LESSONS / name, check=check_target)
    lesson_id, order, widget = FILES[name]
    assert (lesson.id, lesson.order, lesson.widgets) == (lesson_id, order, (widget,))
    assert 4 <= len(lesson.pages) <= 6 and 3 <= len(lesson.questions) <= 5
    assert sum(page.widget == widget for page in lesson.pages) >= 2
    assert lesson.pages[0].widget is None and lesson.tries


def test_the_overfitting_lesson_links_the_dropout_experiment(registered):
    lesson = content.read_lesson(LESSONS / "07-overfitting.md")
    assert lesson.tries[0].target.text == "lab mnist-mlp-dropout epochs=5"
