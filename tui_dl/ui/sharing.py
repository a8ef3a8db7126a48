"""ctrl+s on every screen: what each screen shares, decided in one place.

A screen that knows its setup says it (`share_target`: the lab's form, a lesson's page, the
Playground's state, the sweep's grid, home's and the lists' selected row). A screen about one
run shares that run's setup — the lab on its experiment with its settings — since the run
itself stays on this machine. Any other page of the registry shares itself, and a dialog
shares what is under it. So no screen answers "nothing to share".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_dl.lessons.share.codes import Shared
from tui_dl.lessons.tries import Target
from tui_dl.ui import registry

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.screen import Screen

    from tui_dl.ui.app import TuiDlApp


def lab_setup(experiment: str, params: Mapping[str, Any]) -> Shared:
    """The lab on `experiment` with `params` — only those that differ from its defaults, so
    the code stays short; where a setting cannot travel in a code (a file, an experiment with
    a screen of its own), the lab alone; an experiment with a screen of its own, that screen."""
    from tui_dl.engine.experiments import EXPERIMENTS
    from tui_dl.lessons.share.codes import parse_shared
    from tui_dl.ui.tries import check_target

    own = registry.for_experiment(experiment)
    if own is not None:  # the project, the model zoo, the Playground: no preset settings
        return Shared(Target("screen", own.name))
    defaults = EXPERIMENTS[experiment].defaults() if experiment in EXPERIMENTS else {}
    settings = tuple(
        (name, f"{value:g}" if isinstance(value, float) else str(value))
        for name, value in params.items()
        if name in defaults and value != defaults[name] and value not in (None, "")
    )
    target = Target("lab", experiment, settings)
    try:
        check_target(target)
        parse_shared(Shared(target).text)  # a value with a space or '=' would not read back
    except ValueError:
        target = Target("lab", experiment)
    return Shared(target)


def run_setup(app: TuiDlApp, run_id: str) -> Shared | None:
    """The setup a run was trained with, as a code; None (and a notice) when it cannot be read."""
    try:
        info = app.source.info(app.source.resolve(run_id))
    except (LookupError, OSError, ValueError) as exc:
        app.notify(str(exc), title="Share code", severity="warning")
        return None
    if info.problem:
        app.notify(f"{run_id}: {info.status_words}", title="Share code", severity="warning")
        return None
    return lab_setup(info.experiment, info.spec.get("params", {}))


def share_of(app: TuiDlApp, screen: Screen[Any]) -> Shared | None:
    """What ctrl+s shares on `screen`; None when the screen said why it cannot (a form with a
    bad value)."""
    from textual.screen import ModalScreen

    below = app.screen_stack[:-1] if app.screen_stack[-1:] == [screen] else []
    if isinstance(screen, ModalScreen) and below:  # help, a dialog: what it was opened over
        return share_of(app, below[-1])
    hook = getattr(screen, "share_target", None)
    if hook is not None:
        shared: Shared | None = hook()
        return shared
    entry = next((e for e in registry.SCREENS if e.shows(screen)), None)
    if entry is not None and entry.kind == "page":
        return Shared(Target("screen", entry.name))
    if entry is not None and entry.name == "ethics":  # the project its checklist shows now
        checklist = next(iter(screen.query("EthicsChecklist")), screen)
        return Shared(Target("screen", f"ethics:{getattr(checklist, 'project', 'general')}"))
    run_id = getattr(screen, "run_id", None)
    if isinstance(run_id, str) and run_id:
        return run_setup(app, run_id)
    return Shared(Target("screen", "course"))
