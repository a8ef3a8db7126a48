"""The GAN Lab's engine: the network's backward pass (parameters and inputs), the generator's
gradient through the discriminator, the optimisers, an iteration's rhythm, learning the line
and the ring on fixed seeds, a blow-up said plainly, and the learner's CSV refused by line."""

from __future__ import annotations

import numpy as np
import pytest

from tui_dl.engine.ganlab.datasets import DataError, distance_to_line, load_csv
from tui_dl.engine.ganlab.model import Gan
from tui_dl.engine.ganlab.optimizers import Optimizer
from tui_dl.engine.ganlab.session import MANIFOLD_LINES, MANIFOLD_POINTS, GanLab
from tui_dl.engine.ganlab.settings import GanSettings, SettingError
from tui_dl.engine.playground.network import Network


def numeric(f, array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂array by central differences, `array` changed in place and put back."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + eps
        up = f()
        array[index] = old - eps
        down = f()
        array[index] = old
        grad[index] = (up - down) / (2 * eps)
    return grad


def close(got, expected) -> None:
    assert got == pytest.approx(expected, rel=1e-4, abs=1e-7)


# ----- the backward pass --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("activation", "output"),
    [("tanh", "sigmoid"), ("relu", "linear"), ("sigmoid", "tanh"), ("linear", "sigmoid")],
)
def test_backward_gives_the_parameters_and_the_inputs_gradients(activation, output):
    rng = np.random.default_rng(3)
    net = Network.scaled_normal(2, [5, 4], [activation] * 2, 3, output, rng)
    x = rng.normal(size=(6, 2))
    weights = rng.normal(size=(6, 3))  # the loss: a weighted sum of the outputs

    def loss() -> float:
        return float((net.predict(x) * weights).sum())

    fwd = net.forward(x)
    slope = {"sigmoid": fwd.output * (1 - fwd.output), "tanh": 1 - fwd.output**2}
    delta = weights * slope.get(output, 1.0)  # ∂loss/∂(the output layer's sums)
    grads = net.backward(fwd, delta)
    for got, parameter in zip(grads.parameters(), net.parameters(), strict=True):
        close(got, numeric(loss, parameter))
    close(grads.inputs, numeric(loss, x))


def test_accumulate_still_adds_what_backward_gives():
    net = Network.scaled_normal(2, [3], ["tanh"], 1, "tanh", np.random.default_rng(0))
    x, t = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([[1.0], [-1.0]])
    net.accumulate(x, t, np.random.default_rng(0))
    fwd = net.forward(x)
    expected = net.backward(fwd, net.output_delta(fwd.output, fwd.z[-1], t))
    close(net._acc_w[0], expected.weights[0])
    close(net._acc_b[1], expected.biases[1])


# ----- the two players' gradients -----------------------------------------------------------------
def small_gan(seed: int = 0) -> Gan:
    return Gan.build(
        [6, 5], [5, 4], ("relu", "tanh"), "sgd", (0.1, 0.1), np.random.default_rng(seed)
    )


def test_the_generators_gradient_flows_through_the_discriminator():
    gan = small_gan()
    noise = np.random.default_rng(1).uniform(-1, 1, (7, 2))

    def g_loss() -> float:
        return gan.g_loss(gan.generate(noise))

    loss, grads, at_points = gan.g_gradients(noise)
    assert loss == pytest.approx(g_loss())
    for got, parameter in zip(grads, gan.generator.parameters(), strict=True):
        close(got, numeric(g_loss, parameter))
    fake = gan.generate(noise)
    close(at_points, numeric(lambda: gan.g_loss(fake), fake))


def test_the_discriminators_gradient_on_real_and_fake():
    gan = small_gan(2)
    data = np.random.default_rng(4)
    real, fake = data.normal(size=(5, 2)), data.normal(size=(6, 2))
    loss, grads = gan.d_gradients(real, fake)
    assert loss == pytest.approx(gan.d_loss(real, fake))
    for got, parameter in zip(grads, gan.discriminator.parameters(), strict=True):
        close(got, numeric(lambda: gan.d_loss(real, fake), parameter))


def test_a_generator_step_leaves_the_discriminator_alone_and_lowers_its_loss():
    gan = small_gan(5)
    noise = np.random.default_rng(6).uniform(-1, 1, (64, 2))
    d_before = [p.copy() for p in gan.discriminator.parameters()]
    before = gan.g_loss(gan.generate(noise))
    gan.g_optimizer.learning_rate = 0.01
    gan.g_step(noise)
    assert gan.g_loss(gan.generate(noise)) < before
    for p, q in zip(gan.discriminator.parameters(), d_before, strict=True):
        assert (p == q).all()


def test_adam_and_sgd_take_their_textbook_first_steps():
    p, g = [np.array([1.0, -2.0])], [np.array([0.5, -4.0])]
    Optimizer("sgd", 0.1).apply(p, g)
    close(p[0], [0.95, -1.6])
    q = [np.array([1.0, -2.0])]
    Optimizer("adam", 0.1).apply(q, g)  # first step: lr × sign(g), whatever its size
    close(q[0], [0.9, -1.9])


# ----- an iteration, its counts, its rhythm -------------------------------------------------------
def test_an_iteration_is_k_discriminator_steps_then_k_generator_steps():
    lab = GanLab(GanSettings(d_steps=2, g_steps=1))
    assert [lab.advance() for _ in range(4)] == ["d", "d", "g", "d"]
    assert (lab.iteration, lab.d_updates, lab.g_updates) == (1, 3, 1)
    lab.step()  # the rest of the second iteration
    assert (lab.iteration, lab.d_updates, lab.g_updates) == (2, 4, 2)
    lab.step_d()
    lab.step_g()
    assert (lab.iteration, lab.d_updates, lab.g_updates) == (2, 5, 3)
    assert len(lab.history) == 1 + 4 + 1 + 2  # the start, each advance, the step, each move
    lab.reset()
    assert (lab.iteration, lab.d_updates, lab.g_updates, len(lab.history)) == (0, 0, 0, 1)


def test_one_seed_gives_the_same_training_and_another_does_not():
    def trained(seed: int) -> np.ndarray:
        lab = GanLab(GanSettings(seed=seed))
        lab.train(30)
        return lab.gan.generate(lab.measured_noise)

    assert (trained(4) == trained(4)).all()
    assert not np.allclose(trained(4), trained(5))


def test_live_settings_keep_the_networks():
    lab = GanLab(GanSettings())
    lab.train(5)
    weights = lab.gan.generator.weights[0].copy()
    lab.retune(lab.settings.with_(g_learning_rate=0.03, d_steps=3, optimizer="adam"))
    assert (lab.gan.generator.weights[0] == weights).all()
    assert lab.gan.g_optimizer.kind == "adam" and lab.gan.g_optimizer.learning_rate == 0.03
    assert lab.plan == "dddg"


# ----- it learns: the course's "a line is easy, a ring is hard" -----------------------------------
def test_the_fakes_move_onto_the_line_within_a_few_hundred_iterations():
    lab = GanLab(GanSettings(dataset="line"))

    def off_the_line() -> float:
        return float(distance_to_line(lab.gan.generate(lab.measured_noise)).mean())

    start = off_the_line()
    lab.train(300)
    assert off_the_line() < start / 5
    assert lab.metrics().d_on_fake == pytest.approx(0.5, abs=0.1)  # D can hardly tell


def test_the_ring_takes_longer_but_comes():
    lab = GanLab(GanSettings(dataset="ring"))
    start = lab.metrics()
    lab.train(3000)
    end = lab.metrics()
    assert end.distance < start.distance / 5 and end.kl < start.kl / 3
    assert end.d_loss == pytest.approx(2 * np.log(2), abs=0.15)


def test_a_blow_up_stops_with_a_plain_message_and_reset_recovers():
    lab = GanLab(GanSettings(g_learning_rate=10))
    lab.train(200)
    assert "blew up" in lab.stopped and "G 10" in lab.stopped
    assert not lab.step() and not lab.step_d() and lab.advance() == ""
    lab.reset()
    assert lab.stopped == "" and lab.step()


def test_the_snapshot_holds_what_the_screen_draws():
    lab = GanLab(GanSettings(noise="normal"))
    lab.train(3)
    snap = lab.snapshot(columns=30, rows=20)
    assert snap.verdict.shape == (20, 30) and ((0 <= snap.verdict) & (snap.verdict <= 1)).all()
    assert snap.manifold.shape == (2 * MANIFOLD_LINES, MANIFOLD_POINTS, 2)
    assert snap.fake.shape == snap.push.shape and snap.iteration == 3
    assert len(snap.history) == 4


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"d_steps": 0, "g_steps": 0}, "nothing would learn"),
        ({"dataset": "csv"}, "no CSV file chosen"),
        ({"dataset": "moons"}, "dataset=moons: one of ring, line, blobs, csv"),
        ({"d_learning_rate": 0}, "d_learning_rate=0: must be above 0"),
        ({"optimizer": "rmsprop"}, "one of sgd, adam"),
        ({"g_neurons": 500}, "g_neurons=500: must be a whole number 1 to 64"),
    ],
)
def test_a_bad_setting_is_refused_naming_it(changes, says):
    with pytest.raises(SettingError) as error:
        GanSettings().with_(**changes)
    assert says in str(error.value)


# ----- the learner's own points -------------------------------------------------------------------
def write(tmp_path, text: str):
    path = tmp_path / "points.csv"
    path.write_text(text)
    return path


def test_own_points_with_a_header_are_fitted_into_the_plane(tmp_path):
    rows = "x,y\n" + "".join(f"{100 + i},{50 + 2 * i}\n" for i in range(20))
    real = load_csv(write(tmp_path, rows))
    assert len(real.xy) == 20 and real.name == "points.csv"
    assert np.abs(real.xy).max() == pytest.approx(0.8)
    assert real.scale == pytest.approx(0.8 / 19)
    lab = GanLab(GanSettings(dataset="csv", csv=str(tmp_path / "points.csv")))
    lab.train(3)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1,2,3\n" * 12, "line 1 has 3 columns; expected 2 (x,y)"),
        ("x,y\n1,2\n1,b\n" + "1,2\n" * 12, "line 3: x and y must be numbers, got '1', 'b'"),
        ("1,2\n3,4\n", "2 rows of x,y; the GAN Lab needs at least 10"),
        ("1,2\n" * 12, "every row is the same point"),
        ("1,2\n" * 4 + "inf,2\n" + "3,4\n" * 8, "line 5: x and y must be finite"),
    ],
)
def test_a_bad_csv_is_refused_naming_the_line(tmp_path, text, says):
    with pytest.raises(DataError) as error:
        load_csv(write(tmp_path, text))
    assert says in str(error.value)


def test_a_missing_csv_is_said(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        GanLab(GanSettings(dataset="csv", csv=str(tmp_path / "none.csv")))


# ----- headless: `tui-dl ganlab` ------------------------------------------------------------------
def test_the_headless_form_prints_the_numbers_as_json(capsys):
    import json

    from tui_dl.cli import main

    assert main(["ganlab", "--dataset", "line", "--iterations", "300", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["iterations"] == 300 and report["dataset"] == "line"
    assert report["distance"] < 0.05 and report["stopped"] is None
    assert report["settings"]["d_learning_rate"] == 0.3


def test_the_headless_form_refuses_a_bad_csv_and_says_a_blow_up(tmp_path, capsys):
    from tui_dl.cli import main

    bad = write(tmp_path, "x,y,z\n" + "1,2,3\n" * 12)
    assert main(["ganlab", "--dataset", str(bad)]) == 2
    assert "line 1 has 3 columns; expected 2 (x,y)" in capsys.readouterr().err
    assert main(["ganlab", "--g-rate", "10", "--iterations", "100"]) == 1
    assert "blew up" in capsys.readouterr().out
