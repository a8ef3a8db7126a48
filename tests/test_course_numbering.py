"""One numbering, one progress, one palette (issue 23 §2, §6): the course map follows the
course's order; a step has the same number on home, the palette, `tui-dl lessons`, `tui-dl
course` and the map; opening a step's screen counts however it was opened; the palette finds
every screen, every experiment's lab by its words, every lesson and every course step."""

from __future__ import annotations

import inspect

import pytest
from textual.fuzzy import Matcher
from textual.widgets import OptionList

from tests.fakes import FakeRunSource, sample_sweep, settle
from tui_dl import cli
from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.lessons import load_lessons
from tui_dl.lessons.course import (
    COURSE,
    VISITED_SCREENS,
    course_map,
    course_steps,
    lesson_numbers,
    screen_of,
)
from tui_dl.lessons.progress import load_visited
from tui_dl.lessons.share.codes import Shared
from tui_dl.lessons.tries import Target
from tui_dl.ui import registry
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.course import CourseScreen
from tui_dl.ui.screens.ganlab import GanLabScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.screens.playground import PlaygroundScreen
from tui_dl.ui.screens.sweep import SweepScreen

SIZE = (80, 24)

COURSE_ORDER = [
    "lesson gradient-descent",
    "lesson softmax",
    "lesson history",
    "playground dataset=circle&networkShape=3",
    "lesson backprop",
    "lesson activation-functions",
    "lesson optimizers",
    "lesson overfitting",
    "lab tf-lowlevel",
    "lab mnist-mlp",
    "lab mnist-mlp-dropout",
    "lab votes-kfold",
    "lesson cnn",
    "lab mnist-cnn",
    "lesson rnn",
    "lab imdb-lstm",
    "lesson transfer",
    "lab transfer-digits",
    "lab transfer-imagenet",
    "lesson tuning",
    "screen sweep",
    "lesson normalising",
    "lesson ethics",
    "lesson vae",
    "lab fashion-vae",
    "lesson gan",
    "screen ganlab",
    "lab fashion-gan",
    "lab mammogram",
]
"""The course's order (shared/COURSE.md, issue 23): the low-level TensorFlow lab after the
history, the Playground and the lessons that explain what it trains; the project last."""


def test_the_map_follows_the_courses_order():
    lessons, problems = load_lessons()
    assert problems == []
    course = course_map(lessons, {})
    assert [step.target.text for step in course.steps] == COURSE_ORDER
    assert [step.number for step in course.steps] == list(range(1, len(COURSE_ORDER) + 1))
    # every lesson file sits where COURSE puts it: its `order:` is its step's
    orders = {step.parsed.name: step.order for step in COURSE if step.parsed.kind == "lesson"}
    assert {lesson.id: lesson.order for lesson in lessons} == orders


def test_the_number_is_the_maps_whatever_lessons_exist(tmp_path, monkeypatch):
    """Without the history lesson, the Playground is step 3 and backprop step 4: the numbers
    are counted, never written down."""
    lessons, _ = load_lessons()
    kept = [lesson for lesson in lessons if lesson.id != "history"]
    numbers = lesson_numbers(kept)
    assert numbers["softmax"] == 2 and numbers["backprop"] == 4
    steps = course_steps(kept)
    assert steps[2].target.kind == "playground" and steps[2].number == 3


def surface_numbers(lines: list[str]) -> dict[str, int]:
    """'6. Activation functions …' → {'Activation functions': 6} for each lesson title."""
    titles = [lesson.title for lesson in load_lessons()[0]]
    found: dict[str, int] = {}
    for line in lines:
        number, dot, rest = line.strip().lstrip("✓▶· ").partition(". ")
        for title in titles:
            after = rest[len(title) :]
            ends = not after or after.startswith(("  ", "\n"))  # not a longer title's start
            if dot and number.isdigit() and rest.startswith(title) and ends:
                found[title] = int(number)
    return found


async def test_one_number_per_step_on_every_surface(capsys):
    lessons, _ = load_lessons()
    expected = {step.title: step.number for step in course_steps(lessons) if step.lesson}
    assert expected["Activation functions"] == 6  # not 5 (its place among lessons alone)
    assert cli.main(["lessons"]) == 0
    from_lessons = surface_numbers(capsys.readouterr().out.splitlines())
    assert cli.main(["course"]) == 0
    from_course = surface_numbers(capsys.readouterr().out.splitlines())
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        listed = app.screen.query_one("#lessons", OptionList)
        home = surface_numbers(
            [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        )
        palette = surface_numbers(
            [
                command.title.replace("Step ", "").replace(" · Lesson: ", ". ")
                for command in app.get_system_commands(app.screen)
                if " · Lesson: " in command.title
            ]
        )
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CourseScreen)
        steps = app.screen.query_one("#course-steps", OptionList)
        on_map = surface_numbers(
            [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]
        )
    for surface in (from_lessons, from_course, home, palette, on_map):
        assert surface == expected


# ----- progress: however the learner got there ---------------------------------------------


def _screen(step) -> str:
    return screen_of(step.target)


async def open_from_palette(app, pilot, screen: str) -> None:
    """Run the palette's command for `screen` (the step's entry where the screen is a step)."""
    wanted = {
        "playground": "Playground",
        "ganlab": "The GAN Lab: a 2-D GAN, live",
        "sweep": "Sweep: learning rates × batch sizes",
    }[screen]
    command = next(
        c
        for c in app.get_system_commands(app.screen)
        if c.title == wanted or c.title.endswith(f" · {wanted}")
    )
    result = command.callback()
    if inspect.isawaitable(result):
        await result


async def open_from_home(app, pilot, screen: str) -> None:
    experiments = app.screen.query_one("#experiments", OptionList)
    ids = [experiments.get_option_at_index(i).id for i in range(experiments.option_count)]
    experiments.focus()
    experiments.highlighted = ids.index({"ganlab": "page:ganlab"}.get(screen, screen))
    await pilot.press("enter")


async def open_from_try_key(app, pilot, screen: str) -> None:
    lesson = {"sweep": "tuning", "ganlab": "gan"}[screen]
    app.open_lesson(lesson)
    await settle(pilot)
    assert isinstance(app.screen, LessonScreen)
    await pilot.press("1")  # the lesson's first try


async def open_from_share_code(app, pilot, screen: str) -> None:
    await app.open_shared(Shared(Target("screen", screen)))


async def open_from_course_map(app, pilot, screen: str) -> None:
    await pilot.press("c")
    await settle(pilot)
    index = next(i for i, step in enumerate(app.screen.map.steps) if _screen(step) == screen)
    app.screen.query_one("#course-steps", OptionList).highlighted = index
    await pilot.press("enter")


ENTRY_POINTS = {
    "palette": open_from_palette,
    "home": open_from_home,
    "try key": open_from_try_key,
    "share code": open_from_share_code,
    "course map": open_from_course_map,
}
SCREENS = {"playground": PlaygroundScreen, "ganlab": GanLabScreen, "sweep": SweepScreen}
CASES = [
    ("palette", "playground"),
    ("palette", "ganlab"),
    ("palette", "sweep"),
    ("home", "ganlab"),
    ("home", "playground"),
    ("try key", "sweep"),
    ("try key", "ganlab"),
    ("share code", "sweep"),
    ("share code", "ganlab"),
    ("course map", "playground"),
    ("--screen", "playground"),
    ("--screen", "ganlab"),
    ("--screen", "sweep"),
]


def test_the_cases_cover_every_screen_a_step_is_done_by():
    assert {screen for _, screen in CASES} == VISITED_SCREENS == set(SCREENS)


@pytest.mark.parametrize(("entry", "screen"), CASES, ids=[f"{e}-{s}" for e, s in CASES])
async def test_opening_a_steps_screen_counts_however_it_was_opened(entry, screen):
    start = screen if entry == "--screen" else "home"
    app = make_app(source=FakeRunSource(), screen=start)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if entry != "--screen":
            assert screen not in load_visited()[0]
            await ENTRY_POINTS[entry](app, pilot, screen)
            await settle(pilot)
        assert isinstance(app.screen, SCREENS[screen])
        assert load_visited()[0] == {screen}
        app.switch_to_home()
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        done = [step for step in app.screen.map.steps if step.done]
        assert [(step.kind, step.detail) for step in done] == [
            (next(s.kind for s in app.screen.map.steps if _screen(s) == screen), "opened")
        ]


# ----- the palette finds everything ----------------------------------------------------------


def palette_titles(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


def best(titles: list[str], query: str, top: int = 3) -> list[str]:
    """The palette's own ranking: Textual's fuzzy matcher, highest score first."""
    matcher = Matcher(query)
    scored = [(matcher.match(title), title) for title in titles]
    return [title for score, title in sorted(scored, reverse=True) if score > 0][:top]


SEARCHES = {
    "fashion": "(fashion-vae)",
    "vae": "(fashion-vae)",
    "cnn": "(mnist-cnn)",
    "imdb": "(imdb-lstm)",
    "gan": "(fashion-gan)",
    "gan lab": "The GAN Lab",
    "mammogram": "(mammogram)",
    "votes": "(votes-kfold)",
    "dropout": "(mnist-mlp-dropout)",
    "imagenet": "(transfer-imagenet)",
    "sweep": "Sweep",
    "playground": "Playground",
    "activation": "Lesson: Activation functions",
    "step 6": "Step 6 · Lesson: Activation functions",
}


async def test_the_palette_finds_each_word():
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = palette_titles(app)
    for query, wanted in SEARCHES.items():
        assert any(wanted in title for title in best(titles, query)), (query, best(titles, query))


async def test_the_palette_lists_every_screen_lab_lesson_and_step():
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = palette_titles(app)
    lessons, _ = load_lessons()
    for step in course_steps(lessons):  # every step, by its number and its title
        assert sum(t.startswith(f"Step {step.number} · ") and step.title in t for t in titles) == 1
    for name in EXPERIMENTS:  # every experiment's lab, by its name
        own = registry.for_experiment(name)
        assert any(f"({name})" in t for t in titles) or (own is not None and own.title in titles)
    steps = {step.target.text for step in course_steps(lessons)}
    for entry in registry.SCREENS:  # every screen with a title: itself, or the step it is
        if not entry.title or entry.name == "lab":
            continue
        assert (
            entry.title in titles
            or f"screen {entry.name}" in steps
            or f"lab {entry.experiment}" in steps
        ), entry.name
    assert len(titles) == len(set(titles))


async def test_typing_in_the_palette_opens_the_lab():
    app = make_app(source=FakeRunSource())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"imdb")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen) and app.screen.experiment.name == "imdb-lstm"


# ----- the sweep: a sweep run to its end counts, from the app or the CLI -----------------------


def test_a_finished_sweep_does_the_sweep_step():
    lessons, _ = load_lessons()
    sweep = next(step for step in course_map(lessons, {}).steps if step.kind == "sweep")
    assert (sweep.done, sweep.detail) == (False, "not opened yet")
    sweep = next(step for step in course_map(lessons, {}, swept=True).steps if step.kind == "sweep")
    assert (sweep.done, sweep.detail) == (True, "a finished sweep")


@pytest.mark.parametrize("cells_done", [6, 3])
async def test_the_map_reads_the_latest_sweep_from_the_run_source(cells_done):
    sweep, cells = sample_sweep(cells_done=cells_done)  # 6 of 6: the sweep ran to its end
    app = make_app(source=FakeRunSource(cells, sweeps=[sweep]), screen="course")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        step = next(step for step in app.screen.map.steps if step.kind == "sweep")
        assert step.done == (cells_done == 6)
        assert step.detail == ("a finished sweep" if cells_done == 6 else "not opened yet")
    assert load_visited()[0] == set()  # done by the sweep, not by opening its screen


@pytest.mark.parametrize("finished", [True, False])
def test_tui_dl_course_counts_a_sweep_run_from_the_cli(finished, capsys):
    from tests.test_sweep import write_sweep
    from tui_dl import paths

    write_sweep(paths.home(), finished=finished)
    assert cli.main(["course"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Sweep:" in line)
    assert line.startswith("✓" if finished else "·")
    assert line.endswith("a finished sweep" if finished else "not opened yet")


@pytest.mark.parametrize(
    ("command", "title"),
    [
        (["playground", "dataset=circle&networkShape=3", "--epochs", "2", "--json"], "Playground"),
        (["ganlab", "--iterations", "5", "--json"], "GAN Lab"),
    ],
)
def test_a_headless_run_from_the_shell_does_its_step(command, title, capsys):
    def line() -> str:
        assert cli.main(["course"]) == 0
        out = capsys.readouterr().out.splitlines()
        return next(text for text in out if title in text and "." in text[:6])

    assert line().startswith("·")
    assert cli.main(command) == 0
    capsys.readouterr()
    assert line().startswith("✓")
