"""The tui-dl Textual app: screens over a RunSource. No tensorflow here, ever."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui_dl.engine.store import RunStore
from tui_dl.lessons import LessonError, find_lesson, load_lessons
from tui_dl.lessons.ethics import EthicsError, validate_project
from tui_dl.ui.dialogs.help import HelpScreen
from tui_dl.ui.screens.data import DataScreen
from tui_dl.ui.screens.ethics import EthicsScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.imagenet import ImageNetScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.screens.project import ProjectScreen
from tui_dl.ui.screens.run_views.attention import AttentionScreen
from tui_dl.ui.screens.run_views.base import RunViewScreen
from tui_dl.ui.screens.run_views.confusion import ConfusionScreen
from tui_dl.ui.screens.run_views.misclassified import MisclassifiedScreen
from tui_dl.ui.screens.run_views.probe import ProbeScreen
from tui_dl.ui.screens.run_views.reviews import ReviewsScreen
from tui_dl.ui.screens.runs import RunsScreen
from tui_dl.ui.screens.sweep import SweepScreen
from tui_dl.ui.sources import LocalRunSource, RunSource

INSIGHTS = {
    "confusion": ConfusionScreen,
    "misclassified": MisclassifiedScreen,
    "attention": AttentionScreen,
    "probe": ProbeScreen,
    "reviews": ReviewsScreen,
}
"""Screens about one finished run; `--run` defaults to the latest."""
OWN_EXPERIMENT = {"reviews": "imdb-lstm"}
"""Views that belong to one experiment: `latest` means that experiment's latest run."""
PROJECTS = {"mammogram": ProjectScreen, "transfer-imagenet": ImageNetScreen}
"""Course projects, and the model zoo (nothing to plot): a screen of their own, not the lab."""
SCREENS = (
    "home",
    "runs",
    "lab",
    "data",
    "help",
    "sweep",
    "imagenet",
    *INSIGHTS,
    "lesson:ID",
    "ethics[:PROJECT]",
    *(f"project:{name}" for name in PROJECTS),
)


def screen_problem(name: str) -> str | None:
    """Why `--screen NAME` cannot open, or None: checked before the app paints."""
    kind, _, argument = name.partition(":")
    try:
        if kind == "lesson":
            find_lesson(argument)
        elif kind == "ethics":
            validate_project(argument or "general")
        elif kind == "project" and argument not in PROJECTS:
            return f"unknown project {argument!r}; the projects: {', '.join(PROJECTS)}"
        elif kind != "project" and (argument or kind not in SCREENS):
            return f"unknown screen {name!r}; choose from {', '.join(SCREENS)}"
    except (LessonError, EthicsError) as exc:
        return str(exc)
    return None


class TuiDlApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "tui-dl"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        source: RunSource,
        screen: str = "home",
        run: str | None = None,
        data_dir: str | None = None,
        filters: dict[str, int] | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.data_dir = data_dir
        self._start = (screen, run, filters or {})

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        screen, run, filters = self._start
        if screen == "lab":
            self.open_run(run) if run else self.open_lab()
        elif screen == "runs":
            self.action_open_runs()
        elif screen == "data":
            self.action_open_data()
        elif screen == "help":
            self.action_help()
        elif screen == "sweep":
            self.action_open_sweep()
        elif screen == "imagenet":
            self.open_project("transfer-imagenet", run)
        elif screen in INSIGHTS:
            self.open_insight(screen, run or "latest", **filters)
        elif screen.startswith("lesson:"):
            self.open_lesson(screen.partition(":")[2])
        elif screen.partition(":")[0] == "ethics":
            self.open_ethics(screen.partition(":")[2] or "general")
        elif screen.startswith("project:"):
            self.open_project(screen.partition(":")[2], run)

    # ----- navigation (also the command palette's entries) ----------------------------------
    def switch_to_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_lab(self, experiment: str = "mnist-mlp") -> None:
        if experiment in PROJECTS:
            self.open_project(experiment)
        else:
            self.push_screen(LabScreen(experiment))

    def open_project(self, name: str, run_id: str | None = None) -> None:
        self.push_screen(PROJECTS[name](name, run_id=run_id))

    def open_run(self, run_id: str) -> None:
        try:
            run_id = self.source.resolve(run_id)
            info = self.source.info(run_id)
        except (LookupError, OSError, ValueError) as exc:
            self.notify(str(exc), title="Cannot open that run", severity="error")
            return
        if info.experiment in PROJECTS:
            self.open_project(info.experiment, run_id)
        else:
            self.push_screen(LabScreen(info.experiment, run_id=run_id))

    def open_insight(self, kind: str, run_id: str | None = None, **kwargs: int | None) -> None:
        """Open a screen about a finished run: this screen's run, or the one named."""
        current = self.screen
        run_id = run_id or getattr(current, "run_id", None) or "latest"
        try:
            if run_id == "latest" and kind in OWN_EXPERIMENT:  # its experiment's latest run
                found = [i for i in self.source.list_runs() if i.experiment == OWN_EXPERIMENT[kind]]
                run_id = found[0].run_id if found else run_id
            run_id = self.source.resolve(run_id)
        except (LookupError, OSError) as exc:
            self.notify(str(exc), title="Cannot open that run", severity="error")
            return
        if isinstance(current, RunViewScreen) and current.run_id == run_id:
            self.pop_screen()  # moving between views of one run: escape goes back past them
        self.push_screen(INSIGHTS[kind](run_id, **kwargs))

    def open_lesson(self, lesson_id: str, page: int | None = None) -> None:
        """Open a lesson on the page where the learner left it (or `page`)."""
        try:
            lesson = find_lesson(lesson_id)
        except LessonError as exc:
            self.notify(str(exc), title="Cannot open that lesson", severity="error", timeout=10)
            return
        self.push_screen(LessonScreen(lesson, page))

    def open_ethics(self, project: str = "general") -> None:
        try:
            validate_project(project)
        except EthicsError as exc:
            self.notify(str(exc), title="Ethics checklist", severity="error")
            return
        self.push_screen(EthicsScreen(project))

    def action_open_insight(self, kind: str) -> None:
        self.open_insight(kind)

    def action_open_lab(self) -> None:
        self.open_lab()

    def action_open_runs(self) -> None:
        self.push_screen(RunsScreen())

    def action_open_sweep(self) -> None:
        self.push_screen(SweepScreen())

    def action_open_data(self) -> None:
        self.push_screen(DataScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Home", "Lessons, experiments, runs and data", self.switch_to_home)
        yield SystemCommand("Lab: MNIST MLP", "Train the course's Keras MLP", self.open_lab)
        yield SystemCommand(
            "Project: mammogram masses",
            "The course's final project: clean, k-fold, and the radiologists as referee",
            lambda: self.open_project("mammogram"),
        )
        yield SystemCommand(
            "Model zoo: ImageNet classifier",
            "A pretrained ResNet50, VGG16 or MobileNetV2 names your photo, and where it looked",
            lambda: self.open_project("transfer-imagenet"),
        )
        yield SystemCommand(
            "Sweep: learning rates × batch sizes",
            "One run per pair, compared on one plot; the latest sweep if there is one",
            self.action_open_sweep,
        )
        yield SystemCommand("Runs", "Every run on this machine", self.action_open_runs)
        yield SystemCommand(
            "Latest run", "Open the newest run in the lab", lambda: self.open_run("latest")
        )
        yield SystemCommand("Data", "Which datasets are here", self.action_open_data)
        for kind, title in (
            ("confusion", "Confusion matrix"),
            ("misclassified", "Wrong digits"),
            ("attention", "Where it looked"),
            ("probe", "Confidence probe"),
            ("reviews", "IMDB reviews"),
        ):
            yield SystemCommand(
                title,
                f"{title} of the latest finished run",
                lambda kind=kind: self.open_insight(kind),
            )
        lessons, _ = load_lessons()
        for lesson in lessons:
            yield SystemCommand(
                f"Lesson {lesson.order}: {lesson.title}",
                lesson.summary or "Open this lesson",
                lambda lesson_id=lesson.id: self.open_lesson(lesson_id),
            )
        for project in ("general", "mammogram"):
            yield SystemCommand(
                f"Ethics checklist: {project}",
                "Tick the questions you have answered, note what you found",
                lambda project=project: self.open_ethics(project),
            )
        yield SystemCommand("Help", "Keys and how runs work", self.action_help)


def make_app(
    screen: str = "home",
    run: str | None = None,
    data_dir: str | None = None,
    source: RunSource | None = None,
    filters: dict[str, int] | None = None,
) -> TuiDlApp:
    """The app factory: the CLI passes the real engine; tests pass a fake source."""
    if source is None:
        source = LocalRunSource(RunStore(), data_dir=data_dir)
    return TuiDlApp(source, screen=screen, run=run, data_dir=data_dir, filters=filters)
