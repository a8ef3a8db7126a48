"""Share codes: every setup survives the round trip, mistyped codes are caught, garbage and
unknown names are said plainly; ctrl+s shows a screen's code, a typed code opens it, and the
instructor's code reaches every seat."""

from __future__ import annotations

import random
import time

import pytest

from tests.fakes import FakeRunSource, sample_runs, settle
from tui_dl.cli import main
from tui_dl.engine.experiments import EXPERIMENTS, ChoiceParam, FloatParam, IntParam
from tui_dl.engine.workshop.board import push_code, pushed
from tui_dl.engine.workshop.folder import open_workshop
from tui_dl.lessons import load_lessons
from tui_dl.lessons.share.codes import ALPHABET, Shared, decode, describe, encode, parse_shared
from tui_dl.lessons.tries import Target
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.share_code import OpenCode, ShareCode


def random_lab(name: str, rng: random.Random) -> Target:
    """A lab target with a few of the experiment's settings at random valid values."""
    settings = []
    for param in EXPERIMENTS[name].params:
        if rng.random() < 0.5:
            continue
        if isinstance(param, IntParam):
            top = param.maximum if param.maximum is not None else param.minimum + 1000
            value = str(rng.randint(param.minimum, min(top, param.minimum + 1000)))
        elif isinstance(param, FloatParam):
            value = f"{rng.uniform(param.minimum or 0.0, param.maximum or 1.0):.4g}"
        elif isinstance(param, ChoiceParam):
            value = rng.choice(list(param.choices))
        else:
            continue
        settings.append((param.name, value))
    return Target("lab", name, tuple(settings))


def test_every_setup_comes_back_from_its_code():
    rng = random.Random(7)
    shared = [Shared(random_lab(name, rng)) for name in EXPERIMENTS for _ in range(5)]
    lessons, _ = load_lessons()
    shared += [Shared(Target("lesson", lesson.id), page) for lesson in lessons for page in (0, 2)]
    shared += [
        Shared(Target("playground", state="activation=relu&dataset=spiral&networkShape=8,8,4")),
        Shared(Target("sweep", "mnist-mlp", (("learning_rates", "0.1,0.01"),
                                              ("batch_sizes", "32,256"), ("epochs", "2")))),
        Shared(Target("sweep", "mnist-mlp", (("dropout", "0.0,0.5"), ("optimizer", "sgd,adam"),
                                              ("seeds", "3"), ("epochs", "2")))),
        Shared(Target("screen", "ganlab")),
    ]  # fmt: skip
    for item in shared:
        try:
            parse_shared(item.text)
        except ValueError:
            continue  # a random value out of a setting's range: not a setup to share
        code = encode(item)
        assert decode(code) == item, (code, item.text)
        sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        assert decode(sloppy) == item
    assert len(encode(parse_shared("lab mnist-mlp epochs=3"))) <= 24
    assert len(encode(parse_shared("screen ganlab"))) <= 20


def test_a_mistyped_character_is_caught():
    codes = [
        encode(parse_shared(text))
        for text in ("lab mnist-mlp epochs=3", "lesson softmax page=2", "screen class")
    ]
    caught = total = 0
    for code in codes:
        for i, ch in enumerate(code):
            if ch not in ALPHABET or i < 4:
                continue
            for other in ALPHABET:
                if other == ch:
                    continue
                total += 1
                try:
                    decode(code[:i] + other + code[i + 1 :])
                except ValueError:
                    caught += 1
    assert caught / total > 0.99, (caught, total)
    with pytest.raises(ValueError, match="mistyped"):
        decode(codes[0][:-1])  # one missing


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("hello", "'hello' is not a share code: a code starts with TD1-"),
        ("", "is not a share code"),
        ("TD2-AAAA-BBBB", "of version 2, from another tui-dl"),
        ("TD1-UUUU", "'U' cannot be part of a share code"),
        ("TD1-" + "7" * 500, "too long to be a share code"),
        ("TD1-\x1b[31m", "cannot be part of a share code"),
    ],
)
def test_garbage_is_said_plainly(text, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace("'", "'")):
        decode(text)


def test_a_code_naming_what_this_tui_dl_lacks_says_so(capsys):
    unknown = encode(Shared(Target("lab", "mnist-xyz")))
    with pytest.raises(ValueError, match="unknown experiment 'mnist-xyz'"):
        decode(unknown)
    assert main(["open", unknown]) == 2
    assert "unknown experiment 'mnist-xyz'" in capsys.readouterr().err
    bad_setting = encode(Shared(Target("lab", "mnist-mlp", (("epochs", "0"),))))
    assert main(["open", bad_setting]) == 2
    assert "Epochs" in capsys.readouterr().err
    nowhere = encode(Shared(Target("screen", "nowhere")))
    assert main(["open", nowhere, "--print"]) == 2
    assert "unknown screen 'nowhere'" in capsys.readouterr().err
    too_far = encode(Shared(Target("lesson", "softmax"), 40))
    assert main(["open", too_far]) == 2
    assert "has 4 pages, not 41" in capsys.readouterr().err
    assert main(["open", "garbage"]) == 2
    good = encode(parse_shared("lab mnist-mlp epochs=3"))
    assert main(["open", good, "--print"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"{good} opens the lab on mnist-mlp with epochs=3: lab mnist-mlp epochs=3"
    )


async def test_ctrl_s_shows_the_labs_code_and_a_typed_code_opens_it():
    app = make_app(source=FakeRunSource(sample_runs()), screen="lab")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("RunForm").fill({"epochs": 3, "learning_rate": 0.01})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShareCode)
        code = app.screen.code
        assert decode(code).text == "lab mnist-mlp epochs=3 learning_rate=0.01"
        await pilot.press("escape")
        await settle(pilot)
        app.switch_to_home()
        await settle(pilot)
        app.action_open_code()
        await settle(pilot)
        assert isinstance(app.screen, OpenCode)
        await pilot.press(*"xyz")
        await settle(pilot)
        problem = str(app.screen.query_one("#open-problem").render())
        assert "is not a share code" in problem
        app.screen.query_one("#open-input").value = code.lower()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "LabScreen"
        params, _ = app.screen.query_one("RunForm").read(quiet=True)
        assert params["epochs"] == 3 and params["learning_rate"] == 0.01


async def test_a_lesson_code_opens_its_page_and_home_shares_what_enter_would_open():
    code = encode(Shared(Target("lesson", "softmax"), 2))
    app = make_app(source=FakeRunSource(sample_runs()), share=decode(code))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "LessonScreen" and app.screen.page == 2
        assert any(n.message == "Opened the lesson softmax, page 3." for n in app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShareCode)
        assert decode(app.screen.code) == Shared(Target("lesson", "softmax"), 2)
        await pilot.press("escape")
        app.switch_to_home()
        await settle(pilot)
        home = app.screen
        shared = []
        for panel, moves in (("#experiments", 1), ("#lessons", 2), ("#recent-runs", 0)):
            home.query_one(panel).focus()
            await pilot.press(*["down"] * moves, "ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ShareCode), panel
            shared.append(decode(app.screen.code).text)
            await pilot.press("escape")
            await settle(pilot)
        experiment = list(EXPERIMENTS)[1]
        lessons, _ = load_lessons()
        newest = sample_runs()[0]
        assert shared[0] in (f"lab {experiment}", f"screen {experiment}")
        assert shared[1] == f"lesson {lessons[1].id}"  # the course map is the first row
        assert shared[2].startswith(f"lab {newest.experiment}")
        assert not any("Nothing to share" in n.message for n in app._notifications)


async def test_the_instructors_code_reaches_a_seat(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    open_workshop(tmp_path / "ws")  # this user made it: the instructor
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        code = encode(parse_shared("screen ganlab"))
        time.sleep(0.01)
        push_code(code, label="Next up")
        app.check_board()
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert any("Next up: the ganlab screen. ctrl+b opens it." in m for m in notes), notes
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, OpenCode)
        assert app.screen.query_one("#open-input").value == code


async def test_the_class_view_puts_a_code_on_every_seat(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    open_workshop(tmp_path / "ws")
    app = make_app(source=FakeRunSource([]), screen="class")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, OpenCode)
        code = encode(parse_shared("lab mnist-cnn epochs=2"))
        app.screen.query_one("#open-input").value = code
        await pilot.press("enter")
        await settle(pilot)
    board = pushed()
    assert board is not None and board.code == code
    assert describe(decode(board.code)) == "the lab on mnist-cnn with epochs=2"


BOARDS = [
    '{"code": ["TD1"], "label": "x", "at": 1}',
    '{"code": "TD1-ABCD", "label": ["[/]"], "at": 1}',
    '{"code": "TD1-ABCD", "label": "[/]", "at": NaN}',
    '{"code": "TD1-ABCD", "label": "[b]x", "at": 1e999}',
    '{"code": "TD1-ABCD", "label": "x", "at": true}',
    '{"code": "", "label": "x", "at": 1}',
    '{"code": "TD1-ABCD", "label": "\\u001b[31mred\\nline", "at": 1}',
    "[1, 2, 3]",
    "null",
    "{",
]


@pytest.mark.parametrize("text", BOARDS)
async def test_a_crafted_board_is_shown_as_text_or_not_at_all(tmp_path, monkeypatch, text):
    """board.json with the wrong types, NaN, huge numbers, markup or escape codes: a seat
    never crashes, and what it shows of a label is one line of printable text."""
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    open_workshop(tmp_path / "ws")
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        time.sleep(0.01)
        (tmp_path / "ws" / "board.json").write_text(text)
        board = pushed()
        if board is not None:
            assert board.label.isprintable() and isinstance(board.at, float)
        app.check_board()
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert app.is_running
