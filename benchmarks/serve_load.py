"""Thirty seats of `tui-dl serve` at once on this machine: memory per seat, and how long a key
takes to come back as a repaint with all thirty open.

A real `tui-dl serve` (its subprocess, on a free port) and 30 websocket clients speaking
textual-serve's protocol, as 30 browser tabs would: each opens, sends its size, and waits for
its app's first frame (each seat is its own tui-dl process; a seat's name is written first,
so the apps open on the home screen). Then, round-robin over the seats, a key goes in (down
and up on the home screen's lists, each of which repaints) and the time to the first bytes
of output after it is taken: key → repaint, as the browser sees it, with every other seat
open (one key in flight at a time, 0.15 s apart: the others sit open, painted, idle).
Memory: PSS (shared pages split fairly) and RSS of each seat's processes, and the server's.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/serve_load.py \
        [--seats 30] [--keys 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import ClientSession, CookieJar, WSMsgType

TOKEN = "benchmark-seats"
"""`tui-dl serve` always asks for a token; the seats carry it as a browser would."""


def memory_mib(pid: int) -> tuple[float, float]:
    """(PSS, RSS) of a process, MiB."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Pss", "Rss"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        return (0.0, 0.0)
    return values.get("Pss", 0.0), values.get("Rss", 0.0)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(p) for p in text.split()]
    return found + [g for c in found for g in children(c)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Seat:
    def __init__(self, index: int, base: str, home: Path) -> None:
        self.index = index
        self.base = base
        self.home = home
        self.session = ClientSession(cookie_jar=CookieJar(unsafe=True))
        self.socket = None
        self.received = asyncio.Event()
        self.bytes = 0

    async def open(self) -> float:
        started = time.monotonic()
        await self.session.get(self.base + f"/?token={TOKEN}")  # the token, then its cookie
        seat = next(c.value for c in self.session.cookie_jar if c.key == "tui_dl_seat")
        folder = self.home / "seats" / seat
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "name").write_text(f"Seat {self.index}\n")
        self.socket = await self.session.ws_connect(self.base + "/ws?width=100&height=30")
        await self.socket.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        asyncio.create_task(self.read())
        while self.bytes < 2000:  # the first frame
            self.received.clear()
            await asyncio.wait_for(self.received.wait(), 60)
        await asyncio.sleep(0.5)
        return time.monotonic() - started

    async def read(self) -> None:
        async for message in self.socket:
            if message.type == WSMsgType.BINARY:
                self.bytes += len(message.data)
                self.received.set()

    async def key(self, key: str) -> float:
        await asyncio.sleep(0.15)  # let the last repaint finish arriving
        self.received.clear()
        started = time.monotonic()
        await self.socket.send_str(json.dumps(["stdin", key]))
        await asyncio.wait_for(self.received.wait(), 30)
        return time.monotonic() - started

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        await self.session.close()


async def run(seats_n: int, keys_n: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="tui-dl-serve-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TUI_DL_HOME": str(home)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_dl",
            "serve",
            "--port",
            str(port),
            "--idle-minutes",
            "0",
            "--token",
            TOKEN,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        await asyncio.sleep(0.05)
    seats = [Seat(i, base, home) for i in range(seats_n)]
    try:
        started = time.monotonic()
        opened = await asyncio.gather(*(seat.open() for seat in seats))
        all_open = time.monotonic() - started
        # A seat is textual-serve's shell and the tui-dl under it: summed per seat.
        text = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
        apps = [int(p) for p in text.split()]
        pss, rss = [], []
        for app in apps:
            tree = [memory_mib(pid) for pid in (app, *children(app))]
            pss.append(sum(m[0] for m in tree))
            rss.append(sum(m[1] for m in tree))
        server_pss, server_rss = memory_mib(server.pid)
        latencies = []
        for i in range(keys_n):
            seat = seats[i % seats_n]
            latencies.append(await seat.key("\x1b[B" if (i // seats_n) % 2 == 0 else "\x1b[A"))
        each = statistics.median(opened)
        print(f"{seats_n} seats open in {all_open:.1f} s (each: median {each:.1f} s, "
              f"slowest {max(opened):.1f} s)")  # fmt: skip
        print(f"{len(apps)} seats: PSS median {statistics.median(pss):.1f} MiB a seat, "
              f"total {sum(pss):.0f} MiB; RSS median {statistics.median(rss):.1f} MiB")  # fmt: skip
        print(f"the server: PSS {server_pss:.1f} MiB, RSS {server_rss:.1f} MiB")
        ms = [1000 * x for x in latencies]
        print(f"key → repaint over {keys_n} keys: p50 {percentile(ms, 0.5):.0f} ms, "
              f"p95 {percentile(ms, 0.95):.0f} ms, max {max(ms):.0f} ms")  # fmt: skip
    finally:
        for seat in seats:
            await seat.close()
        server.terminate()
        server.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--keys", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(run(args.seats, args.keys))


if __name__ == "__main__":
    main()
