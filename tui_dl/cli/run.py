"""`tui-dl run` and `tui-dl runs`: the engine in the foreground, with a text progress bar."""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.measure import Measurement
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from tui_dl.analysis.report import run_report
from tui_dl.analysis.summary import outcome
from tui_dl.cli.console import console, error
from tui_dl.cli.parser import settings
from tui_dl.cli.warnings import warn_about_data_folder
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, Status
from tui_dl.engine.experiments import metric
from tui_dl.engine.jobs.launch import cancel_run, launch_run
from tui_dl.engine.store import RunInfo, RunStore, short_ids
from tui_dl.text import ago, bar, percent


def run_from_args(args: argparse.Namespace) -> int:
    return run_command(
        args.experiment,
        settings(args),
        args.device,
        args.data_dir,
        args.json,
        cluster=args.cluster,
        gpu_share=args.gpu_share,
    )


def runs_from_args(args: argparse.Namespace) -> int:
    if args.compare:
        from tui_dl.cli.compare import compare_command

        return compare_command(args.compare, args.baseline, args.sort, args.json)
    if args.baseline or args.sort:
        error(console(stderr=True), "--baseline and --sort go with --compare ID ID...")
        return 2
    return runs_command(args.json)


def run_command(
    experiment: str,
    params: dict[str, Any],
    device: str,
    data_dir: str | None,
    as_json: bool,
    on_finished: Callable[[RunInfo, dict[str, Any], Console], None] | None = None,
    cluster: str | None = None,
    gpu_share: float | None = None,
) -> int:
    """Launch, follow with a progress bar, summarise; `on_finished` may add to the report."""
    err = console(stderr=True)
    warn_about_data_folder(err, data_dir)
    try:
        handle = launch_run(
            experiment, params, device=device, data_dir=data_dir, cluster=cluster,
            gpu_share=gpu_share,
        )  # fmt: skip
    except ValueError as exc:
        error(err, exc)
        return 2
    err.print(Text.assemble("run ", (handle.run_id, "bold"), f" — {handle.run_dir}"))
    for line in handle.before:
        err.print(line, highlight=False, markup=False)
    _say_cost(err, handle.run_dir.parent, experiment, params, device)
    log = EventLog(handle.run_dir)
    status = None
    progress = Progress(
        TextColumn("{task.description}", markup=False),
        # As wide as 80 columns leave beside the words (40 where there is room).
        BarColumn(bar_width=max(10, min(40, err.width - 72))),
        TextColumn("{task.fields[detail]}", markup=False),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    task = progress.add_task("starting TensorFlow", total=None, detail="")
    try:
        with progress:
            while status is None:
                for event in log.read_new():
                    status = _show(progress, task, event) or status
                if status is None and handle.process.poll() is not None:
                    handle.reaper.join(2)  # it writes the last word of a child that died
                    for event in log.read_new():
                        status = _show(progress, task, event) or status
                    status = status or Status.FAILED
                time.sleep(0.1)
    except KeyboardInterrupt:
        err.print("cancelling…")
        cancel_run(handle.run_dir, handle=handle)
    handle.wait(5)
    info = RunStore(handle.run_dir.parent).info(handle.run_dir)
    report = run_report(info)
    _summary(err, info)
    if on_finished is not None and info.status == Status.FINISHED:
        on_finished(info, report, err)
    if as_json:
        print(json.dumps(report))
    exit_codes: dict[str, int] = {Status.FINISHED: 0, Status.CANCELLED: 130}
    return exit_codes.get(info.status, 1)


def _say_cost(err: Console, runs: Path, name: str, params: dict[str, Any], device: str) -> None:
    """Before a long CPU run of an experiment the course ran on a GPU: what it will cost."""
    from tui_dl.engine.experiments import get_experiment
    from tui_dl.engine.experiments.cost import duration, estimate

    experiment = get_experiment(name)
    cost = experiment.cost
    if cost is None or device != "cpu":
        return
    params = experiment.validate(params)
    past = [  # any that trained long enough: the speed their ETA showed
        (info.spec, info.events)
        for info in RunStore(runs).list(limit=50)
        if info.experiment == name
    ][:3]
    guess = estimate(cost, params, past)
    err.print(f"this run: {guess.sentence()}")
    if guess.long:
        smaller = guess.smaller(cost, params)
        small = estimate(cost, {**params, **smaller}, past)
        err.print(
            f"the course ran it on a GPU (--device gpu); the same model on fewer images: "
            f"--train-limit {smaller['train_limit']} --epochs {smaller['epochs']} "
            f"(about {duration(small.seconds)}); ctrl+c cancels",
            style="dim",
        )


def _show(progress: Progress, task: Any, event: dict[str, Any]) -> str | None:
    kind = event.get("event")
    if kind == Event.PHASE and isinstance(event.get("queue"), dict):
        # "waiting for a CPU slot: 3rd in line (2 of 2 slots busy), about 4 min": said in
        # full once, then the short form beside the bar, which fits 80 columns.
        where, _, rest = event["phase"].partition(": ")
        if not next(t for t in progress.tasks if t.id == task).fields.get("queued"):
            progress.console.print(event["phase"], highlight=False)
        short = re.sub(r" \([^)]*\)", "", rest)
        progress.update(task, description=f"⧗ {where}", detail=short, queued=True)
    elif kind == Event.PHASE:
        progress.update(task, description=event["phase"], detail="", queued=False)
        if event["phase"] == "training":
            progress.update(task, total=event["epochs"] * event["steps"], completed=0)
    elif kind == Event.PROGRESS:
        done = (event["epoch"] - 1) * event["steps"] + event["batch"]
        loss = event.get("loss")
        detail = (
            f"epoch {event['epoch']}/{event['epochs']}  {event['samples_per_s']:,.0f} samples/s"
        )
        if loss is not None:
            detail += f"  loss {loss:.4f}"
        progress.update(task, completed=done, detail=detail)
    elif kind == Event.FOLD_END:
        progress.console.print(
            f"fold {event['fold']:>2}/{event['folds']}  accuracy {event['accuracy']:.3f}  "
            f"sensitivity {event['sensitivity']:.3f}  specificity {event['specificity']:.3f}"
        )
    elif kind == Event.EPOCH_END and "fold" not in event:
        logs = event["logs"]
        stage = f"{event['stage']:<8} " if "stage" in event else ""
        progress.console.print(
            f"{stage}epoch {event['epoch']:>3}/{event['epochs']}  "
            + "  ".join(f"{k} {v:.4f}" for k, v in logs.items() if v is not None)
        )
    elif kind in TERMINAL_EVENTS:
        return kind
    return None


def _summary(err: Console, info: RunInfo) -> None:
    """The run's outcome (`tui_dl.analysis.summary`) as the command line says it."""
    run = outcome(info.status, info.events, info.spec)
    if info.status == Status.FINISHED:
        shown = run.metric or metric("test_accuracy")
        label = run.metric.label if run.metric else "result"
        course = f" (the course: {shown.format(run.course)})" if run.course is not None else ""
        epoch = f" in epoch {run.value_epoch}, its last" if run.value_epoch is not None else ""
        err.print(
            Text.assemble(
                ("finished", "green"),
                f": {label} {shown.format(run.value)}{epoch}{course} "
                f"on {run.data_source}, device {run.device}, {run.duration_s or 0:.1f} s",
            )
        )
        for line in run.comparison:
            err.print(f"  {line}", highlight=False)
        for guess in run.top:
            err.print(
                f"  {guess['rank']:>2}. {guess['label']:<28} {bar(guess['probability'], 20)} "
                f"{guess['probability'] * 100:5.1f} %",
                highlight=False,
            )
    elif info.status == Status.CANCELLED:
        err.print("cancelled", style="yellow")
    else:
        error(err, run.message)


def runs_command(as_json: bool) -> int:
    infos = RunStore().list()
    if as_json:
        print(json.dumps([run_report(i) for i in infos]))
        return 0
    out = console()
    if not infos:
        out.print("No runs yet. Start one with `tui-dl run mnist-mlp` or from the app's lab.")
        return 0
    ids = {i.run_id: i.run_id for i in infos}
    table = _runs_table(infos, ids)
    if Measurement.get(out, out.options.update_width(10_000), table).maximum > out.width:
        ids = short_ids(list(ids))  # as git shortens a hash: a start no other id shares
        table = _runs_table(infos, ids)
    out.print(table)
    out.print(
        Text.assemble(
            "Any command takes an id or its start: ",
            (f"tui-dl --screen lab --run {ids[infos[0].run_id]}", "bold"),
        ),
        style="dim",
    )
    return 0


def _runs_table(infos: list[RunInfo], ids: dict[str, str]) -> Table:
    table = Table(box=None, pad_edge=False, collapse_padding=True)  # one space between
    table.add_column("id", no_wrap=True)
    for name in ("experiment", "status", "accuracy", "epochs", "when"):
        table.add_column(name)
    for info in infos:
        table.add_row(
            ids[info.run_id],
            Text(info.experiment),  # from spec.json: text, never markup
            Text(info.status_words),
            percent(info.accuracy),
            info.trained.words,
            _when(info.created),
        )
    return table


def _when(created: float) -> str:
    """'3 h ago'; older, '9 days ago' (the id beside it says the date and time)."""
    days = int((time.time() - created) // 86400)
    return ago(created) if days < 1 else f"{days} day{'s' if days > 1 else ''} ago"
