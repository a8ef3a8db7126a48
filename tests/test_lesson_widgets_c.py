"""The convolution, recurrent and VAE lesson widgets: their maths against scipy, finite
differences and Monte Carlo; every key, driven by Pilot; the lessons that embed them
(cnn, rnn, vae, gan) read cleanly; a snapshot of each widget's first page at 80×24."""

from __future__ import annotations

import json
import random
import re
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest
from scipy import integrate
from scipy.signal import correlate2d
from textual.app import App, ComposeResult
from textual.widget import Widget

from tests.fakes import FakeRunSource, mnist_events, play_until, settle
from tui_dl.data.registry import DatasetUnavailable
from tui_dl.lessons import content
from tui_dl.lessons.widgets import convolution as conv
from tui_dl.lessons.widgets import recurrent as rnn
from tui_dl.lessons.widgets import vae
from tui_dl.ui.app import make_app
from tui_dl.ui.screens import lesson as lesson_screen
from tui_dl.ui.widgets.lesson.convolution_filter import ConvolutionFilter
from tui_dl.ui.widgets.lesson.recurrent_gradients import RecurrentGradients
from tui_dl.ui.widgets.lesson.vae_sampling import VaeSampling

MINE: dict[str, type[Widget]] = {
    "convolution": ConvolutionFilter,
    "recurrent": RecurrentGradients,
    "vae-sampling": VaeSampling,
}
LESSONS = Path(__file__).resolve().parents[1] / "lessons"
FILES = ("10-cnn.md", "11-rnn.md", "16-vae.md", "17-gan.md")
SIZE = (80, 24)
rng = np.random.default_rng(0)


# ----- convolution: the maths -------------------------------------------------------------
def a_digit() -> np.ndarray:
    from tui_dl.data.images import load_mnist

    data = load_mnist(allow_download=False)
    return conv.first_of_each_class(data.x_test, data.y_test)[7][1]


@pytest.mark.parametrize("name", list(conv.KERNELS))
def test_the_feature_map_is_scipys_cross_correlation(name):
    kernel = conv.KERNELS[name][1]
    for image in (a_digit(), rng.random((28, 28)), rng.random((9, 13))):
        expected = correlate2d(image, kernel, mode="valid")
        assert np.allclose(conv.correlate(image, kernel), expected, atol=1e-12)
        assert np.allclose(conv.correlate(image, kernel, 0.5), expected + 0.5, atol=1e-12)
    image = a_digit()
    full = conv.correlate(image, kernel)
    assert full.shape == (26, 26)
    for row, col in ((0, 0), (12, 7), (25, 25)):
        assert conv.output_at(image, kernel, row, col) == pytest.approx(full[row, col])


def test_a_learned_looking_filter_is_scipys_too():
    kernel = rng.normal(size=(3, 3))
    image = a_digit()
    assert np.allclose(conv.correlate(image, kernel), correlate2d(image, kernel, "valid"))


def pool_by_hand(feature: np.ndarray) -> np.ndarray:
    rows, cols = feature.shape[0] // 2, feature.shape[1] // 2
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = max(
                feature[2 * i, 2 * j],
                feature[2 * i, 2 * j + 1],
                feature[2 * i + 1, 2 * j],
                feature[2 * i + 1, 2 * j + 1],
            )
    return out


@pytest.mark.parametrize("shape", [(26, 26), (27, 27), (6, 9)])
def test_max_pooling_matches_a_loop_by_hand(shape):
    feature = rng.normal(size=shape)
    pooled = conv.max_pool(feature)
    assert pooled.shape == (shape[0] // 2, shape[1] // 2)
    assert np.array_equal(pooled, pool_by_hand(feature))
    for i, j in ((0, 0), (2, 1)):
        r, c = conv.pool_winner(feature, i, j)
        assert feature[r, c] == pooled[i, j] and r // 2 == i and c // 2 == j


def test_the_sweep_fills_the_map_row_by_row_then_pools():
    image, kernel = a_digit(), conv.KERNELS["edge-h"][1]
    sweep = conv.FilterSweep(image, kernel)
    assert sweep.total == 26 * 26 + 13 * 13 and sweep.position is None
    assert np.isnan(sweep.partial_map()).all() and sweep.patch() is None
    sweep.step(28)
    assert sweep.position == (1, 1) and np.array_equal(sweep.patch(), image[1:4, 1:4])
    shown = sweep.partial_map()
    assert np.isfinite(shown.ravel()[:28]).all() and np.isnan(shown.ravel()[28:]).all()
    assert shown[1, 1] == pytest.approx(max(0.0, conv.output_at(image, kernel, 1, 1)))
    sweep.fill()
    assert sweep.pooling and sweep.done == 676 and sweep.pooled == 0
    assert np.array_equal(sweep.partial_map(), conv.relu(conv.correlate(image, kernel)))
    sweep.step(3)
    assert sweep.pool_position == (0, 2)
    sweep.fill()
    assert sweep.finished and np.array_equal(sweep.partial_pool(), pool_by_hand(sweep.full))
    sweep.step()
    assert sweep.steps == sweep.total
    sweep.apply_relu = False
    sweep.recompute()
    assert sweep.full.min() < 0  # the edges the other way round, negative without ReLU
    sweep.reset()
    assert sweep.steps == 0


def test_one_digit_of_each_class_and_a_drawn_seven():
    images = rng.integers(0, 256, size=(30, 28, 28)).astype(np.uint8)
    labels = np.array([3, 1, 3, 0] + [5] * 26)
    chosen = conv.first_of_each_class(images, labels)
    assert [label for label, _ in chosen] == [0, 1, 3, 5]
    assert np.allclose(chosen[2][1], images[0] / 255.0)
    seven = conv.drawn_seven()
    assert seven.shape == (28, 28) and 0 <= seven.min() and seven.max() == 1.0
    assert seven[6, 14] == 1.0 and seven[20, 2] == 0.0  # the top bar, an empty corner


def write_model(path: Path, filters: int = 32) -> np.ndarray:
    """A `.keras` zip laid out as Keras 3 saves the course's CNN (layer names included)."""
    kernel = rng.normal(size=(3, 3, 1, filters)).astype("float32")
    weights = path.with_suffix(".h5")
    with h5py.File(weights, "w") as h5:
        h5["layers/conv2d/vars/0"] = kernel
        h5["layers/conv2d/vars/1"] = np.arange(filters, dtype="float32") / 100
        h5["layers/conv2d_1/vars/0"] = rng.normal(size=(3, 3, filters, 64)).astype("float32")
        h5["layers/dense/vars/0"] = rng.normal(size=(9216, 10)).astype("float32")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")
        archive.write(weights, conv.WEIGHTS_FILE)
    weights.unlink()
    return kernel


def write_run(root: Path, run_id: str, experiment: str, finished: bool) -> Path:
    run_dir = root / run_id
    run_dir.mkdir(parents=True)
    (run_dir / "spec.json").write_text(json.dumps({"experiment": experiment}))
    events = mnist_events(1, epochs=1, end="finished" if finished else None)
    (run_dir / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    write_model(run_dir / "model.keras")
    return run_dir


def test_the_first_layers_filters_are_read_from_a_keras_file_without_keras(tmp_path):
    kernel = write_model(tmp_path / "model.keras")
    learned = conv.read_first_layer(tmp_path / "model.keras")
    assert learned.kernels.shape == (32, 3, 3) and learned.biases.shape == (32,)
    assert np.allclose(learned.kernels[5], kernel[:, :, 0, 5])
    assert learned.biases[5] == pytest.approx(0.05)
    (tmp_path / "broken.keras").write_bytes(b"not a zip")
    with pytest.raises(conv.LearnedFilterError, match="broken.keras"):
        conv.read_first_layer(tmp_path / "broken.keras")


def test_only_finished_cnn_runs_offer_their_filters(tmp_path):
    root = tmp_path / "runs"
    newer = write_run(root, "20250102-mnist-cnn-b", "mnist-cnn", finished=True)
    write_run(root, "20250101-mnist-cnn-a", "mnist-cnn", finished=True)
    write_run(root, "20250103-mnist-cnn-c", "mnist-cnn", finished=False)
    write_run(root, "20250104-mnist-mlp-d", "mnist-mlp", finished=True)
    (root / "not-a-run").mkdir()
    models = conv.finished_cnn_runs(root)
    assert [m.parent.name for m in models] == [newer.name, "20250101-mnist-cnn-a"]
    assert conv.finished_cnn_runs(tmp_path / "nowhere") == []


# ----- recurrent: the maths ---------------------------------------------------------------
@pytest.mark.parametrize("kind", rnn.CELLS)
@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
def test_backprop_through_time_matches_finite_differences(kind, scale):
    run = rnn.Unrolled(rnn.Cell(kind, scale, forget_bias=1.0), rnn.sequence(12))
    for t in (1, 6, 11, 12):
        analytic, numeric = run.gradient(t), rnn.finite_difference_gradient(run, t)
        assert analytic.shape == (run.cell.units, run.cell.state_size)
        assert np.allclose(analytic, numeric, atol=1e-7)
    norms = run.gradient_norms()
    assert norms[-1] == pytest.approx(1.0)  # ∂h_T/∂h_T is the identity (on h)
    for t in (1, 6, 11):
        assert norms[t - 1] == pytest.approx(np.linalg.norm(run.gradient(t), 2))


def test_one_step_jacobians_match_finite_differences():
    for kind in rnn.CELLS:
        cell = rnn.Cell(kind, 1.2)
        state = rng.normal(size=cell.state_size) * 0.5
        _, parts = cell.step(state, 0.3)
        numeric = np.empty((cell.state_size, cell.state_size))
        for j in range(cell.state_size):
            bump = np.zeros(cell.state_size)
            bump[j] = 1e-6
            numeric[:, j] = (
                cell.step(state + bump, 0.3)[0] - cell.step(state - bump, 0.3)[0]
            ) / 2e-6
        assert np.allclose(cell.jacobian(parts), numeric, atol=1e-8)


def test_a_plain_cell_forgets_and_an_open_forget_gate_remembers():
    xs = rnn.sequence(20)
    tanh = rnn.Unrolled(rnn.Cell("tanh", 0.8), xs).gradient_norms()
    lstm = rnn.Unrolled(rnn.Cell("lstm", 0.8, forget_bias=3.0), xs).gradient_norms()
    closed = rnn.Unrolled(rnn.Cell("lstm", 0.8, forget_bias=0.0), xs).gradient_norms()
    assert tanh[0] < 1e-2 < 0.1 < lstm[0]
    assert closed[0] < 1e-3
    small = rnn.Unrolled(rnn.Cell("tanh", 0.25), xs).gradient_norms()
    assert small[0] < 1e-9  # vanished
    assert rnn.Unrolled(rnn.Cell("tanh", 3.0), xs).gradient_norms()[0] > 1  # exploded
    assert np.all(np.diff(np.log(small)) > 0)  # shrinks at every step back


def test_the_cells_are_seeded_and_checked():
    a, b = rnn.Cell("lstm", 1.0), rnn.Cell("lstm", 1.0)
    assert np.array_equal(a.W, b.W) and a.W.shape == (16, 4)
    w = rnn.Cell("tanh", 1.0).W
    assert np.allclose(w @ w.T, np.eye(4))  # a rotation: the scale alone stretches
    with pytest.raises(ValueError, match="gru"):
        rnn.Cell("gru")
    run = rnn.Unrolled(rnn.Cell("lstm"), rnn.sequence(5))
    assert run.hidden().shape == (5, 4) and run.forget_gates().shape == (5,)
    assert rnn.Unrolled(rnn.Cell("tanh"), rnn.sequence(5)).forget_gates() is None


# ----- VAE: the maths ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mu", "sigma"), [((0.0, 0.0), (1.0, 1.0)), ((1.5, -1.0), (0.5, 0.7)), ((2.0,), (1.0,))]
)
def test_the_kl_closed_form_matches_monte_carlo(mu, sigma):
    epsilon = vae.noise(200_000, len(mu), seed=1)
    closed = vae.kl_divergence(mu, sigma)
    estimate = vae.monte_carlo_kl(mu, sigma, epsilon)
    assert estimate == pytest.approx(closed, abs=0.02)
    expected = sum(-0.5 * (1 + np.log(s**2) - m**2 - s**2) for m, s in zip(mu, sigma, strict=True))
    assert closed == pytest.approx(expected)


def test_the_kl_closed_form_matches_the_integral_in_one_dimension():
    for mu, sigma in ((0.7, 0.3), (-2.0, 1.8)):

        def integrand(z, mu=mu, sigma=sigma):
            q = np.exp(vae.log_normal([z], [mu], [sigma]))
            return q * (vae.log_normal([z], [mu], [sigma]) - vae.log_normal([z], [0.0], [1.0]))

        value, _ = integrate.quad(integrand, -20, 20)
        assert vae.kl_divergence([mu], [sigma]) == pytest.approx(value, rel=1e-7)


def test_the_kl_is_zero_at_the_prior_and_its_gradient_is_right():
    assert vae.kl_divergence([0, 0], [1, 1]) == 0
    mu, sigma = np.array([0.4, -1.2]), np.array([0.6, 1.7])
    d_mu, d_sigma = vae.kl_gradient(mu, sigma)
    for i in range(2):
        bump = np.eye(2)[i] * 1e-6
        numeric_mu = vae.kl_divergence(mu + bump, sigma) - vae.kl_divergence(mu - bump, sigma)
        numeric_sigma = vae.kl_divergence(mu, sigma + bump) - vae.kl_divergence(mu, sigma - bump)
        assert d_mu[i] == pytest.approx(numeric_mu / 2e-6, abs=1e-6)
        assert d_sigma[i] == pytest.approx(numeric_sigma / 2e-6, abs=1e-6)


def test_reparameterised_samples_have_the_asked_mean_and_spread():
    epsilon = vae.noise(100_000, 2, seed=2)
    z = vae.reparameterise([1.5, -1.0], [0.5, 0.7], epsilon)
    assert np.allclose(z.mean(axis=0), [1.5, -1.0], atol=0.01)
    assert np.allclose(z.std(axis=0), [0.5, 0.7], atol=0.01)
    assert np.array_equal(vae.noise(5, 2, 3), vae.noise(5, 2, 3))


# ----- the widgets, key by key ------------------------------------------------------------
class Holder(App):
    """One widget filling a small screen, focused, as the lesson screen shows it."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        self.widget.focus()


def shown(widget: Widget) -> str:
    return widget.render().plain


async def test_convolution_keys(tmp_path):
    widget = ConvolutionFilter(runs_root=tmp_path / "runs")
    app = Holder(widget)
    async with app.run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        assert widget.loaded and "offline sample" in widget.source
        assert widget.digits[widget.digit_index][0] == 7 and "digit 7" in shown(widget)
        assert widget.kernels == list(conv.KERNELS)  # no finished CNN run: no learned filters
        await pilot.press("s", "s", "full_stop")
        assert widget.sweep.done == 3 and "out[0,2]" in shown(widget)
        await pilot.press("space")
        assert widget.playing
        await pilot.pause(0.3)
        await pilot.press("space")
        assert not widget.playing and widget.sweep.done > 3
        await pilot.press("f")
        assert widget.sweep.done == 676 and "676/676" in shown(widget)
        await pilot.press("s")
        assert widget.sweep.pooled == 1 and "pool[0,0]" in shown(widget)
        await pilot.press("f")
        assert widget.sweep.finished and "169/169" in shown(widget)
        await pilot.press("k")
        assert widget.kernel_name == "edge-v" and "vertical edges" in shown(widget)
        assert widget.sweep.finished  # a new kernel keeps the progress
        await pilot.press("K", "K")
        assert widget.kernel_name == "sharpen"
        await pilot.press("d")
        assert widget.digits[widget.digit_index][0] == 8
        await pilot.press("D", "D")
        assert widget.digits[widget.digit_index][0] == 6
        await pilot.press("k", "a")
        assert not widget.sweep.apply_relu and widget.sweep.full.min() < 0
        assert "ReLU" not in shown(widget).splitlines()[1]
        await pilot.press("left_square_bracket", "right_square_bracket")  # no learned: nothing
        assert widget.kernel_name == "edge-h"
        await pilot.press("r")
        assert widget.sweep.steps == 0 and not widget.playing


async def test_convolution_offers_a_finished_runs_learned_filters(tmp_path):
    root = tmp_path / "runs"
    write_run(root, "20250101-mnist-cnn-a", "mnist-cnn", finished=True)
    kernel = conv.read_first_layer(root / "20250101-mnist-cnn-a" / "model.keras").kernels
    widget = ConvolutionFilter(runs_root=root)
    async with Holder(widget).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        assert widget.kernels[-1] == "learned"
        await pilot.press("K")
        assert widget.kernel_name == "learned" and np.array_equal(widget.sweep.kernel, kernel[0])
        assert "learned filter 1/32" in shown(widget) and "k/K [ ] filter" in shown(widget)
        await pilot.press("right_square_bracket", "right_square_bracket", "left_square_bracket")
        assert widget.filter_index == 1 and widget.sweep.bias == pytest.approx(0.01)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert widget.filter_index == 31


async def test_convolution_says_why_a_run_s_filters_cannot_be_read(tmp_path):
    root = tmp_path / "runs"
    run = write_run(root, "20250101-mnist-cnn-a", "mnist-cnn", finished=True)
    (run / "model.keras").write_bytes(b"damaged")
    widget = ConvolutionFilter(runs_root=root)
    async with Holder(widget).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        await pilot.press("K")
        assert widget.kernel_name == "edge-h" and widget.kernels == list(conv.KERNELS)
        assert "cannot be read" in shown(widget)


async def test_convolution_without_any_mnist_draws_a_seven(monkeypatch, tmp_path):
    def unavailable(**_):
        raise DatasetUnavailable("nothing here", "mnist")

    monkeypatch.setattr("tui_dl.data.images.load_mnist", unavailable)
    widget = ConvolutionFilter(runs_root=tmp_path)
    async with Holder(widget).run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert "a drawn 7 (no MNIST)" in shown(widget)
        assert "no MNIST copy could be read (nothing here" in shown(widget)
        assert np.array_equal(widget.image, conv.drawn_seven())
        await pilot.press("d", "s")
        assert widget.sweep.done == 1


async def test_recurrent_keys():
    widget = RecurrentGradients()
    async with Holder(widget).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        assert widget.kind == "tanh" and widget.shown == widget.total == 40
        assert "at t = 1: 1.8e-03" in shown(widget)
        await pilot.press("s")
        assert widget.shown == 1 and "forward: read x_1" in shown(widget)
        await pilot.press("full_stop")
        await play_until(pilot, lambda: widget.playing and widget.shown > 2, "three steps shown")
        assert not widget.playing and widget.shown > 2
        before = widget.norms[0]
        await pilot.press("up")
        assert widget.run.cell.scale == 1.0 and widget.norms[0] > before
        await pilot.press("down", "down", "down", "down", "down", "down")
        assert widget.run.cell.scale == rnn.SCALES[0]
        await pilot.press("c")
        assert widget.kind == "lstm" and "forget bias 3" in shown(widget)
        await pilot.press("f")
        assert widget.run.cell.forget_bias == 0.0
        await pilot.press("right_square_bracket")
        assert widget.length == 25 and widget.shown == 50
        await pilot.press(*["left_square_bracket"] * 6)
        assert widget.length == 5 and len(widget.norms) == 5
        inputs = widget.run.inputs.copy()
        await pilot.press("x")
        assert not np.array_equal(widget.run.inputs, inputs)
        await pilot.press("r")
        assert widget.kind == "tanh" and widget.length == 20 and widget.seed == 0


async def test_vae_keys():
    widget = VaeSampling()
    async with Holder(widget).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        assert np.allclose(widget.mu, [1.5, -1.0]) and np.allclose(widget.sigma, [0.5, 0.7])
        assert f"= {vae.kl_divergence([1.5, -1.0], [0.5, 0.7]):.3f}" in shown(widget)
        await pilot.press("right", "right")
        assert widget.mu[0] == 2.0
        await pilot.press("down", "left")
        assert widget.selected == 1 and widget.mu[1] == -1.25
        await pilot.press("down", "right")
        assert widget.sigma[0] == 0.7
        await pilot.press("up", "up", "up")
        assert widget.selected == 3
        epsilon = widget.epsilon.copy()
        await pilot.press("e")
        assert not np.array_equal(widget.epsilon, epsilon)
        await pilot.press("0")
        assert widget.kl == 0 and "= 0.000" in shown(widget)
        await pilot.press("v")
        assert widget.dims == 1 and widget.selected == 2 and "unused" in shown(widget)
        await pilot.press("down")
        assert widget.selected == 0
        await pilot.press("v", "r")
        assert widget.dims == 2 and np.allclose(widget.mu, [1.5, -1.0])


async def test_the_widgets_show_what_they_mean_by_characters_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    convolution = ConvolutionFilter()
    async with Holder(convolution).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        convolution.sweep.step(199)
        await pilot.press("s")
        text = convolution.render()
        digit_rows = [line[:28] for line in text.plain.splitlines()[2:-1]]
        assert "◆" in text.plain and any(re.search(r"\d\d\d", row) for row in digit_rows)
        assert not any(span.style and "color" in str(span.style) for span in text.spans)
        await pilot.press("a", "f")
        assert any(shade in convolution.render().plain for shade in "░▒▓█")  # negatives
    sampling = VaeSampling()
    async with Holder(sampling).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        plain = sampling.render().plain
        assert "o z" in plain and ". ε ~ N(0, I)" in plain and "+" in plain and "•" not in plain
    recurrent = RecurrentGradients()
    async with Holder(recurrent).run_test(size=(80, 13)) as pilot:
        await settle(pilot)
        plain = recurrent.render().plain
        assert "█" in plain and "+0" in plain


@pytest.mark.parametrize(("size", "presses"), [((80, 13), 30), ((200, 57), 20), ((30, 6), 20)])
async def test_stray_keys_never_crash_a_widget(size, presses):
    keys = ["space", "s", "f", "k", "K", "d", "D", "a", "r", "c", "x", "e", "v", "0", "j"]
    keys += ["up", "down", "left", "right", "left_square_bracket", "right_square_bracket"]
    keys += ["q", "z", "9", "tab", "enter", "home", "end", "pageup", "minus"]
    chooser = random.Random(14)
    for widget in (ConvolutionFilter(), RecurrentGradients(), VaeSampling()):
        async with Holder(widget).run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press(*(chooser.choice(keys) for _ in range(presses)))
            await pilot.pause()
            assert widget.render().plain


# ----- the lessons ------------------------------------------------------------------------
@pytest.fixture
def registered(monkeypatch):
    """The widget names known to the parser and the lesson screen, until the app lists them."""
    monkeypatch.setattr(content, "WIDGETS", tuple(dict.fromkeys([*content.WIDGETS, *MINE])))
    for name, widget in MINE.items():
        monkeypatch.setitem(lesson_screen.WIDGETS, name, widget)


@pytest.mark.parametrize("name", FILES)
def test_the_lessons_read_cleanly(registered, name):
    from tui_dl.ui.tries import check_target

    lesson = content.read_lesson(LESSONS / name, check=check_target)
    expected = {"10-cnn.md": ("cnn", 130), "11-rnn.md": ("rnn", 150)}
    expected |= {"16-vae.md": ("vae", 240), "17-gan.md": ("gan", 260)}
    assert (lesson.id, lesson.order) == expected[name]
    assert 4 <= len(lesson.pages) <= 6 and 3 <= len(lesson.questions) <= 5
    assert lesson.tries and all(t.target.kind in ("lab", "screen") for t in lesson.tries)
    assert set(lesson.widgets) <= set(MINE)


@pytest.mark.parametrize("name", FILES)
def test_the_questions_keep_the_briefs_format(name):
    """Checked here line by line as well, whatever the parser accepts."""
    lines = (LESSONS / name).read_text(encoding="utf-8").splitlines()
    start = lines.index("---questions---")
    blocks, current = [], None
    for number, line in enumerate(lines[start + 1 :], start + 2):
        if line.startswith("? "):
            current = [line]
            blocks.append(current)
        elif line.startswith("@page "):
            assert current is not None and len(current) == 1, f"{name}:{number}: '@page' first"
        elif line.strip() and not line.startswith("#"):
            assert current is not None, f"{name}:{number}: a line before the first question"
            current.append(line)
    assert 3 <= len(blocks) <= 5
    for block in blocks:
        answers, explanations = block[1::2], block[2::2]
        assert len(answers) == len(explanations), block
        assert all(e.startswith("  > ") for e in explanations), block
        if answers[0].startswith("= "):
            assert len(answers) == 1, block
        else:
            assert 2 <= len(answers) <= 6, block
            assert all(a.startswith(("- [ ] ", "- [x] ")) for a in answers), block
            assert sum(a.startswith("- [x] ") for a in answers) == 1, block


@pytest.mark.parametrize(
    ("lesson_id", "keys"),
    [
        ("cnn", ["n", "f", *["s"] * 30]),
        ("rnn", ["n"]),
        ("vae", ["n", "n"]),
    ],
    ids=["convolution", "recurrent", "vae-sampling"],
)
def test_snapshot_of_the_first_widget_page(registered, snap_compare, lesson_id, keys):
    app = make_app(source=FakeRunSource(), screen=f"lesson:{lesson_id}")
    assert snap_compare(app, terminal_size=SIZE, press=keys, run_before=settle)


def test_the_snapshots_stay_small():
    folder = Path(__file__).parent / "__snapshots__" / Path(__file__).stem
    for svg in folder.glob("*.svg"):
        assert svg.stat().st_size < 500_000, svg
