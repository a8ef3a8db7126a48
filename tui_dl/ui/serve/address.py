"""Where `tui-dl serve` listens and where browsers reach it: `--host`, `--port` and
`--public-url` checked before the server starts (each problem said in one line, not as a
traceback from deep in aiohttp), and the links printed for the room.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST_HEADER = re.compile(
    rf"^(?:\[[0-9A-Fa-f:.]{{2,45}}\]|{_LABEL}(?:\.{_LABEL})*)(?::[0-9]{{1,5}})?$"
)
"""A `Host` the page's URLs may be built from: a name or address, and a port."""


def public_url_problem(url: str) -> str | None:
    """Why `--public-url` cannot be where browsers reach the server, or None."""
    scheme, sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    if scheme not in ("http", "https") or not sep:
        return "http://HOST:PORT or https://HOST (where browsers reach the server)"
    if not HOST_HEADER.match(host) or any(ch in rest for ch in "?#\"'<> "):
        return "a host name or address (and a port, and a path), nothing else"
    return None


def address_problem(host: str, port: int) -> str | None:
    """Why the server cannot listen at host:port (in one line), or None. A dotted number is
    checked as an address before anything is looked up."""
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return f"--host {host}: not an IPv4 address (four numbers 0–255)"
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (OSError, UnicodeError) as exc:
        return f"--host {host}: not a name or address of this machine ({exc})"
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return bind_words(exc, host, port)
    return None


def bind_words(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use (another server?): choose another with --port"
    if exc.errno == errno.EACCES:
        return f"port {port}: not allowed to listen on it here (below 1024 needs root)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: not an address of this machine"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def links(host: str, port: int, token: str, public_url: str | None = None) -> list[str]:
    """What to give the room: the address(es) with the token."""
    query = f"/?token={token}"
    if public_url:
        return [public_url.rstrip("/") + query]
    if host in ("0.0.0.0", "::", ""):
        names = sorted({socket.gethostname(), *_addresses()})
        return [f"http://{name}:{port}{query}" for name in names]
    return [f"http://{host}:{port}{query}"]


def _addresses() -> set[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return set()
    return {str(info[4][0]) for info in infos if not str(info[4][0]).startswith("127.")}
