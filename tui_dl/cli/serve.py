"""`tui-dl serve`: the app in browsers, one process a tab (textual-serve), for a workshop."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def serve_command(args: argparse.Namespace) -> int:
    from tui_dl.ui.serve.address import address_problem, bind_words, links, public_url_problem
    from tui_dl.ui.serve.server import WorkshopServer, app_command, new_token

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
    public_url = args.public_url
    if public_url is not None and (why := public_url_problem(public_url)):
        problems.append(f"--public-url {public_url}: {why}")
    if not problems and (where := address_problem(args.host, args.port)):
        problems.append(where)
    if problems:
        for problem in problems:
            print(f"tui-dl serve: {problem}", file=sys.stderr)
        return 2
    token = token or new_token()  # always: the loopback is every local user's, and every site's
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
    given = getattr(args, "data_dir", None)
    data_dir = Path(given).expanduser().resolve() if given else None
    idle = args.idle_minutes if args.idle_minutes is not None else 30.0
    server = WorkshopServer(
        app_command(str(data_dir) if data_dir else None),
        host=args.host,
        port=args.port,
        token=token,
        seats=args.seats,
        idle_s=idle * 60 or None,
        workshop=workshop,
        public_url=public_url,
        data_dir=data_dir,
    )
    print("tui-dl serve: every browser tab gets its own tui-dl")
    for link in links(args.host, args.port, token, public_url):
        print(f"  {link}")
    seats = f"{args.seats} seats" if args.seats else "no seat limit"
    idle_text = f"idle seats close after {idle:g} min" if idle else "idle seats stay open"
    print(f"  {seats} · {idle_text}" + (f" · workshop {workshop}" if workshop else ""))
    print("  without the token in the link, a visitor gets a refusal page")
    print("ctrl+c stops the server (the runs it started go on)", flush=True)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and the start
        print(f"tui-dl serve: {bind_words(exc, args.host, args.port)}", file=sys.stderr)
        return 2
    return 0
