"""Check questions: the `---questions---` format, every message a malformed one gets (file
and line), answers kept with the learner's progress under a hash of the question, and the
questions page driven by keys (Pilot) and seen at 80×24 (snapshot)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.fakes import FakeRunSource, settle
from tests.test_snapshots import SIZE
from tui_dl import cli
from tui_dl.lessons import (
    Answer,
    ChoiceQuestion,
    LessonError,
    NumberQuestion,
    find_lesson,
    load_lessons,
    load_progress,
    read_lesson,
    record_answer,
)
from tui_dl.lessons.numbers import read_reading
from tui_dl.lessons.progress import progress_path
from tui_dl.lessons.questions import read_number
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.widgets.lesson.questions import QuestionsPanel, inline_markdown

HEAD = "---\nid: demo\ntitle: Demo\norder: 7\n---\n# One\n\nA page.\n---page---\nTwo.\n"
HEAD_LINES = HEAD.count("\n")
"""The questions section below starts on line HEAD_LINES + 1 (`---questions---`)."""

QUESTIONS = """---questions---
# a comment before the first question
? Which of these can a single perceptron learn?
- [x] OR
  > Yes: one straight line separates its classes.
- [ ] XOR
  > No straight line separates **XOR**'s two classes.

# blank lines and comments between questions are fine
? A 3×3 filter slides over a 28×28 image. How wide is the `feature map`?
= 26
  > 28 − 3 + 1 = 26 positions fit across.

? What is −log 0.5?
= 0.69 ± 0.01
  > log 2 ≈ 0.693.

? And log 1?
= 0
  > Zero: the default tolerance of zero is 1e-9.
"""


def write(folder: Path, text: str, name: str = "demo.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def lesson_with(folder: Path, questions: str):
    return read_lesson(write(folder, HEAD + questions))


# ----- the format ----------------------------------------------------------------------------
def test_questions_parse_into_choices_and_numbers_after_the_pages(tmp_path):
    lesson = lesson_with(tmp_path, QUESTIONS)
    assert len(lesson.pages) == 2 and lesson.pages[1].text == "Two."
    first, width, log_half, log_one = lesson.questions
    assert isinstance(first, ChoiceQuestion)
    assert first.prompt == "Which of these can a single perceptron learn?"
    assert first.line == HEAD_LINES + 3
    assert [(c.text, c.right) for c in first.choices] == [("OR", True), ("XOR", False)]
    assert first.choices[1].explanation == "No straight line separates **XOR**'s two classes."
    assert first.check("OR").right and not first.check("XOR").right
    assert isinstance(width, NumberQuestion)
    assert (width.value, width.tolerance) == (26, pytest.approx(0.26))
    assert width.check("26").right and width.check("26.2").right and not width.check("27").right
    assert width.check("27").explanation == "28 − 3 + 1 = 26 positions fit across."
    assert isinstance(log_half, NumberQuestion) and log_half.tolerance == 0.01
    assert log_half.check("0.7").right and not log_half.check("0.71").right
    assert log_one.tolerance == 1e-9 and log_one.check("0").right
    assert not log_one.check("0.001").right


@pytest.mark.parametrize(
    ("typed", "value", "said"),
    [
        ("0.5", 0.5, ""),
        (".5", 0.5, "read .5 as 0.5"),
        ("50 %", 0.5, "read 50 % as 0.5"),
        ("50%", 0.5, "read 50% as 0.5"),
        ("1/2", 0.5, "read 1/2 as 0.5"),
        (" 1 / 2 ", 0.5, "read 1 / 2 as 0.5"),
        ("1,000", 1000, "read 1,000 as 1000"),
        ("12,345.5", 12345.5, "read 12,345.5 as 12345.5"),
        ("−0.5", -0.5, ""),
        ("1e-3", 0.001, "read 1e-3 as 0.001"),
        ("26", 26, ""),
    ],
)
def test_a_number_is_read_as_a_learner_types_it_and_says_how(typed, value, said):
    reading = read_reading(typed)
    assert reading.value == pytest.approx(value) and reading.describe() == said


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("0,5", "a comma only separates thousands (1,000); for a decimal, type a point"),
        ("1,00", "a comma only separates thousands"),
        ("1,0000", "a comma only separates thousands"),
        ("abc", "'abc' is not a number: type a number such as 0.5, .5, 50 %, 1/2 or 1,000"),
        ("12 3", "is not a number"),
        ("1/0", "divides by zero"),
        ("1/2/3", "two '/'"),
        ("%", "is not a number"),
        ("inf", "is not a number"),
        ("1e999", "not a finite number"),
        ("", "nothing typed"),
    ],
)
def test_a_number_it_cannot_read_is_refused_with_what_was_expected(typed, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        read_number(typed)


def test_a_percentage_question_takes_both_forms_and_says_how_it_read_them(tmp_path):
    lesson = lesson_with(tmp_path, "---questions---\n? What share?\n= 50 %\n  > Half.\n")
    question = lesson.questions[0]
    assert isinstance(question, NumberQuestion) and question.percent and question.value == 0.5
    for typed, said in [
        ("50", "read 50 as 50 %"),
        ("50 %", ""),
        ("50%", ""),
        ("0.5", "read 0.5 as 50 %"),
        (".5", "read .5 as 50 %"),
        ("1/2", "read 1/2 as 50 %"),
    ]:
        verdict = question.check(typed)
        assert verdict.right and verdict.reading == said, typed
    wrong = question.check("40")
    assert not wrong.right and wrong.reading == "read 40 as 40 %"
    assert question.shown == "50 % (0.5)"
    # a fraction question: `50` is fifty, and says so; 50 % and 1/2 are its value
    plain = lesson_with(tmp_path, "---questions---\n? What fraction?\n= 0.5\n  > Half.\n")
    fraction = plain.questions[0]
    assert not fraction.percent and fraction.check("50 %").right and fraction.check("1/2").right
    assert not fraction.check("50").right
    assert fraction.key != question.key  # asking for a percentage is another question
    # a tolerance in percentage points
    points = lesson_with(tmp_path, "---questions---\n? Share?\n= 80 % ± 2\n  > x\n")
    assert points.questions[0].tolerance == pytest.approx(0.02)
    assert points.questions[0].check("78.5").right and not points.questions[0].check("77").right


def test_the_old_number_checks_still_hold():
    assert read_number(" −0.5 ") == -0.5 and read_number("1e-3") == 0.001
    assert NumberQuestion("q", 1, 0.3, 1e-9, "").check("0.1e0").right is False
    assert NumberQuestion("q", 1, 0.3, 0.0, "").check(str(0.1 + 0.2)).right  # float noise


def test_a_lesson_without_the_section_has_no_questions(tmp_path):
    assert lesson_with(tmp_path, "").questions == ()


def test_the_shipped_lessons_each_ask_three_to_five_questions():
    lessons, _ = load_lessons()  # (that every file reads cleanly: test_lessons_content)
    assert {"gradient-descent", "softmax", "activation-functions", "ethics"} <= {
        lesson.id for lesson in lessons
    }
    for lesson in lessons:
        assert 3 <= len(lesson.questions) <= 5, lesson.id
        for question in lesson.questions:
            if isinstance(question, ChoiceQuestion):
                assert sum(c.right for c in question.choices) == 1
                assert all(c.explanation for c in question.choices)
            else:
                assert isinstance(question, NumberQuestion) and question.explanation
    keys = [q.key for lesson in lessons for q in lesson.questions]
    assert len(set(keys)) == len(keys)


Q = "? A question?\n"
RIGHT, WRONG = "- [x] yes\n  > because\n", "- [ ] no\n  > because not\n"


@pytest.mark.parametrize(
    ("questions", "line", "words"),
    [
        ("---questions---\n", 0, "no questions after ---questions---"),
        ("---questions---\n\n# only a comment\n", 0, "no questions after"),
        ("---questions---\n?\n", 1, "a question is written '? The question'"),
        ("---questions---\n?Why\n", 1, "a question is written"),
        ("---questions---\n- [x] yes\n", 1, "comes before any question"),
        ("---questions---\n" + Q, 1, "has no answers"),
        ("---questions---\n" + Q + RIGHT, 1, "has 1 choice; a multiple-choice question has 2 to 6"),
        (
            "---questions---\n" + Q + RIGHT + "".join(f"- [ ] n{i}\n  > x\n" for i in range(6)),
            1,
            "has 7 choices",
        ),
        ("---questions---\n" + Q + WRONG + "- [ ] nope\n  > x\n", 1, "marks 0 choices right"),
        ("---questions---\n" + Q + RIGHT + "- [x] also\n  > x\n", 1, "marks 2 choices right"),
        ("---questions---\n" + Q + RIGHT + "- [ ] yes\n  > x\n", 4, "two choices read 'yes'"),
        ("---questions---\n" + Q + "- [] yes\n  > x\n", 2, "a choice is written '- [ ] text'"),
        ("---questions---\n" + Q + "-[x] yes\n  > x\n", 2, "a choice is written"),
        ("---questions---\n" + Q + "- [x] \n  > x\n", 2, "a choice is written"),
        ("---questions---\n" + Q + "- [x] yes\n", 2, "this choice needs its explanation"),
        ("---questions---\n" + Q + "- [x] yes\n\n  > late\n", 2, "needs its explanation"),
        ("---questions---\n" + Q + "- [x] yes\n- [ ] no\n  > x\n", 2, "needs its explanation"),
        ("---questions---\n" + Q + RIGHT + "  > again\n", 4, "one explanation line per answer"),
        ("---questions---\n" + Q + "  > why\n", 2, "an explanation ('  > ...') must follow"),
        ("---questions---\n" + Q + "- [x] yes\n  >\n", 3, "the explanation after '>' is empty"),
        ("---questions---\n" + Q + "- [x] yes\n> why\n", 2, "needs its explanation"),
        ("---questions---\n" + Q + "> why\n", 2, "an explanation line is indented"),
        ("---questions---\n" + Q + "  - [x] yes\n", 2, "unexpected indented line"),
        ("---questions---\n" + Q + "Some prose.\n", 2, "unexpected line 'Some prose.'"),
        ("---questions---\n" + Q + "= 3\n  > x\n---page---\n", 4, "the questions end the lesson"),
        ("---questions---\n" + Q + "= 3\n  > x\n---questions---\n", 4, "end the lesson"),
        ("---questions---\n" + Q + "@widget softmax\n", 2, "end the lesson"),
        ("---questions---\n" + Q + "=\n  > x\n", 2, "a number answer is written '= VALUE'"),
        ("---questions---\n" + Q + "= many\n  > x\n", 2, "the answer 'many' is not a number"),
        ("---questions---\n" + Q + "= 3 ± lots\n  > x\n", 2, "the tolerance 'lots' is not"),
        ("---questions---\n" + Q + "= 3 ± -1\n  > x\n", 2, "must be 0 or more"),
        ("---questions---\n" + Q + "= 3\n", 2, "the number answer needs its explanation"),
        ("---questions---\n" + Q + "= 3\n  > x\n= 4\n  > y\n", 4, "one '= VALUE' line"),
        ("---questions---\n" + Q + "= 3\n  > x\n" + RIGHT, 4, "already has a number answer"),
        ("---questions---\n" + Q + RIGHT + "= 3\n  > x\n", 4, "already has choices"),
        ("---questions---\n" + Q + RIGHT + WRONG + Q, 6, "has no answers"),
    ],
)
def test_a_malformed_question_names_its_file_and_line(tmp_path, questions, line, words):
    path = write(tmp_path, HEAD + questions)
    with pytest.raises(LessonError) as caught:
        read_lesson(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{HEAD_LINES + 1 + line}:"), message
    assert words in message, message


def test_questions_right_after_a_page_break_leave_an_empty_page(tmp_path):
    path = write(tmp_path, HEAD + "---page---\n---questions---\n" + Q + RIGHT + WRONG)
    with pytest.raises(LessonError, match=rf"{path}:{HEAD_LINES + 1}: page 3 is empty"):
        read_lesson(path)


def test_tui_dl_lessons_reports_a_malformed_question_and_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    write(tmp_path, HEAD + QUESTIONS, "a.md")
    bad = write(tmp_path, HEAD.replace("demo", "b") + "---questions---\n" + Q + RIGHT, "b.md")
    assert cli.main(["lessons"]) == 1
    captured = capsys.readouterr()
    assert "Demo" in captured.out and "0/2 pages · 0/4 right" in captured.out
    assert f"{bad}:{HEAD_LINES + 2}: this question has 1 choice" in captured.err


# ----- answers with the progress -------------------------------------------------------------
def test_answers_are_kept_under_a_hash_of_the_question(tmp_path):
    lesson = lesson_with(tmp_path, QUESTIONS)
    first = lesson.questions[0]
    record_answer("demo", first.key, Answer("XOR", False), lesson.question_keys)
    record_answer("demo", lesson.questions[1].key, Answer("26", True), lesson.question_keys)
    entry = load_progress()[0]["demo"]
    assert entry.answers[first.key] == Answer("XOR", False)
    assert entry.label(2, lesson.question_keys) == "0/2 pages · 1/4 right"
    assert not entry.done(2, lesson.question_keys)
    saved = json.loads(progress_path().read_text(encoding="utf-8"))["demo"]["answers"]
    assert saved[first.key] == {"choice": "XOR", "right": False}
    # The instructor rewrites the first question: its old answer no longer counts.
    edited = lesson_with(tmp_path, QUESTIONS.replace("single perceptron", "lone perceptron"))
    assert edited.questions[0].key != first.key
    assert edited.questions[1].key == lesson.questions[1].key
    assert entry.answered(edited.question_keys) == 1
    # Changing which answer is right, or its text, changes the key too.
    swapped = QUESTIONS.replace("- [x] OR", "- [ ] OR").replace("- [ ] XOR", "- [x] XOR")
    assert lesson_with(tmp_path, swapped).questions[0].key != first.key
    # The next answer saved drops answers to questions the lesson no longer has.
    record_answer("demo", edited.questions[0].key, Answer("OR", True), edited.question_keys)
    assert first.key not in load_progress()[0]["demo"].answers


def test_a_lesson_is_done_when_every_page_is_read_and_every_question_answered(tmp_path):
    lesson = lesson_with(tmp_path, QUESTIONS)
    from tui_dl.lessons import LessonProgress

    entry = LessonProgress({0, 1}, 1)
    assert entry.label(2) == "2/2 pages" and entry.done(2)
    assert not entry.done(2, lesson.question_keys)
    entry.answers = {q.key: Answer("x", False) for q in lesson.questions}
    assert entry.done(2, lesson.question_keys)
    assert entry.label(2, lesson.question_keys) == "2/2 pages · 0/4 right"


def test_answers_in_a_broken_shape_set_the_progress_aside():
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"softmax": {"seen": [0], "answers": {"k": {"nope": 1}}}}')
    progress, problem = load_progress()
    assert progress == {} and "could not be read" in problem
    assert path.with_suffix(".json.unreadable").exists()


# ----- the questions page ------------------------------------------------------------------
def app_on(screen: str):
    return make_app(source=FakeRunSource(), screen=screen)


def panel_text(panel: QuestionsPanel) -> str:
    return "\n".join(str(s.content) for s in panel.query("Static"))


def places(panel: QuestionsPanel) -> tuple[int, int]:
    """(the shown number of the right choice, of a wrong one) on the current question."""
    question = panel.question
    assert isinstance(question, ChoiceQuestion)
    order = panel.orders[panel.index]
    right = next(p for p, i in enumerate(order) if question.choices[i].right)
    wrong = next(p for p, i in enumerate(order) if not question.choices[i].right)
    return right + 1, wrong + 1


async def test_the_questions_page_follows_the_last_page_and_answers_are_saved():
    lesson = find_lesson("activation-functions")
    app = app_on("lesson:activation-functions")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.pages == 5  # 3 pages, questions, end
        await pilot.press("n", "n")
        assert "n questions" in str(screen.query_one("#lesson-pager").render())
        await pilot.press("n")
        assert screen.on_questions
        panel = screen.query_one(QuestionsPanel)
        assert panel.has_focus and panel.index == 0
        assert "Check question 1 of 5" in panel_text(panel)
        assert "0 of 5 right · 5 not answered yet" in panel_text(panel)
        # multiple choice: a wrong answer by its shown number: its explanation and ✗ at once
        right, wrong = places(panel)
        await pilot.press(str(wrong))
        text = panel_text(panel)
        assert "✗ Not right." in text and "0 of 5 right" in text
        # ↑↓ to the right one, enter again: replaced, ✓ and the score
        for _ in range((right - wrong) % 3):
            await pilot.press("down")
        await pilot.press("enter")
        text = panel_text(panel)
        assert "✓ Right." in text and "gives no direction" in text
        assert "1 of 5 right" in text
        assert "1 of 5 right" in str(screen.query_one("#lesson-pager").render())
        # a number: typed with digits (not the lesson's try keys), then enter
        await pilot.press("right")
        assert panel.index == 1 and isinstance(panel.question, NumberQuestion)
        await pilot.press("enter")
        assert "Type a number first" in panel_text(panel)
        await pilot.press("minus", "3", "enter")
        assert isinstance(app.screen, LessonScreen)  # 3 was typed, not a try key
        text = panel_text(panel)
        assert "✗ Not quite (-3): the answer is 0." in text and "zero for every" in text
        await pilot.press("backspace", "backspace", "0", "enter")
        assert "✓ Right (0)." in panel_text(panel) and "2 of 5 right" in panel_text(panel)
        await pilot.press("backspace", "x")  # x is no part of a number: refused out loud
        assert "'x' is not part of a number" in panel_text(panel)
        assert panel.typed[1] == ""
        await pilot.press("e", "enter")  # e is (1e-3), alone it is not a number
        assert "'e' is not a number" in panel_text(panel)
        await pilot.press("end")
        assert panel.index == 4
        await pilot.press("home", "p")  # before the first: back to the pages
        assert not screen.on_questions and screen.page == 2
        await pilot.press("n")
        assert screen.on_questions and panel.index == 0
    entry = load_progress()[0]["activation-functions"]
    assert entry.right(lesson.question_keys) == 2
    assert entry.answers[lesson.questions[1].key] == Answer("0", True)
    assert entry.last == 3  # the lesson reopens on its questions


async def test_a_fraction_typed_is_kept_whole_and_read_as_it_was_meant():
    """`1/2` once became `12` (the slash never reached the answer)."""
    app = app_on("lesson:gan")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.show_page(len(screen.lesson.pages))
        await pilot.press("end")
        panel = screen.query_one(QuestionsPanel)
        question = panel.question
        assert isinstance(question, NumberQuestion) and question.percent
        await pilot.press("1", "slash", "2")
        assert panel.typed[panel.index] == "1/2"
        await pilot.press("enter")
        assert "✓ Right (read 1/2 as 50 %)." in panel_text(panel)
        await pilot.press(*["backspace"] * 3, "5", "0", "enter")
        assert "✓ Right (read 50 as 50 %)." in panel_text(panel)
        await pilot.press("backspace", "backspace", "0", "comma", "5", "enter")
        text = panel_text(panel)
        assert "a comma only separates thousands" in text and panel.typed[panel.index] == "0,5"
        assert "✓ Right (read 50 as 50 %)." in text  # the last answer given still stands


async def test_saved_answers_show_again_and_home_says_how_many_were_right():
    lesson = find_lesson("softmax")
    keys = lesson.question_keys
    for question in lesson.questions:
        if isinstance(question, ChoiceQuestion):
            record_answer("softmax", question.key, Answer(question.right_choice.text, True), keys)
    from tui_dl.lessons import mark_seen

    for page in range(len(lesson.pages) + 1):  # and then the questions
        mark_seen("softmax", page)
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(QuestionsPanel)
        assert app.screen.on_questions  # reopened where it was left
        assert "4 of 5 right · 1 not answered yet" in panel_text(panel)
        assert "✓ Right." in panel_text(panel)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        option = app.screen.query_one("#lessons").get_option("softmax")
        assert str(option.prompt).endswith("  4/4 · 4/5 right")  # 80 columns: short
        assert "✓" not in str(option.prompt)  # one question is still open


async def test_the_questions_page_works_with_no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on("lesson:ethics")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n", "down", "enter")
        panel = app.screen.query_one(QuestionsPanel)
        text = panel_text(panel)
        assert "(•)" in text and "✗ not right" in text and "❯" in text


def test_inline_markdown_keeps_the_meaning_not_the_marks():
    text = inline_markdown("Use `GradientTape`, **never** by *hand*; a_b stays")
    assert text.plain == "Use GradientTape, never by hand; a_b stays"
    styles = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styles["GradientTape"] == "bold reverse" and styles["never"] == "bold"
    assert styles["hand"] == "italic"


def test_snapshot_of_a_questions_page(snap_compare):
    app = app_on("lesson:softmax")
    keys = ["n", "n", "n", "n", "enter", "right", "down", "enter"]  # shuffled: two answered
    assert snap_compare(app, terminal_size=SIZE, press=keys, run_before=settle)
