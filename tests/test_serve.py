"""`tui-dl serve` without a browser: the token (on the loopback too), a foreign Origin
refused, the page's URLs from the Host the browser used (or --public-url), the seat limit,
a seat's id reaching its app, idle seats closed with the reason, the seat's name asked in
the app, and a port in use or a bad host said in one line."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar, WSMsgType, WSServerHandshakeError
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for(path: Path) -> None:
    for _ in range(100):
        if path.exists() and path.read_text():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} never written: no app started")


async def leave(socket: Any, server: WorkshopServer) -> None:
    """Close a seat's socket and wait until the server has stopped its app."""
    await socket.close()
    for _ in range(100):
        if not server.open:
            return
        await asyncio.sleep(0.05)


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
    server = WorkshopServer(sleeper(tmp_path / "env"), seats=1, workshop=workshop, token=TOKEN)
    test_server = await started(server)
    try:
        async with session() as first, session() as second:
            base = str(test_server.make_url("/").with_query(token=TOKEN))
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
    server = WorkshopServer(sleeper(tmp_path / "env"), idle_s=0.4, token=TOKEN)
    test_server = await started(server)
    await server.on_startup(test_server.app)
    try:
        async with session() as client:
            await client.get(str(test_server.make_url("/").with_query(token=TOKEN)))
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


async def test_the_loopback_asks_for_the_token_too(tmp_path):
    """Another user of the machine, or a page of another site in the instructor's browser,
    reaches 127.0.0.1 as easily as a learner: no token, no page and no app."""
    server = WorkshopServer(sleeper(tmp_path / "env"))  # 127.0.0.1, and no --token given
    test_server = await started(server)
    try:
        async with session() as client:
            answer = await client.get(str(test_server.make_url("/")))
            assert answer.status == 403
            assert "needs the link with its token" in await answer.text()
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect(str(test_server.make_url("/ws")))
            assert refused.value.status == 403
            answer = await client.get(str(test_server.make_url("/").with_query(token=server.token)))
            assert answer.status == 200
        assert not (tmp_path / "env").exists()  # no seat's app was ever started
    finally:
        await test_server.close()


def test_serve_on_the_loopback_prints_a_link_with_a_token(monkeypatch, capsys):
    served: list[WorkshopServer] = []
    monkeypatch.setattr(WorkshopServer, "serve", lambda self, debug=False: served.append(self))
    port = free_port()
    assert main(["serve", "--port", str(port)]) == 0
    out = capsys.readouterr().out
    link = re.search(rf"http://127\.0\.0\.1:{port}/\?token=(\S+)", out)
    assert link and len(link[1]) >= 16 and link[1] == served[0].token
    assert "a visitor gets a refusal page" in out
    url = "https://class.example.test:8443"
    assert main(["serve", "--port", str(port), "--public-url", url + "/", "--token", TOKEN]) == 0
    out = capsys.readouterr().out
    assert f"  {url}/?token={TOKEN}" in out.splitlines()
    assert served[1].page_url == url


async def test_a_page_of_another_origin_cannot_open_a_seat(tmp_path):
    """The browser sends the page's Origin with the websocket: a page of another site (or of
    another server on this machine) holding the learner's cookie is refused."""
    server = WorkshopServer(sleeper(tmp_path / "env"), token=TOKEN)
    test_server = await started(server)
    ws_url = str(test_server.make_url("/ws"))
    try:
        async with session() as client:
            await client.get(str(test_server.make_url("/").with_query(token=TOKEN)))
            assert TOKEN_COOKIE in {c.key for c in client.cookie_jar}
            for foreign in ("http://evil.test", f"http://127.0.0.1:{free_port()}"):
                with pytest.raises(WSServerHandshakeError) as refused:
                    await client.ws_connect(ws_url, origin=foreign)
                assert refused.value.status == 403
            assert not (tmp_path / "env").exists()
            own = f"http://127.0.0.1:{test_server.port}"
            socket = await client.ws_connect(ws_url, origin=own)
            await wait_for(tmp_path / "env")
            await leave(socket, server)
    finally:
        await test_server.close()


async def test_the_page_names_the_host_the_browser_used(tmp_path):
    """Bound to 0.0.0.0, the page once sent browsers to http://0.0.0.0:PORT (a blank page):
    its script and websocket are now at the Host the browser asked for."""
    server = WorkshopServer(sleeper(tmp_path / "env"), host="0.0.0.0", port=8000, token=TOKEN)
    test_server = await started(server)
    url = str(test_server.make_url("/").with_query(token=TOKEN))
    try:
        async with session() as client:
            for host in (f"example.test:{test_server.port}", f"127.0.0.2:{test_server.port}"):
                answer = await client.get(url, headers={"Host": host})
                text = await answer.text()
                assert answer.status == 200
                assert f'src="http://{host}/static/js/textual.js"' in text
                assert f'data-session-websocket-url="ws://{host}/ws"' in text
                assert "0.0.0.0" not in text
            for bad in ('x"><script>alert(1)</script>', "a b:80", "host:80/path", ""):
                answer = await client.get(url, headers={"Host": bad})
                assert answer.status == 400, bad
                assert "<script>alert" not in await answer.text()
            # The page's own origin is the Host it was served at: its socket is welcome.
            own = f"http://example.test:{test_server.port}"
            socket = await client.ws_connect(
                str(test_server.make_url("/ws")),
                origin=own,
                headers={"Host": f"example.test:{test_server.port}"},
            )
            await wait_for(tmp_path / "env")
            await leave(socket, server)
    finally:
        await test_server.close()


async def test_public_url_overrides_the_host(tmp_path):
    public = "https://class.example.test"
    server = WorkshopServer(
        sleeper(tmp_path / "env"), host="0.0.0.0", token=TOKEN, public_url=public + "/"
    )
    test_server = await started(server)
    try:
        async with session() as client:
            answer = await client.get(str(test_server.make_url("/").with_query(token=TOKEN)))
            text = await answer.text()
            assert f'src="{public}/static/js/textual.js"' in text
            assert 'data-session-websocket-url="wss://class.example.test/ws"' in text
            with pytest.raises(WSServerHandshakeError):
                await client.ws_connect(str(test_server.make_url("/ws")), origin="http://evil.test")
            socket = await client.ws_connect(str(test_server.make_url("/ws")), origin=public)
            await wait_for(tmp_path / "env")
            await leave(socket, server)
    finally:
        await test_server.close()


def test_a_bad_public_url_is_refused(capsys):
    for url in ("ftp://x", "http://a b", 'http://x/"><script>', "class.example.test"):
        assert main(["serve", "--public-url", url]) == 2
        assert f"--public-url {url}:" in capsys.readouterr().err


def test_a_port_in_use_or_a_bad_host_is_one_line_and_status_2(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"tui-dl serve: port {port} on 127.0.0.1 is in use (another server?): "
        "choose another with --port\n"
    )
    assert "http://" not in captured.out  # no link printed for a server that never started
    assert main(["serve", "--host", "999.1.1.1", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert err == "tui-dl serve: --host 999.1.1.1: not an IPv4 address (four numbers 0–255)\n"
