"""Snapshots at 80×24: every lesson's first page, and a page with each live widget.
Review changes with `pytest --snapshot-update` and read the SVGs in tests/__snapshots__/."""

from __future__ import annotations

import pytest

from tests.fakes import FakeRunSource
from tests.test_snapshots import SIZE, settle
from tui_dl.lessons import load_lessons
from tui_dl.ui.app import make_app

LESSON_IDS = [lesson.id for lesson in load_lessons()[0]]


def lesson_app(lesson_id: str):
    return make_app(source=FakeRunSource(), screen=f"lesson:{lesson_id}")


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_first_page(snap_compare, lesson_id):
    assert snap_compare(lesson_app(lesson_id), terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize(
    ("lesson_id", "keys"),
    [
        ("gradient-descent", ["n", "s", "s", "s"]),
        ("gradient-descent", ["n", "n", "n", "up", "s", "s", "s", "s"]),
        ("softmax", ["n", "down", "o"]),
        ("activation-functions", ["n", "4"]),
        ("ethics", ["n", "n", "space"]),
        ("normalising", ["n"]),  # the age-and-income example: tests hold no data folder
    ],
    ids=["descent-1d", "descent-2d", "softmax", "activations", "ethics-checklist", "scaling"],
)
def test_widget_page(snap_compare, lesson_id, keys):
    app = lesson_app(lesson_id)
    assert snap_compare(app, terminal_size=SIZE, press=keys, run_before=settle)


def test_ethics_screen(snap_compare):
    app = make_app(source=FakeRunSource(), screen="ethics:mammogram")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
