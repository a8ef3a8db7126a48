"""Every screen of the app by name, once: what `--screen` accepts, what the command palette
lists, which keys open the views of a run, and which screen an experiment opens on.

Like Textual's own `App.SCREENS`, a name maps to a factory — here a "module:Class" path, so
a screen's module (and the widgets it needs) is imported when the screen is first opened,
not before the home screen paints. `preload()` imports the rest in the background after the
first frame, so opening one later costs no import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tui_dl.engine import runfiles
from tui_dl.engine.events import Status

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

    from tui_dl.engine.store import RunInfo

Kind = Literal["page", "run-view", "family"]


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    """What `--screen` takes; for a family, the part before the colon (`lesson:ID`)."""
    factory: str
    """"module:Class" of the screen, imported on first use."""
    title: str = ""
    """The command palette's entry ('' for none)."""
    help: str = ""
    """The palette's line under the title."""
    kind: Kind = "page"
    usage: str = ""
    """How `--screen` help writes it, when not just the name (`lesson:ID`)."""
    experiment: str = ""
    """An experiment that opens on this screen instead of the lab (the project, the zoo)."""
    key: str = ""
    """A run view's key on the screens about a run."""
    label: str = ""
    """A run view's name in the footer."""
    reads: str = ""
    """The artifact a run view shows (a `runfiles` name): which runs have this view."""
    while_running: bool = False
    """A run view with something to show before the run has finished (the reviews)."""
    among_experiments: bool = False
    """A page the home screen lists after the experiments (one that trains in the app's own
    process, not as a run: the GAN Lab)."""
    kept: bool = False
    """Built once and kept when left: opened again, it is as the learner left it (its cursor,
    its form), what it shows read again as it shows, and opening it is only showing it. A run
    view: the view of the run it showed last, one per kind (not one opened on a filter)."""
    only_one: bool = False
    """A kept screen never built twice (the GAN Lab trains in the app's own process): opened
    while it is further down the stack, nothing opens. Any other kept screen opened then
    opens a fresh copy over the screens above it."""
    takes_folder: bool = False
    """A page about a folder of the learner's (`--folder DIR`): its screen takes the folder."""
    only_for: tuple[str, ...] = ()
    """A run view offered only on these experiments' runs (empty: on every run that has what
    it reads)."""
    in_footer: bool = True
    """Whether a run view's key is shown in the footers of the screens that offer it (False:
    listed by ? only, where it would push out the screens' own keys)."""

    def load(self) -> Callable[..., Screen[Any]]:
        """The screen's class (each takes its own arguments: a run, a lesson, a project)."""
        module, _, cls = self.factory.partition(":")
        screen: Callable[..., Screen[Any]] = getattr(importlib.import_module(module), cls)
        return screen

    def ready(self, status: str | None) -> bool:
        """Whether a run in this state has something for this view."""
        return self.while_running or status == Status.FINISHED

    def shows(self, screen: object) -> bool:
        """Whether `screen` is this entry's screen."""
        kind = type(screen)
        return self.factory == f"{kind.__module__}:{kind.__qualname__}"

    @property
    def cli_name(self) -> str:
        return self.usage or self.name


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "home",
        "tui_dl.ui.screens.home:HomeScreen",
        "Home",
        "Lessons, experiments, runs and data",
    ),
    ScreenEntry(
        "course",
        "tui_dl.ui.screens.course:CourseScreen",
        "Course map",
        "The whole course in order: what you have done, and what is next",
        kept=True,
    ),
    ScreenEntry(
        "runs", "tui_dl.ui.screens.runs:RunsScreen", "Runs", "Every run on this machine", kept=True
    ),
    ScreenEntry(
        "compare",
        "tui_dl.ui.screens.compare:CompareScreen",
        "Compare runs",
        "Runs side by side: the settings that differ, results against a baseline, curves",
    ),
    ScreenEntry(
        "lab", "tui_dl.ui.screens.lab:LabScreen", "Lab: MNIST MLP", "Train the course's Keras MLP"
    ),
    ScreenEntry(
        "sweep",
        "tui_dl.ui.screens.sweep:SweepScreen",
        "Sweep: learning rates × batch sizes",
        "One run per pair, compared on one plot; the latest sweep if there is one",
    ),
    ScreenEntry(
        "data", "tui_dl.ui.screens.data:DataScreen", "Data", "Which datasets are here", kept=True
    ),
    ScreenEntry(
        "my-images-data",
        "tui_dl.ui.screens.my_images_data:MyImagesDataScreen",
        "Your pictures: look at the data first",
        "A folder of your own pictures, one subfolder per class: counts, pictures, problems",
        usage="my-images-data (with --folder DIR)",
        takes_folder=True,
    ),
    ScreenEntry(
        "class",
        "tui_dl.ui.screens.classroom:ClassScreen",
        "The class",
        "Every seat of the workshop: its runs, live; leaderboards; the queue and the GPUs",
    ),
    ScreenEntry(
        "help", "tui_dl.ui.dialogs.help:HelpScreen", "Help", "Keys and how runs work", kept=True
    ),
    ScreenEntry(
        "project:mammogram",
        "tui_dl.ui.screens.project:ProjectScreen",
        "Project: mammogram masses",
        "The course's final project: clean, k-fold, and the radiologists as referee",
        experiment="mammogram",
    ),
    ScreenEntry(
        "imagenet",
        "tui_dl.ui.screens.imagenet:ImageNetScreen",
        "Model zoo: ImageNet classifier",
        "A pretrained ResNet50, VGG16 or MobileNetV2 names your photo, and where it looked",
        experiment="transfer-imagenet",
        usage="imagenet (the model zoo)",
    ),
    ScreenEntry(
        "playground",
        "tui_dl.ui.screens.playground:PlaygroundScreen",
        "Playground",
        "The course's first hands-on: points, layers, neurons and the boundary they draw",
        experiment="playground",
    ),
    ScreenEntry(
        "ganlab",
        "tui_dl.ui.screens.ganlab:GanLabScreen",
        "GAN Lab",
        "A 2-D GAN trained live: a ring is hard, a line easy",
        among_experiments=True,
        kept=True,
        only_one=True,
    ),
    ScreenEntry(
        "confusion",
        "tui_dl.ui.screens.run_views.confusion:ConfusionScreen",
        "Confusion matrix",
        kind="run-view",
        key="m",
        label="Matrix",
        reads=runfiles.PREDICTIONS,
        kept=True,  # a finished run's predictions: read once
    ),
    ScreenEntry(
        "misclassified",
        "tui_dl.ui.screens.run_views.misclassified:MisclassifiedScreen",
        "Wrong digits",
        kind="run-view",
        key="w",
        label="Wrong",
        reads=runfiles.PREDICTIONS,
        kept=True,  # a finished run's predictions: read once
    ),
    ScreenEntry(
        "attention",
        "tui_dl.ui.screens.run_views.attention:AttentionScreen",
        "Where it looked",
        kind="run-view",
        key="a",
        label="Looking",
        reads=runfiles.PREDICTIONS,
    ),
    ScreenEntry(
        "probe",
        "tui_dl.ui.screens.run_views.probe:ProbeScreen",
        "Confidence probe",
        kind="run-view",
        key="p",
        label="Probe",
        reads=runfiles.PREDICTIONS,
    ),
    ScreenEntry(
        "model",
        "tui_dl.ui.screens.run_views.model:ModelScreen",
        "The model, layer by layer",
        kind="run-view",
        key="M",
        label="Model",
        reads=runfiles.MODEL_SUMMARY,
        usage="model (a run with a model)",
    ),
    ScreenEntry(
        "activations",
        "tui_dl.ui.screens.run_views.activations:ActivationsScreen",
        "Inside the model: every layer's output",
        kind="run-view",
        key="A",
        label="Activations",
        reads=runfiles.PREDICTIONS,  # its inputs: the run's test images
        in_footer=False,
        usage="activations (a run with a model and test images)",
    ),
    ScreenEntry(
        "predict",
        "tui_dl.ui.screens.predict.screen:PredictScreen",
        "Ask it about new pictures",
        kind="run-view",
        key="i",
        label="Predict",
        reads=runfiles.PREDICTIONS,
        only_for=("my-images",),
        usage="predict (a my-images run)",
    ),
    ScreenEntry(
        "reviews",
        "tui_dl.ui.screens.run_views.reviews:ReviewsScreen",
        "IMDB reviews",
        kind="run-view",
        key="r",
        label="Reviews",
        reads=runfiles.REVIEWS,
        while_running=True,  # its reviews are written as soon as the data is loaded
        usage="reviews (an imdb-lstm run)",
    ),
    ScreenEntry(
        "samples",
        "tui_dl.ui.screens.run_views.samples:SamplesScreen",
        "Generated samples",
        kind="run-view",
        key="g",
        label="Samples",
        reads=runfiles.SAMPLES,
        while_running=True,  # a grid after every epoch
        usage="samples (a fashion-vae or fashion-gan run)",
    ),
    ScreenEntry(
        "latent",
        "tui_dl.ui.screens.run_views.latent:LatentScreen",
        "Latent space",
        kind="run-view",
        key="z",
        label="Latent",
        reads=runfiles.LATENT,
        while_running=True,  # rewritten after every epoch
        usage="latent (a fashion-vae run)",
    ),
    ScreenEntry(
        "lesson",
        "tui_dl.ui.screens.lesson:LessonScreen",
        kind="family",
        usage="lesson:ID (see `tui-dl lessons`)",
    ),
    ScreenEntry(
        "ethics",
        "tui_dl.ui.screens.ethics:EthicsScreen",
        kind="family",
        usage="ethics or ethics:PROJECT",
    ),
    ScreenEntry(
        "dataset",
        "tui_dl.ui.screens.dataset.screen:DatasetScreen",
        kind="family",
        usage="dataset:NAME (mnist, fashion-mnist, house-votes, mammographic-masses)",
    ),
)
BY_NAME = {entry.name: entry for entry in SCREENS}
RUN_VIEWS = tuple(entry for entry in SCREENS if entry.kind == "run-view")
AMONG_EXPERIMENTS = tuple(entry for entry in SCREENS if entry.among_experiments)


def entry(name: str) -> ScreenEntry:
    """The screen called `name`, or the family of `lesson:ID` and `ethics:PROJECT`."""
    found = BY_NAME.get(name)
    if found is not None and found.kind != "family":
        return found
    family = BY_NAME.get(name.partition(":")[0])
    if family is not None and family.kind == "family":
        return family
    raise KeyError(name)


def screen_names() -> str:
    """For `--screen` help and its error: every name, families with their argument."""
    return ", ".join(entry.cli_name for entry in SCREENS)


def screen_problem(name: str) -> str | None:
    """Why `--screen NAME` cannot open, or None: checked before the app paints."""
    try:
        found = entry(name)
    except KeyError:
        if name.startswith("project:"):
            projects = [e.name.partition(":")[2] for e in SCREENS if ":" in e.name]
            wanted = name.partition(":")[2]
            return f"unknown project {wanted!r}; the projects: {', '.join(projects)}"
        return f"unknown screen {name!r}; choose from {screen_names()}"
    argument = name.partition(":")[2]
    if found.name == "lesson":  # the lessons' modules only for them: not before home paints
        from tui_dl.lessons import LessonError, find_lesson

        try:
            find_lesson(argument)
        except LessonError as exc:
            return str(exc)
    elif found.name == "dataset":
        from tui_dl.data.overview import view_problem

        return view_problem(argument)
    elif found.name == "ethics":
        from tui_dl.lessons.ethics import EthicsError, validate_project

        try:
            validate_project(argument or "general")
        except EthicsError as exc:
            return str(exc)
    return None


def for_experiment(experiment: str) -> ScreenEntry | None:
    """The screen an experiment opens on when it is not the lab (the project, the zoo)."""
    return next((e for e in SCREENS if e.experiment == experiment), None)


def views_of(experiment: str) -> tuple[ScreenEntry, ...]:
    """The run views that have something to show about this experiment's runs."""
    from tui_dl.engine.experiments import EXPERIMENTS

    exp = EXPERIMENTS.get(experiment)
    writes = exp.writes if exp is not None else ()
    return tuple(
        view
        for view in RUN_VIEWS
        if view.reads in writes and (not view.only_for or experiment in view.only_for)
    )


def latest_with_view(runs: Iterable[RunInfo], view: ScreenEntry) -> str | None:
    """`latest` for a run view: the newest run that has it (finished, where it must be)."""
    offered = [info for info in runs if view in views_of(info.experiment)]
    ready = [info for info in offered if view.ready(info.status)]
    chosen = ready or offered
    return chosen[0].run_id if chosen else None


def view_keys(
    action: str, reads: str | None = None, everywhere: bool | None = None
) -> list[Binding]:
    """The keys of the run views (those showing `reads`, or all); `action` gets the name.
    `everywhere`: True, only the views every experiment's runs have (keys a screen need not
    check against its run's experiment); False, only those kept to some experiments."""
    from textual.binding import Binding

    return [
        Binding(view.key, f"{action}('{view.name}')", view.label, show=view.in_footer)
        for view in RUN_VIEWS
        if (reads is None or view.reads == reads)
        and (everywhere is None or everywhere != bool(view.only_for))
    ]


def is_run_view(screen: object) -> bool:
    """Whether this screen is one of the views of a run."""
    return any(view.shows(screen) for view in RUN_VIEWS)


def preload() -> None:
    """Import every screen's module (a worker calls this after the first frame)."""
    for screen in SCREENS:
        screen.load()
