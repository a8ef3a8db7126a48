"""`tui-dl cluster status`: the Ray cluster's nodes, their CPUs and GPUs, and which runs are
where."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def cluster_command(args: argparse.Namespace) -> int:
    from tui_dl.engine.cluster import check_address

    try:
        address = check_address(args.cluster)
    except ValueError as exc:
        print(f"tui-dl cluster: {exc}", file=sys.stderr)
        return 2
    from tui_dl.engine.cluster.status import cluster_status

    try:
        status = cluster_status(address)
    except (ConnectionError, RuntimeError) as exc:
        print(f"tui-dl cluster: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(status))
        return 0
    print_status(status)
    return 0


def share(free: float | None, total: float) -> str:
    return f"{total:g}" if free is None else f"{free:g} of {total:g} free"


def print_status(status: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from tui_dl.cli.console import console

    out = console()
    out.print(
        Text.assemble(
            ("Ray cluster", "bold"), f" {status['address']} — {len(status['nodes'])} node(s)"
        )
    )
    nodes = Table(box=None, pad_edge=False)
    for column in ("node", "alive", "CPUs", "GPUs", "memory"):
        nodes.add_column(column)
    for node in status["nodes"]:
        nodes.add_row(
            node["address"],
            "yes" if node["alive"] else "no",
            share(node["cpus_free"], node["cpus"]),
            share(node["gpus_free"], node["gpus"]),
            f"{node['memory_gib']:.1f} GiB",
        )
    out.print(nodes)
    out.print(f"Free in all: {status['cpus_free']:g} CPU(s), {status['gpus_free']:g} GPU(s)")
    out.print("A run asks for one CPU, or a GPU or a share of one (--gpu-share).", style="dim")
    if not status["runs"]:
        out.print("No run of this machine's tui-dl has gone to a cluster yet.")
        return
    out.print(Text.assemble("\n", ("Runs sent to a cluster", "bold"), " (newest first)"))
    for run in status["runs"]:
        out.print(f"  {run['run_id']:<38} {run['status']:<10} {run['node'] or '—'}")
