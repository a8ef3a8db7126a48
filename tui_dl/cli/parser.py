"""The command line's grammar: every command, and each experiment's own settings.

`tui-dl run NAME -h` lists NAME's settings only, with their defaults and ranges, because
each experiment is a sub-command of `run` (and of `sweep`) built from its own parameter list.
The options every run takes (`--device`, `--data-dir`, `--json`) are defined once and shared
through argparse's `parents=`. Light on purpose: no textual, no TensorFlow.

The app's start reads its command line without that grammar (`parse_app_only`): `tui-dl`
and `tui-dl --screen lab` hold the app's options alone, and the commands' grammar, with the
experiments' catalogue it is built from, was 15–25 ms of the first frame.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn

from tui_dl import __version__
from tui_dl.ui import registry

if TYPE_CHECKING:
    from tui_dl.engine.experiments import Experiment, Param

HEADLESS_PROJECTS = ("mammogram",)
"""The course projects `tui-dl project NAME` runs headless, with their report."""
SETTING = "setting_"
"""Prefix of the namespace entries that hold an experiment's settings."""


PLAYGROUND_EPOCHS_MAX = 100_000
"""The headless Playground's most epochs (a few minutes of its numpy network)."""
GAN_ITERATIONS_MAX = 1_000_000
"""The headless GAN Lab's most iterations (its default is 3,000)."""
CLASS_MAX = 999
"""The highest class number a run's predictions can hold (ImageNet's 1,000 classes)."""


def whole(low: int, high: int) -> Callable[[str], int]:
    """An argument's type: a whole number from `low` to `high`, refused as it is parsed
    (argparse says which argument, and the status is 2), not deep inside a command."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text}: a whole number from {low} to {high}")
        return value

    return parse


def fraction(text: str) -> float:
    """An argument's type: a number from 0 to 1."""
    try:
        value = float(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text}: a number from 0 to 1")
    return value


def _data_dir(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: given before the command (`tui-dl --data-dir X run ...`) it is kept.
    parser.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="folder with the datasets (default: $TUI_DL_DATA)",
    )


def _run_options() -> argparse.ArgumentParser:
    """What every command that launches a run takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--device", default="cpu", help="cpu, gpu or gpu:N (default cpu)")
    common.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run on Ray: local (a Ray on this machine), auto, or ray://HOST:PORT "
        "(needs the cluster extra)",
    )
    common.add_argument(
        "--gpu-share", type=float, metavar="X", help="with --cluster: a share of one GPU a run"
    )
    _data_dir(common)
    common.add_argument(
        "--json",
        action="store_true",
        help="print the result as one JSON object on the last line of stdout",
    )
    return common


def _metavar(param: Param) -> str:
    from tui_dl.engine.experiments import (
        ChoiceParam,
        FloatParam,
        FolderParam,
        IntParam,
        PathParam,
    )

    kinds = (
        (IntParam, "N"),
        (FloatParam, "X"),
        (ChoiceParam, "NAME"),
        (PathParam, "FILE"),
        (FolderParam, "DIR"),
    )
    return next((name for kind, name in kinds if isinstance(param, kind)), "VALUE")


def _settings(parser: argparse.ArgumentParser, params: Iterable[Param]) -> None:
    group = parser.add_argument_group("settings")
    for param in params:
        what = f"{param.label}: {param.help}; " if param.help else f"{param.label}: "
        group.add_argument(
            f"--{param.name.replace('_', '-')}",
            dest=SETTING + param.name,
            metavar=_metavar(param),
            help=what + param.describe(),
        )


def _experiment(
    commands: argparse._SubParsersAction,
    exp: Experiment,
    parents: list[argparse.ArgumentParser],
    skip: tuple[str, ...] = (),
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        exp.name,
        parents=parents,
        help=exp.title,
        description=f"{exp.title}. {exp.summary} The course: {exp.reference.text}.",
    )
    _settings(parser, [p for p in exp.params if p.name not in skip])
    return parser


class _NotAppOnly(Exception):
    """The command line holds more than the app's options, or a mistake in them."""


class _AppOnlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotAppOnly(message)  # the whole grammar reads it again, and says what is wrong


def parse_app_only(argv: Sequence[str] | None = None) -> argparse.Namespace | None:
    """The command line, when it holds nothing but the app's own options (`--screen`,
    `--run`, …): parsed as `build_parser` would, without building the commands. None when
    it holds anything else (a command, `-h`, a mistake): `build_parser` reads that."""
    parser = _AppOnlyParser(prog="tui-dl", add_help=False)
    _app_options(parser)
    parser.set_defaults(command=None)
    try:
        args, unknown = parser.parse_known_args(argv)
    except _NotAppOnly:
        return None
    return None if unknown else args


def _app_options(parser: argparse.ArgumentParser) -> None:
    """The options of `tui-dl` itself, the app's."""
    parser.add_argument("--version", action="version", version=f"tui-dl {__version__}")
    parser.add_argument(
        "--screen", default="home", help=f"open on this screen: {registry.screen_names()}"
    )
    parser.add_argument(
        "--run", metavar="ID", help="a run id (or `latest`) for the lab and the run screens"
    )
    parser.add_argument(
        "--true", type=whole(0, CLASS_MAX), metavar="T", help="misclassified: only true class T"
    )
    parser.add_argument(
        "--pred", type=whole(0, CLASS_MAX), metavar="P", help="misclassified: only predicted P"
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="folder with the datasets (default: $TUI_DL_DATA)"
    )
    parser.add_argument(
        "--folder",
        metavar="DIR",
        help="my-images-data: a folder of your pictures, one subfolder per class",
    )


def build_parser(experiments: bool = True) -> argparse.ArgumentParser:
    """The whole grammar; without `experiments`, `run`, `sweep` and `project` take no
    experiment (the command line has none of them: the app's start needs no more)."""
    from tui_dl.engine.experiments import EXPERIMENTS
    from tui_dl.engine.experiments.params import SEED_MAX
    from tui_dl.engine.sweeps.grid import SWEPT, sweepable

    parser = argparse.ArgumentParser(
        prog="tui-dl", description="A terminal deep-learning classroom and lab."
    )
    _app_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_options = _run_options()

    run = commands.add_parser(
        "run",
        help="train an experiment in the foreground",
        description="Train one experiment in the foreground. `tui-dl run NAME -h` lists its "
        "settings.",
    )
    run_experiments = run.add_subparsers(dest="experiment", metavar="EXPERIMENT", required=True)
    for exp in EXPERIMENTS.values() if experiments else ():
        _experiment(run_experiments, exp, [run_options])

    lr_find = commands.add_parser(
        "lr-find",
        help="find a learning rate: one short pass with the rate rising, the loss against it",
        description="One short pass of an experiment's model (its settings as given) with the "
        "learning rate rising from 1e-7 to 10, each step's loss recorded, stopped when the loss "
        "blows up; then the loss against the rate and a suggested rate. `tui-dl lr-find NAME "
        "-h` lists its settings.",
    )
    lr_experiments = lr_find.add_subparsers(dest="experiment", metavar="EXPERIMENT", required=True)
    lr_options = argparse.ArgumentParser(add_help=False)
    lr_options.add_argument("--device", default="cpu", help="cpu, gpu or gpu:N (default cpu)")
    _data_dir(lr_options)
    lr_options.add_argument("--json", action="store_true", help="the result as one JSON object")
    lr_options.add_argument("--find-steps", type=whole(2, 10000), default=100, metavar="N",
                            help="steps of the pass (default 100)")  # fmt: skip
    for exp in EXPERIMENTS.values() if experiments else ():
        _experiment(lr_experiments, exp, [lr_options])

    project = commands.add_parser("project", help="run a course project headless (mammogram)")
    projects = project.add_subparsers(dest="name", metavar="PROJECT", required=True)
    for name in HEADLESS_PROJECTS if experiments else ():
        _experiment(projects, EXPERIMENTS[name], [run_options])

    sweep = commands.add_parser(
        "sweep",
        help="train one experiment over one or two settings' values, cell by cell",
        description="One run per cell of a grid over one or two settings: any number or "
        "choice setting given as a list (--hidden-units 32,128,512 --dropout 0,0.5). "
        "`tui-dl sweep NAME -h` lists them.",
    )
    sweep_experiments = sweep.add_subparsers(dest="experiment", metavar="EXPERIMENT", required=True)
    lists = argparse.ArgumentParser(add_help=False)
    grid = lists.add_argument_group("the grid")
    grid.add_argument(
        "--lr", "--learning-rate", metavar="LIST", help="learning rates, e.g. 0.1,0.01,0.001"
    )
    grid.add_argument("--batch-size", dest="batch_sizes", metavar="LIST", help="e.g. 32,128")
    grid.add_argument(
        "--seeds",
        default="1",
        metavar="K",
        help="run each cell K times, seeds seed, seed+1, …: the table shows mean ± standard "
        "deviation (default 1)",
    )
    for exp in EXPERIMENTS.values() if experiments else ():
        if sweepable(exp):
            _experiment(sweep_experiments, exp, [lists, run_options], skip=SWEPT)

    runs = commands.add_parser("runs", help="list past runs, or compare some side by side")
    runs.add_argument("--json", action="store_true")
    runs.add_argument(
        "--compare",
        nargs="+",
        metavar="ID",
        help="these runs side by side: a column for each setting that differs among them",
    )
    runs.add_argument(
        "--baseline", metavar="ID", help="with --compare: every result shown against this run"
    )
    runs.add_argument(
        "--sort",
        metavar="KEY",
        help="with --compare: order by a result, best first (accuracy, loss, …), or a setting",
    )

    data = commands.add_parser("data", help="dataset status and downloads")
    data_commands = data.add_subparsers(dest="data_command", metavar="WHAT", required=True)
    _data_dir(data_commands.add_parser("status", help="which datasets are here, and from where"))
    fetch = data_commands.add_parser("fetch", help="download a dataset into the Keras cache")
    fetch.add_argument("name", help="a dataset name, or `all`")
    _data_dir(fetch)
    show = data_commands.add_parser(
        "show",
        help="look inside a dataset before training: class balance, describe(), missing values",
        description="MNIST and Fashion-MNIST: each class's count in the training and test "
        "sets. House votes and the mammograms: the table's size, each column's missing values "
        "and pandas' describe(), and what dropping the rows with a missing value does to the "
        "class balance. `tui-dl --screen dataset:NAME` shows the same with the pictures or "
        "the table.",
    )
    show.add_argument("name", help="mnist, fashion-mnist, house-votes or mammographic-masses")
    show.add_argument("--json", action="store_true", help="the view as one JSON object")
    _data_dir(show)
    folder = data_commands.add_parser(
        "folder",
        help="look at a folder of your own pictures (one subfolder per class) before training",
        description="Each class's count (and a warning where they are unbalanced), the "
        "pictures' sizes and modes, the split's sizes, the files skipped and why, and the same "
        "picture in two classes. `tui-dl --screen my-images-data --folder DIR` shows the same "
        "with the pictures.",
    )
    folder.add_argument("path", metavar="DIR", help="the folder of class subfolders")
    folder.add_argument(
        "--other",
        metavar="OTHER_DIR",
        help="a folder of pictures of anything that is none of your classes, counted as the "
        "class 'other' (as `tui-dl run my-images --other` teaches it)",
    )
    folder.add_argument("--seed", type=int, default=0, help="the split's seed (default: 0)")
    folder.add_argument("--json", action="store_true", help="the summary as JSON")

    playground = commands.add_parser(
        "playground",
        help="the Playground: open a setup in the app, or train it headless with --epochs",
        description="STATE is a state string in the web Playground's format "
        "(activation=tanh&networkShape=4,2&...) or a whole playground.tensorflow.org URL; "
        "without one, the Playground's defaults. With --epochs (or --json) it trains "
        "headless and reports; without, it opens the app on that setup.",
    )
    playground.add_argument("state", nargs="?", default="", metavar="STATE")
    playground.add_argument(
        "--epochs",
        type=whole(0, PLAYGROUND_EPOCHS_MAX),
        metavar="N",
        help=f"train N epochs headless (at most {PLAYGROUND_EPOCHS_MAX})",
    )
    playground.add_argument("--json", action="store_true", help="one JSON object on stdout")

    ganlab = commands.add_parser(
        "ganlab",
        help="the GAN Lab's 2-D GAN trained headless, and how close its fakes came",
        description="Train the GAN Lab's numpy GAN (no TensorFlow) on a ring, a line, two "
        "blobs or your own CSV of x,y rows, and report both losses, D's verdicts, the fakes' "
        "mean distance to the nearest real point and a KL divergence. `tui-dl --screen "
        "ganlab` opens it in the app.",
    )
    ganlab.add_argument(
        "--dataset", default="ring", metavar="NAME", help="ring, line, blobs or FILE.csv"
    )
    ganlab.add_argument(
        "--iterations",
        type=whole(0, GAN_ITERATIONS_MAX),
        metavar="N",
        help=f"how long (default 3000, at most {GAN_ITERATIONS_MAX})",
    )
    ganlab.add_argument(
        "--seed", type=whole(0, SEED_MAX), metavar="N", help=f"0 to {SEED_MAX} (default 1)"
    )
    ganlab.add_argument("--optimizer", metavar="NAME", help="sgd or adam (default sgd)")
    ganlab.add_argument("--d-rate", type=float, metavar="X", help="D's learning rate")
    ganlab.add_argument("--g-rate", type=float, metavar="X", help="G's learning rate")
    ganlab.add_argument("--d-steps", type=int, metavar="N", help="D updates an iteration")
    ganlab.add_argument("--g-steps", type=int, metavar="N", help="G updates an iteration")
    ganlab.add_argument("--json", action="store_true", help="one JSON object on stdout")

    commands.add_parser(
        "lessons",
        help="list the lessons and how far you got; check every lesson file",
        description="One line per lesson, numbered by its step on the course map (the "
        "number home, the palette and `tui-dl course` show): pages read and check questions "
        "right. Every "
        "lesson file is checked (pages, widgets, questions, try entries): a mistake is "
        "printed with its file and line, and the exit code is 1.",
    )
    course = commands.add_parser(
        "course",
        help="the course map: every step in order, what you have done, what is next",
        description="The course in order, each step numbered as everywhere in tui-dl: "
        "lessons, the Playground, the experiments, the GAN Lab and the mammogram project "
        "last, each with what you have done (pages read and questions right; a finished run; "
        "opened), the next step, and what done means for each kind of step. `tui-dl --screen "
        "course` opens it in the app.",
    )
    course.add_argument("--json", action="store_true", help="one JSON object on stdout")
    opener = commands.add_parser(
        "open",
        help="open the app on what a share code names (a lab setup, a lesson page, …)",
        description="A share code (TD1-…, shown by ctrl+s on a screen) holds a setup: an "
        "experiment and its settings, a lesson page, a Playground state, a sweep grid or a "
        "screen. Case, spaces and dashes do not matter.",
    )
    opener.add_argument("code", nargs="+", metavar="CODE")
    opener.add_argument("--print", action="store_true", help="say what it opens, and exit")
    serve = commands.add_parser(
        "serve",
        help="serve the app to browsers for a workshop: a token, seats, idle seats closed",
        description="Every browser tab gets its own tui-dl, the same app as over SSH "
        "(textual-serve). A token is always required, on 127.0.0.1 too (generated and printed "
        "with the link when not given); a page of another site is refused.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--token", metavar="TOKEN", help="the workshop's token (default: new)")
    serve.add_argument("--seats", type=int, metavar="N", help="at most N tabs open at once")
    serve.add_argument(
        "--idle-minutes", type=float, metavar="M", help="close a seat after M idle minutes "
        "(default 30; 0 never)",
    )  # fmt: skip
    serve.add_argument("--workshop", metavar="DIR", help="the workshop folder every seat shares")
    serve.add_argument(
        "--public-url", metavar="URL", help="where browsers reach the server, behind a proxy "
        "(https://HOST[:PORT]); default: the address each browser used",
    )  # fmt: skip
    _data_dir(serve)
    classroom = commands.add_parser(
        "class",
        help="the instructor's view of a workshop: every seat, its runs, leaderboards, queue",
        description="Every seat and user of the workshop (TUI_DL_WORKSHOP, or --workshop), "
        "what each runs or last ran, how far, the result beside the course's figure; a "
        "leaderboard per experiment; the run queue and the GPUs. `tui-dl --screen class` "
        "opens it in the app, live.",
    )
    classroom.add_argument("--workshop", metavar="DIR", help="the workshop folder")
    classroom.add_argument("--json", action="store_true", help="one JSON object on stdout")
    workshop = commands.add_parser(
        "workshop",
        help="set a workshop folder up safely (init) or list what learners could alter (check)",
        description="`init` makes (or takes) the folder with owners and modes that let each "
        "learner write only their own runs, and the instructor alone the workshop's record, "
        "the board and the queue's limits; `check` lists anything a learner could alter that "
        "they should not.",
    )
    workshop_commands = workshop.add_subparsers(
        dest="workshop_command", metavar="WHAT", required=True
    )
    init = workshop_commands.add_parser("init", help="set the folder up (as its instructor)")
    init.add_argument("folder", metavar="DIR", help="the workshop folder")
    init.add_argument("--group", metavar="GROUP", help="the learners' Unix group")
    init.add_argument("--instructor", metavar="USER",
                      help="run as root: whose workshop it is (default: you)")  # fmt: skip
    check = workshop_commands.add_parser("check", help="what a learner could alter and should not")
    check.add_argument("folder", metavar="DIR", help="the workshop folder")
    spare = workshop_commands.add_parser(
        "spare",
        help="turn the seats' warm TensorFlow processes on or off (off by default: "
        "about 0.7 GB each)",
        description="Each app can keep one spare process with TensorFlow already imported, "
        "so a run's first epoch comes in about a second. It holds about 0.7 GB while it "
        "waits, per seat, so in a workshop it is off until the instructor turns it on.",
    )
    spare.add_argument("folder", metavar="DIR", help="the workshop folder")
    spare.add_argument("state", choices=("on", "off"), help="on or off")
    predict = commands.add_parser(
        "predict",
        help="ask a my-images run about pictures (a file or a folder)",
        description="Ask a finished my-images run what it sees in pictures it was never "
        "shown: each one's top classes and confidences, how sure it was over them all beside "
        "how sure it was of its own test pictures, and what a confidence threshold would "
        "answer 'none of these' to. A folder: every picture in it (and below).",
    )
    predict.add_argument("run", metavar="RUN", help="a run id, a unique prefix, or latest")
    predict.add_argument("paths", metavar="PATH", nargs="+", help="a picture or a folder of them")
    predict.add_argument(
        "--threshold",
        type=fraction,
        metavar="X",
        help="answer 'none of these' below this confidence (0–1; default: the run's own)",
    )
    predict.add_argument(
        "--json", action="store_true", help="print the answers as one JSON object on stdout"
    )
    model = commands.add_parser(
        "model",
        help="a run's model layer by layer: type, output shape, parameters",
        description="A run's model as a table: each layer's type, output shape and "
        "parameters, trainable and frozen (a nested model's layers under it), with a bar of "
        "where the parameters are; the totals as Keras's count_params() counts them.",
    )
    model.add_argument("run", metavar="RUN", help="a run id, a unique prefix, or latest")
    model.add_argument("--json", action="store_true", help="the summary as one JSON object")
    export = commands.add_parser(
        "export",
        help="a finished run as a Keras script, a notebook, model.keras or a TFLite file",
        description="Take a finished run out of tui-dl: by default a plain Keras script that "
        "trains the same model again from the same data, settings and seed (it prints its "
        "test metrics as JSON, last); --notebook the same code as a Jupyter notebook; "
        "--keras its trained model.keras; --tflite (my-images runs) a TensorFlow Lite file, "
        "checked against the Keras model on a few test pictures. The file goes to the "
        "current folder under the run's id unless -o says.",
    )
    export.add_argument("run", metavar="RUN", help="a run id, a unique prefix, or latest")
    kind = export.add_mutually_exclusive_group()
    kind.add_argument("--notebook", action="store_true", help="the script as a notebook")
    kind.add_argument("--tflite", action="store_true", help="a TensorFlow Lite file")
    kind.add_argument("--keras", action="store_true", help="the trained model.keras")
    export.add_argument("-o", "--output", metavar="FILE", help="where (a file, or a folder)")
    export.add_argument("--force", action="store_true", help="overwrite a file that is there")
    export.add_argument("--json", action="store_true", help="say what was written as JSON")
    cancel = commands.add_parser(
        "cancel",
        help="cancel a run (yours; any run, for the instructor)",
        description="Cancel a run from the shell. Your own run stops within a second; as the "
        "workshop's instructor, a learner's run is asked to stop and stops itself at its next "
        "check (no signal crosses users). Anyone else's run is refused, saying whose it is.",
    )
    cancel.add_argument("run", metavar="RUN", help="a run id, a unique prefix, or latest")
    cancel.add_argument("--workshop", metavar="DIR", help="the workshop folder")
    cluster = commands.add_parser(
        "cluster", help="a Ray cluster: its nodes, CPUs and GPUs, and which runs are where"
    )
    cluster_commands = cluster.add_subparsers(dest="cluster_command", metavar="WHAT", required=True)
    status = cluster_commands.add_parser("status", help="nodes, resources, runs")
    status.add_argument("--cluster", default="auto", metavar="ADDRESS",
                        help="local, auto (default) or ray://HOST:PORT")  # fmt: skip
    status.add_argument("--json", action="store_true", help="one JSON object on stdout")
    queue = commands.add_parser(
        "queue",
        help="the run queue: who holds which slot and who waits; `queue set` changes the limits",
        description="Every run trains only once it holds a slot of its device: at most K per "
        "GPU and N on the CPU. Without arguments, the slots and the line; `tui-dl queue set "
        "--cpu-slots N --gpu-slots K --gpu-memory-mb M` keeps limits for every seat.",
    )
    queue.add_argument("--workshop", metavar="DIR", help="the workshop folder")
    queue.add_argument("--json", action="store_true", help="one JSON object on stdout")
    queue_commands = queue.add_subparsers(dest="queue_command", metavar="WHAT")
    queue_set = queue_commands.add_parser("set", help="keep the queue's limits in its folder")
    for flag, what in (
        ("--cpu-slots", "runs on the CPU at once (default: its cores)"),
        ("--gpu-slots", "runs on each GPU at once (default: its memory / the per-run limit)"),
        ("--gpu-memory-mb", "TensorFlow's memory limit for each GPU run (default 4096)"),
    ):
        queue_set.add_argument(flag, metavar="N", help=what + "; 'auto' for the default")
    queue_set.add_argument(
        "--workshop", metavar="DIR", default=argparse.SUPPRESS, help="the workshop folder"
    )
    ethics = commands.add_parser("ethics", help="the ethics checklist of a project")
    ethics_commands = ethics.add_subparsers(dest="ethics_command", required=True)
    export = ethics_commands.add_parser("export", help="write a project's checklist as Markdown")
    export.add_argument("project", help="e.g. general or mammogram")
    export.add_argument("--out", metavar="FILE", help="write here instead of to stdout")
    return parser


def settings(args: argparse.Namespace) -> dict[str, str]:
    """The experiment settings given on the command line, as typed (the engine parses them)."""
    return {
        key.removeprefix(SETTING): value
        for key, value in vars(args).items()
        if key.startswith(SETTING) and value is not None
    }
