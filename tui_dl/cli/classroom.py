"""`tui-dl class` (the room at a glance) and `tui-dl queue` (its slots and line, its limits)."""

from __future__ import annotations

import argparse
import json
import os

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui_dl import paths
from tui_dl.cli.console import console, error


def use_workshop(folder: str | None, instructor: bool) -> str | None:
    """Point this process at `--workshop DIR` (made when missing); an error message or None."""
    if not folder:
        return None
    from tui_dl.engine.workshop.folder import open_workshop

    try:
        open_workshop(folder, instructor=instructor)
    except OSError as exc:
        return f"the workshop folder {folder}: {exc.strerror or exc}"
    except ValueError as exc:  # as root without an instructor named, say
        return f"the workshop folder {folder}: {exc}"
    os.environ[paths.WORKSHOP_ENV] = str(paths.Path(folder).expanduser().resolve())
    from tui_dl.engine.workshop.folder import enter_workshop

    enter_workshop()
    return None


def class_command(args: argparse.Namespace) -> int:
    err = console(stderr=True)
    problem = use_workshop(args.workshop, instructor=True)
    if problem:
        error(err, problem)
        return 2
    from tui_dl.analysis.classroom.state import as_json, read_class

    state = read_class()
    if args.json:
        print(json.dumps(as_json(state)))
        return 0
    print_class(console(), state)
    return 0


def print_class(out: Console, state) -> None:
    from tui_dl.analysis.classroom.state import progress_words, result_words
    from tui_dl.engine.experiments import EXPERIMENTS

    where = paths.workshop()
    count = len(state.people)
    people_word = "person" if count == 1 else "people"
    where_words = f" — {where or paths.shared()} ({count} {people_word})"
    out.print(Text.assemble(("The class", "bold"), where_words))
    people = Table(box=None, pad_edge=False)
    for column in ("who", "where", "experiment", "now", "result", "the course", "runs"):
        people.add_column(column)
    for person in state.people:
        run = person.current
        if run is None:
            people.add_row(person.label, person.where, "—", "no run yet", "", "", "0")
            continue
        mine, course = result_words(run)
        people.add_row(
            person.label,
            person.where,
            run.experiment,
            progress_words(run),
            mine,
            course,
            str(len(person.runs)),
        )
    out.print(people if state.people else "Nobody has sat down or run anything yet.")
    for name, entries in state.leaderboards.items():
        title = EXPERIMENTS[name].title if name in EXPERIMENTS else name
        out.print(Text.assemble("\n", (title, "bold"), " — best run each"))
        for place, entry in enumerate(entries[:10], 1):
            out.print(f"  {place:>2}. {entry.label:<24} {entry.text:>9}  {entry.run_id}")
    out.print()
    print_queue(out, state.queue)
    gpus = state.gpus
    out.print(gpus if isinstance(gpus, str) else "\n".join(g.line for g in gpus))


def print_queue(out: Console, queue) -> None:
    if not queue.devices:
        out.print("The queue: empty (no run has asked for a slot yet).")
    for device, line in queue.devices.items():
        word = "CPU" if device == "cpu" else f"GPU {device[3:]}"
        running = ", ".join(str(h.info.get("run_id", "?")) for h in line.held) or "none"
        out.print(f"{word}: {len(line.held)} of {line.slots} slots busy — running {running}")
        for waiting in line.waiting:
            owner = (waiting.info.get("owner") or {}).get("name", "?")
            out.print(f"  {waiting.position + 1}. {waiting.run_id} ({owner})")


def _prepare_slots() -> None:
    """In a workshop, the instructor makes the slot files the new limits need (theirs,
    read-only to everyone: a run locks one, nobody can remove it from under another)."""
    if paths.workshop() is None:
        return
    from tui_dl.engine.queue.queue import prepare_queue

    prepare_queue(paths.queue_dir(), os.geteuid(), -1)


def queue_command(args: argparse.Namespace) -> int:
    err = console(stderr=True)
    setting = args.queue_command == "set"
    problem = use_workshop(args.workshop, instructor=setting)
    if problem:
        error(err, problem)
        return 2
    from tui_dl.engine.queue import RunQueue, limits
    from tui_dl.engine.queue.limits import write_config

    if setting:
        values = {
            "cpu_slots": args.cpu_slots,
            "gpu_slots": args.gpu_slots,
            "gpu_memory_mb": args.gpu_memory_mb,
        }
        given = {k: (None if v == "auto" else v) for k, v in values.items() if v is not None}
        if not given:
            error(err, "nothing to set: --cpu-slots, --gpu-slots or --gpu-memory-mb")
            return 2
        try:
            write_config(**given)
            _prepare_slots()
        except (ValueError, OSError) as exc:
            error(err, exc)
            return 2
    try:
        limit = limits()
    except ValueError as exc:
        error(err, f"{exc} (in the environment)")
        return 2
    from tui_dl.engine.queue.place import slots_of

    queue = RunQueue(limit=limit).state(slots_of)
    if getattr(args, "json", False):
        print(
            json.dumps(
                {
                    "limits": {
                        "cpu_slots": limit.cpu_slots,
                        "gpu_slots": limit.gpu_slots,
                        "gpu_memory_mb": limit.gpu_memory_mb,
                    },
                    "devices": {
                        device: {
                            "slots": q.slots,
                            "running": [h.info for h in q.held],
                            "waiting": [{"position": w.position + 1, **w.info} for w in q.waiting],
                        }
                        for device, q in queue.devices.items()
                    },
                }
            )
        )
        return 0
    out = console()
    gpu = limit.gpu_slots if limit.gpu_slots is not None else "its memory ÷ the per-run limit"
    out.print(
        f"Limits: {limit.cpu_slots} on the CPU, {gpu} per GPU, "
        f"{limit.gpu_memory_mb} MB of GPU memory per run"
    )
    print_queue(out, queue)
    return 0
