"""`tui-dl ganlab`: the GAN Lab's numpy GAN trained headless (no TensorFlow, no app) and how
close its fakes came. `tui-dl --screen ganlab` opens it in the app."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

from tui_dl.text import sentence

DEFAULT_ITERATIONS = 3000
OPTIONS = {
    "seed": "seed",
    "optimizer": "optimizer",
    "d_rate": "d_learning_rate",
    "g_rate": "g_learning_rate",
    "d_steps": "d_steps",
    "g_steps": "g_steps",
}
"""Command-line options → the settings they set."""


def looks_like_a_file(name: str) -> bool:
    """Whether `--dataset NAME` names a file (one that is there, or a path or a .csv), not a
    misspelt dataset."""
    path = os.path.expanduser(name)
    return os.path.lexists(path) or name.lower().endswith(".csv") or os.sep in name


def ganlab_command(args: argparse.Namespace) -> int:
    from tui_dl.engine.ganlab.datasets import DATASETS, DataError
    from tui_dl.engine.ganlab.session import GanLab
    from tui_dl.engine.ganlab.settings import GanSettings, SettingError
    from tui_dl.lessons.progress import note_visit

    changes: dict[str, object] = {
        setting: getattr(args, option)
        for option, setting in OPTIONS.items()
        if getattr(args, option) is not None
    }
    if args.dataset in DATASETS:
        changes["dataset"] = args.dataset
    elif looks_like_a_file(args.dataset):  # a file of the learner's own points
        changes.update(dataset="csv", csv=args.dataset)
    else:
        print(
            f"tui-dl ganlab: no dataset {args.dataset!r}: one of {', '.join(DATASETS)}, "
            "or a CSV file of x,y rows",
            file=sys.stderr,
        )
        return 2
    try:
        lab = GanLab(GanSettings().with_(**changes))
    except (SettingError, DataError) as exc:
        print(f"tui-dl ganlab: {exc}", file=sys.stderr)  # a path as spelt, not capitalised
        return 2
    iterations = DEFAULT_ITERATIONS if args.iterations is None else args.iterations
    started = time.perf_counter()
    lab.train(iterations)
    seconds = time.perf_counter() - started
    note_visit("ganlab")  # the course's GAN Lab step, done from the shell
    m = lab.metrics()
    report = {
        "dataset": lab.real.name,
        "iterations": lab.iteration,
        "d_loss": m.d_loss,
        "g_loss": m.g_loss,
        "d_on_real": m.d_on_real,
        "d_on_fake": m.d_on_fake,
        "distance": m.distance,
        "kl": m.kl,
        "stopped": lab.stopped or None,
        "settings": dataclasses.asdict(lab.settings),
        "seconds": round(seconds, 3),
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"iteration {lab.iteration} on {lab.real.name}: D loss {m.d_loss:.3f}, "
            f"G loss {m.g_loss:.3f} (1.386 and 0.693 when D cannot tell)"
        )
        print(
            f"D says real: {m.d_on_real:.2f} on real points, {m.d_on_fake:.2f} on fakes; "
            f"fakes {m.distance:.3f} from the nearest real point on average; KL {m.kl:.2f}"
        )
        if lab.stopped:
            print(sentence(lab.stopped))
    return 1 if lab.stopped else 0
