"""Where it looked, on a my-images run: the view draws the maps in colour over the run's
pictures, with its class names, from a pre-written run folder (Pilot and snapshots)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.fakes import FakeRun, FakeRunSource, mnist_events, sample_runs, settle
from tests.my_images import SHAPES, is_shape, shape_picture
from tui_dl.analysis.artifacts import save_attention
from tui_dl.analysis.predictions import add_colour_images, save_predictions
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.run_views.attention import NO_CONVOLUTION, AttentionScreen

CLASSES = list(SHAPES)
RUN = "20261206-120000-my-images-c0l0"
N = 12


# ----- a pre-written run folder for the view ------------------------------------------------
def write_my_images_run(run_dir: Path, method: str = "grad-cam", note: str = "") -> None:
    """What a finished my-images run and its attention job leave: 12 test pictures of three
    coloured shapes, every fourth a confident mistake, and a map on each shape's middle."""
    labels = np.arange(N) % 3
    colour = np.stack(
        [np.asarray(shape_picture(CLASSES[c], (48, 48), 10 + i)) for i, c in enumerate(labels)]
    )
    grey = np.stack([np.asarray(Image.fromarray(p).convert("L").resize((28, 28))) for p in colour])
    probabilities = np.full((N, 3), 0.05, np.float32)
    probabilities[np.arange(N), labels] = 0.9
    for i in range(0, N, 4):
        probabilities[i] = 0.05
        probabilities[i, (labels[i] + 1) % 3] = 0.9
    save_predictions(run_dir, grey, labels, probabilities, CLASSES)
    add_colour_images(run_dir, colour, 0.0)
    yy, xx = np.mgrid[0:48, 0:48]
    maps = np.zeros((N, 3, 48, 48), np.float32)
    for i, picture in enumerate(colour):
        ys, xs = np.nonzero(is_shape(picture))
        for c in range(3):
            cy, cx = ys.mean() + 6 * (c - labels[i]), xs.mean()
            maps[i, c] = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 60.0)
    maps[1, 1] = 0.0  # Grad-CAM's map when nothing raised the class's score
    save_attention(run_dir, np.arange(N), maps, method, "conv_3", note=note)


def my_images_app(tmp_path: Path, **written):
    run_dir = tmp_path / RUN
    run_dir.mkdir()
    write_my_images_run(run_dir, **written)
    runs = sample_runs()
    runs[0] = FakeRun(
        RUN, mnist_events(10, end="finished"), experiment="my-images", run_dir=run_dir
    )
    source = FakeRunSource(runs)
    return make_app(source=source, screen="attention", run=RUN), source


def coloured(text) -> bool:
    """Some cell of the drawing is a colour, not a grey."""
    for span in text.spans:
        colour = getattr(span.style, "foreground", None)  # Textual's Content of the Text
        if colour is not None and max(colour.rgb) - min(colour.rgb) > 60:
            return True
    return False


async def test_a_my_images_run_is_drawn_in_colour_with_its_class_names(tmp_path):
    app, source = my_images_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AttentionScreen) and source.jobs == []
        plain = screen.query_one("#attention-plain").render()
        assert "▀" in str(plain) and coloured(plain)
        info = str(screen.query_one("#attention-info").render())
        index = screen.order[screen.pos]
        assert f"true  {CLASSES[index % 3]}" in info and "0–2 map another class" in info
        await pilot.press("2")
        assert screen.cls == 2 and "triangles" in str(screen.query_one("#attention-info").render())
        await pilot.press("7")  # a class this run does not have: nothing happens
        assert screen.cls == 2
        method = str(screen.query_one("#attention-method").render())
        assert "Grad-CAM on conv_3" in method and "empty" not in method
        await pilot.press("right", "y")  # picture 1's map for its answer is all zeros
        assert screen.pos == 1 and screen.cls is None
        method = " ".join(str(screen.query_one("#attention-method").render()).split())
        assert method.startswith("This map is empty: nothing the layer saw raised")


async def test_the_maps_note_and_a_run_without_a_reachable_convolution_are_said(tmp_path):
    note = "the folder /x/[b]pics[/b] has changed since the run: the maps are of its pictures"
    app, _ = my_images_app(tmp_path, method="saliency", note=note)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        method = str(app.screen.query_one("#attention-method").render())
        assert NO_CONVOLUTION[:40] in " ".join(method.split())
        assert "[b]pics[/b]" in method  # the folder's name as text, never markup


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_snapshot_attention_on_a_my_images_run(snap_compare, tmp_path, size):
    app, _ = my_images_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=settle)
