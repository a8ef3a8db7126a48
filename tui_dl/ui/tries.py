"""Where a lesson's "try it" keys and the course map's steps go: checked, then opened.

`tui_dl.lessons.tries` reads a target and checks what needs no UI; what only this layer
knows is checked here (`check_target`: a Playground state, a sweep's grid by the sweep's own
rules, a screen's name in the registry) and handed to `load_lessons(check=...)`. Opening
(`open_target`) pushes the screen, made through the registry, on top of the one asking, so
escape comes back to it; what the target presets is given to the screen as it is made (the
lab's settings, the Playground's state, the sweep's lists), never filled in from outside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_dl.lessons.tries import Target
from tui_dl.ui import registry

if TYPE_CHECKING:
    from tui_dl.engine.experiments import Experiment
    from tui_dl.ui.app import TuiDlApp

NOT_A_TARGET = ("home",)
"""Screens a lesson cannot send the learner to: home is where escape goes anyway."""


def check_target(target: Target) -> None:
    """ValueError saying what is wrong with `target` (beyond what the lessons layer saw)."""
    if target.kind == "playground":
        from tui_dl.engine.playground.state import parse_state

        parse_state(target.state)  # StateError is a ValueError naming the key
    elif target.kind == "screen":
        if target.name in NOT_A_TARGET:
            raise ValueError(f"{target.name} is where escape goes: name another screen")
        problem = registry.screen_problem(target.name)
        if problem:
            raise ValueError(problem)
    elif target.kind == "lab":
        own = registry.for_experiment(target.name)
        if own is not None and target.settings:
            raise ValueError(
                f"{target.name} opens on a screen of its own, which takes no preset settings: "
                f"write `lab {target.name}` alone, or `screen {own.name}`"
            )
    elif target.kind == "sweep":
        sweep_spec(target)


def sweep_spec(target: Target) -> dict[str, Any]:
    """A sweep target as the sweep screen's spec (experiment, axes, seeds, its length
    setting), checked by the sweep's own rules; ValueError naming the setting otherwise."""
    from tui_dl.engine.sweeps.preset import preset_spec

    return preset_spec(target.name, target.settings)


async def open_target(app: TuiDlApp, target: Target, origin: str = "the lesson") -> bool:
    """Open `target` over the current screen; a problem is a notice, never a crash. A form
    filled in says where its values came from: `origin` (the lesson, the course map, the
    share code). False: it could not open (and said why)."""
    try:
        check_target(target)
    except ValueError as exc:
        app.notify(str(exc), title="Cannot open that", severity="error", timeout=10)
        return False
    if target.kind == "lesson":
        app.open_lesson(target.name)
    elif target.kind == "screen":
        app.open_screen(target.name)
    elif target.kind == "lab":
        await _open_lab(app, target, origin)
    elif target.kind == "playground":
        await _open_playground(app, target)
    elif target.kind == "sweep":
        await _open_sweep(app, target, origin)
    # The course map's "opened" is recorded by the app as the screen shows (`record_visit`).
    return True


async def _open_lab(app: TuiDlApp, target: Target, origin: str) -> None:
    """No settings: the experiment's lab as the learner left it. Settings: a fresh lab with
    them filled in (the learner's own lab keeps its run)."""
    if not target.settings or registry.for_experiment(target.name) is not None:
        app.open_lab(target.name)
        return
    from tui_dl.engine.experiments import get_experiment

    experiment: Experiment = get_experiment(target.name)
    values = {name: experiment.param(name).parse(value) for name, value in target.settings}
    # the lesson's form, not a live run
    await app.push_screen(registry.entry("lab").load()(experiment.name, preset=values))
    written = ", ".join(f"{name} {value}" for name, value in target.settings)
    app.notify(f"From {origin}: {written}. ctrl+r trains.", title=experiment.title)


async def _open_playground(app: TuiDlApp, target: Target) -> None:
    """A Playground on the target's state, kept once built (as the app keeps its own): the
    same entry opens it again as the learner left it, and a screen that trains in threads is
    never torn down under them."""
    name = f"playground:{target.state}"
    factory = registry.entry("playground").load()
    if not app.is_screen_installed(name):
        app.install_screen(factory("playground", state=target.state), name)
    if app.get_screen(name) in app.screen_stack:  # already open further down
        await app.push_screen(factory("playground", state=target.state))
    else:
        await app.push_screen(name)


async def _open_sweep(app: TuiDlApp, target: Target, origin: str) -> None:
    """The sweep screen with these lists, unless a sweep is running (then that one: the
    screen says so)."""
    screen = registry.entry("sweep").load()(preset=sweep_spec(target), origin=origin)
    await app.push_screen(screen)
