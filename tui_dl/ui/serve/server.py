"""`tui-dl serve`: the app served to browsers through textual-serve, the Textual team's own
server — every browser tab gets its own tui-dl process, the same app as over SSH.

What a workshop adds to textual-serve's `Server`, as a subclass:

- **A token, always** — on 127.0.0.1 too: another user of the machine, or a page of another
  site open in the instructor's browser, reaches the loopback as easily as a learner. Every
  page and the websocket ask for it: the link printed at start carries it (`/?token=…`); the
  first page sets it as an HttpOnly cookie so the websocket and a reload carry it too. Wrong
  or missing: a plain 403 page.
- **The page's own origin only.** A request whose `Origin` is not the page's (the `Host` the
  browser used, or `--public-url`) is refused: a page of another site cannot drive a seat.
- **The page's URLs are the ones the browser used**: its script and websocket URLs are built
  from the request's `Host` (checked: a host name or address and a port, nothing else), or
  from `--public-url` behind a proxy — never from the address the server is bound to
  (`0.0.0.0` is no address a browser can reach).
- **Seats.** `--seats N` caps how many tabs are open at once: the next visitor gets "the
  workshop is full (N of N seats)", at the page and, should two race for the last seat, at
  the websocket. Each browser gets a seat id in a cookie (a reload sits at the same seat),
  passed to its app as `TUI_DL_SEAT`; the app asks the learner's name once and its runs carry
  it (`tui_dl.engine.workshop.seats`).
- **Idle seats close.** No key for `--idle-minutes`: the seat's app is stopped and the page
  says why instead of "Session ended" (a small script asks `/seat` when the socket closes).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui_dl.engine.workshop.seats import SEAT_ENV, SEAT_ID, write_seat_state
from tui_dl.ui.serve import pages
from tui_dl.ui.serve.address import HOST_HEADER
from tui_dl.ui.serve.seat_files import SEAT_DATA_ENV

log = logging.getLogger("tui-dl-serve")

TOKEN_COOKIE = "tui_dl_token"
SEAT_COOKIE = "tui_dl_seat"
IDLE_CHECK_S = 5.0


@dataclass
class Seat:
    """One open browser tab and its app."""

    seat: str
    service: AppService
    websocket: web.WebSocketResponse
    last_input: float = field(default_factory=time.monotonic)
    closed: str = ""


class SeatService(AppService):
    """textual-serve's app process, with the seat's id and the workshop in its environment."""

    def __init__(self, command: str, *, extra_env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.extra_env = extra_env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.update(self.extra_env)
        return environment


def app_command(data_dir: str | None = None) -> str:
    """The command each seat runs: this Python's tui-dl."""
    words = [sys.executable, "-P", "-m", "tui_dl"]
    if data_dir:
        words += ["--data-dir", data_dir]
    return shlex.join(words)


class WorkshopServer(Server):
    def __init__(
        self,
        command: str,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None = None,
        seats: int | None = None,
        idle_s: float | None = 30 * 60,
        workshop: Path | None = None,
        public_url: str | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(command, host=host, port=port, title="tui-dl", public_url=public_url)
        self.token = token or new_token()
        """Always one: a server without a token is open to every user of the machine."""
        self.page_url = public_url.rstrip("/") if public_url else None
        """`--public-url`: where browsers reach the server (a proxy), else each request's Host."""
        self.max_seats = seats
        self.idle_s = idle_s
        self.workshop = workshop
        self.data_dir = data_dir
        """`--data-dir`: the one folder outside its own a seat may read (seat_files)."""
        self.open: dict[str, Seat] = {}
        """Open tabs by seat id."""
        self.closed: dict[str, str] = {}
        """Why a seat's last tab was closed by the server (what its page then says)."""
        self._idle_task: asyncio.Task[None] | None = None

    # ----- the aiohttp application ---------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.check_origin)
        app.middlewares.append(self.check_token)
        app.router.add_get("/seat", self.handle_seat)
        return app

    def initialize_logging(self) -> None:
        logging.basicConfig(level="WARNING", format="%(message)s")

    async def on_startup(self, app: web.Application) -> None:
        if self.idle_s:
            self._idle_task = asyncio.create_task(self.close_idle_seats())

    async def on_shutdown(self, app: web.Application) -> None:
        if self._idle_task is not None:
            self._idle_task.cancel()
        for seat in list(self.open.values()):
            await seat.service.stop()

    # ----- the token -----------------------------------------------------------------------
    def token_ok(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def check_token(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/static/") or self.token_ok(request):
            return await handler(request)
        wrong = bool(request.query.get("token") or request.cookies.get(TOKEN_COOKIE))
        return pages.refused(wrong)

    # ----- where the page is: its Host, or --public-url --------------------------------------
    def page_base(self, request: web.Request) -> str | None:
        """`scheme://host:port` the browser reached this page at, or None for a Host header
        that is not a plain host and port (the page's URLs are never built from one)."""
        if self.page_url:
            return self.page_url
        host = request.headers.get("Host", "")
        return f"{request.scheme}://{host}" if HOST_HEADER.match(host) else None

    def origin_ok(self, origin: str, request: web.Request) -> bool:
        """A browser's `Origin` is the page's own: the Host it used, or --public-url's."""
        allowed = set()
        host = request.headers.get("Host", "")
        if HOST_HEADER.match(host):
            allowed.add(f"{request.scheme}://{host}".lower())
        if self.page_url:
            allowed.add(origin_of(self.page_url))
        return origin.lower() in allowed

    @web.middleware
    async def check_origin(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """A page of another origin gets nothing: browsers send `Origin` with every websocket
        (and every request that could change something); a foreign one is refused. A client
        that sends none is not a page in a browser, and still needs the token."""
        origin = request.headers.get("Origin")
        if origin is not None and not self.origin_ok(origin, request):
            log.warning("refused a request from %r (not this page's origin)", origin[:200])
            return pages.foreign_origin()
        return await handler(request)

    # ----- pages ---------------------------------------------------------------------------
    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        seat = seat_of(request)
        if self.full(seat):
            response: web.StreamResponse = pages.full(self.max_seats or 0)
        else:
            base = self.page_base(request)
            if base is None:
                return pages.bad_host()
            response = aiohttp_jinja2.render_template(
                "app_index.html", request, self.page_context(request, base)
            )
            if response.text:
                response.text = pages.with_close_reason(response.text)
        secure = request.secure
        if seat is None:  # a browser's seat from its first page on, a full one's too
            month = 30 * 24 * 3600
            response.set_cookie(SEAT_COOKIE, secrets.token_hex(8), httponly=True,
                                samesite="Strict", secure=secure, max_age=month)  # fmt: skip
        if request.query.get("token"):
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict",
                                secure=secure)  # fmt: skip
        return response

    def page_context(self, request: web.Request, base: str) -> dict[str, Any]:
        """textual-serve's page, its script and websocket at `base` (not the bound address)."""
        socket_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{socket_base}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_seat(self, request: web.Request) -> web.Response:
        """Why this browser's seat was closed (asked by the page when its socket closes)."""
        seat = seat_of(request)
        return web.json_response({"message": self.closed.get(seat or "", "")})

    def full(self, seat: str | None) -> bool:
        if not self.max_seats:
            return False
        others = [s for s in self.open if s != seat]
        return len(others) >= self.max_seats

    # ----- a seat ----------------------------------------------------------------------
    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        seat_id = seat_of(request) or secrets.token_hex(8)
        await websocket.prepare(request)
        if seat_id in self.open or self.full(seat_id):
            # Counted when the socket opens, not only at the page: two racing for the last
            # seat cannot both sit (and one seat is one tab: a second tab of it is refused).
            why = (
                "This seat is already open in another tab: use that one, or close it first."
                if seat_id in self.open
                else f"The workshop is full ({len(self.open)} of {self.max_seats} seats)."
            )
            self.closed[seat_id] = why
            await websocket.close(message=why.encode()[:120])
            return websocket
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        env = {SEAT_ENV: seat_id, SEAT_DATA_ENV: str(self.data_dir or "")}
        if self.workshop is not None:
            env["TUI_DL_WORKSHOP"] = str(self.workshop)
        service = SeatService(
            self.command,
            extra_env=env,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        seat = Seat(seat_id, service, websocket)
        self.open[seat_id] = seat
        self.closed.pop(seat_id, None)
        record_seat(seat_id, connected=True, connected_at=time.time())
        try:
            await service.start(width, height)
            record_seat(seat_id, pid=getattr(service._process, "pid", None))
            await self.process_messages(websocket, seat)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 — one seat's trouble never ends the server
            log.exception(error)
        finally:
            await service.stop()
            self.open.pop(seat_id, None)
            record_seat(seat_id, connected=False, closed=seat.closed or "left")
        return websocket

    async def process_messages(self, websocket: web.WebSocketResponse, seat: Seat) -> None:
        """textual-serve's message loop, noting when the learner last pressed a key."""
        service = seat.service
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue  # not textual-serve's protocol: ignored, the seat stays
            if kind == "stdin":
                seat.last_input = time.monotonic()
                await service.send_bytes(str(data).encode("utf-8"))
            elif kind == "resize":
                seat.last_input = time.monotonic()
                await service.set_terminal_size(data["width"], data["height"])
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def close_idle_seats(self, every_s: float = IDLE_CHECK_S) -> None:
        while True:
            await asyncio.sleep(min(every_s, self.idle_s or every_s))
            now = time.monotonic()
            for seat in list(self.open.values()):
                if self.idle_s and now - seat.last_input > self.idle_s:
                    await self.close_seat(seat, idle_words(self.idle_s))

    async def close_seat(self, seat: Seat, why: str) -> None:
        seat.closed = "idle"
        self.closed[seat.seat] = why
        await seat.service.stop()
        await seat.websocket.close()


def idle_words(idle_s: float) -> str:
    minutes = idle_s / 60
    amount = (
        f"{minutes:g} minute" + ("s" if minutes != 1 else "")
        if minutes >= 1
        else (f"{idle_s:g} seconds")
    )
    return (
        f"This seat was closed after {amount} without a key. Your runs go on; "
        "press Restart to sit down again."
    )


def seat_of(request: web.Request) -> str | None:
    seat = request.cookies.get(SEAT_COOKIE, "")
    return seat if SEAT_ID.match(seat) else None


def record_seat(seat: str, **fields: Any) -> None:
    """The server's record of a seat, for the class view (never fatal: it is a record)."""
    try:
        write_seat_state(seat, **fields)
    except OSError as exc:
        log.warning("could not record seat %s: %s", seat, exc)


def new_token() -> str:
    return secrets.token_urlsafe(12)


def origin_of(url: str) -> str:
    """`https://Example.org:8443/class/` → `https://example.org:8443`."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}".lower()
