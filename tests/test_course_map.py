"""The course map: the course's order with whatever lesson files exist, what the learner has
done (pages and questions, a finished run, a step opened), the next step; `tui-dl course`
(text and --json), the course screen (enter opens a step, escape comes back) and the home
screen's way in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tests.test_store import STARTED, finished
from tui_dl import cli
from tui_dl.engine.events import Event, append_event
from tui_dl.engine.store import RunStore
from tui_dl.lessons import Answer, LessonProgress, load_lessons, mark_seen, record_answer
from tui_dl.lessons.course import COURSE, PLAYGROUND_PRESET, course_lines, course_map
from tui_dl.lessons.progress import mark_visited
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.course import CourseScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.screens.playground import PlaygroundScreen
from tui_dl.ui.tries import check_target

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
SIZE = (80, 24)
PLAYGROUND = f"playground {PLAYGROUND_PRESET}"


@pytest.fixture
def two_lessons(tmp_path, monkeypatch) -> Path:
    """A lessons folder with only gradient descent and ethics (as before B and C write theirs),
    and an instructor's own lesson at order 45."""
    for name in ("01-gradient-descent.md", "04-ethics.md"):
        shutil.copy(LESSONS / name, tmp_path / name)
    (tmp_path / "99-own.md").write_text(
        "---\nid: own\ntitle: My own lesson\norder: 45\n---\nHello.\n", encoding="utf-8"
    )
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    return tmp_path


def test_every_course_step_is_a_target_that_opens():
    orders = [step.order for step in COURSE]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    for step in COURSE:
        target = step.parsed
        if target.kind != "lesson":
            check_target(target)
    kinds = {step.parsed.kind for step in COURSE}
    assert {"lesson", "lab", "playground", "screen"} <= kinds
    assert any(step.target == "lab mammogram" for step in COURSE)
    assert any(step.target == "screen ganlab" for step in COURSE)


def test_the_lesson_files_take_the_courses_order():
    """Each lesson file that exists sits where the course puts it (B's and C's files too,
    once written): its `order:` is its step's."""
    lessons, _ = load_lessons()
    wanted = {step.parsed.name: step.order for step in COURSE if step.parsed.kind == "lesson"}
    for lesson in lessons:
        if lesson.id in wanted:
            assert lesson.order == wanted[lesson.id], lesson.id
    ids = {lesson.id for lesson in lessons}
    assert {"gradient-descent", "softmax", "activation-functions", "ethics"} <= ids


def test_the_map_lists_only_the_lessons_that_exist_in_the_courses_order(two_lessons):
    lessons, problems = load_lessons()
    assert problems == []
    course = course_map(lessons, {})
    titles = [step.title for step in course.steps]
    lesson_steps = [step.target.name for step in course.steps if step.kind == "lesson"]
    assert lesson_steps == ["gradient-descent", "own", "ethics"]  # no softmax, no cnn...
    assert titles.index("Gradient descent") < titles.index("The Playground: a circle, 3 neurons")
    assert titles.index("My own lesson") == titles.index("The Playground: a circle, 3 neurons") + 1
    assert titles.index("The ethics checklist") < titles.index("The mammogram project")
    assert titles[-1] == "The mammogram project"  # the course's last step
    assert [s.number for s in course.steps] == list(range(1, len(course.steps) + 1))
    assert [s.order for s in course.steps] == sorted(s.order for s in course.steps)
    assert course.next == 0 and course.done == 0


def test_what_is_done_and_what_is_next(two_lessons):
    lessons, _ = load_lessons()
    descent = next(lesson for lesson in lessons if lesson.id == "gradient-descent")
    progress = {"gradient-descent": LessonProgress(set(range(len(descent.pages))), 0)}
    course = course_map(lessons, progress)
    first = course.steps[0]
    assert not first.done  # every page read, but the questions not answered
    assert first.detail == f"{len(descent.pages)}/{len(descent.pages)} pages · 0/5 right"
    progress["gradient-descent"].answers = {
        q.key: Answer("x", i % 2 == 0) for i, q in enumerate(descent.questions)
    }
    course = course_map(lessons, progress, finished={"tf-lowlevel"}, visited={PLAYGROUND})
    assert course.steps[0].done and course.steps[0].detail.endswith("3/5 right")
    by_title = {step.title: step for step in course.steps}
    assert by_title["MNIST the hard way — raw TensorFlow"].done
    assert by_title["MNIST the hard way — raw TensorFlow"].detail == "a finished run"
    assert by_title["The Playground: a circle, 3 neurons"].detail == "opened"
    assert not by_title["MNIST digits — Keras MLP"].done
    assert course.steps[course.next].title == "My own lesson"
    assert course.done == 3
    lines = course_lines(course)
    assert lines[0].startswith("✓  1. Gradient descent")
    assert any(line.startswith("▶  3. My own lesson") for line in lines)
    assert f"3 of {len(course.steps)} done. Next: 3. My own lesson." in lines
    assert lines[-6:] == [
        "✓ done means:",
        "  lesson: all pages read, all questions answered",
        "  playground, screen: opened",
        "  lab, project: a finished run",
        "  sweep: a finished sweep, or opened",
        "  (a run or a sweep counts from the app or the CLI, a screen however opened)",
    ]


def test_tui_dl_course_prints_the_map_with_finished_runs(two_lessons, capsys):
    run_dir = RunStore().create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    append_event(run_dir, Event.STARTED, **STARTED)
    append_event(run_dir, Event.FINISHED, **finished({"test_accuracy": 0.97}))
    mark_visited(PLAYGROUND)
    assert cli.main(["course"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("▶  1. Gradient descent")
    keras = next(line for line in out if "MNIST digits — Keras MLP" in line)
    assert keras.startswith("✓") and "a finished run" in keras
    assert next(line for line in out if "Playground" in line).startswith("✓")
    assert any(line.startswith("2 of ") for line in out)
    assert cli.main(["course", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["done"] == 2 and data["next"]["target"] == "lesson gradient-descent"
    assert data["steps"][0] == {
        "number": 1,
        "order": 10,
        "kind": "lesson",
        "title": "Gradient descent",
        "target": "lesson gradient-descent",
        "done": False,
        "detail": "0/5 pages · 0/5 right",
        "done_when": "all pages read, all questions answered",
    }


def app_on(screen: str = "home", source: FakeRunSource | None = None):
    return make_app(source=source or FakeRunSource(), screen=screen)


def step_texts(screen) -> list[str]:
    steps = screen.query_one("#course-steps", OptionList)
    return [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]


async def test_the_course_screen_marks_steps_and_opens_them(two_lessons):
    done = FakeRun(
        "20261122-101500-tf-lowlevel-a1b2",
        mnist_events(3, end="finished"),
        experiment="tf-lowlevel",
    )
    app = app_on("course", FakeRunSource([done]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CourseScreen)
        texts = step_texts(screen)
        assert texts[0].startswith("▶  1. Gradient descent") and "← next" in texts[0]
        assert next(t for t in texts if "raw TensorFlow" in t).startswith("✓")
        steps = screen.query_one("#course-steps", OptionList)
        assert steps.highlighted == 0 and steps.has_focus
        assert "1 of" in str(screen.query_one("#course-summary").content)
        await pilot.press("enter")  # the next step: the first lesson
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "gradient-descent"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        playground = next(i for i, t in enumerate(texts) if "Playground" in t)
        steps.highlighted = playground
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlaygroundScreen)
        assert app.screen.state.networkShape == [3] and app.screen.state.dataset == "circle"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert step_texts(screen)[playground].startswith("✓")  # opened: done
        keras = next(i for i, t in enumerate(texts) if "Keras MLP" in t)
        steps.highlighted = keras
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen) and app.screen.experiment.name == "mnist-mlp"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_n_opens_the_next_step_and_progress_moves_it_on(two_lessons):
    lessons, _ = load_lessons()
    descent = next(lesson for lesson in lessons if lesson.id == "gradient-descent")
    for page in range(len(descent.pages)):
        mark_seen("gradient-descent", page)
    for question in descent.questions:
        record_answer("gradient-descent", question.key, Answer("x", False))
    app = app_on("course")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = step_texts(app.screen)
        assert texts[0].startswith("✓  1. Gradient descent") and "0/5 right" in texts[0]
        assert "← next" in texts[1] and "Playground" in texts[1]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlaygroundScreen)


async def test_home_lists_the_course_map_first_and_c_opens_it():
    app = app_on()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        assert str(lessons.get_option_at_index(0).prompt).startswith("Course map")
        assert str(lessons.get_option_at_index(1).prompt).startswith("1. Gradient descent")
        ids = [lessons.get_option_at_index(i).id for i in range(1, lessons.option_count)]
        orders = {lesson.id: lesson.order for lesson in load_lessons()[0]}
        known = [i for i in ids if i in orders]
        assert known == sorted(known, key=lambda i: orders[i])  # the course's order
        lessons.focus()
        lessons.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CourseScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CourseScreen)


async def test_the_course_map_works_with_no_color(two_lessons, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    mark_visited(PLAYGROUND)
    app = app_on("course")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        marks = {text[0] for text in step_texts(app.screen)}
        assert {"✓", "▶", "·"} <= marks


def test_snapshot_of_the_course_map(two_lessons, snap_compare):
    mark_seen("gradient-descent", 0)
    mark_visited(PLAYGROUND)
    assert snap_compare(app_on("course"), terminal_size=SIZE, run_before=settle)
