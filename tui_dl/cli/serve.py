"""`tui-dl serve`: the app in browsers, one process a tab (textual-serve), for a workshop."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path


def serve_command(args: argparse.Namespace) -> int:
    from tui_dl.ui.serve.server import WorkshopServer, app_command, links, needs_token

    problems = []
    if args.seats is not None and args.seats < 1:
        problems.append(f"--seats {args.seats}: at least 1")
    if args.idle_minutes is not None and args.idle_minutes < 0:
        problems.append(f"--idle-minutes {args.idle_minutes}: 0 (never) or more")
    if not 0 < args.port < 65536:
        problems.append(f"--port {args.port}: a port is 1–65535")
    token = args.token
    if token is not None and (len(token) < 8 or not token.isprintable() or " " in token):
        problems.append("--token: at least 8 characters, no spaces")
    if problems:
        for problem in problems:
            print(f"tui-dl serve: {problem}", file=sys.stderr)
        return 2
    if token is None and needs_token(args.host):
        token = secrets.token_urlsafe(12)
    workshop: Path | None = None
    if args.workshop:
        from tui_dl.engine.workshop.folder import enter_workshop, open_workshop

        try:
            open_workshop(args.workshop, instructor=True)
        except OSError as exc:
            print(f"tui-dl serve: the workshop folder {args.workshop}: {exc}", file=sys.stderr)
            return 2
        workshop = Path(args.workshop).expanduser().resolve()
        os.environ["TUI_DL_WORKSHOP"] = str(workshop)
        enter_workshop()
    data_dir = getattr(args, "data_dir", None)
    idle = args.idle_minutes if args.idle_minutes is not None else 30.0
    server = WorkshopServer(
        app_command(str(Path(data_dir).expanduser().resolve()) if data_dir else None),
        host=args.host,
        port=args.port,
        token=token,
        seats=args.seats,
        idle_s=idle * 60 or None,
        workshop=workshop,
    )
    print("tui-dl serve: every browser tab gets its own tui-dl")
    for link in links(args.host, args.port, token):
        print(f"  {link}")
    seats = f"{args.seats} seats" if args.seats else "no seat limit"
    idle_text = f"idle seats close after {idle:g} min" if idle else "idle seats stay open"
    print(f"  {seats} · {idle_text}" + (f" · workshop {workshop}" if workshop else ""))
    if token:
        print("  without the token in the link, a visitor gets a refusal page")
    print("ctrl+c stops the server (the runs it started go on)", flush=True)
    server.serve()
    return 0
