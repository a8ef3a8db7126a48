"""Lesson files, their checks, reading progress and `tui-dl lessons`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_dl import cli
from tui_dl.lessons import (
    WIDGETS,
    LessonError,
    LessonProgress,
    find_lesson,
    lessons_dir,
    load_lessons,
    load_progress,
    mark_seen,
    read_lesson,
)
from tui_dl.lessons.progress import progress_path

GOOD = """---
# a comment
id: demo
title: Demo
order: 7
widgets: [softmax]
---
# One

First page.
---page---
@widget softmax
## Two

Second page.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_lessons_read_cleanly_with_pages_and_widgets():
    from tui_dl.ui.tries import check_target

    lessons, problems = load_lessons(check=check_target)  # every check `tui-dl lessons` makes
    assert problems == []
    ids = [lesson.id for lesson in lessons]
    first_four = ["gradient-descent", "softmax", "activation-functions", "ethics"]
    assert [i for i in ids if i in first_four] == first_four  # in the course's order
    for lesson in lessons:
        assert len(lesson.pages) >= 3, lesson.id
        used = {page.widget for page in lesson.pages} - {None}
        assert used == set(lesson.widgets), lesson.id
        assert lesson.pages[0].widget is None  # the first page is prose


def test_every_widget_name_has_a_widget_in_the_app():
    from tui_dl.ui.screens.lesson import WIDGETS as APP_WIDGETS

    assert set(APP_WIDGETS) == set(WIDGETS)


def test_pages_split_on_page_lines_and_keep_their_widget(tmp_path):
    lesson = read_lesson(write(tmp_path, "demo.md", GOOD))
    assert (lesson.id, lesson.order, lesson.widgets) == ("demo", 7, ("softmax",))
    assert [page.widget for page in lesson.pages] == [None, "softmax"]
    assert lesson.pages[1].text.startswith("## Two")
    assert "@widget" not in lesson.pages[1].text
    assert [page.line for page in lesson.pages] == [8, 12]
    assert lesson.pages[0].text.startswith("# One")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: x\n", 1, "starts with a '---'"),
        ("---\nid: x\ntitle: X\n", 3, "never closed"),
        ("---\nid: x\ntitle X\norder: 1\n---\nbody\n", 3, "expected 'key: value'"),
        ("---\nid: x\ntitle: X\n---\nbody\n", 1, "lacks order"),
        ("---\nid: x\ntitle: X\norder: first\n---\nbody\n", 4, "whole number"),
        ("---\nid: X Y\ntitle: X\norder: 1\n---\nbody\n", 2, "may hold only"),
        ("---\nid: x\ntitle: X\norder: 1\nwidgets: [sofmax]\n---\nbody\n", 5, "unknown widget"),
        ("---\nid: x\ntitle: X\norder: 1\n---\nbody\n@widget softmax\n", 7, "not in the front"),
        ("---\nid: x\ntitle: X\norder: 1\n---\nbody\n---page---\n\n", 8, "page 2 is empty"),
        (
            "---\nid: x\ntitle: X\norder: 1\nwidgets: [softmax, activations]\n---\n"
            "@widget softmax\n@widget activations\ntext\n",
            8,
            "one widget per page",
        ),
    ],
)
def test_a_malformed_lesson_names_its_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, "bad.md", text)
    with pytest.raises(LessonError) as caught:
        read_lesson(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message


def test_a_broken_lesson_is_reported_and_the_others_still_load(tmp_path):
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "b.md", "---\nid: b\n")
    write(tmp_path, "c.md", GOOD)  # the same id again
    lessons, problems = load_lessons(tmp_path)
    assert [lesson.id for lesson in lessons] == ["demo"]
    assert any("b.md:2" in p for p in problems)
    assert any("c.md" in p and "already used" in p for p in problems)
    with pytest.raises(LessonError, match="no lesson 'nope'"):
        find_lesson("nope", tmp_path)


def test_an_instructor_can_point_tui_dl_at_their_own_lessons(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    write(tmp_path, "a.md", GOOD)
    assert lessons_dir() == tmp_path
    assert [lesson.id for lesson in load_lessons()[0]] == ["demo"]


def test_progress_is_remembered_between_sessions():
    assert load_progress() == ({}, None)
    mark_seen("softmax", 0)
    mark_seen("softmax", 2)
    progress, problem = load_progress()
    assert problem is None
    assert progress["softmax"] == LessonProgress({0, 2}, 2)
    assert progress["softmax"].label(4) == "2/4 pages"
    mark_seen("softmax", 1)
    mark_seen("softmax", 3)
    assert load_progress()[0]["softmax"].label(4) == "4/4 pages"
    assert load_progress()[0]["softmax"].done(4)
    assert json.loads(progress_path().read_text())["softmax"]["last"] == 3


def test_unreadable_progress_is_kept_aside_and_reported():
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    progress, problem = load_progress()
    assert progress == {}
    assert str(path) in problem and "could not be read" in problem
    assert path.with_suffix(".json.unreadable").read_text() == "{not json"
    mark_seen("softmax", 0)  # and the learner carries on
    assert load_progress()[0]["softmax"].seen == {0}


def test_cli_lists_lessons_with_progress(capsys):
    mark_seen("gradient-descent", 0)
    mark_seen("gradient-descent", 1)
    cli.main(["lessons"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(load_lessons()[0])
    assert out[0].startswith(" 1. Gradient descent")
    assert "2/5 pages · 0/5 right" in out[0]
    assert "tui-dl --screen lesson:gradient-descent" in out[0]
    assert "0/" in out[1]


def test_cli_names_a_broken_lesson_and_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "b.md", "---\nid: b\ntitle: B\norder: x\n---\ntext\n")
    assert cli.main(["lessons"]) == 1
    captured = capsys.readouterr()
    assert "Demo" in captured.out
    assert f"{tmp_path / 'b.md'}:4: order must be a whole number" in captured.err


def test_cli_refuses_an_unknown_lesson_screen_before_painting(capsys):
    assert cli.main(["--screen", "lesson:nope"]) == 2
    assert "no lesson 'nope'" in capsys.readouterr().err
    assert cli.main(["--screen", "ethics:no/pe"]) == 2
    assert "project name" in capsys.readouterr().err
