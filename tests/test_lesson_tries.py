"""'Try it' keys: the `try:` front matter, its checks (light in the lessons layer, the rest in
the UI layer's `check_target`), `tui-dl lessons` naming a bad entry by file and line, and the
lesson screen's `t` / `1`…`9` opening the lab, the Playground, the sweep or a screen — and
escape coming back."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.fakes import FakeRunSource, sample_runs, sample_sweep, settle
from tui_dl import cli
from tui_dl.lessons import LessonError, Target, load_lessons, read_lesson
from tui_dl.lessons.progress import load_visited
from tui_dl.lessons.tries import parse_target, parse_try
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.try_menu import TryMenu
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.screens.playground import PlaygroundScreen
from tui_dl.ui.screens.project import ProjectScreen
from tui_dl.ui.screens.sweep import SweepScreen
from tui_dl.ui.tries import check_target, sweep_spec
from tui_dl.ui.widgets.run.run_form import RunForm

SIZE = (80, 24)


def lesson_file(folder: Path, tries: str, name: str = "t.md") -> Path:
    path = folder / name
    path.write_text(
        f"---\nid: t\ntitle: T\norder: 1\ntry:\n{tries}---\nA page.\n", encoding="utf-8"
    )
    return path


def test_targets_read_as_written():
    lab = parse_target("lab mnist-mlp-dropout epochs=5 dropout=0.5")
    assert (lab.kind, lab.name, lab.params) == (
        "lab",
        "mnist-mlp-dropout",
        {"epochs": "5", "dropout": "0.5"},
    )
    assert lab.text == "lab mnist-mlp-dropout epochs=5 dropout=0.5"
    play = parse_target("playground dataset=circle&networkShape=3")
    assert (play.kind, play.state) == ("playground", "dataset=circle&networkShape=3")
    assert play.text == "playground dataset=circle&networkShape=3"
    sweep = parse_target("sweep learning_rates=0.1,0.01 batch_sizes=32")
    assert (sweep.name, sweep.params["learning_rates"]) == ("mnist-mlp", "0.1,0.01")
    assert parse_target("sweep tf-lowlevel steps=10").name == "tf-lowlevel"
    assert parse_target("screen ganlab") == Target("screen", "ganlab")
    assert parse_try("The GAN Lab => screen ganlab") == ("The GAN Lab", Target("screen", "ganlab"))
    with pytest.raises(ValueError, match="is not something to open"):
        parse_target("lesson softmax")  # the course map's word, not a try entry's


def test_the_shipped_lessons_have_try_entries_that_pass_every_check():
    lessons, _ = load_lessons(check=check_target)
    by_id = {lesson.id: lesson for lesson in lessons}
    for lesson_id in ("gradient-descent", "softmax", "activation-functions", "ethics"):
        assert by_id[lesson_id].tries, lesson_id
    kinds = {t.target.kind for lesson in lessons for t in lesson.tries}
    assert {"lab", "playground", "sweep", "screen"} <= kinds
    first = by_id["gradient-descent"].tries[0]
    assert first.target.kind == "sweep" and first.line == read_lesson(first_path()).tries[0].line


def first_path() -> Path:
    return next(p for p in (Path(__file__).parents[1] / "lessons").glob("01-*.md"))


@pytest.mark.parametrize(
    ("tries", "line", "words"),
    [
        ("  - no arrow here\n", 6, "a try entry is written 'LABEL => TARGET'"),
        ("  -  => screen ganlab\n", 6, "needs a label"),
        ("  - Label =>\n", 6, "nothing after =>"),
        ("  - Label => notebook x\n", 6, "'notebook' is not something to open"),
        ("  - Label => lab\n", 6, "lab takes an experiment's name first"),
        ("  - Label => lab epochs=3\n", 6, "lab takes an experiment's name first"),
        ("  - Label => lab nope\n", 6, "unknown experiment 'nope'"),
        ("  - Label => lab mnist-mlp epochs 3\n", 6, "settings are written name=value"),
        ("  - Label => lab mnist-mlp epochs=3 epochs=4\n", 6, "epochs is given twice"),
        ("  - Label => lab mnist-mlp speed=3\n", 6, "mnist-mlp has no setting speed"),
        ("  - Label => lab mnist-mlp epochs=zero\n", 6, "Epochs: 'zero' is not a whole number"),
        ("  - Label => lab mnist-mlp epochs=0\n", 6, "Epochs"),
        ("  - Label => screen\n", 6, "screen takes one name"),
        ("  - Label => screen a b\n", 6, "screen takes one name"),
        ("  - Label => playground a=1 b=2\n", 6, "holds no spaces"),
        ("  - Label => sweep nope\n", 6, "unknown experiment 'nope'"),
        ("".join(f"  - L{i} => screen ganlab\n" for i in range(10)), 5, "at most 9 try entries"),
    ],
)
def test_a_malformed_try_entry_names_its_file_and_line(tmp_path, tries, line, words):
    path = lesson_file(tmp_path, tries)
    with pytest.raises(LessonError) as caught:
        read_lesson(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message, message


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("try: [a, b]\n", 5, "try entries go one per line under 'try:'"),
        ("widgets: []\n  - x => screen ganlab\n", 6, "a '- ' item belongs under a list key"),
        ("  title: X\n", 5, "expected 'key: value'"),
    ],
)
def test_a_misplaced_list_item_names_its_line(tmp_path, front, line, words):
    path = tmp_path / "t.md"
    path.write_text(f"---\nid: t\ntitle: T\norder: 1\n{front}---\nA page.\n", encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        read_lesson(path)
    assert str(caught.value).startswith(f"{path}:{line}:") and words in str(caught.value)


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("playground dataset=moon", "dataset=moon: one of circle"),
        ("playground bogus=1", "unknown key 'bogus'"),
        ("screen nope", "unknown screen 'nope'"),
        ("screen project:nope", "unknown project 'nope'"),
        ("screen lesson:nope", "no lesson 'nope'"),
        ("screen home", "home is where escape goes"),
        ("lab mammogram epochs=3", "opens on a screen of its own"),
        ("sweep votes-kfold", None),
        ("sweep mnist-mlp learning_rates=0.1,fast", "Learning rate list"),
        ("sweep mnist-mlp batch_sizes=0", "Batch size list"),
        ("sweep mnist-mlp dropout=0.5", None),
        ("sweep mnist-mlp dropout=0,0.5 optimizer=sgd,adam seeds=2", None),
        ("sweep mnist-mlp colour=1,2", "mnist-mlp has no setting 'colour' to sweep"),
        ("sweep mnist-mlp dropout=0,1.5", "Dropout list: must be at most 0.95 (got 1.5)"),
        ("sweep mnist-mlp seeds=0", "seeds 0: each cell needs at least one run"),
        ("sweep mnist-mlp seed=1,2", "seed is not an axis"),
        ("sweep mnist-mlp dropout=0,1 optimizer=sgd,adam hidden_units=8,16", "at most 2 axes"),
        ("sweep mnist-mlp learning_rates=0.1 learning_rate=0.2", "learning_rate is given twice"),
        ("sweep mnist-mlp learning_rates=1,2,3,4,5,6 batch_sizes=1,2,3,4,5", "at most 25"),
        ("sweep mnist-mlp epochs=0", "Epochs"),
        ("sweep mnist-cnn epochs=2", None),
        ("screen ganlab", None),
        ("screen ethics:mammogram", None),
        ("playground dataset=spiral&networkShape=6,4,2&activation=relu", None),
        ("lab mammogram", None),
    ],
)
def test_the_ui_layer_checks_what_the_lessons_layer_cannot(target, words):
    parsed = parse_target(target)
    if words is None:
        check_target(parsed)
        return
    with pytest.raises(ValueError) as caught:
        check_target(parsed)
    assert words in str(caught.value)


def test_a_sweep_target_becomes_the_sweep_screens_spec():
    spec = sweep_spec(parse_target("sweep learning_rates=0.1,0.01 batch_sizes=32,256 epochs=2"))
    assert spec == {
        "experiment": "mnist-mlp",
        "axes": [
            {"name": "learning_rate", "values": [0.1, 0.01]},
            {"name": "batch_size", "values": [32, 256]},
        ],
        "seeds": 1,
        "params": {"epochs": 2},
    }
    assert sweep_spec(parse_target("sweep tf-lowlevel"))["params"] == {"steps": 3000}
    old = sweep_spec(parse_target("sweep batch_sizes=64,128"))  # the rates at their default
    assert [a["name"] for a in old["axes"]] == ["learning_rate", "batch_size"]
    axes = sweep_spec(parse_target("sweep mnist-mlp optimizer=sgd,adam seeds=3 epochs=1,2"))
    assert axes["axes"] == [
        {"name": "optimizer", "values": ["sgd", "adam"]},
        {"name": "epochs", "values": [1, 2]},  # a list: the run length is an axis
    ]
    assert axes["seeds"] == 3


def test_tui_dl_lessons_names_a_bad_try_entry(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    lesson_file(tmp_path, "  - Fine => screen ganlab\n  - Bad => playground dataset=moon\n")
    assert cli.main(["lessons"]) == 1
    assert f"{tmp_path / 't.md'}:7: try: dataset=moon: one of" in capsys.readouterr().err


# ----- the keys ------------------------------------------------------------------------------
def app_on(screen: str, source: FakeRunSource | None = None):
    return make_app(source=source or FakeRunSource(), screen=screen)


async def test_t_opens_the_lab_with_the_lessons_settings_and_escape_comes_back():
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lesson = app.screen
        assert "t or 1–2 try it" in str(lesson.query_one("#lesson-pager").render())
        await pilot.press("t")  # two entries: a menu
        await settle(pilot)
        assert isinstance(app.screen, TryMenu)
        await pilot.press("enter")
        await settle(pilot)
        lab = app.screen
        assert isinstance(lab, LabScreen) and lab.experiment.name == "mnist-mlp"
        assert lab.query_one(RunForm).field("epochs").value == "3"
        assert any("epochs 3" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is lesson and lesson.page == 0
        await pilot.press("2")  # straight to the second entry
        await settle(pilot)
        assert isinstance(app.screen, LabScreen) and app.screen.experiment.name == "tf-lowlevel"
        assert app.screen.query_one(RunForm).field("steps").value == "1000"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t", "escape")  # the menu closes with escape too
        await settle(pilot)
        assert app.screen is lesson


async def test_keys_the_widget_uses_stay_the_widgets():
    app = app_on("lesson:softmax")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        lesson = app.screen
        bars = lesson.query_one("SoftmaxBars")
        assert bars.has_focus
        assert "tab, t or 1–2 try it" not in str(lesson.query_one("#lesson-pager").render())
        assert "· 1–2 try it" in str(lesson.query_one("#lesson-pager").render())
        temperature = bars.temperature
        await pilot.press("t")  # the softmax's own t: cooler
        assert bars.temperature == temperature - 1 and app.screen is lesson
        await pilot.press("tab", "t")
        await settle(pilot)
        assert isinstance(app.screen, TryMenu)


async def test_try_opens_the_playground_on_the_lessons_state():
    app = app_on("lesson:activation-functions")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lesson = app.screen
        await pilot.press("2")
        await settle(pilot)
        playground = app.screen
        assert isinstance(playground, PlaygroundScreen)
        assert playground.state.dataset == "spiral" and playground.state.activation == "tanh"
        assert playground.state.networkShape == [6, 4, 2]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is lesson
    assert load_visited()[0] == {"playground"}  # the Playground opened, whatever its state


async def test_try_opens_the_sweep_with_the_lessons_grid_even_after_a_past_sweep():
    sweep, cells = sample_sweep(cells_done=6)
    source = FakeRunSource([*sample_runs(), *cells], sweeps=[sweep])
    app = app_on("lesson:gradient-descent", source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lesson = app.screen
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SweepScreen) and screen.state is None  # a new sweep
        assert screen.query_one("#sweep-axis-1", Select).value == "learning_rate"
        assert screen.query_one("#sweep-values-1", Input).value == "0.1, 0.01, 0.001"
        assert screen.query_one("#sweep-axis-2", Select).value == "batch_size"
        assert screen.query_one("#sweep-values-2", Input).value == "32, 256"
        assert screen.query_one("#sweep-length", Input).value == "3"
        assert screen.query_one("#sweep-experiment", Select).value == "mnist-mlp"
        assert not screen.query_one("#sweep-values-1", Input).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is lesson


async def test_try_opens_a_screen_by_name():
    app = app_on("lesson:ethics")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lesson = app.screen
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is lesson


async def test_a_target_that_cannot_open_is_a_notice(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_LESSONS", str(tmp_path))
    lesson_file(tmp_path, "  - Gone => screen nope\n")  # passes the light check only
    app = app_on("lesson:t")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lesson = app.screen
        assert isinstance(lesson, LessonScreen)
        assert "t try: Gone" in str(lesson.query_one("#lesson-pager").render())
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is lesson
        assert any("unknown screen 'nope'" in n.message for n in app._notifications)
