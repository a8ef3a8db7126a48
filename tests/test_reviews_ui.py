"""The reviews screen over a pre-written imdb-lstm run: decoding, a sentence read word by
word, the model's mistakes, and what it says before training has finished."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from tests.artifacts import imdb_events, write_imdb_run
from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.run_views.reviews import ReviewsScreen

RUN = "20261122-120000-imdb-lstm-a1b2"
MNIST = "20261122-110000-mnist-mlp-c3d4"
SIZE = (80, 24)


def source_with(tmp_path, finished: bool = True) -> FakeRunSource:
    run_dir = tmp_path / RUN
    write_imdb_run(run_dir, finished=finished)
    events = imdb_events("finished" if finished else None)
    return FakeRunSource(
        [
            FakeRun(RUN, events, experiment="imdb-lstm", run_dir=run_dir),
            FakeRun(MNIST, mnist_events(10, end="finished")),
        ]
    )


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_reviews_are_decoded_and_the_learner_walks_through_them(tmp_path):
    app = make_app(source=source_with(tmp_path), screen="reviews")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewsScreen) and app.screen.run_id == RUN
        words = text_of(app, "#review-words")
        assert "<start> this movie was awful" in words
        assert "What the network gets: 1 12 13 15 18 4" in text_of(app, "#review-numbers")
        assert "81 % of negative · 82 % of positive reviews (12,500 each)" in text_of(
            app, "#reviews-stats"
        )
        await pilot.press("right")
        assert "dull story bad script" in text_of(app, "#review-words")
        await pilot.press("w")
        box = app.screen.query_one("#review-box")
        assert box.border_title.startswith("Confident mistake 1 of 2")
        assert "wrong" in box.border_subtitle
        # The start of a long review is cut off (the model reads the last 12): struck out.
        assert "struck out: the words beyond the 12" in text_of(app, "#review-words")


async def test_a_typed_sentence_gets_a_verdict_word_by_word(tmp_path):
    app = make_app(source=source_with(tmp_path), screen="reviews")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#sentence", Input)
        await pilot.press(*"I loved it, brilliant! Cinematography", "enter")
        verdict = text_of(app, "#sentence-verdict")
        assert verdict.startswith("Verdict: positive")
        assert "loved▲" in verdict and "cinematography?" in verdict
        assert "Not in its vocabulary (read as <unk>): cinematography" in verdict
        app.screen.query_one("#sentence", Input).value = "   "
        await pilot.press("enter")
        assert "Type a few words first" in text_of(app, "#sentence-verdict")


async def test_before_training_ends_the_reviews_show_but_the_model_waits(tmp_path):
    app = make_app(source=source_with(tmp_path, finished=False), screen="reviews", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#sentence", Input).disabled
        assert "once training has finished" in text_of(app, "#sentence-verdict")
        assert "not trained yet" in app.screen.query_one("#review-box").border_subtitle
        await pilot.press("w")  # no mistakes yet: a notice, nothing breaks
        assert isinstance(app.screen, ReviewsScreen)


async def test_another_experiments_run_is_refused_plainly(tmp_path):
    app = make_app(source=source_with(tmp_path), screen="reviews", run=MNIST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "is a mnist-mlp run; reviews belong to imdb-lstm" in text_of(app, "#reviews-stats")


async def test_the_lab_offers_reviews_for_imdb_and_image_views_for_images(tmp_path):
    app = make_app(source=source_with(tmp_path), screen="lab", run=RUN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lab = app.screen
        assert isinstance(lab, LabScreen)
        assert lab.check_action("insight", ("reviews",))
        assert not lab.check_action("insight", ("confusion",))
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewsScreen)


@pytest.mark.parametrize("finished", [True, False], ids=["finished", "training"])
def test_snapshot_reviews(snap_compare, tmp_path, finished):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if finished:
            await pilot.press("tab", *"not bad at all, I loved it", "enter")
            await settle(pilot)

    app = make_app(source=source_with(tmp_path, finished), screen="reviews", run=RUN)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_the_lab_says_before_launch_when_the_reviews_must_be_downloaded(tmp_path):
    app = make_app(source=source_with(tmp_path), screen="lab")
    async with app.run_test(size=SIZE) as pilot:
        app.open_lab("imdb-lstm")
        await settle(pilot)
        warning = text_of(app, "#data-warning")
        assert warning.startswith("IMDB reviews and IMDB word index: not on this machine")
        assert "tui-dl data fetch imdb" in warning


async def test_no_warning_when_the_reviews_are_here(tmp_path):
    from tests.artifacts import write_fake_imdb

    data = write_fake_imdb(tmp_path / "data", 10, 10)
    app = make_app(source=source_with(tmp_path), screen="lab", data_dir=str(data))
    async with app.run_test(size=SIZE) as pilot:
        app.open_lab("imdb-lstm")
        await settle(pilot)
        assert text_of(app, "#data-warning") == ""
        app.open_lab("mnist-mlp")  # the offline sample counts: no warning either
        await settle(pilot)
        assert text_of(app, "#data-warning") == ""
