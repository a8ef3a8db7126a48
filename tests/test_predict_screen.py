"""The predict screen (`--screen predict --run ID`): a finished my-images run asked about
pictures it was never taught, over a fake run folder (no TensorFlow): its answers with their
confidences, the pictures it was taught beside them, a threshold whose count follows the kept
confidences at once, an "other" class shown as such, and every refusal as a message.
Snapshots at 80×24 and 200×60."""

from __future__ import annotations

import os

import numpy as np
import pytest
from rich.text import Text

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tests.my_images import SHAPES, shape_picture
from tests.test_my_images_lab import until
from tui_dl.analysis.artifacts import open_npz, save_npz
from tui_dl.analysis.predicted import (
    NONE_OF_THESE,
    Predicted,
    answers_of,
    save_predicted,
    sureness,
)
from tui_dl.analysis.predictions import save_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import JOB_EVENTS, Event, make_event
from tui_dl.ui import registry
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.predict import PredictScreen

RUN = "20261206-150000-my-images-c0de"
SIZE = (80, 24)
TOPS = [0.97, 0.62, 0.41, 0.88, 0.55]
"""The top confidences of the pictures asked about, in order."""
TAUGHT_TOPS = [0.99, 0.95, 0.9, 0.7, 0.45, 0.98]
"""The top confidences of the run's own six test pictures."""


def write_run(folder, classes=tuple(SHAPES), asked=True):
    """A finished my-images run's predictions (with colour pictures) and, if `asked`, the
    answers of a question about five pictures of noise."""
    folder.mkdir(parents=True)
    n = len(TAUGHT_TOPS)
    y_true = np.arange(n) % len(classes)
    colour = np.stack(
        [np.asarray(shape_picture(list(SHAPES)[c % 3], (48, 48), i)) for i, c in enumerate(y_true)]
    )
    probs = np.full((n, len(classes)), 0.0)
    for i, (c, top) in enumerate(zip(y_true, TAUGHT_TOPS, strict=True)):
        probs[i] = (1 - top) / (len(classes) - 1)
        probs[i, c] = top
    save_predictions(folder, colour.mean(axis=3).astype(np.uint8)[:, ::2, ::2], y_true, probs,
                     list(classes))  # fmt: skip
    arrays = open_npz(folder / runfiles.PREDICTIONS)
    save_npz(folder / runfiles.PREDICTIONS, **arrays, colour_images=colour)
    if asked:
        rows = np.array([[t] + [(1 - t) / (len(classes) - 1)] * (len(classes) - 1) for t in TOPS])
        paths = [f"/pictures/odd [red]things[/red]/noise-{i}.png" for i in range(len(TOPS))]
        report = {
            "class_names": list(classes),
            "threshold": 0.0,
            "answers": answers_of(paths, rows),
            "skipped": [{"path": "/pictures/odd/notes.txt", "reason": "not a picture"}],
            "asked": sureness(rows.max(axis=1)),
            "taught": sureness(np.array(TAUGHT_TOPS)),
        }
        noise = np.random.default_rng(0).integers(0, 256, (len(TOPS), 32, 32, 3), np.uint8)
        save_predicted(folder, Predicted(report, noise))  # type: ignore[arg-type]
    return folder


def source_with(tmp_path, experiment="my-images", end="finished", **kwargs) -> FakeRunSource:
    folder = write_run(tmp_path / RUN, **kwargs)
    run = FakeRun(RUN, mnist_events(3, end=end), experiment=experiment, run_dir=folder)
    return FakeRunSource([run])


def said(screen, selector: str) -> str:
    """What the widget shows, as plain text (a table printed as the screen prints it)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(screen.query_one(selector).content)
    return console.export_text()


async def opened(pilot) -> PredictScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PredictScreen)
    return screen


async def test_it_shows_each_answer_the_taught_pictures_and_how_sure_it_was(tmp_path):
    app = make_app(source=source_with(tmp_path), screen="predict", run=RUN)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        table = said(screen, "#predict-table")
        assert "noise-0.png" in table and "odd [red]things[/red]" not in table  # folder shared
        assert "circles 97 %" in table and "squares 2 %" in table
        point = said(screen, "#predict-point")
        assert "its 3 classes: shown anything else, it still picks one" in point
        examples = said(screen, "#predict-examples")
        assert all(name in examples for name in SHAPES)
        text = said(screen, "#predict-summary")
        mean, spread = np.mean(TOPS), np.std(TOPS)
        assert f"{mean:.0%} ± {spread:.0%} over these 5".replace("%", " %") in text
        taught = f"{np.mean(TAUGHT_TOPS):.0%} ± {np.std(TAUGHT_TOPS):.0%} over its own 6"
        assert taught.replace("%", " %") in text
        assert "not a picture" in said(screen, "#predict-left-out")


async def test_the_threshold_count_is_recomputed_from_the_confidences_without_asking(tmp_path):
    source = source_with(tmp_path)
    app = make_app(source=source, screen="predict", run=RUN)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert "No threshold" in said(screen, "#predict-summary")
        for _ in range(12):  # 60 %
            await pilot.press("plus")
        assert screen.threshold == 60
        text = said(screen, "#predict-summary")
        below = sum(t < 0.6 for t in TOPS)
        own = sum(t < 0.6 for t in TAUGHT_TOPS)
        assert (below, own) == (2, 1)  # the data says so: the counts below must follow it
        assert f'"{NONE_OF_THESE}" for {below} of these 5, and for {own} of its own 6' in text
        assert said(screen, "#predict-table").count(NONE_OF_THESE) == below
        await pilot.press("plus")  # 65 %: 0.62 falls under it too
        assert f"for {below + 1} of these 5" in said(screen, "#predict-summary")
        for _ in range(2):
            await pilot.press("minus")  # 55 %: 0.55 is not below it, 0.62 answers again
        assert "for 1 of these 5, and for 1 of its own 6" in said(screen, "#predict-summary")
        await pilot.press("minus", "minus")  # 45 %
        assert "for 1 of these 5, and for 0 of its own 6" in said(screen, "#predict-summary")
        assert source.jobs == []  # nothing asked again


async def test_ctrl_o_asks_in_a_child_and_shows_the_new_answers(tmp_path):
    source = source_with(tmp_path, asked=False)
    source.job_events += [
        make_event(Event.PHASE, JOB_EVENTS, phase="asking the network about 5 pictures"),
        make_event(Event.FINISHED, JOB_EVENTS, artifact=runfiles.PREDICTED_REPORT),
    ]
    app = make_app(source=source, screen="predict", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert screen.query_one("#predict-intro").display
        await pilot.press("ctrl+o")
        from tui_dl.ui.dialogs.picture_picker import PicturePicker

        await until(pilot, lambda: isinstance(app.screen, PicturePicker))
        assert isinstance(app.screen, PicturePicker)
        picture, marked = tmp_path / "one.png", tmp_path / "two.png"
        shape_picture("circles", (30, 30), 1).save(picture)
        shape_picture("squares", (30, 30), 2).save(marked)
        write_run(tmp_path / "answers", asked=True)  # what the job would have written
        for name in (runfiles.PREDICTED_REPORT, runfiles.PREDICTED_PICTURES):
            (tmp_path / "answers" / name).replace(tmp_path / RUN / name)
        app.screen.pick_all([marked, picture])  # one marked with m, then enter on another
        await until(pilot, lambda: screen.answers is not None and not screen.asking)
        assert source.jobs == [(RUN, "predict", {"paths": [str(marked), str(picture)]})]
        assert screen.answers is not None and not screen.asking
        assert "noise-4.png" in said(screen, "#predict-table")


async def test_a_failed_job_and_a_missing_file_are_messages(tmp_path):
    source = source_with(tmp_path, asked=False)
    source.job_events.append(
        make_event(
            Event.FAILED,
            JOB_EVENTS,
            error_type="PredictProblem",
            message="No picture to ask about among /x/[b]notes[/b].txt",
        )  # fmt: skip
    )
    app = make_app(source=source, screen="predict", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        screen.ask([tmp_path / "gone.png"])
        assert "gone.png: there is no such file or folder" in said(screen, "#view-message")
        assert source.jobs == []
        screen.ask([tmp_path])
        await until(pilot, lambda: "Could not" in said(screen, "#view-message"))
        assert "Could not ask it: No picture to ask about among /x/[b]notes[/b].txt" in said(
            screen, "#view-message"
        )  # the file's name as it is: not markup
        assert not screen.asking and screen.check_action("ask", ())


@pytest.mark.parametrize(
    ("experiment", "end", "words"),
    [
        ("mnist-mlp", "finished", "is a mnist-mlp run: this screen asks a my-images run"),
        ("my-images", None, "ask a finished run"),
    ],
)
async def test_a_run_it_cannot_ask_is_a_message(tmp_path, experiment, end, words):
    source = source_with(tmp_path, experiment=experiment, end=end)
    app = make_app(source=source, screen="predict", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert words in said(screen, "#view-message")
        assert not screen.check_action("ask", ())
        await pilot.press("ctrl+o", "plus")  # nothing happens, nothing breaks
        assert app.screen is screen


async def test_an_other_class_is_shown_as_such(tmp_path):
    source = source_with(tmp_path, classes=("other", *SHAPES))
    app = make_app(source=source, screen="predict", run=RUN)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert '4 classes; "other" stands for everything else' in said(screen, "#predict-point")
        assert "other (everything else)" in said(screen, "#predict-table")
        assert 'It answered "other" for 5 of these 5' in said(screen, "#predict-summary")


def test_the_view_is_offered_on_my_images_runs_only():
    view = registry.entry("predict")
    assert view in registry.views_of("my-images")
    assert view not in registry.views_of("mnist-mlp")
    keys = {b.key for b in registry.view_keys("x", runfiles.PREDICTIONS, everywhere=True)}
    assert view.key not in keys and "m" in keys


def test_names_go_to_the_screen_as_text():
    from tui_dl.ui.screens.predict.answers import short_names

    assert short_names(["/a/[b]x[/b]/1.png", "/a/[b]x[/b]/2.png"]) == ["1.png", "2.png"]
    assert short_names(["/a/x/1.png"]) == ["1.png"]
    assert isinstance(Text("[b]"), Text)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_predict_screen(snap_compare, tmp_path, size):
    app = make_app(source=source_with(tmp_path), screen="predict", run=RUN)

    async def ready(pilot):
        await settle(pilot)
        for _ in range(10):
            await pilot.press("plus")

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("classes", [tuple(SHAPES), ("other", *SHAPES)], ids=["three", "other"])
async def test_nothing_is_cut_at_80x24(tmp_path, classes):
    from tests.fit import cuts, screen_text

    app = make_app(source=source_with(tmp_path, classes=classes), screen="predict", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press(*["plus"] * 10)
        await settle(pilot, 0.2)
        found = cuts(app)
        assert not found, "\n".join(found) + "\n" + screen_text(app)


@pytest.mark.parametrize(
    ("file", "array", "words"),
    [
        (runfiles.PREDICTED_PICTURES, "thumbnails", "is not a size of RGB pictures"),
        (runfiles.PREDICTIONS, "colour_images", "not pictures × height × width × 3"),
    ],
)
async def test_damaged_pictures_are_said_not_drawn(tmp_path, file, array, words):
    source = source_with(tmp_path)
    path = tmp_path / RUN / file
    arrays = open_npz(path)
    arrays[array] = arrays[array][..., :1]  # grey where RGB is promised
    save_npz(path, **arrays)
    app = make_app(source=source, screen="predict", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        if array == "colour_images":
            assert words in said(screen, "#predict-examples")
            assert "noise-0.png" in said(screen, "#predict-table")
        else:
            assert any(words in n.message for n in app._notifications)
            assert screen.answers is None and screen.query_one("#predict-intro").display


def test_the_taught_panel_shows_the_first_classes_and_counts_the_rest():
    from tui_dl.analysis.predicted import examples_of
    from tui_dl.ui.screens.predict.answers import MAX_TAUGHT_CLASSES, taught_sheet

    classes = MAX_TAUGHT_CLASSES + 6
    y_true = np.arange(2 * classes) % classes
    colour = np.zeros((len(y_true), 12, 12, 3), np.uint8)
    names = tuple(f"[b]class {c}" for c in range(classes))
    text = taught_sheet(colour, examples_of(y_true, classes, 2), names, 2)
    assert "[b]class 0" in text.plain and f"[b]class {classes - 1}" not in text.plain
    assert text.plain.endswith("… and 6 more classes.")


@pytest.mark.parametrize("experiment", ["my-images", "mnist-mlp"])
async def test_i_opens_it_from_the_other_views_of_a_my_images_run_only(tmp_path, experiment):
    source = source_with(tmp_path, experiment=experiment)
    app = make_app(source=source, screen="confusion", run=RUN)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        confusion = app.screen
        assert confusion.check_action("open_view", ("predict",)) is (experiment == "my-images")
        await pilot.press("i")
        await settle(pilot)
        if experiment == "my-images":
            assert isinstance(app.screen, PredictScreen)
            assert not app.screen.check_action("open_view", ("predict",))  # not itself again
        else:
            assert app.screen is confusion
