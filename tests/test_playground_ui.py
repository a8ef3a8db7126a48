"""The Playground screen driven by keys: play, step, reset, settings, the network's neurons and
weights, the state string; snapshots at 80×24 and 200×60 from the default seed."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.fakes import FakeRunSource, play_until, settle
from tests.test_snapshots import settle as snapshot_settle
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.playground import BoundaryMap, PlaygroundScreen, TextDialog
from tui_dl.ui.widgets.playground.controls import Controls, settings_for
from tui_dl.ui.widgets.playground.network_view import NetworkView


def playground_app(state: str = ""):
    return make_app(source=FakeRunSource(), screen="playground", playground=state)


def select(screen: PlaygroundScreen, key: str) -> None:
    controls = screen.query_one(Controls)
    controls.selected = [s.key for s in settings_for(screen.state)].index(key)


async def test_space_plays_and_pauses_step_and_reset():
    app = playground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        await pilot.press("full_stop")
        assert screen.playground.epoch == 1
        await play_until(pilot, lambda: screen.playground.epoch > 20, "20 epochs")
        await settle(pilot)
        trained = screen.playground.epoch
        assert trained > 20 and not screen.playing
        assert f"Epoch {trained:07,d}" in str(screen.query_one("#pg-losses").render())
        await pilot.press("r")
        await settle(pilot)
        assert screen.playground.epoch == 0


async def test_the_settings_change_with_the_arrows_and_a_bad_one_is_said():
    app = playground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        select(screen, "learningRate")
        await pilot.press("right")
        assert screen.state.learningRate == 0.1
        select(screen, "dataset")
        await pilot.press("right", "right", "right")  # circle → xor → gauss → spiral
        await settle(pilot)
        assert screen.state.dataset == "spiral"
        select(screen, "classes")  # offered for the spiral
        await pilot.press("right")
        await settle(pilot)
        assert screen.state.classes == 3 and screen.state.output_loss == "xent"
        select(screen, "dataset")
        await pilot.press("left", "left")  # to xor, which has two classes only
        await settle(pilot)
        assert screen.state.dataset == "gauss"  # the last change was refused
        assert any("two classes" in n.message for n in app._notifications)
        select(screen, "layers")
        await pilot.press("right")
        await settle(pilot)
        assert screen.state.networkShape == [4, 2, 2]
        for _ in range(2):  # X₁ and X₂ off: the second is refused, nothing to learn from
            select(screen, "x" if _ == 0 else "y")
            await pilot.press("left")
        await settle(pilot)
        assert screen.state.features == ["y"]
        assert any("no input features" in n.message for n in app._notifications)


async def test_the_network_focus_grows_layers_and_edits_a_weight():
    app = playground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("tab")
        network = screen.query_one(NetworkView)
        assert network.has_focus and network.focused == (1, 0)
        assert "L1·1" in screen.query_one("#pg-middle").border_title
        await pilot.press("plus", "a", "o")
        await settle(pilot)
        assert screen.state.networkShape == [5, 2]
        assert screen.state.layer_activations() == ["sigmoid", "tanh"]
        assert screen.state.layer_dropout() == [0.1, 0.0]
        await pilot.press("w", "e")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one(Input).value = "2.5"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.playground.network.weights[0][1, 0] == 2.5
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(Input).value = "lots"
        await pilot.press("enter")
        await settle(pilot)
        assert any("Not a weight" in n.message for n in app._notifications)
        await pilot.press("left")  # to the inputs: no weights to edit there
        await pilot.press("e")
        assert isinstance(app.screen, PlaygroundScreen)


async def test_the_state_string_opens_and_shows():
    state = "activation=relu&networkShape=6,3&dataset=xor&seed=0.12345&showTestData=true"
    app = playground_app(state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.state.networkShape == [6, 3] and screen.state.dataset == "xor"
        assert "O/⊕ test" in screen.query_one("#pg-middle").border_subtitle
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        url = app.screen.query_one(Input).value
        assert url.startswith("https://playground.tensorflow.org/#activation=relu")
        assert "networkShape=6,3" in url and "seed=0.12345" in url
        await pilot.press("escape")
        await pilot.press("t", "d")
        assert not screen.state.showTestData and screen.state.discretize


async def test_a_bad_state_opens_the_defaults_and_says_why():
    app = playground_app("networkShape=12")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.state.networkShape == [4, 2]
        assert any("1 to 8 neurons" in n.message for n in app._notifications)


async def test_the_map_is_square_and_the_playground_is_kept():
    app = playground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        columns, rows = screen.query_one("#pg-map", BoundaryMap).pixel_size()
        assert abs(columns - rows) <= 4
        await pilot.press("full_stop", "full_stop")
        await pilot.press("escape")
        await settle(pilot)
        app.open_screen("playground")
        await settle(pilot)
        assert app.screen is screen and screen.playground.epoch == 2


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_snapshot(snap_compare, size):
    app = playground_app("noise=10&showTestData=true")

    async def trained(pilot):
        await snapshot_settle(pilot)
        screen = pilot.app.screen
        screen.playground.train(150)
        screen.redraw()
        await pilot.press("tab")  # the network focused: its first neuron fills the map
        await snapshot_settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=trained)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
async def test_train_in_keras_launches_the_experiment_and_shows_its_boundary(tmp_path, size):
    import numpy as np

    from tui_dl.analysis.artifacts import PlaygroundBoundary, save_playground_boundary

    source = FakeRunSource()
    launch = source.launch

    def launched(experiment, params, device):
        run_id = launch(experiment, params, device)
        source.runs[run_id].run_dir = tmp_path
        source.runs[run_id].active = True
        return run_id

    source.launch = launched  # type: ignore[method-assign]
    app = make_app(source=source, screen="playground", playground="networkShape=3&stopEpochs=40")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("k")
        await settle(pilot)
        ((experiment, params, device),) = source.launched
        assert experiment == "playground" and device == "cpu" and params["epochs"] == 40
        assert "networkShape=3" in params["state"]
        value = np.full((30, 60), 0.5)
        save_playground_boundary(
            tmp_path,
            PlaygroundBoundary(
                params["state"],
                10,
                40,
                value,
                value[..., None],
                np.full((11, 2), 0.2),
                np.full((11, 2), 0.9),
            ),
        )
        await pilot.pause(1.3)
        await settle(pilot)
        assert screen.keras is not None and screen.keras.epoch == 10
        title = screen.query_one("#pg-middle").border_title
        keras_map = screen.query_one("#pg-keras-map", BoundaryMap)
        if size[0] >= 150:  # room for both: Keras beside the Playground
            assert title.startswith("Boundary | Keras, epoch 10/40") and keras_map.display
            assert keras_map.text().strip()
        else:  # instead of it, v switching
            assert title.startswith("Keras, epoch 10/40") and not keras_map.display
        assert "Keras epoch 10" in str(screen.query_one("#pg-losses").render())
        await pilot.press("v")
        await settle(pilot)
        assert screen.query_one("#pg-middle").border_title.startswith("Boundary ·")
        assert not keras_map.display
        await pilot.press("k")  # still training: said, not launched twice
        assert len(source.launched) == 1


async def test_the_keras_script_is_written_where_it_says(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_HOME", str(tmp_path))
    app = playground_app("networkShape=3")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        written = list((tmp_path / "playground").glob("playground-*.py"))
        assert len(written) == 1
        assert "networkShape=3" in written[0].read_text()
        assert any(str(written[0]) in n.message for n in app._notifications)


def test_without_colour_the_classes_are_told_apart_by_characters():
    import numpy as np

    from tui_dl.ui.render.boundary import boundary_text

    pixels = np.concatenate([-np.ones((4, 3)), np.ones((4, 3))], axis=1)  # orange | blue
    points = [
        (np.array([[-5.0, 5.0], [5.0, 5.0]]), np.array([0.0, 1.0]), False),
        (np.array([[-5.0, -5.0]]), np.array([1.0]), True),
    ]
    lines = boundary_text(pixels, points, classes=2, colour=False).plain.split("\n")
    assert lines == ["o  ··+", "⊕  ···"]  # blank orange, dotted blue; o + train, ⊕ test


async def test_no_color_draws_the_playground(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = playground_app("showTestData=true")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("full_stop")
        await settle(pilot)
        drawn = app.screen.query_one("#pg-map", BoundaryMap).text()
        assert "o" in drawn and "O" in drawn and app.is_running


async def test_new_points_and_a_csv_and_a_bad_one(tmp_path):
    good = tmp_path / "mine.csv"
    good.write_text(
        "x1,x2,label\n" + "".join(f"{i % 7},{i % 5},{'a' if i % 2 else 'b'}\n" for i in range(40))
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n" * 20)
    app = playground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        seed = screen.state.seed
        await pilot.press("g")
        await settle(pilot)
        assert screen.state.seed != seed and len(screen.state.seed) == 7  # "0.12345"
        screen.change(csv=str(good))
        await settle(pilot)
        assert screen.state.csv == str(good) and len(screen.playground.points.train_xy) == 20
        assert str(good) in screen.query_one("#pg-middle").border_title
        screen.change(csv=str(bad))
        await settle(pilot)
        assert screen.state.csv == str(good)  # refused: the last good points stay
        assert any("has 2 columns" in n.message for n in app._notifications)
