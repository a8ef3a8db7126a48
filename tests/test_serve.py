"""`tui-dl serve` without a browser: the token, the seat limit, a seat's id reaching its
app, idle seats closed with the reason, and the seat's name asked in the app."""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar, WSMsgType
from aiohttp.test_utils import TestServer

from tests.fakes import FakeRunSource, settle
from tui_dl.cli import main
from tui_dl.engine.workshop import seats
from tui_dl.ui.app import make_app
from tui_dl.ui.serve.server import SEAT_COOKIE, TOKEN_COOKIE, WorkshopServer, idle_words

TOKEN = "sesame-1234"


def sleeper(out: Path) -> str:
    """A stand-in for the app, speaking textual-serve's start and stop: notes the seat and
    workshop it was given, then waits until told to quit."""
    code = (
        "import os, pathlib, sys; "
        f"pathlib.Path({str(out)!r}).write_text(os.environ.get('TUI_DL_SEAT', '') + ' ' + "
        "os.environ.get('TUI_DL_WORKSHOP', '')); "
        "print('__GANGLION__', flush=True)\n"
        "while True:\n"
        "    chunk = sys.stdin.buffer.read1(4096)\n"
        "    if not chunk or b'quit' in chunk: break\n"
    )
    return shlex.join([sys.executable, "-c", code])


def session() -> ClientSession:
    """A browser's cookies, on 127.0.0.1 (aiohttp keeps none for an IP address by default)."""
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


async def started(server: WorkshopServer) -> TestServer:
    test_server = TestServer(await server._make_app())
    await test_server.start_server()
    return test_server


async def test_the_token_is_asked_for_and_kept_as_a_cookie(tmp_path):
    server = WorkshopServer(sleeper(tmp_path / "env"), token=TOKEN)
    test_server = await started(server)
    try:
        async with session() as client:
            base = str(test_server.make_url("/"))
            answer = await client.get(base)
            assert answer.status == 403
            assert "needs the link with its token" in await answer.text()
            answer = await client.get(base, params={"token": "wrong-token"})
            assert answer.status == 403 and "not this workshop" in await answer.text()
            static = await client.get(str(test_server.make_url("/static/js/textual.js")))
            assert static.status == 200  # the page's own script needs no token
            answer = await client.get(base, params={"token": TOKEN})
            assert answer.status == 200
            assert "textual-terminal" in await answer.text()
            cookies = {c.key: c.value for c in client.cookie_jar}
            assert cookies[TOKEN_COOKIE] == TOKEN and len(cookies[SEAT_COOKIE]) == 16
            assert (await client.get(base)).status == 200  # the cookie carries it now
        async with session() as stranger:
            ws_url = str(test_server.make_url("/ws"))
            answer = await stranger.get(ws_url)
            assert answer.status == 403
    finally:
        await test_server.close()


async def test_a_seat_gets_its_id_and_the_next_visitor_is_told_it_is_full(tmp_path):
    workshop = tmp_path / "ws"
    server = WorkshopServer(sleeper(tmp_path / "env"), seats=1, workshop=workshop)
    test_server = await started(server)
    try:
        async with session() as first, session() as second:
            base = str(test_server.make_url("/"))
            assert (await first.get(base)).status == 200
            seat = next(c.value for c in first.cookie_jar if c.key == SEAT_COOKIE)
            socket = await first.ws_connect(str(test_server.make_url("/ws")))
            for _ in range(100):
                if (tmp_path / "env").exists() and (tmp_path / "env").read_text():
                    break
                await asyncio.sleep(0.05)
            assert (tmp_path / "env").read_text() == f"{seat} {workshop}"
            answer = await second.get(base)
            assert answer.status == 503
            assert "The workshop is full (1 of 1 seats)" in await answer.text()
            # Past the page (two racing for the last seat): the socket is refused too.
            late = await second.ws_connect(str(test_server.make_url("/ws")))
            message = await late.receive(timeout=5)
            assert message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED)
            second_seat = next(c.value for c in second.cookie_jar if c.key == SEAT_COOKIE)
            why = await (await second.get(str(test_server.make_url("/seat")))).json()
            assert why["message"].startswith("The workshop is full")
            assert second_seat != seat
            await socket.close()
            for _ in range(100):
                if not server.open:
                    break
                await asyncio.sleep(0.05)
            assert (await second.get(base)).status == 200  # the seat is free again
    finally:
        await test_server.close()


async def test_an_idle_seat_is_closed_and_its_page_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
    server = WorkshopServer(sleeper(tmp_path / "env"), idle_s=0.4)
    test_server = await started(server)
    await server.on_startup(test_server.app)
    try:
        async with session() as client:
            await client.get(str(test_server.make_url("/")))
            seat = next(c.value for c in client.cookie_jar if c.key == SEAT_COOKIE)
            socket = await client.ws_connect(str(test_server.make_url("/ws")))
            await socket.send_str(json.dumps(["stdin", "x"]))
            message = await socket.receive(timeout=10)
            while message.type not in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
                message = await socket.receive(timeout=10)
            why = await (await client.get(str(test_server.make_url("/seat")))).json()
            assert why["message"] == idle_words(0.4)
            assert "closed after 0.4 seconds without a key" in why["message"]
        state = json.loads((tmp_path / "ws" / "seats" / seat / "state.json").read_text())
        assert state["connected"] is False and state["closed"] == "idle"
    finally:
        await server.on_shutdown(test_server.app)
        await test_server.close()


def test_bad_serve_options_are_refused_before_anything_starts(capsys):
    assert main(["serve", "--seats", "0", "--port", "70000", "--token", "short"]) == 2
    err = capsys.readouterr().err
    assert "--seats 0: at least 1" in err
    assert "--port 70000" in err
    assert "--token: at least 8 characters" in err


async def test_the_seat_asks_a_name_once_and_refuses_a_bad_one(monkeypatch, tmp_path):
    monkeypatch.setenv("TUI_DL_SEAT", "abcdef12")
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from textual.widgets import Static

        from tui_dl.ui.dialogs.seat_name import SeatName

        assert isinstance(app.screen, SeatName)
        await pilot.press("escape")  # no way past it without a name
        assert isinstance(app.screen, SeatName)
        assert "A name first" in str(app.screen.query_one("#seat-problem", Static).render())
        await pilot.press("enter")
        assert "Type a name first" in str(app.screen.query_one("#seat-problem", Static).render())
        await pilot.press("A", "n", "a", "<")
        problem = str(app.screen.query_one("#seat-problem", Static).render())
        assert "'<' cannot be part of a name" in problem
        await pilot.press("enter")
        assert isinstance(app.screen, SeatName)  # nothing kept, nothing lost
        await pilot.press("backspace", "space", "L", "i", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, SeatName)
    assert seats.seat_name("abcdef12") == "Ana Li"
    assert seats.identity() == {"user": seats.unix_user(), "name": "Ana Li", "seat": "abcdef12"}
    # Sat down again (a reload): no question, the name is there.
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.sub_title == "Ana Li"
        assert type(app.screen).__name__ == "HomeScreen"


def test_a_name_with_control_characters_is_refused():
    with pytest.raises(ValueError, match="control characters"):
        seats.validate_seat_name("Ana\x1b[31m")
    with pytest.raises(ValueError, match="at most 32"):
        seats.validate_seat_name("x" * 33)
