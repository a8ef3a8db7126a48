"""Home's lists from a plain start's helper process (`tui_dl.ui.home_listing`): what it writes
is what home works out itself, home shows it without reading the lessons again, and a helper
that fails, writes what is not a listing, or is slow costs only the time home then takes to
read for itself."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.fakes import FakeRunSource, settle
from tui_dl.lessons import Answer, load_lessons, mark_seen, record_answer
from tui_dl.ui import home_listing
from tui_dl.ui.app import make_app

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_helper_left():
    yield
    helper, home_listing._helper = home_listing._helper, None
    if helper is not None:
        helper.kill()
        helper.communicate()


def some_progress() -> None:
    """Two pages of the first lesson read and one of its questions answered right."""
    lesson = load_lessons()[0][0]
    mark_seen(lesson.id, 0)
    mark_seen(lesson.id, 1)
    key = lesson.question_keys[0]
    record_answer(lesson.id, key, Answer(choice="x", right=True))


def fake_helper(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)


def test_the_helpers_listing_is_the_one_home_works_out_itself():
    some_progress()
    home_listing.start()
    assert home_listing._helper is not None
    listing = home_listing.take()
    assert listing is not None and listing == home_listing.compute()
    first = listing["lessons"][0]
    assert (first["short"], first["label"]) == ("2/5 · 1/5 right", "2/5 pages · 1/5 right")
    assert len(listing["experiments"]) > 10 and listing["trouble"] is None
    assert home_listing.take() is None  # once


async def test_home_shows_the_helpers_listing_without_reading_the_lessons_itself(monkeypatch):
    some_progress()
    home_listing.start()

    def read_here():
        raise AssertionError("home read the lessons in its own process")

    monkeypatch.setattr(home_listing, "compute", read_here)
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        experiments = app.screen.query_one("#experiments", OptionList)
        rows = [str(lessons.get_option_at_index(i).prompt) for i in range(lessons.option_count)]
        assert rows[0].startswith("Course map") and len(rows) == len(load_lessons()[0]) + 1
        assert rows[1].startswith("1. Gradient descent") and rows[1].endswith("2/5 · 1/5 right")
        assert experiments.option_count > 10


HELPERS_THAT_FAIL = {
    "exits with an error": "import sys; print('{}'); sys.exit(1)",
    "writes what is not JSON": "print('Traceback (most recent call last):')",
    "writes JSON that is not a listing": "print('{\"lessons\": 3}')",
    "writes a row of the wrong kind": (
        "import json; print(json.dumps({'lessons': [{'id': 1}], 'problems': [],"
        " 'trouble': None, 'experiments': []}))"
    ),
}


@pytest.mark.parametrize("what", HELPERS_THAT_FAIL)
async def test_a_helper_that_fails_is_passed_over_and_home_reads_for_itself(what):
    home_listing._helper = fake_helper(HELPERS_THAT_FAIL[what])
    assert home_listing.take() is None
    home_listing._helper = fake_helper(HELPERS_THAT_FAIL[what])
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        assert lessons.option_count == len(load_lessons()[0]) + 1


def test_a_slow_helper_is_ended_after_the_wait():
    helper = home_listing._helper = fake_helper("import time; time.sleep(30)")
    started = time.monotonic()
    assert home_listing.take(wait_s=0.3) is None
    assert time.monotonic() - started < 3
    assert helper.returncode is not None  # ended and reaped, not left running


def test_on_one_core_no_helper_is_started(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    home_listing.start()
    assert home_listing._helper is None
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    home_listing.start()
    assert home_listing._helper is not None


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_a_plain_start_in_a_terminal_lists_the_lessons_and_keeps_no_helper():
    """`tui-dl` in a real terminal: home lists the lessons and experiments, and by the time
    they are on screen the helper has answered and is gone (no process, no zombie)."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    master, slave = pty.openpty()
    app = subprocess.Popen(
        [sys.executable, "-m", "tui_dl"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"Course map" not in seen or b"MNIST" not in seen:
            assert time.monotonic() < deadline, seen[-2000:]
            if select.select([master], [], [], 0.1)[0]:
                seen += os.read(master, 65536)
        assert children(app.pid) == []
        os.write(master, b"q")
        deadline = time.monotonic() + 20
        while app.poll() is None and time.monotonic() < deadline:  # reading what it paints
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)
                except OSError:  # it closed the terminal
                    break
        assert app.wait(timeout=5) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        os.close(master)


def test_the_helper_runs_the_installed_code_not_a_tui_dl_folder_where_the_app_was_started(
    tmp_path, monkeypatch
):
    """`python -m` puts the working folder first on the module path: a `tui_dl/` another user
    left in a shared folder the learner starts the app from would run as the learner. The
    helper is started with -P, which leaves that folder off."""
    planted = tmp_path / "tui_dl" / "ui"
    planted.mkdir(parents=True)
    (tmp_path / "tui_dl" / "__init__.py").write_text("")
    (planted / "__init__.py").write_text("")
    (planted / "home_listing.py").write_text(
        "import json, sys\n"
        "row = {'id': 'x', 'number': 1, 'title': 'planted', 'summary': '', 'done': False,"
        " 'label': '', 'short': ''}\n"
        "sys.stdout.write(json.dumps({'lessons': [row], 'problems': [], 'trouble': None,"
        " 'experiments': []}))\n"
    )
    monkeypatch.chdir(tmp_path)
    home_listing.start()
    listing = home_listing.take()
    assert listing is not None and listing == home_listing.compute()


def test_every_python_the_project_starts_is_started_with_minus_p():
    """The same for every Python the project starts (runs, jobs, the spare, the seats of
    `tui-dl serve`, whose server may have been started from a folder others write to):
    `sys.executable` is always followed by -P."""
    package = ROOT / "tui_dl"
    starts = [
        (path.relative_to(ROOT), line.strip())
        for path in package.rglob("*.py")
        for line in path.read_text().splitlines()
        if "sys.executable," in line
    ]
    assert len(starts) >= 4, starts  # the helper, a run or job, the spare, a seat
    assert [s for s in starts if 'sys.executable, "-P", "-m"' not in s[1]] == []
