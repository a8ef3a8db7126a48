"""A VAE's latent space from a pre-written run folder: the scatter by class, the cursor and the
decoded image under it, the manifold, a real image's encoding and reconstruction; at 80×24 and
200×60."""

from __future__ import annotations

import numpy as np
import pytest

from tests.fakes import FakeRun, FakeRunSource, settle
from tests.test_snapshots import settle as snapshot_settle
from tui_dl.analysis.artifacts import LatentSpace, save_latent
from tui_dl.ui.app import make_app
from tui_dl.ui.render.scatter import Plane, majority_pixels, scatter_text
from tui_dl.ui.screens.run_views.latent import LatentScreen

RUN = "20261202-050000-fashion-vae-1a1a"
CELLS = 31


def flat(level: int, k: int = 0) -> np.ndarray:
    """A plain bright block: few colours, a small snapshot."""
    image = np.zeros((28, 28), dtype=np.uint8)
    image[4 + k % 3 : 24, 6 : 22 - k % 4] = level
    return image


def latent_run(tmp_path) -> FakeRunSource:
    labels = np.arange(200) % 10
    angle = labels * 2 * np.pi / 10  # each class its own spot on a circle of radius 2
    means = np.column_stack([2 * np.cos(angle), 2 * np.sin(angle)]).astype(np.float32)
    manifold = np.stack(
        [np.stack([flat(40 + 5 * c, r) for c in range(CELLS)]) for r in range(CELLS)]
    )
    images = np.stack([flat(250, k) for k in range(8)])
    save_latent(
        tmp_path,
        LatentSpace(means, labels, manifold, 3.0, 4, images, images // 2),
    )
    run = FakeRun(RUN, [], experiment="fashion-vae", run_dir=tmp_path, active=False)
    return FakeRunSource([run])


def test_points_fall_in_their_cells_and_the_majority_class_colours_a_pixel():
    plane = Plane(3.0, 10, 5)
    assert plane.cell(-3, 3) == (0, 0) and plane.cell(3, -3) == (4, 9)
    assert plane.cell(0.1, 0.1) == (2, 5)
    points = np.array([[0.1, 0.1], [0.1, 0.1], [0.1, 0.1], [-2.9, -2.9]])
    pixels = majority_pixels(points, np.array([4, 4, 7, 2]), plane)
    assert pixels[4, 5] == 4 and pixels[9, 0] == 2
    assert (pixels >= 0).sum() == 2
    text = scatter_text(points, np.array([4, 4, 7, 2]), plane, cursor=(0, 0), colour=False)
    lines = text.plain.splitlines()
    assert lines[0][0] == "+" and lines[2][5] == "4" and lines[4][0] == "2"


async def test_the_cursor_shows_the_decoded_image_where_it_stands(tmp_path):
    app = make_app(source=latent_run(tmp_path), screen="latent", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LatentScreen)
        assert screen.cursor == (15, 15)
        assert "At (+0.00, +0.00)" in str(screen.query_one("#latent-decoded").render())
        await pilot.press("up", "up", "right")
        assert screen.cursor == (13, 16)
        assert "At (+0.20, +0.40)" in str(screen.query_one("#latent-decoded").render())
        for _ in range(40):  # the edge holds
            await pilot.press("left")
        assert screen.cursor == (13, 0)
        await pilot.press("m")
        assert "the decoded manifold" in str(screen.query_one("#latent-info").render())


async def test_a_real_image_is_marked_where_it_encodes_and_enter_goes_there(tmp_path):
    app = make_app(source=latent_run(tmp_path), screen="latent", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LatentScreen)
        await pilot.press("right_square_bracket", "right_square_bracket")
        real = str(screen.query_one("#latent-real").render())
        assert "Real image 2 of 8" in real and "Trouser" in real  # class 1: at angle 36°
        assert "encoded at (+1.62, +1.18)" in real
        assert "@" in str(screen.query_one("#latent-plane").render())
        await pilot.press("enter")
        assert screen.cursor == (9, 23)  # (1.6, 1.2) on the 0.2 grid
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert "Real image 8 of 8" in str(screen.query_one("#latent-real").render())
        await pilot.press("c")
        assert screen.picked is None


async def test_a_run_without_a_latent_space_says_so(tmp_path):
    run = FakeRun(RUN, [], experiment="fashion-vae", run_dir=tmp_path, active=False)
    app = make_app(source=FakeRunSource([run]), screen="latent", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Nothing to show yet" in str(app.screen.query_one("#latent-info").render())
        await pilot.press("up", "m", "right_square_bracket", "enter")  # nothing breaks


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_snapshot(snap_compare, tmp_path, size):
    app = make_app(source=latent_run(tmp_path), screen="latent", run=RUN)

    async def pick(pilot):
        await snapshot_settle(pilot)
        await pilot.press("right_square_bracket", "right", "right")
        await snapshot_settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=pick)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_snapshot_manifold(snap_compare, tmp_path, size):
    app = make_app(source=latent_run(tmp_path), screen="latent", run=RUN)

    async def manifold(pilot):
        await snapshot_settle(pilot)
        await pilot.press("m", "down")
        await snapshot_settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=manifold)
