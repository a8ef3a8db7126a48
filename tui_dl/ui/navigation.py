"""Opening screens, one way: every screen is opened by its name in the registry
(`ui/registry.py`), on a run, a lesson or a project where it takes one. The app's base class,
so that the screens, the palette, share codes and the course's "try it" keys all open a
screen through the app (`self.app.open_lab(…)`), and none imports another's module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from tui_dl.ui import registry

if TYPE_CHECKING:
    from tui_dl.ui.sources import RunSource


class NavigatingApp(App[int]):
    """The app's ways of opening a screen: by name (`--screen`, the palette), a lab, a run, a
    view of a run, a lesson, an ethics checklist."""

    source: RunSource
    """Where the runs are: the real engine, or a test's fake."""
    playground_state: str
    """The state string the Playground opens with (`tui-dl playground STATE`)."""
    _kept_views: dict[str, str]
    """Each kept run view's kind: the name it is installed under (`kind:RUN`)."""

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual's command palette holds the screen 50 ms once a command is chosen, so the
        screen under the palette is not drawn between the palette closing and the command
        opening its screen. The command is queued next: the hold ends once it has run and
        its screen is mounted (queued behind them), so that screen is drawn as soon as it is
        ready, as when a key opens it, not 50 ms on."""
        self._begin_batch()

        def end() -> None:
            self._end_batch()
            if not self._batch_count:
                self.screen.refresh()

        self.call_later(self.call_later, end)  # queued behind what is queued by then

    def open_screen(
        self, name: str, run: str | None = None, folder: str | None = None, **filters: int
    ) -> None:
        """Open a screen by its registry name (`--screen`), on a run or a folder where it takes
        one."""
        entry = registry.entry(name)
        argument = name.partition(":")[2]
        if entry.name == "lesson":
            self.open_lesson(argument)
        elif entry.name == "ethics":
            self.open_ethics(argument or "general")
        elif entry.name == "dataset":
            self.open_dataset(argument)
        elif entry.kind == "run-view":
            self.open_insight(name, run or "latest", **filters)
        elif entry.experiment:
            self.open_project(entry.experiment, run)
        elif entry.name == "lab" and run:
            self.open_run(run)
        elif entry.name == "lab":
            self.open_lab()
        elif entry.name == "help":
            self.action_help()
        elif entry.kept:
            self.open_kept(entry)
        elif entry.takes_folder:
            self.open_folder(entry.name, folder)
        elif entry.name != "home":
            self.push_screen(entry.load()())

    def open_kept(self, entry: registry.ScreenEntry) -> None:
        """A page kept once built (runs, data, the course map, the GAN Lab): the same screen,
        as the learner left it, so opening it again is only showing it (each reads what it
        shows again as it shows). Further down the stack already: a fresh one over it, but
        for the one that is `only_one`."""
        if not self.is_screen_installed(entry.name):
            self.install_screen(entry.load()(), entry.name)
        if self.get_screen(entry.name) not in self.screen_stack:
            self.push_screen(entry.name)
        elif not entry.only_one:
            self.push_screen(entry.load()())

    def open_folder(self, name: str, folder: str | None = None, pick: bool = False) -> None:
        """A page about a folder of the learner's; without one, it says how to pick one (or,
        with `pick`, opens the picker at once)."""
        self.push_screen(registry.entry(name).load()(folder, pick=pick))

    def open_dataset(self, name: str) -> None:
        """A dataset looked at before training (`dataset:NAME`); one without a view is said."""
        from tui_dl.data.overview import view_problem

        problem = view_problem(name)
        if problem is not None:
            self.notify(problem, title="No view of that dataset", severity="warning")
            return
        self.push_screen(registry.entry("dataset").load()(name))

    def switch_to_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_lab(self, experiment: str = "mnist-mlp") -> None:
        """The experiment's lab as the learner left it: one lab per experiment is kept once
        opened (its settings, its run), so coming back costs no rebuild of its form."""
        if registry.for_experiment(experiment) is not None:
            self.open_project(experiment)
            return
        name = f"lab:{experiment}"
        if not self.is_screen_installed(name):
            self.install_screen(registry.entry("lab").load()(experiment), name)
        if self.get_screen(name) in self.screen_stack:  # already open further down
            self.push_screen(registry.entry("lab").load()(experiment))
        else:
            self.push_screen(name)

    def open_project(self, experiment: str, run_id: str | None = None) -> None:
        """An experiment with a screen of its own: the mammogram project, the model zoo."""
        entry = registry.for_experiment(experiment)
        assert entry is not None, experiment
        if entry.name == "playground":  # kept once opened, as the learner left it
            if not self.is_screen_installed("playground"):
                screen = entry.load()(experiment, run_id=run_id, state=self.playground_state)
                self.install_screen(screen, "playground")
            if self.get_screen("playground") not in self.screen_stack:
                self.push_screen("playground")
            return
        self.push_screen(entry.load()(experiment, run_id=run_id))

    def open_run(self, run_id: str) -> None:
        try:
            run_id = self.source.resolve(run_id)
            info = self.source.info(run_id)
        except (LookupError, OSError, ValueError) as exc:
            self.notify(str(exc), title="Cannot open that run", severity="error")
            return
        from tui_dl.engine.experiments import EXPERIMENTS

        unknown = (
            f"{run_id}: {info.status_words}"
            if info.problem
            else f"{run_id} is a run of {info.experiment!r}, which this version of tui-dl "
            "does not know (renamed, or from a newer version)"
            if info.experiment not in EXPERIMENTS
            else ""
        )
        if unknown:
            self.notify(unknown, title="Cannot open that run", severity="error")
            return
        if registry.for_experiment(info.experiment) is not None:
            self.open_project(info.experiment, run_id)
        else:
            self.push_screen(registry.entry("lab").load()(info.experiment, run_id=run_id))

    def open_insight(self, kind: str, run_id: str | None = None, **kwargs: int | None) -> None:
        """Open a view of one run: this screen's run, or the one named. `latest` means the
        newest run that has this view."""
        view = registry.entry(kind)
        current = self.screen
        run_id = run_id or getattr(current, "run_id", None) or "latest"
        try:
            if run_id == "latest":
                found = registry.latest_with_view(self.source.list_runs(), view)
                if found is None:
                    raise LookupError(f"no run has a {view.title.lower()} yet")
                run_id = found
            run_id = self.source.resolve(run_id)
        except (LookupError, OSError) as exc:
            self.notify(str(exc), title="Cannot open that run", severity="error")
            return
        if getattr(current, "run_id", None) == run_id and registry.is_run_view(current):
            self.pop_screen()  # moving between views of one run: escape goes back past them
        kept = self._kept_view(view, run_id) if view.kept and not kwargs else None
        self.push_screen(kept or view.load()(run_id, **kwargs))

    def _kept_view(self, view: registry.ScreenEntry, run_id: str) -> str | None:
        """The name of this run's view, kept as the learner left it: one per kind, the run's
        opened last (the one before it goes). None: open a fresh one (the kept one is open
        further down)."""
        name = f"{view.name}:{run_id}"
        old = self._kept_views.get(view.name)
        if old is not None and self.get_screen(old) in self.screen_stack:
            return None
        if old != name:
            if old is not None:
                left = self.get_screen(old)
                self.uninstall_screen(old)
                left.remove()  # a kept screen stays mounted when left: this one goes
            self.install_screen(view.load()(run_id), name)
            self._kept_views[view.name] = name
        return name

    def open_lesson(self, lesson_id: str, page: int | None = None) -> None:
        """Open a lesson on the page where the learner left it (or `page`)."""
        from tui_dl.lessons import LessonError, find_lesson

        try:
            lesson = find_lesson(lesson_id)
        except LessonError as exc:
            self.notify(str(exc), title="Cannot open that lesson", severity="error", timeout=10)
            return
        self.push_screen(registry.entry("lesson").load()(lesson, page))

    def open_ethics(self, project: str = "general") -> None:
        from tui_dl.lessons.ethics import EthicsError, validate_project

        try:
            validate_project(project)
        except EthicsError as exc:
            self.notify(str(exc), title="Ethics checklist", severity="error")
            return
        self.push_screen(registry.entry("ethics").load()(project))

    def action_open_insight(self, kind: str) -> None:
        self.open_insight(kind)

    def action_open_screen(self, name: str) -> None:
        self.open_screen(name)

    def action_open_lab(self) -> None:
        self.open_lab()

    def action_help(self) -> None:
        """`?`: the keys of this screen, read from its bindings as they are now."""
        help_screen = registry.entry("help")
        if any(help_screen.shows(screen) for screen in self.screen_stack):
            return
        # Kept once built: shown again, it lists the keys of the screen it opens over.
        self.open_kept(help_screen)
