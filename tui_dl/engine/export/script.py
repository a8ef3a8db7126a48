"""Each experiment's script template, by name: the one table `render_script` (and issue 27's
notebook and every other experiment) reads."""

from __future__ import annotations

from tui_dl.engine.export.course import COURSE_SCRIPTS, REFUSED
from tui_dl.engine.export.my_images import MY_IMAGES_SCRIPT
from tui_dl.engine.export.refusals import ExportRefused
from tui_dl.engine.export.template import ScriptTemplate
from tui_dl.engine.store import RunInfo

SCRIPTS: dict[str, ScriptTemplate] = {"my-images": MY_IMAGES_SCRIPT, **COURSE_SCRIPTS}
"""Experiment → its script template."""


def render_script(info: RunInfo) -> str:
    """The run as a script (ExportRefused: its experiment has no template yet)."""
    template = SCRIPTS.get(info.experiment)
    if template is None:
        raise ExportRefused(no_script(info))
    return template.render(info)


def no_script(info: RunInfo) -> str:
    """Why this run's experiment has no script, by name."""
    why = REFUSED.get(info.experiment, "its export as a script is not there yet")
    return f"run {info.run_id} is a {info.experiment} run: {why}."
