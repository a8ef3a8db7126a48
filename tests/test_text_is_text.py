"""Text is text: every string from a file, an argument, a CSV, a board or a seat reaches the
screen as text, never as markup; every value written into generated code is a literal.

Issue 22, cases 4, 8 and 9: `[/]` (Rich's closing tag with nothing to close: read as markup, a
MarkupError) given to every argument of every command; a board label `[/]` on a seat; CSV
cells `[b]post 1[/b]` and `[/b]` picked in the Playground, the GAN Lab and the mammogram
project; a newline in a Playground state's CSV path, exported as a Keras script.
"""

from __future__ import annotations

import argparse
import ast
import functools
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from rich.console import Console
from textual.widgets import Input, TabbedContent

from tests.conftest import SHARED_DATA
from tests.fakes import FakeRunSource, settle
from tui_dl.cli import main
from tui_dl.cli.parser import build_parser
from tui_dl.ui.app import make_app

TYPED = "[/][b]zq7[/b]"
"""What every argument is given: `[/]` ends a markup reader, and where the tagged word is
said the whole value must be, as typed."""
CELLS = ("[b]post 1[/b]", "[/b]")
"""A CSV cell that markup would show in bold without its tags, and one that it cannot read."""


# ----- every argument of every command ----------------------------------------------------------
class Started(Exception):
    """What a stubbed launch raises: the command took its arguments and would start."""


def parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the grammar with the words that reach it (`run mnist-mlp`, …)."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*path, name))


FILLERS = {"lr": "0.1", "batch_sizes": "32", "name": "mnist", "project": "general"}
"""A good value for an argument that must be there while another is under test (else `x`)."""


def takes_a_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(
        action, argparse._SubParsersAction | argparse._HelpAction | argparse._VersionAction
    )


def argument_cases() -> list[tuple[str, list[str]]]:
    """(the argument, argv giving it TYPED): every value-taking argument of every command
    that runs (a new one is covered without a word here)."""
    found = []
    for path, parser in parsers(build_parser()):
        if any(isinstance(a, argparse._SubParsersAction) and a.required for a in parser._actions):
            continue  # `run`, `data`, …: their commands are parsers of their own
        takes = [a for a in parser._actions if takes_a_value(a)]
        for action in takes:
            argv = list(path)
            for other in takes:
                if other is not action and other.required:
                    value = FILLERS.get(other.dest, "x")
                    argv += [*other.option_strings[:1], value]
            argv += [*action.option_strings[:1], TYPED]
            name = action.option_strings[0] if action.option_strings else action.dest
            found.append((" ".join((*path, name)), argv))
    return found


ARGUMENTS = argument_cases()


@functools.cache
def spawners() -> tuple:
    """Every module that holds a name for the child spawner (`from … import spawn_child`
    binds its own): found in the source, so a new one is stubbed without a word here."""
    import importlib

    import tui_dl
    import tui_dl.engine.jobs.launch as launch

    root = Path(tui_dl.__file__).parent
    holders = [launch]
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        if "import" in text and "spawn_child" in text and path != Path(launch.__file__):
            parts = path.relative_to(root.parent).with_suffix("").parts
            module = importlib.import_module(".".join(parts))
            if getattr(module, "spawn_child", None) is launch.spawn_child:
                holders.append(module)
    assert len(holders) >= 2, holders  # runs, jobs and the rate finder (through launch), sweeps
    return tuple(holders)


@pytest.fixture
def nothing_starts(monkeypatch, tmp_path):
    """No run, sweep, app or server starts: each raises Started instead."""
    from tui_dl.ui.app import TuiDlApp
    from tui_dl.ui.serve.server import WorkshopServer

    def started(*_args, **_kwargs):
        raise Started

    for holder in spawners():
        monkeypatch.setattr(holder, "spawn_child", started)
    monkeypatch.setattr(TuiDlApp, "run", started)
    monkeypatch.setattr(WorkshopServer, "serve", started)
    monkeypatch.chdir(tmp_path)  # a relative folder named by an argument is made here
    monkeypatch.setattr(os, "environ", dict(os.environ))  # a command's --workshop stays in it
    umask = os.umask(0o022)
    os.umask(umask)
    yield
    os.umask(umask)  # a workshop command sets the group's


def test_every_command_has_arguments_under_test():
    commands = {argument.split()[0] for argument, _ in ARGUMENTS if not argument.startswith("-")}
    assert {"run", "sweep", "project", "queue", "class", "serve", "ganlab"} <= commands
    assert len(ARGUMENTS) > 100


@pytest.mark.parametrize(("argument", "argv"), ARGUMENTS, ids=[a for a, _ in ARGUMENTS])
def test_every_argument_given_markup_is_refused_or_taken_as_typed(
    argument, argv, nothing_starts, capsys
):
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse's refusal, said in its own words
        code = exit.code
    except Started:
        code = 0
    said = "".join(capsys.readouterr()).replace("\n", "")  # a long path wraps at 80 columns
    assert "Traceback" not in said
    assert isinstance(code, int | None), code
    assert "zq7" not in said or TYPED in said, said  # where it is said, it is said as typed


def test_the_no_gpu_message_keeps_its_pip_extra(monkeypatch, capsys):
    """`pip install 'tui-dl[gpu]'` in a failed run's message, as `tui-dl run` prints it."""
    import tui_dl.engine.jobs.launch as launch
    from tui_dl.engine.events import Event, append_event
    from tui_dl.engine.jobs.launch import RunHandle

    message = "GPU was requested, but TensorFlow sees no GPU. Install the GPU extra " + (
        "(pip install 'tui-dl[gpu]'), check `nvidia-smi`, or run on the CPU."
    )

    def fails_at_once(_module, _args, folder, _env):
        append_event(folder, Event.FAILED, error_type="NoGPU", message=message, traceback="")
        process = subprocess.Popen([sys.executable, "-c", ""])
        process.wait()
        reaper = threading.Thread(target=lambda: None)
        reaper.start()
        return RunHandle(folder, process, reaper)

    monkeypatch.setattr(launch, "spawn_child", fails_at_once)
    assert main(["run", "mnist-mlp", "--device", "gpu"]) == 1
    said = capsys.readouterr().err
    assert "pip install 'tui-dl[gpu]'" in said, said


# ----- a board label on every seat ------------------------------------------------------------
def toasts(app) -> list[str]:
    """The notifications as the screen draws them (drawing markup that cannot be read raises)."""
    from textual.widgets._toast import Toast

    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_a_board_label_of_markup_is_shown_as_typed_and_the_seat_lives():
    """What a seat does every 3 s in a workshop (here a user's own board: the same notice)."""
    from tui_dl.engine.workshop.board import push_code
    from tui_dl.lessons.share.codes import encode, parse_shared

    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        time.sleep(0.01)
        push_code(encode(parse_shared("screen ganlab")), label="[/]")
        app.check_board()
        await settle(pilot, 0.2)
        assert app.is_running
        assert any("[/]: the ganlab screen" in shown for shown in toasts(app)), toasts(app)


# ----- CSV cells picked with ctrl+o ---------------------------------------------------------
def points_csv(folder: Path, cell: str, column: int) -> Path:
    """A CSV of x1,x2,label points (the Playground's and, without labels, the GAN Lab's) whose
    last row holds `cell` in `column`."""
    rows = [[str(i % 7), str(i % 5), "a" if i % 2 else "b"] for i in range(40)]
    rows[-1][column] = cell
    path = folder / "cells.csv"
    path.write_text("x1,x2,label\n" + "".join(",".join(row) + "\n" for row in rows))
    return path


async def pick(pilot, path: Path) -> None:
    """ctrl+o, and the file picker answers `path`."""
    from tui_dl.ui.dialogs.file_picker import FilePicker

    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilePicker)
    pilot.app.screen.dismiss(path)
    await settle(pilot, 0.2)


@pytest.mark.parametrize("cell", CELLS)
async def test_a_playground_csv_cell_of_markup_is_said_as_typed(tmp_path, cell):
    app = make_app(source=FakeRunSource(), screen="playground")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pick(pilot, points_csv(tmp_path, cell, 0))  # a point's x1: refused, said
        assert app.is_running
        assert any(f"got '{cell}'" in shown for shown in toasts(app)), toasts(app)
        await pick(pilot, points_csv(tmp_path, cell, 2))  # a label: a class of its own
        assert app.is_running and app.screen.state.csv.endswith("cells.csv")


async def test_a_playground_csv_whose_path_is_markup_titles_the_map_as_typed(tmp_path):
    folder = tmp_path / "[b]mine\nline"  # a title is one line: the newline as its escape
    folder.mkdir()
    app = make_app(source=FakeRunSource(), screen="playground")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pick(pilot, points_csv(folder, "a", 2))
        assert app.is_running
        title = app.screen.query_one("#pg-middle")._border_title
        assert "[b]mine\\nline/cells.csv" in title.plain


@pytest.mark.parametrize("cell", CELLS)
async def test_a_ganlab_csv_cell_of_markup_is_said_as_typed(tmp_path, cell):
    path = tmp_path / "[b]xy.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i * i % 7}\n" for i in range(30)))
    app = make_app(source=FakeRunSource(), screen="ganlab")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pick(pilot, path)
        assert "[b]xy.csv" in app.screen.query_one("#gl-middle")._border_title.plain
        path.write_text(path.read_text() + f"{cell},3\n")
        await pick(pilot, path)
        assert app.is_running
        assert any(f"got '{cell}'" in shown for shown in toasts(app)), toasts(app)


UCI = Path(SHARED_DATA or "/nonexistent") / "uci" / "mammographic_masses.data"


def shown(app, selector: str) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector).content)
    return console.export_text()


@pytest.mark.skipif(not UCI.exists(), reason="TUI_DL_DATA does not hold the UCI file")
@pytest.mark.parametrize("cell", CELLS)
async def test_a_mammogram_csv_cell_of_markup_is_said_as_typed(tmp_path, cell):
    path = tmp_path / "masses.csv"
    path.write_text("5,67,3,5,3,1\n" * 20 + f"{cell},67,3,5,3,1\n" + "4,43,1,1,?,0\n" * 20)
    app = make_app(source=FakeRunSource(), screen="project:mammogram", data_dir=SHARED_DATA)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, 0.3)
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.dismiss(path)
        await settle(pilot, 0.3)
        assert app.is_running
        assert f"'{cell}' is not a number" in shown(app, "#project-data")
        assert any(f"'{cell}' is not a number" in s for s in toasts(app)), toasts(app)
        app.screen.query_one(TabbedContent).active = "step-model"
        app.screen.query_one("#field-csv", Input).value = str(path)
        await pilot.press("ctrl+r")
        await settle(pilot, 0.3)
        assert f"'{cell}' is not a number" in shown(app, "#project-error")


@pytest.mark.parametrize("cell", CELLS)
def test_a_csv_cell_of_markup_is_said_as_typed_on_the_command_line(tmp_path, cell, capsys):
    masses = tmp_path / "masses.csv"
    masses.write_text("5,67,3,5,3,1\n" * 20 + f"{cell},67,3,5,3,1\n" + "4,43,1,1,?,0\n" * 20)
    assert main(["project", "mammogram", "--csv", str(masses)]) == 2
    assert f"'{cell}' is not a number" in capsys.readouterr().err
    points = tmp_path / "xy.csv"
    points.write_text("x,y\n" + "".join(f"{i},{i * i % 7}\n" for i in range(30)) + f"{cell},3\n")
    assert main(["ganlab", "--dataset", str(points), "--iterations", "1"]) == 2
    assert f"got '{cell}'" in capsys.readouterr().err


# ----- generated code -------------------------------------------------------------------------
@pytest.mark.parametrize("given", ["state", "share code"])
def test_a_newline_in_a_csv_path_stays_in_the_exported_scripts_comment_and_literal(tmp_path, given):
    from tui_dl.engine.playground.export import keras_script
    from tui_dl.engine.playground.session import Playground
    from tui_dl.engine.playground.state import parse_state
    from tui_dl.lessons.share.codes import decode, encode, parse_shared

    injected = "import os; os.system('touch PWNED')"
    path = points_csv(tmp_path, "a", 2).rename(tmp_path / f"a\n{injected}\n.csv")
    state = "csv=" + quote(str(path))  # %0A, as a URL has it
    if given == "share code":
        state = decode(encode(parse_shared(f"playground {state}"))).target.state
    playground = Playground(parse_state(state))
    assert playground.state.csv == str(path)
    script = keras_script(playground)
    tree = ast.parse(script)
    assert not [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import) and any(alias.name == "os" for alias in node.names)
    ]
    assert not any(line.startswith("import os") for line in script.splitlines())
    comment = next(line for line in script.splitlines() if "csv=" in line)
    assert comment.startswith("# ") and injected in comment and "\\n" in comment
    constants = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert str(path) in ast.literal_eval(constants["STATE"])  # the path whole, as a string


# ----- every table ----------------------------------------------------------------------------
async def test_a_table_shows_its_cells_and_labels_as_typed():
    """Every table of the app is a TextTable: a run id, a seat's name or a folder as typed."""
    from textual.app import App

    from tui_dl.ui.render.plain import TextTable

    class Host(App[None]):
        def compose(self):
            yield TextTable()

    app = Host()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(TextTable)
        table.add_columns("who", CELLS[0])
        row = table.add_row("[/]", CELLS[1], label="[/x]")
        column = table.ordered_columns[1].key
        await pilot.pause()
        assert app.is_running
        assert [str(cell) for cell in table.get_row(row)] == ["[/]", CELLS[1]]
        table.update_cell(row, column, "[b]after[/b]")
        await pilot.pause()
        drawn = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        assert CELLS[0] in drawn and "[b]after[/b]" in drawn and "[/x]" in drawn


async def test_a_tables_columns_take_a_new_rows_width_before_the_table_is_idle():
    """A frame drawn between the rows' arrival and DataTable's own measuring (when it is
    idle) cut each cell to its column's label: a run id showed as "202", and a screen
    covered by a dialog in that moment kept it (a snapshot under the export dialog)."""
    from textual.app import App

    from tui_dl.ui.render.plain import TextTable

    class Host(App[None]):
        def compose(self):
            yield TextTable()

    app = Host()
    async with app.run_test(size=(80, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(TextTable)
        table.add_columns("run", "status")
        run_id = "20261122-120000-my-images-abcd"
        table.add_row(run_id, "finished")
        # No pause: what the next frame would draw.
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        assert widths == [len(run_id) + 2, len("finished") + 2]
        await pilot.pause()  # DataTable's own measure agrees
        assert [column.get_render_width(table) for column in table.ordered_columns] == widths


async def test_textuals_own_notices_read_as_words(tmp_path):
    """Notifications are text, so Textual's own two (written in markup) are said in words."""
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot, 0.2)
        app.deliver_screenshot(path=str(tmp_path))
        await settle(pilot, 0.5)
        said = toasts(app)
        assert len(said) == 2 and not any("[" in s for s in said), said
        assert "to quit the app" in said[0] and f"Saved screenshot to {tmp_path}" in said[1]


async def test_a_gpu_whose_name_holds_markup_is_offered_as_named():
    from textual.widgets import Select

    from tui_dl.engine.devices import Gpu

    source = FakeRunSource(gpus=[Gpu(0, "[/]NVIDIA [b]H100", 81559)])
    app = make_app(source=source, screen="lab")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        select = app.screen.query_one("#field-device", Select)
        assert select.value == "gpu:0"
        shown = select.query_one("SelectCurrent #label").render()
        assert "[/]NVIDIA [b]H100" in str(shown)  # as nvidia-smi named it
