"""Pilot tests: lessons and their widgets driven by keyboard only."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from tests.fakes import FakeRunSource, play_until, settle
from tui_dl.lessons import load_progress
from tui_dl.lessons.ethics import checklist_path, load_checklist
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.ethics import EthicsScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.widgets.lesson.activation_plot import ActivationPlot
from tui_dl.ui.widgets.lesson.descent_bowl import DescentBowl
from tui_dl.ui.widgets.lesson.descent_curve import DescentCurve
from tui_dl.ui.widgets.lesson.ethics_checklist import EthicsChecklist
from tui_dl.ui.widgets.lesson.softmax_bars import SoftmaxBars

SIZE = (80, 24)


def app_on(screen: str = "home"):
    return make_app(source=FakeRunSource(), screen=screen)


def readout(widget) -> str:
    return str(widget.query_one(".descent-readout, .activation-readout").render())


async def test_enter_on_a_lesson_opens_it_and_home_shows_the_progress():
    app = app_on()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        assert str(lessons.get_option_at_index(1).prompt).endswith("  0/5")  # after the map
        lessons.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "gradient-descent" and app.screen.page == 0
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert str(lessons.get_option_at_index(1).prompt).endswith("  2/5")


async def test_pages_turn_with_n_p_and_arrows_and_the_lesson_resumes_where_left():
    app = app_on("lesson:activation-functions")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.page == 0
        await pilot.press("right")  # prose page: arrows turn pages
        assert screen.page == 1
        await pilot.press("p")
        assert screen.page == 0
        await pilot.press("n", "n", "n")  # the last page, then its questions
        assert screen.page == 3 and screen.on_questions
        await pilot.press("n", "p")  # there, n and p move between the questions
        assert screen.on_questions
        await pilot.press("left")  # before the first question: back to the last page
        assert screen.page == 2
        await pilot.press("left")
        assert screen.page == 1
    assert load_progress()[0]["activation-functions"].seen == {0, 1, 2, 3}
    again = app_on("lesson:activation-functions")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.screen.page == 1
        assert str(again.screen.query_one("#lesson-pager").render()).count("●") == 1


async def test_arrows_a_widget_uses_are_not_stolen_by_the_page():
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        bars = app.screen.query_one(SoftmaxBars)
        assert bars.has_focus
        before = bars.logits.copy()
        await pilot.press("right")
        assert app.screen.page == 1  # the softmax used the arrow
        assert bars.logits[0] == before[0] + 0.5
        await pilot.press("tab")  # to the text: now arrows turn pages again
        await pilot.press("right")
        assert app.screen.page == 2


async def test_gradient_descent_keys():
    app = app_on("lesson:gradient-descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        ball = app.screen.query_one(DescentCurve)
        assert ball.has_focus
        await pilot.press("s", "s")
        assert ball.run.steps == 2 and "step 2" in readout(ball)
        await pilot.press("r")
        assert ball.run.steps == 0
        await pilot.press("up")
        assert ball.run.rate == 0.2 and app.screen.page == 1  # up is the rate, not a scroll
        await pilot.press("down", "down")
        assert ball.run.rate == 0.05
        await pilot.press("m", "b")
        assert ball.run.momentum == 0.9 and ball.run.noise > 0
        assert "momentum on" in readout(ball) and "small" in readout(ball)
        await pilot.press("m", "b")
        await play_until(pilot, lambda: ball.playing and ball.run.steps >= 2, "two steps")
        assert not ball.playing and ball.run.steps >= 2
        start = ball.run.start.copy()
        await pilot.press("x")
        assert ball.run.steps == 0 and ball.run.start[0] != start[0]
        for _ in range(12):
            await pilot.press("up")
        assert ball.run.rate == 1.0
        await pilot.press("r", *["s"] * 30)
        assert ball.run.diverged and "diverged" in readout(ball)


async def test_turning_the_page_pauses_a_playing_ball():
    app = app_on("lesson:gradient-descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "space")
        ball = app.screen.query_one(DescentCurve)
        assert ball.playing
        await pilot.press("n")
        assert not ball.playing


async def test_bowl_keys():
    app = app_on("lesson:gradient-descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n")
        bowl = app.screen.query_one(DescentBowl)
        assert bowl.has_focus
        await pilot.press("s", "s", "s")
        assert bowl.run.steps == 3 and "(x, y)" in readout(bowl)
        await pilot.press("up", "up", "r", *["s"] * 60)  # 0.3 > 2/8
        assert bowl.run.diverged


async def test_softmax_keys():
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        bars = app.screen.query_one(SoftmaxBars)
        probs = bars.probabilities.copy()
        await pilot.press("down", "right", "right", "right")
        assert bars.selected == 1 and bars.logits[1] == 2.5
        assert bars.probabilities[1] > probs[1]
        await pilot.press("o")
        assert bars.target == 1 and "−log p(dog)" in str(bars.render())
        loss = bars.loss
        await pilot.press("left", "left", "left", "left")
        assert bars.loss > loss
        probs = bars.probabilities.copy()
        await pilot.press("a", "a")
        assert bars.shift == 20 and abs(bars.probabilities - probs).max() < 1e-12
        assert "did not move" in str(bars.render())
        await pilot.press("L")
        assert bars.logits.max() > 1000 and "nan" in str(bars.render())
        assert abs(bars.probabilities.sum() - 1) < 1e-12
        await pilot.press("L", "z", "z", "T")
        assert bars.probabilities.max() < probs.max()
        await pilot.press("r")
        assert bars.selected == 0 and bars.shift == 0 and bars.target == 0


async def test_activation_keys():
    app = app_on("lesson:activation-functions")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        plot = app.screen.query_one(ActivationPlot)
        assert plot.has_focus and plot.function == "step"
        assert "f′(x) = 0.000" in readout(plot)
        await pilot.press("down")
        assert plot.function == "sigmoid"
        await pilot.press("4", "right", "right", "right", "right", "right", "right", "right")
        assert plot.function == "relu" and plot.cursor == 0.25
        assert "f(x) = 0.250" in readout(plot) and "f′(x) = 1.000" in readout(plot)
        assert app.screen.page == 1  # left/right moved the cursor, not the page
        await pilot.press("d")
        assert not plot.show_derivative
        await pilot.press("up", "up", "up", "up")
        assert plot.function == "elu"


async def test_ethics_checklist_keys_save_as_they_go():
    app = app_on("lesson:ethics")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        checklist = app.screen.query_one(EthicsChecklist)
        assert checklist.items.has_focus
        await pilot.press("space", "down", "enter")
        assert checklist.note.has_focus
        await pilot.press(*"biopsy n p", "enter")  # n and p are typed, not page keys
        assert checklist.items.has_focus and app.screen.page == 2
        saved = load_checklist("general")
        assert saved.entry("false-positives").checked
        assert saved.entry("false-negatives").note == "biopsy n p"
        await pilot.press("enter", *" more", "escape")
        assert checklist.items.has_focus and isinstance(app.screen, LessonScreen)
        assert load_checklist("general").entry("false-negatives").note == "biopsy n p more"
        await pilot.press("o")
        assert checklist.project == "mammogram" and checklist.checklist.done == 0
        await pilot.press("space", "e")
        assert load_checklist("mammogram").entry("false-negatives").checked
        exported = checklist_path("mammogram").with_suffix(".md").read_text(encoding="utf-8")
        assert "- [x] **False negatives" in exported


async def test_a_corrupt_checklist_is_shown_and_left_alone():
    path = checklist_path("mammogram")
    path.parent.mkdir(parents=True)
    path.write_text("{oops", encoding="utf-8")
    app = app_on("ethics:mammogram")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EthicsScreen)
        checklist = app.screen.query_one(EthicsChecklist)
        assert str(path) in str(checklist.query_one("#ethics-status").render())
        assert checklist.note.disabled
        await pilot.press("space", "enter")
        assert not checklist.note.has_focus
    assert path.read_text(encoding="utf-8") == "{oops"


async def test_a_broken_lesson_is_listed_with_its_file_and_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    (tmp_path / "a.md").write_text("---\nid: a\ntitle: A\norder: 1\n---\nHello\n")
    (tmp_path / "b.md").write_text("---\nid: b\ntitle: B\norder: 2\nwidgets: [nope]\n---\nx\n")
    app = app_on()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        assert lessons.option_count == 3  # the course map, a, and b's problem
        assert f"{tmp_path / 'b.md'}:5: unknown widget 'nope'" in str(
            lessons.get_option_at_index(2).prompt
        )
        app.open_lesson("b")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("b.md:5" in n.message for n in app._notifications)


async def test_palette_lists_lessons_and_checklists():
    app = app_on()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert any(title.endswith(": Softmax and cross-entropy") for title in titles)
        assert "Course map" in titles
        assert "Ethics checklist: mammogram" in titles


async def test_unreadable_progress_is_a_warning_not_a_crash():
    from tui_dl.lessons.progress import progress_path

    progress_path().parent.mkdir(parents=True)
    progress_path().write_text("[", encoding="utf-8")
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
    data = json.loads(progress_path().read_text(encoding="utf-8"))
    assert data["softmax"]["seen"] == [0]


async def test_a_lesson_closed_before_its_after_refresh_call_does_not_kill_the_app():
    """A page turn asks for the widget's rows again after the next refresh; a stray escape
    can close the lesson first (a random-keys run killed the app so: NoMatches)."""
    app = make_app(source=FakeRunSource(), screen="lesson:softmax")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lesson = app.screen
        assert isinstance(lesson, LessonScreen)
        await pilot.press("n")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, LessonScreen)
        lesson._share_rows()  # what the late call does: nothing, and no exception
        lesson.on_resize()
    assert app.return_code in (None, 0)
