"""Check questions that measure understanding: choices in an order of their own per learner,
a lesson's closing page (score, what to read again, the course's next step), no footer key
that does nothing, and each page's widget starting where its text assumes."""

from __future__ import annotations

from tests.fakes import FakeRunSource, settle
from tests.test_snapshots import SIZE
from tui_dl.lessons import ChoiceQuestion, find_lesson, load_lessons
from tui_dl.lessons.course import course_map
from tui_dl.lessons.ending import lesson_ending
from tui_dl.lessons.progress import Answer
from tui_dl.lessons.questions import learner_seed
from tui_dl.lessons.tries import Target
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.widgets.lesson.backprop_steps import BackpropSteps
from tui_dl.ui.widgets.lesson.descent_curve import DescentCurve
from tui_dl.ui.widgets.lesson.lesson_end import LessonEnd
from tui_dl.ui.widgets.lesson.questions import QuestionsPanel

SEED = "user:learner"
"""conftest fixes the user name, so every test sees this learner's order."""


def choice_questions():
    lessons, problems = load_lessons()
    assert not problems
    return [
        (lesson, q) for lesson in lessons for q in lesson.questions if isinstance(q, ChoiceQuestion)
    ]


def test_the_seed_is_the_learner():
    assert learner_seed() == SEED


def test_always_the_first_choice_shown_no_longer_scores_full():
    by_lesson: dict[str, list[bool]] = {}
    for lesson, question in choice_questions():
        first = question.choices[question.shown_order(SEED)[0]]
        by_lesson.setdefault(lesson.id, []).append(first.right)
    for lesson_id, rights in by_lesson.items():
        if len(rights) >= 2:
            assert not all(rights), f"{lesson_id}: always the first choice scores full"
    every = [right for rights in by_lesson.values() for right in rights]
    assert sum(every) <= len(every) / 2


def test_the_files_do_not_put_the_right_answer_first():
    questions = choice_questions()
    first = sum(question.choices[0].right for _, question in questions)
    assert first <= len(questions) / 2, f"{first} of {len(questions)} right answers come first"
    for lesson_id in {lesson.id for lesson, _ in questions}:
        own = [q for lesson, q in questions if lesson.id == lesson_id]
        if len(own) >= 2:
            assert not all(q.choices[0].right for q in own), lesson_id


def test_the_order_is_stable_for_a_learner_and_differs_between_learners():
    questions = [q for _, q in choice_questions()]
    assert all(q.shown_order(SEED) == q.shown_order(SEED) for q in questions)
    assert any(q.shown_order(SEED) != q.shown_order("seat:other") for q in questions)
    for question in questions:
        assert sorted(question.shown_order(SEED)) == list(range(len(question.choices)))


def test_every_question_names_the_page_that_teaches_it():
    lessons, _ = load_lessons()
    for lesson in lessons:
        for number, question in enumerate(lesson.questions, start=1):
            assert question.page and 1 <= question.page <= len(lesson.pages), (lesson.id, number)


def test_the_ending_lists_what_was_missed_and_the_next_step():
    lessons, _ = load_lessons()
    lesson = find_lesson("gradient-descent")
    first, _, momentum, *_ = lesson.questions
    answers = {first.key: Answer("x", True), momentum.key: Answer("y", False)}
    course = course_map(lessons, {})
    ending = lesson_ending(lesson, answers, course)
    assert ending.score == "1 of 5 right · 3 not answered"
    assert [m.number for m in ending.missed] == [2, 3, 4, 5]
    missed = ending.missed[1]
    assert missed.answered and missed.page == 3
    assert missed.page_title == "Local minima and momentum"
    places = [step.target for step in course.steps]
    here = places.index(Target("lesson", "gradient-descent"))
    assert ending.next_step is not None and ending.next_step.target == places[here + 1]
    assert ending.next_number == here + 2
    last = course.steps[-1].target
    if last.kind == "lesson":
        assert lesson_ending(find_lesson(last.name), {}, course).next_step is None


def app_on(screen: str):
    return make_app(source=FakeRunSource(), screen=screen)


def footer_keys(screen) -> dict[str, str]:
    """The keys the footer shows now, and the action each runs."""
    return {
        key: active.binding.action
        for key, active in screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


async def test_n_on_the_last_question_opens_the_closing_page_and_n_there_the_next_step():
    app = app_on("lesson:gradient-descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        assert "p" not in footer_keys(screen)  # nothing before the first page
        screen.show_page(len(screen.lesson.pages))
        await pilot.pause()
        panel = screen.query_one(QuestionsPanel)
        await pilot.press("end")
        assert panel.index == len(screen.lesson.questions) - 1
        await pilot.press("n")
        assert screen.on_end and not screen.on_questions
        end = screen.query_one(LessonEnd)
        assert end.has_focus and end.display
        text = str(end.query_one("#lesson-end-text").render())
        assert "0 of 5 right · 5 not answered" in text
        assert "page 3: Local minima and momentum" in text
        assert footer_keys(screen)["n"] == "next_step"
        await pilot.press("3")  # the key beside question 3: the page that teaches it
        assert screen.page == 2 and not screen.on_end
        screen.show_page(screen.pages - 1)
        await pilot.pause()
        ending = end.ending
        assert ending is not None and ending.next_step is not None
        await pilot.press("n")
        await settle(pilot)
        target = ending.next_step.target
        if target.kind == "lesson":
            assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == target.name
        assert app.screen is not screen  # the finished lesson made way for the next step


async def test_no_footer_key_on_the_lesson_screen_does_nothing():
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        for page in range(screen.pages):
            screen.show_page(page)
            await pilot.pause()
            shown = footer_keys(screen)
            if page == 0:
                assert "p" not in shown
            if screen.on_end:
                assert shown.get("n") == "next_step" and "enter" not in shown
            if screen.on_questions:
                assert shown.get("enter") == "answer"
            for active in screen.active_bindings.values():
                if active.binding.show:  # a key shown is one that acts here
                    assert active.enabled, (page, active.binding.key)


async def test_each_page_starts_its_widget_where_its_text_assumes():
    """Gradient descent: a rate raised to divergence on page 2 once met page 3's "plain
    descent settles in the right-hand valley" as "diverged: rate too high"."""
    app = app_on("lesson:gradient-descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        ball = app.screen.query_one("#page-1-widget", DescentCurve)
        default = ball.run.rate
        for _ in range(12):
            await pilot.press("up")
        await pilot.press("r", *["s"] * 30)
        assert ball.run.diverged
        await pilot.press("n")
        third = app.screen.query_one("#page-2-widget", DescentCurve)
        assert third is not ball and third.has_focus
        assert third.run.rate == default and third.run.steps == 0
        await pilot.press(*["s"] * 200)
        assert not third.run.diverged and third.run.position[0] > 0  # the right-hand valley
        await pilot.press("p")
        assert app.screen.query_one("#page-1-widget", DescentCurve).run.diverged  # kept


async def test_backprop_pages_start_at_the_step_their_text_explains():
    app = app_on("lesson:backprop")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        keys = [w.key for w in screen.query(BackpropSteps)]
        assert keys == ["inputs", "loss", "back-out", "back-h2"]
        assert not screen._start_problems


async def test_every_shipped_page_start_is_understood_by_its_widget():
    lessons, _ = load_lessons()
    for lesson in lessons:
        if not any(page.start for page in lesson.pages):
            continue
        app = app_on(f"lesson:{lesson.id}")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, LessonScreen)
            assert app.screen._start_problems == [], lesson.id
