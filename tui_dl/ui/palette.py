"""The command palette's entries beyond Textual's own: every screen, every course step, every
experiment's lab, the share codes and the ethics checklists — each list read from its one
registry (`ui/registry.py`, the course, EXPERIMENTS), none written here by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from tui_dl.ui import registry

if TYPE_CHECKING:
    from tui_dl.ui.app import TuiDlApp

_KIND_WORDS = {"lab": "Lab", "project": "Project"}
"""How the palette names a step that opens an experiment."""


def palette_commands(app: TuiDlApp) -> Iterable[SystemCommand]:
    """Every screen, every course step (each lesson and each lab by its step number and
    title, a lab by its experiment's name too), every experiment's lab, the share codes
    and the ethics checklists — all read from their registries, none listed by hand."""
    yield from _step_commands(app)
    yield from _screen_commands(app)
    yield SystemCommand("Open a share code", "A setup someone shared: TD1-…", app.action_open_code)
    yield SystemCommand(
        "Share code", "The code for what this screen shows (ctrl+s)", app.action_share
    )
    from tui_dl.lessons.ethics import OFFERED_PROJECTS

    for project in OFFERED_PROJECTS:
        yield SystemCommand(
            f"Ethics checklist: {project}",
            "Tick the questions you have answered, note what you found",
            lambda project=project: app.open_ethics(project),
        )


def _step_commands(app: TuiDlApp) -> Iterable[SystemCommand]:
    """'Step 6 · Lesson: Activation functions', 'Step 25 · Lab: Fashion-MNIST —
    variational autoencoder (fashion-vae)': the map's numbers, its titles, its targets;
    then a lab for each experiment the course has no step for."""
    from tui_dl.engine.experiments import EXPERIMENTS
    from tui_dl.lessons import load_lessons
    from tui_dl.lessons.course import course_steps, screen_of
    from tui_dl.ui.tries import open_target

    lessons, _ = load_lessons()
    labs: set[str] = set()
    for step in course_steps(lessons):
        target = step.target
        if step.lesson is not None:
            title, help_text = f"Lesson: {step.title}", step.lesson.summary
        elif target.kind == "lab":
            labs.add(target.name)
            experiment = EXPERIMENTS[target.name]
            title = f"{_KIND_WORDS.get(step.kind, 'Lab')}: {step.title} ({target.name})"
            help_text = f"Its lab, on the {experiment.dataset} data"
        else:
            title, help_text = step.title, registry.entry(screen_of(target)).help
        yield SystemCommand(
            f"Step {step.number} · {title}",
            help_text or "Open this step",
            lambda target=target: open_target(app, target),  # awaited by the palette
        )
    for name, experiment in EXPERIMENTS.items():
        if name not in labs and registry.for_experiment(name) is None:
            yield SystemCommand(
                f"Lab: {experiment.title} ({name})",
                f"Its lab, on the {experiment.dataset} data",
                lambda name=name: app.open_lab(name),
            )


def _screen_commands(app: TuiDlApp) -> Iterable[SystemCommand]:
    """Every screen of the registry with a title, but the lab (each experiment's lab is
    listed on its own) and a screen that is a course step (listed as the step)."""
    from tui_dl.lessons.course import COURSE

    steps = {step.parsed for step in COURSE}
    as_steps = {t.name for t in steps if t.kind == "screen"}
    as_labs = {t.name for t in steps if t.kind == "lab"}
    for entry in registry.SCREENS:
        if not entry.title or entry.name == "lab" or entry.name in as_steps:
            continue
        if entry.experiment in as_labs:
            continue
        if entry.kind == "run-view":
            yield SystemCommand(
                entry.title,
                f"{entry.title} of the latest run that has one",
                lambda name=entry.name: app.open_insight(name),
            )
        elif entry.name == "home":
            yield SystemCommand(entry.title, entry.help, app.switch_to_home)
        else:
            yield SystemCommand(
                entry.title, entry.help, lambda name=entry.name: app.open_screen(name)
            )
        if entry.name == "runs":
            yield SystemCommand(
                "Latest run", "Open the newest run in the lab", lambda: app.open_run("latest")
            )
