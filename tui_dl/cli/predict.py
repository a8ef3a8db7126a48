"""`tui-dl predict RUN PATH... [--threshold X] [--json]`: ask a my-images run about pictures
it was never shown — each file named, or every picture in a folder named — and print its top
classes with their confidences, how sure it was over them all beside how sure it was of its
own test pictures, and what a confidence threshold would refuse.

The asking is a short job in a child process (TensorFlow never enters this one), as the app's
views do it; its answers are kept in the run's folder (yours) or your notes for it."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from rich.text import Text

from tui_dl.cli.console import console, error
from tui_dl.cli.jobs import follow, named_run


def predict_command(args: argparse.Namespace) -> int:
    err = console(stderr=True)
    info = named_run(args.run, err)
    if info is None:
        return 2
    run_dir = info.run_dir
    if info.experiment != "my-images":
        error(
            err,
            f"run {run_dir.name} is a {info.experiment} run: predict asks a my-images run (one "
            "trained on your own pictures; `tui-dl run my-images --folder DIR`)",
        )
        return 2
    if info.status != "finished":
        error(err, f"run {run_dir.name} is {info.status}: predict asks a finished run")
        return 2
    missing = [p for p in args.paths if not os.path.lexists(os.path.expanduser(p))]
    if missing:
        error(err, f"{missing[0]}: there is no such file or folder")
        return 2
    found = ask(run_dir, args, err)
    if isinstance(found, int):
        return found
    if args.json:
        print(json.dumps(as_json(run_dir, found, args.threshold)))
    else:
        console().print(as_text(run_dir, found, args.threshold))
    return 0


def ask(run_dir: Path, args: argparse.Namespace, err: Any) -> Any:
    """The job launched and followed (its phases said on stderr); its answers, or an exit
    code when it failed."""
    from tui_dl.analysis.artifacts import UnreadableArtifact
    from tui_dl.analysis.predicted import load_predicted
    from tui_dl.engine.jobs.insights import launch_job
    from tui_dl.engine.store import read_spec
    from tui_dl.engine.workshop.seats import notes_dir

    job_args: dict[str, Any] = {"paths": [str(Path(p).expanduser().resolve()) for p in args.paths]}
    if args.threshold is not None:
        job_args["threshold"] = args.threshold
    handle = launch_job(run_dir, "predict", job_args)
    last = follow(handle, err, quiet=args.json)
    if last.get("event") != "finished":
        why = last.get("message") or f"the job ended without an answer (see {handle.run_dir})"
        error(err, str(why))
        return 1
    try:
        return load_predicted(notes_dir(run_dir, read_spec(run_dir)))
    except (OSError, UnreadableArtifact) as exc:
        error(err, f"the answers cannot be read: {exc}")
        return 1


def named(found: Any, index: int) -> list[tuple[str, float]]:
    names = found.report["class_names"]
    return [(names[int(c)], p) for c, p in found.report["answers"][index]["top"]]


def as_text(run_dir: Path, found: Any, threshold: float | None) -> Text:
    from tui_dl.analysis.predicted import NONE_OF_THESE
    from tui_dl.data.my_images.other import OTHER

    report = found.report
    names = report["class_names"]
    limit = report["threshold"]
    out = Text()
    out.append(f"Run {run_dir.name} knows {len(names)} classes: {', '.join(names)}.\n\n")
    width = min(24, max(len(a["path"]) for a in report["answers"]))
    answer_width = (
        max(len(NONE_OF_THESE), *(len(n) for n in names))
        if limit > 0
        else max(len(n) for n in names)
    )
    for i, answer in enumerate(report["answers"]):
        path = answer["path"]
        shown = path if len(path) <= width else "…" + path[-width + 1 :]
        out.append(f"  {shown:<{width}}  ")
        said = found.answer(i)
        out.append(f"{said:<{answer_width}}", style="bold" if said != NONE_OF_THESE else "yellow")
        (_, first), *others = named(found, i)
        rest = ", ".join(f"{name} {p:.0%}" for name, p in others)
        out.append(f"  {first:.0%}" + (f", then {rest}" if rest else "") + "\n", style="dim")
    asked, taught = report["asked"], report["taught"]
    out.append(
        f"\nHow sure it was (its top confidence): {asked['mean']:.1%} ± {asked['spread']:.1%} "
        f"over these {asked['n']} pictures"
    )
    if taught:
        out.append(
            f"; {taught['mean']:.1%} ± {taught['spread']:.1%} over its own {taught['n']} test "
            "pictures"
        )
    out.append(".\n")
    sure = sum(a["top"][0][1] >= 0.9 for a in report["answers"])
    out.append(
        "It must pick one of the classes it knows: a picture of anything else still gets one "
        f"of them ({sure} of these {asked['n']} at 90 % or more).\n"
    )
    if OTHER in names:
        out.append(
            f'Its "{OTHER}" class, taught from a folder of everything else, took '
            f"{found.chose(OTHER)} of these {asked['n']}: the answer it learned for none of "
            "its classes.\n"
        )
    if limit > 0:
        out.append(
            f'Threshold {limit:.0%}: it answers "{NONE_OF_THESE}" for '
            f"{found.refused(limit)} of these {asked['n']} pictures"
        )
        out.append(".\n")
    else:
        for trial in (0.5, 0.8, 0.95):
            out.append(
                f'With --threshold {trial}: "{NONE_OF_THESE}" for {found.refused(trial)} of '
                f"these {asked['n']}.\n"
            )
    for skip in report["skipped"]:
        out.append(f"skipped {skip['path']}: {skip['reason']}\n", style="dim")
    return out


def as_json(run_dir: Path, found: Any, threshold: float | None) -> dict[str, Any]:
    from tui_dl.data.my_images.other import OTHER

    report = found.report
    return {
        "run": run_dir.name,
        "class_names": report["class_names"],
        "threshold": report["threshold"],
        "answers": [
            {"path": a["path"], "answer": found.answer(i), "top": named(found, i)}
            for i, a in enumerate(report["answers"])
        ],
        "refused": found.refused(report["threshold"]) if report["threshold"] > 0 else 0,
        "other": found.chose(OTHER) if OTHER in report["class_names"] else None,
        "asked": report["asked"],
        "taught": report["taught"],
        "skipped": report["skipped"],
    }
