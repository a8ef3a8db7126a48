"""The Playground's engine: the web's random numbers, points and state strings; the network's
gradients and update rule; the course's findings on fixed seeds."""

from __future__ import annotations

import numpy as np
import pytest

from tui_dl.engine.playground.datasets import DataError, generate, load_csv
from tui_dl.engine.playground.network import Network
from tui_dl.engine.playground.rng import SeededRandom
from tui_dl.engine.playground.session import Playground
from tui_dl.engine.playground.state import PlaygroundState, StateError, parse_state

# What `Math.seedrandom(seed); Math.random()` gives in node with seedrandom 2.4.4 (the web
# Playground's version), and what its dataset.ts generators and buildNetwork drew from there.
SEEDRANDOM = {
    "42": [0.00701751618236155, 0.17185490054868188, 0.967001069269818],
    "0.55534": [0.7182758446574136, 0.8624060050349106, 0.3742775289008143],
    "": [0.23144008215179881, 0.27404636548159655, 0.7901279251811976],
}
WEB_POINTS = {  # seed 0.55534, noise 25 %: the first point after the shuffle, the first weights
    "circle": ([1.2194084524883626, -1.7470108439520375, -1], [-0.10731907303026517, -0.0336616]),
    "xor": ([3.8219752291459512, -1.269859110978316, -1], [-0.10731907303026517, -0.0336616]),
    "gauss": ([2.6326921711693156, 1.8729614186356778, 1], [0.22829060043858385, 0.17415801]),
    "spiral": ([-0.05285413475431444, 0.09688486194211726, 1], [0.2542401120858796, 0.1797839]),
    "reg-plane": ([0.9592047414763458, -0.3374271697850464, 0.1310997095144431], [-0.44018688]),
}
WEB_DEFAULT = (
    "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
    "&regularizationRate=0&noise=0&networkShape=4,2&seed=0.55534&showTestData=false"
    "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false"
    "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
    "&problem=classification&initZero=false&hideText=false"
)


@pytest.mark.parametrize("seed", SEEDRANDOM)
def test_the_random_numbers_are_the_web_playgrounds(seed):
    rng = SeededRandom(seed)
    assert [rng.random() for _ in range(3)] == SEEDRANDOM[seed]


@pytest.mark.parametrize("name", WEB_POINTS)
def test_one_seed_gives_the_web_playgrounds_points_and_first_weights(name):
    point, weights = WEB_POINTS[name]
    regression = name.startswith("reg")
    state = parse_state(
        f"seed=0.55534&noise=25&{'problem=regression&regDataset' if regression else 'dataset'}="
        f"{name}"
    )
    playground = Playground(state)
    first = [*playground.points.train_xy[0], playground.points.train_y[0]]
    expected = list(point)
    if not regression:
        expected[2] = 1 if point[2] > 0 else 0  # the web's ±1 as class numbers
    assert first == pytest.approx(expected, abs=1e-12)
    # buildNetwork: each neuron's incoming weights in turn, from the stream after the points
    drawn = playground.network.weights[0].T.ravel()
    assert drawn[: len(weights)] == pytest.approx(weights, abs=1e-7)
    assert (playground.network.biases[0] == 0.1).all()


def test_points_count_and_split_as_on_the_web():
    points = generate("circle", "1", noise_percent=0, train_percent=30)
    assert (len(points.train_xy), len(points.test_xy)) == (150, 350)
    regression = generate("reg-gauss", "1", 0, 50, classes=0)
    assert len(regression.train_xy) + len(regression.test_xy) == 1200
    assert regression.regression and np.abs(regression.train_y).max() <= 1
    three = generate("spiral", "1", 0, 50, classes=3)
    assert set(np.unique(three.train_y)) == {0.0, 1.0, 2.0}


# ----- the state string -----------------------------------------------------------------------
def test_the_web_state_string_round_trips_byte_for_byte():
    assert PlaygroundState().to_string() == WEB_DEFAULT
    url = "https://playground.tensorflow.org/#" + WEB_DEFAULT.replace("4,2", "6,4,2")
    state = parse_state(url)
    assert state.networkShape == [6, 4, 2]
    assert parse_state(state.to_string()) == state
    assert state.web_url() == url


def test_our_own_keys_ride_after_the_webs_and_round_trip():
    text = (
        "dataset=spiral&classes=3&networkShape=8,4&activations=relu,tanh&dropout=0.2,0"
        "&stopEpochs=300&regularization=L2&regularizationRate=0.003&learningRate=0.00001"
        "&x_hide=true"
    )
    state = parse_state(text)
    out = state.to_string()
    assert "regularization=L2" in out and "learningRate=0.00001" in out
    assert out.index("hideText=") < out.index("classes=3")  # the web's keys first
    assert "x_hide=true" in out and parse_state(out) == state
    assert state.layer_activations() == ["relu", "tanh"] and state.output_loss == "xent"
    assert "classes" not in PlaygroundState().to_string()  # defaults are not written


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("dataset=moons", "dataset=moons: one of circle, xor, gauss, spiral"),
        ("colour=red", "unknown key 'colour'"),
        ("learningRate=20", "learningRate=20: must be 0.00001 to 10"),
        ("learningRate=fast", "learningRate=fast: not a number"),
        ("batchSize=31", "batchSize=31: must be 1 to 30"),
        ("noise=60", "noise=60"),
        ("percTrainData=95", "percTrainData=95"),
        ("networkShape=1,2,3,4,5,6,7", "at most 6 hidden layers"),
        ("networkShape=9", "1 to 8 neurons"),
        ("x=false&y=false", "no input features"),
        ("showTestData=maybe", "showTestData=maybe: true or false"),
        ("classes=3", "the circle data has two classes"),
        ("classes=6&dataset=gauss", "classes=6: 2 to 5"),
        ("activations=relu", "one per hidden layer (2)"),
        ("dropout=0.5,1", "each rate 0 to 0.9"),
        ("problem=regression&loss=xent", "cross-entropy is for classification"),
        ("networkShape", "expected key=value"),
    ],
)
def test_a_bad_state_is_refused_naming_the_problem(text, says):
    with pytest.raises(StateError, match=None) as error:
        parse_state(text)
    assert says in str(error.value)


# ----- the network ----------------------------------------------------------------------------
def numeric_gradients(net: Network, x, t, loss, eps=1e-6):
    grads = []
    for p in net.parameters():
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            old = p[index]
            p[index] = old + eps
            up = loss()
            p[index] = old - eps
            down = loss()
            p[index] = old
            g[index] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


@pytest.mark.parametrize(
    ("activation", "output"),
    [("tanh", "tanh"), ("relu", "tanh"), ("sigmoid", "linear"), ("linear", "softmax")],
)
def test_gradients_match_finite_differences(activation, output):
    rng = SeededRandom("grad")
    outputs = 3 if output == "softmax" else 1
    net = Network.build(3, [4, 3], [activation, activation], outputs, output, rng)
    data = np.random.default_rng(1)
    x = data.normal(size=(7, 3))
    if output == "softmax":
        t = np.eye(3)[data.integers(0, 3, 7)]

        def loss():
            return float(-np.log((net.predict(x) * t).sum(axis=1)).sum())
    else:
        t = data.uniform(-1, 1, size=(7, 1))

        def loss():
            return float((0.5 * (net.predict(x) - t) ** 2).sum())

    numeric = numeric_gradients(net, x, t, loss)
    for analytic, expected in zip(net.gradients(x, t), numeric, strict=True):
        assert analytic == pytest.approx(expected, rel=1e-4, abs=1e-7)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_gradients_through_dropout_match_finite_differences_with_the_same_masks(activation):
    net = Network.build(
        2, [4, 3], [activation] * 2, 1, "tanh", SeededRandom("d"), dropout=[0.5, 0.3]
    )
    data = np.random.default_rng(1)
    x, t = data.normal(size=(6, 2)), data.uniform(-1, 1, size=(6, 1))
    net.accumulate(x, t, np.random.default_rng(5))
    analytic = [g.copy() for pair in zip(net._acc_w, net._acc_b, strict=True) for g in pair]

    def loss():  # the same masks every time: the same seed
        return float((0.5 * (net.forward(x, np.random.default_rng(5)).output - t) ** 2).sum())

    for got, expected in zip(analytic, numeric_gradients(net, x, t, loss), strict=True):
        assert got == pytest.approx(expected, rel=1e-4, abs=1e-7)


def test_the_update_is_the_web_playgrounds_rule_with_regularisation():
    net = Network.build(2, [3], ["tanh"], 1, "tanh", SeededRandom("u"), regularization="L1")
    x = np.array([[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]])
    t = np.array([[1.0], [-1.0], [1.0]])
    before = [p.copy() for p in net.parameters()]
    grads = net.gradients(x, t)
    net.accumulate(x, t, np.random.default_rng(0))
    net.update(learning_rate=0.1, regularization_rate=0.5)
    for layer in range(2):
        w, b = before[2 * layer], before[2 * layer + 1]
        gw, gb = grads[2 * layer], grads[2 * layer + 1]
        expected_w = w - 0.1 / 3 * (gw + 0.5 * np.where(w < 0, -1.0, 1.0))
        assert net.weights[layer] == pytest.approx(expected_w)
        assert net.biases[layer] == pytest.approx(b - 0.1 * gb / 3)


def test_a_short_last_batch_waits_for_the_next_epoch():
    playground = Playground(parse_state("batchSize=30"))  # 250 training points: 10 left over
    playground.step()
    assert playground.network._acc_n == 10
    playground.step()  # its first update took those 10 and 30 more; 10 wait again
    assert playground.network._acc_n == 10


# ----- the course's findings, on fixed seeds ----------------------------------------------------
def test_three_neurons_solve_the_circle_and_two_do_not():
    three = Playground(parse_state("networkShape=3"))
    two = Playground(parse_state("networkShape=2"))
    three.train(400)
    two.train(400)
    assert three.metrics().test_accuracy >= 0.97
    assert two.metrics().test_accuracy <= 0.9
    assert three.history[-1][1] < two.history[-1][1] / 5


def test_the_spiral_needs_layers_or_the_sin_features():
    def test_loss(text: str) -> float:
        playground = Playground(parse_state("dataset=spiral&" + text))
        playground.train(1000)
        return playground.history[-1][1]

    small = test_loss("networkShape=4,2")
    assert test_loss("networkShape=8,8,4") < small / 1.8
    assert test_loss("networkShape=4,2&sinX=true&sinY=true") < small / 3


def test_more_classes_and_cross_entropy_learn():
    gauss = Playground(parse_state("dataset=gauss&classes=4&networkShape=4"))
    gauss.train(200)
    metrics = gauss.metrics()
    assert metrics.test_accuracy > 0.9 and metrics.confusion.shape == (4, 4)
    assert metrics.confusion.sum() == len(gauss.points.test_xy)


def test_a_blow_up_stops_with_a_plain_message_and_reset_recovers():
    state = parse_state("problem=regression&activation=relu&learningRate=3&networkShape=8,8")
    playground = Playground(state)
    playground.train(50)
    assert "blew up" in playground.stopped and "learning rate 3" in playground.stopped
    assert not playground.step()
    playground.reset()
    assert playground.stopped == "" and playground.epoch == 0
    assert np.isfinite(playground.history[0]).all()


def test_stop_conditions():
    by_epochs = Playground(parse_state("stopEpochs=25"))
    by_epochs.train(1000)
    assert by_epochs.epoch == 25 and "25 epochs" in by_epochs.stopped
    by_loss = Playground(parse_state("stopLoss=0.05"))
    by_loss.train(1000)
    assert by_loss.history[-1][1] <= 0.05 < by_loss.history[-2][1]


def test_the_grid_holds_every_neurons_picture():
    playground = Playground(parse_state("networkShape=3,2"))
    grid = playground.grid(columns=20, rows=10)
    assert [g.shape for g in grid] == [(10, 20, 2), (10, 20, 3), (10, 20, 2), (10, 20, 1)]
    assert grid[0][0, 0, 1] == pytest.approx(6.0)  # top row is y = +6
    assert grid[0][0, -1, 0] == pytest.approx(6.0)  # right column is x = +6


# ----- a learner's own points -------------------------------------------------------------------
def write(tmp_path, text: str):
    path = tmp_path / "points.csv"
    path.write_text(text)
    return path


def test_own_points_with_a_header_and_named_classes(tmp_path):
    rows = "x1,x2,label\n" + "".join(
        f"{i / 10},{-i / 10},{'cat' if i % 3 else 'dog'}\n" for i in range(30)
    )
    path = write(tmp_path, rows)
    playground = Playground(parse_state(f"csv={path}"))
    assert playground.classes == 2 and len(playground.points.train_xy) == 15
    playground.train(5)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1,2\n" * 12, "has 2 columns; expected 3 (x1,x2,label)"),
        ("1,2,1\n1,b,0\n" + "1,2,1\n" * 12, "line 2: x1 and x2 must be numbers"),
        ("1,2,1\n1,2,0\n", "2 rows; the Playground needs at least 10"),
        ("".join(f"{i},{i},{i}\n" for i in range(12)), "12 different labels; the Playground"),
        ("nan,1,1\n" + "1,2,0\n1,2,1\n" * 6, "NaN or infinite"),
        ("1,2,1\n" * 12, "every row has the label '1'"),
    ],
)
def test_a_bad_csv_is_refused_naming_the_problem(tmp_path, text, says):
    with pytest.raises(DataError) as error:
        load_csv(write(tmp_path, text), regression=False, seed="1", train_percent=50)
    assert says in str(error.value)


def test_a_missing_csv_and_a_regression_csv(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_csv(tmp_path / "none.csv", False, "1", 50)
    path = write(tmp_path, "".join(f"{i},{i},{i * 4}\n" for i in range(20)))
    points = load_csv(path, regression=True, seed="1", train_percent=50)
    assert points.regression and np.abs(points.train_y).max() <= 1
    with pytest.raises(DataError, match="y must be a number"):
        load_csv(write(tmp_path, "1,1,x\n" * 12), regression=True, seed="1", train_percent=50)
