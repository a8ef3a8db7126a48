"""Command line: `tui-dl` opens the app; `run`, `sweep`, `runs`, `data`, `lessons` and
`ethics` work without it.

Kept light on purpose: it imports neither textual nor tensorflow until a command needs it,
so `tui-dl runs` answers at once and the app paints fast.
"""

from __future__ import annotations

import argparse
import sys

from tui_dl import __version__


def _parser() -> argparse.ArgumentParser:
    from tui_dl.engine.experiments import EXPERIMENTS

    parser = argparse.ArgumentParser(
        prog="tui-dl", description="A terminal deep-learning classroom and lab."
    )
    parser.add_argument("--version", action="version", version=f"tui-dl {__version__}")
    parser.add_argument(
        "--screen",
        default="home",
        help="open on this screen: home, runs, lab, sweep, data, help, confusion, misclassified, "
        "attention, probe, reviews (an imdb-lstm run), project:mammogram, imagenet (the model "
        "zoo), lesson:ID (see `tui-dl lessons`), ethics or ethics:PROJECT",
    )
    parser.add_argument(
        "--run", metavar="ID", help="a run id (or `latest`) for the lab and the run screens"
    )
    parser.add_argument("--true", type=int, metavar="T", help="misclassified: only true class T")
    parser.add_argument("--pred", type=int, metavar="P", help="misclassified: only predicted P")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="folder with the datasets (default: $TUI_DL_DATA)"
    )
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="train an experiment in the foreground")
    run.add_argument("experiment", choices=sorted(EXPERIMENTS))
    _add_param_options(run, EXPERIMENTS.values())
    run.add_argument("--device", default="cpu", help="cpu, gpu or gpu:N (default cpu)")
    run.add_argument("--data-dir", dest="run_data_dir", metavar="DIR")
    run.add_argument(
        "--json",
        action="store_true",
        help="print the result as one JSON object on the last line of stdout",
    )

    project = sub.add_parser("project", help="run a course project headless (mammogram)")
    project.add_argument("name", choices=["mammogram"])
    _add_param_options(project, [EXPERIMENTS["mammogram"]])
    project.add_argument("--device", default="cpu", help="cpu, gpu or gpu:N (default cpu)")
    project.add_argument("--data-dir", dest="run_data_dir", metavar="DIR")
    project.add_argument(
        "--json",
        action="store_true",
        help="print the result as one JSON object on the last line of stdout",
    )

    sweep = sub.add_parser(
        "sweep", help="train one experiment over learning rates × batch sizes, cell by cell"
    )
    sweep.add_argument("experiment", choices=sorted(EXPERIMENTS))
    sweep.add_argument(
        "--lr", required=True, metavar="LIST", help="learning rates, e.g. 0.1,0.01,0.001"
    )
    sweep.add_argument(
        "--batch-size", dest="batch_sizes", required=True, metavar="LIST", help="e.g. 32,128"
    )
    _add_param_options(sweep, EXPERIMENTS.values(), skip=("learning_rate", "batch_size"))
    sweep.add_argument("--device", default="cpu", help="cpu, gpu or gpu:N (default cpu)")
    sweep.add_argument("--data-dir", dest="run_data_dir", metavar="DIR")
    sweep.add_argument(
        "--json",
        action="store_true",
        help="print the grid, each cell's result and lesson, and the best cell as one JSON "
        "object on the last line of stdout",
    )

    runs = sub.add_parser("runs", help="list past runs")
    runs.add_argument("--json", action="store_true")

    data = sub.add_parser("data", help="dataset status and downloads")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    data_sub.add_parser("status", help="which datasets are available, and from where")
    fetch = data_sub.add_parser("fetch", help="download a dataset into the Keras cache")
    fetch.add_argument("name", help="a dataset name, or `all`")

    sub.add_parser("lessons", help="list the lessons and how far you got in each")
    ethics = sub.add_parser("ethics", help="the ethics checklist of a project")
    ethics_sub = ethics.add_subparsers(dest="ethics_command", required=True)
    export = ethics_sub.add_parser("export", help="write a project's checklist as Markdown")
    export.add_argument("project", help="e.g. general or mammogram")
    export.add_argument("--out", metavar="FILE", help="write here instead of to stdout")
    return parser


def _add_param_options(
    parser: argparse.ArgumentParser, experiments, skip: tuple[str, ...] = ()
) -> None:
    """--epochs, --batch-size, ...: one option per setting any of these experiments has."""
    seen: set[str] = set(skip)
    for exp in experiments:
        for param in exp.params:
            if param.name in seen:
                continue
            seen.add(param.name)
            parser.add_argument(
                f"--{param.name.replace('_', '-')}",
                dest=f"param_{param.name}",
                metavar="VALUE",
                help=f"{param.label} (default {param.default})",
            )


def _params(args: argparse.Namespace) -> dict[str, str]:
    return {k[6:]: v for k, v in vars(args).items() if k.startswith("param_") and v is not None}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        from tui_dl.cli.run import run_command

        return run_command(
            args.experiment,
            _params(args),
            args.device,
            args.run_data_dir or args.data_dir,
            args.json,
        )
    if args.command == "project":
        from tui_dl.cli.project import project_command

        return project_command(
            args.name, _params(args), args.device, args.run_data_dir or args.data_dir, args.json
        )
    if args.command == "sweep":
        from tui_dl.cli.sweep import sweep_command

        return sweep_command(
            args.experiment,
            _params(args),
            args.lr,
            args.batch_sizes,
            args.device,
            args.run_data_dir or args.data_dir,
            args.json,
        )
    if args.command == "runs":
        from tui_dl.cli.run import runs_command

        return runs_command(args.json)
    if args.command == "data":
        from tui_dl.cli.data import data_fetch_command, data_status_command

        if args.data_command == "status":
            return data_status_command(args.data_dir)
        return data_fetch_command(args.name, args.data_dir)
    if args.command == "lessons":
        return lessons_command()
    if args.command == "ethics":
        return ethics_export_command(args.project, args.out)
    return _run_app(args)


def lessons_command() -> int:
    """One line per lesson with its progress; broken lesson files on stderr (exit 1)."""
    from tui_dl.lessons import load_lessons, load_progress

    lessons, problems = load_lessons()
    progress, trouble = load_progress()
    if trouble:
        print(f"tui-dl: {trouble}", file=sys.stderr)
    for lesson in lessons:
        done = progress.get(lesson.id)
        label = done.label(len(lesson.pages)) if done else f"0/{len(lesson.pages)} pages"
        print(
            f"{lesson.order:>2}. {lesson.title:<30} {label:<11} tui-dl --screen lesson:{lesson.id}"
        )
    for problem in problems:
        print(f"tui-dl: {problem}", file=sys.stderr)
    return 1 if problems else 0


def ethics_export_command(project: str, out: str | None) -> int:
    from pathlib import Path

    from tui_dl.lessons.ethics import EthicsError, checklist_markdown, load_checklist

    try:
        text = checklist_markdown(load_checklist(project))
    except EthicsError as exc:
        print(f"tui-dl: {exc}", file=sys.stderr)
        return 1
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"tui-dl: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _run_app(args: argparse.Namespace) -> int:
    from tui_dl.ui.app import make_app, screen_problem

    problem = screen_problem(args.screen)
    if problem:
        print(f"tui-dl: {problem}", file=sys.stderr)
        return 2
    filters = {k: v for k, v in (("true", args.true), ("pred", args.pred)) if v is not None}
    if filters and args.screen != "misclassified":
        print("tui-dl: --true and --pred go with --screen misclassified", file=sys.stderr)
        return 2
    app = make_app(screen=args.screen, run=args.run, data_dir=args.data_dir, filters=filters)
    app.run()
    return app.return_code or 0
