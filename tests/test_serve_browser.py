"""`tui-dl serve` in a real browser: Debian's chromium driven by Playwright (no browser
download: `executable_path`). The app's screen is read from what the page's terminal
received over its websocket; the refusal and full pages from the page itself.

Where no browser can be found these skip with the reason — except with
`TUI_DL_REQUIRE_BROWSER=1` (CI sets it), where a missing browser fails them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("TUI_DL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "sesame-1234"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>])")


def no_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser():
    problem = no_browser()
    if problem:
        if os.environ.get("TUI_DL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TUI_DL_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(tmp_path: Path, *options: str) -> Iterator[str]:
    """`tui-dl serve` on a free port; yields the link it prints."""
    port = free_port()
    env = {**os.environ, "TUI_DL_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tui_dl", "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()
        link = server.stdout.readline().strip()
        if "0.0.0.0" in options:  # the links name this machine: the test stays on 127.0.0.1
            link = f"http://127.0.0.1:{port}/?" + link.split("?", 1)[1]
        assert link.startswith(f"http://127.0.0.1:{port}/?token="), link
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield link
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    yield from serve(tmp_path, "--token", TOKEN, "--seats", "1")


@pytest.fixture
def served_everywhere(tmp_path) -> Iterator[str]:
    """Bound to every address, as the README's workshop does; reached at 127.0.0.1."""
    yield from serve(tmp_path, "--host", "0.0.0.0", "--token", TOKEN)


@pytest.fixture
def served_idle(tmp_path) -> Iterator[str]:
    """Seats close after 6 s without a key."""
    yield from serve(tmp_path, "--token", TOKEN, "--seats", "1", "--idle-minutes", "0.1")


class Screen:
    """What the page's terminal has been sent, as text (escape sequences taken out)."""

    def __init__(self, page) -> None:
        self.page = page
        self.frames: list[str] = []
        page.on("websocket", self._socket)

    def _socket(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        self.frames.append(text)

    @property
    def text(self) -> str:
        return ANSI.sub("", "".join(self.frames))

    def wait_for(self, words: str, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if words in self.text:
                return
            self.page.wait_for_timeout(100)  # Playwright delivers its events while it waits
        pytest.fail(f"{words!r} never showed; the last of the screen: {self.text[-600:]!r}")


def test_a_learner_sits_down_types_a_name_and_walks_the_app(browser, served):
    page = browser.new_context(viewport={"width": 1100, "height": 700}).new_page()
    screen = Screen(page)
    page.goto(served)
    screen.wait_for("Welcome to the workshop")
    page.click("#terminal")
    page.keyboard.type("Ana")
    page.keyboard.press("Enter")
    screen.wait_for("Welcome, Ana")
    screen.wait_for("Lessons")
    assert "data fetch" not in screen.text
    page.keyboard.press("d")  # the Data screen: where each dataset would come from
    screen.wait_for("data fetch")
    assert "Datasets are looked for" in screen.text
    page.context.close()


def test_the_token_the_seat_limit_and_an_idle_seat_in_the_browser(browser, served_idle):
    served = served_idle
    bare = browser.new_context().new_page()
    bare.goto(served.split("?")[0])
    assert "not without the workshop's link" in bare.inner_text("body")
    bare.goto(served.replace(TOKEN, "not-the-token"))
    assert "token is not this workshop's" in bare.inner_text("body")
    bare.context.close()

    first = browser.new_context().new_page()
    screen = Screen(first)
    first.goto(served)
    screen.wait_for("Welcome to the workshop")
    second = browser.new_context().new_page()
    second.goto(served)
    assert "The workshop is full (1 of 1 seats)" in second.inner_text("body")
    second.context.close()
    # No key for 6 s (0.1 min): the seat closes, and its page says why.
    message = first.locator(".closed-dialog .message")
    message.wait_for(state="visible", timeout=20_000)
    first.wait_for_function(
        "document.querySelector('.closed-dialog .message').textContent.includes('closed after')",
        timeout=10_000,
    )
    assert "without a key" in message.inner_text()
    first.context.close()


def test_a_server_on_0_0_0_0_serves_the_app_at_the_address_the_browser_used(
    browser, served_everywhere
):
    """The page once pointed the browser at http://0.0.0.0:PORT for its script and socket:
    a blank page. Now they are at the address the browser used."""
    page = browser.new_context().new_page()
    screen = Screen(page)
    page.goto(served_everywhere)
    screen.wait_for("Welcome to the workshop")
    origin = served_everywhere.split("/?")[0]
    assert page.get_attribute("#terminal", "data-session-websocket-url") == (
        origin.replace("http:", "ws:") + "/ws"
    )
    page.context.close()


def test_a_page_of_another_origin_cannot_open_a_seat(browser, served, tmp_path):
    """Another server on this machine (another port of 127.0.0.1 is the same site, so the
    token's cookie goes along) opens the workshop's websocket from its page: refused by its
    Origin."""
    context = browser.new_context()
    own = context.new_page()
    screen = Screen(own)
    own.goto(served)  # the learner's browser holds the token's cookie now
    screen.wait_for("Welcome to the workshop")
    own.close()
    port = int(served.split(":")[2].split("/")[0])
    site = tmp_path / "another-site"
    site.mkdir()
    (site / "index.html").write_text(
        f"<script>const s = new WebSocket('ws://127.0.0.1:{port}/ws');"
        "s.onopen = () => document.title = 'opened';"
        "s.onclose = () => { if (document.title !== 'opened') document.title = 'refused'; };"
        "</script>"
    )
    other_port = free_port()
    other = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(other_port), "--bind", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = context.new_page()
        deadline = time.monotonic() + 20
        while True:
            try:
                page.goto(f"http://127.0.0.1:{other_port}/")
                break
            except Exception:  # noqa: BLE001 — not listening yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        page.wait_for_function("document.title !== ''", timeout=10_000)
        assert page.title() == "refused"
    finally:
        other.terminate()
        other.wait(10)
        context.close()
