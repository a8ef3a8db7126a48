"""The confusion matrix and the misclassified pictures of a run on the learner's own classes
(my-images): the pictures in colour with their top 3, the classes by name on the matrix's
axes, at 80×24 and 200×60, with few short and many long names; a damaged colour array is
drawn in grey with a note, never a crash. The predictions are written by the real save
functions, over coloured shapes the test draws."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from rich.style import Style

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tests.my_images import SHAPES, shape_picture
from tui_dl.analysis.artifacts import open_npz, save_npz
from tui_dl.analysis.predictions import (
    add_colour_images,
    load_predictions,
    mistakes,
    save_predictions,
)
from tui_dl.engine import runfiles
from tui_dl.text import clipped
from tui_dl.ui.app import make_app
from tui_dl.ui.render.photos import render_photo
from tui_dl.ui.screens.run_views.confusion import ConfusionScreen
from tui_dl.ui.screens.run_views.misclassified import MisclassifiedScreen
from tui_dl.ui.widgets.run.named_confusion import RECALL, NamedConfusionGrid
from tui_dl.ui.widgets.run.photo_card import (
    PHOTO_COLUMNS,
    PHOTO_ROWS,
    TOP_NAME,
    PhotoCard,
    picture,
    said,
)

RUN = "20261206-101500-my-images-c0l0"
FOLDER = "/home/learner/pictures"
SIZES = [(80, 24), (200, 60)]
SHORT = ["circles", "squares", "triangles"]
LONG = [
    f"{i:02d} {kind} [bold]from the garden shed[/bold]"
    for i, kind in enumerate(["Old bicycles", "Rusty spanners", "Flower pots"] * 4)
]
"""Twelve classes named by folders: long, and with what looks like markup (text, never)."""


def write_own_predictions(run_dir, names: list[str], per_class: int = 8, seed: int = 3) -> None:
    """predictions.npz as a my-images run writes it: grey 28×28 and colour 48×48 copies of
    coloured shapes, plausible probabilities (every fifth picture a confident mistake)."""
    n = len(names) * per_class
    labels = np.arange(n) % len(names)
    shapes = list(SHAPES)
    colour = []
    for i, label in enumerate(labels):
        picture = np.asarray(shape_picture(shapes[label % 3], (48, 48), seed * 1000 + i))
        colour.append(np.roll(picture, label // 3, axis=-1))  # a class's own colour
    colour_images = np.stack(colour).astype(np.uint8)
    grey = colour_images[:, ::2, ::2].mean(axis=-1)[:, :28, :28]
    grey = np.pad(grey, ((0, 0), (2, 2), (2, 2)))[:, :28, :28].astype(np.uint8)
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 1, (n, len(names)))
    logits[np.arange(n), labels] += 4
    for k, i in enumerate(range(0, n, 5)):
        other = (labels[i] + 1 + k % 2) % len(names)
        logits[i, other] = logits[i, labels[i]] + 1 + k % 4
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    save_predictions(run_dir, grey, labels, probabilities, names)
    add_colour_images(run_dir, colour_images, 0.0)


def own_events() -> list[dict]:
    events = mnist_events(10, end="finished")
    events[-1] = {**events[-1], "data_source": FOLDER}
    return events


def source_for(tmp_path, names: list[str]) -> FakeRunSource:
    run_dir = tmp_path / RUN
    run_dir.mkdir()
    write_own_predictions(run_dir, names)
    return FakeRunSource([FakeRun(RUN, own_events(), experiment="my-images", run_dir=run_dir)])


@pytest.fixture
def short(tmp_path):
    return source_for(tmp_path, SHORT)


def text_of(widget) -> str:
    return str(widget.render())


# ----- what is drawn ---------------------------------------------------------------------------
def test_the_card_shows_the_stored_top_3_with_their_names_and_confidences(tmp_path):
    """The three classes beside a picture are the three largest stored probabilities, in
    order, each with its own percentage: wrong code (the first three classes, the answer
    thrice, the probabilities unsorted) fails here."""
    write_own_predictions(tmp_path, SHORT + ["stars", "moons"])
    p = load_predictions(tmp_path)
    for index in [int(i) for i in mistakes(p)[:4]] + [1, 2]:
        row = p.probabilities[index]
        expected = np.argsort(row)[::-1][:3]
        assert len(set(row[expected])) == 3  # no ties: the order is one
        lines = said(p, index).plain.splitlines()
        for line, cls in zip(lines[-3:], expected, strict=True):
            assert line.startswith(clipped(p.class_names[cls], TOP_NAME) + " "), (line, cls)
            assert line.endswith(f"{row[cls] * 100:4.0f}%"), (line, row[cls])


def test_the_picture_is_drawn_in_colour_and_on_the_ramp_without(tmp_path):
    write_own_predictions(tmp_path, SHORT)
    p = load_predictions(tmp_path)
    assert p.colour_images is not None and p.colour_images.shape[1:] == (48, 48, 3)
    drawn = render_photo(picture(p, 0), PHOTO_COLUMNS, PHOTO_ROWS, colour=True)
    styles = [span.style for span in drawn.spans if isinstance(span.style, Style)]
    colours = {style.color.triplet for style in styles if style.color and style.color.triplet}
    assert any(r > 150 and g < 100 and b < 100 for r, g, b in colours)  # the red circle
    ramp = render_photo(picture(p, 0), PHOTO_COLUMNS, PHOTO_ROWS, colour=False)
    assert not ramp.spans and set(ramp.plain) <= set(" .:-=+*#%@\n")


def test_without_colour_the_grey_copy_is_drawn_whatever_its_shape(tmp_path):
    write_own_predictions(tmp_path, SHORT)
    p = load_predictions(tmp_path)
    for images in (p.images, p.images[..., None] / 255.0):  # (n, 28, 28) 0–255, (n, 28, 28, 1) 0–1
        grey = dataclasses.replace(p, images=images, colour_images=None, colour_problem="why")
        drawn = picture(grey, 0)
        assert drawn.shape == (28, 28, 3) and drawn.dtype == np.uint8
        assert (drawn[..., 0] == drawn[..., 2]).all() and drawn.max() == p.images[0].max()


@pytest.mark.parametrize(
    "damage",
    [
        np.zeros((24, 48, 48, 3), np.float32),  # not uint8
        np.zeros((24, 48, 48), np.uint8),  # not RGB
        np.zeros((5, 48, 48, 3), np.uint8),  # not one per test picture
        np.zeros((24, 0, 48, 3), np.uint8),  # no pixels
    ],
    ids=["dtype", "shape", "count", "empty"],
)
async def test_a_damaged_colour_array_is_drawn_in_grey_with_a_note(tmp_path, damage):
    source = source_for(tmp_path, SHORT)
    path = tmp_path / RUN / runfiles.PREDICTIONS
    save_npz(path, **{**open_npz(path), "colour_images": damage})
    p = load_predictions(tmp_path / RUN)
    assert p.colour_images is None and "colour_images" in (p.colour_problem or "")
    for view in ("misclassified", "confusion"):
        app = make_app(source=source, screen=view, run=RUN)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.predictions is not None and app.is_running
            if view == "misclassified":
                assert screen.query(PhotoCard)
                assert "In grey: predictions.npz: colour_images" in text_of(
                    screen.query_one("#gallery-title")
                )
            else:
                assert screen.query_one(NamedConfusionGrid)
                assert "colour_images" in text_of(screen.query_one("#confusion-summary"))


# ----- the views -------------------------------------------------------------------------------
async def test_the_matrix_names_the_classes_and_enter_opens_their_pictures(short, tmp_path):
    app = make_app(source=short, screen="confusion", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfusionScreen)
        grid = app.screen.query_one(NamedConfusionGrid)
        lines = text_of(grid).splitlines()
        assert all(name in lines[1] for name in SHORT)  # the columns
        assert [line.split()[0] for line in lines[2:5]] == SHORT  # the rows
        p = load_predictions(tmp_path / RUN)
        i = int(mistakes(p)[0])
        true, pred = int(p.y_true[i]), int(p.y_pred[i])
        await pilot.press(*["down"] * true, *["right"] * pred)
        cell = text_of(app.screen.query_one("#confusion-cell"))
        assert f"true {SHORT[true]} → predicted {SHORT[pred]}" in cell
        await pilot.press("enter")
        await settle(pilot)
        gallery = app.screen
        assert isinstance(gallery, MisclassifiedScreen) and gallery.indices
        assert all(p.y_true[k] == true and p.y_pred[k] == pred for k in gallery.indices)
        assert len(gallery.query(PhotoCard)) == min(len(gallery.indices), 2)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_many_long_names_fit_the_screen_and_the_cursor_stays_in_view(tmp_path, size):
    app = make_app(source=source_for(tmp_path, LONG), screen="confusion", run=RUN)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(NamedConfusionGrid)
        lines = text_of(grid).splitlines()
        assert "…" in lines[2] and "…" in lines[1]  # the names cut with an ellipsis
        if size == (200, 60):  # room enough: the whole matrix, nothing to scroll
            assert grid.outer_size.width <= size[0]
        await pilot.press(*["right"] * 11, *["down"] * 11)
        await settle(pilot)
        assert grid.cursor == (11, 11)
        box = app.screen.query_one("#confusion-body")
        label, cell = grid.columns()
        x = grid.virtual_region.x + 1 + label + 11 * cell
        seen = box.scroll_offset.x + box.content_size.width
        assert box.scroll_offset.x <= x and x + cell + RECALL <= seen  # the cell, its recall
        cell_line = text_of(app.screen.query_one("#confusion-cell"))
        assert LONG[11] in cell_line  # the whole name, as text
        await pilot.press(*["left"] * 11)
        await settle(pilot)
        assert box.scroll_offset.x == 0  # back at the first column: the rows' names


async def test_a_step_of_the_cursor_draws_only_the_lines_in_view(tmp_path):
    """200 classes (the most a folder may have): 203 lines of 1,200 cells. Drawn whole, one
    step of the cursor took seconds; only the lines on the screen are drawn again."""
    run_dir = tmp_path / RUN
    run_dir.mkdir()
    write_own_predictions(run_dir, [f"class {i:03d}" for i in range(200)], per_class=2)
    runs = [FakeRun(RUN, own_events(), experiment="my-images", run_dir=run_dir)]
    app = make_app(source=FakeRunSource(runs), screen="confusion", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(NamedConfusionGrid)
        drawn: list[int] = []
        line = grid.line
        grid.line = lambda y, *rest: drawn.append(y) or line(y, *rest)  # type: ignore[method-assign]
        await pilot.press("right", "down")
        await settle(pilot)
        assert grid.cursor == (1, 1) and drawn and len(set(drawn)) <= 24


# ----- snapshots -------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", ["confusion", "misclassified"])
def test_snapshot_of_a_my_images_run(snap_compare, tmp_path, view, size):
    app = make_app(source=source_for(tmp_path, SHORT), screen=view, run=RUN)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", ["confusion", "misclassified"])
def test_snapshot_with_many_long_names(snap_compare, tmp_path, view, size):
    app = make_app(source=source_for(tmp_path, LONG), screen=view, run=RUN)
    assert snap_compare(app, terminal_size=size, run_before=settle)
