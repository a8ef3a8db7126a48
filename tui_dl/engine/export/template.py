"""A run as a plain Keras script: one template a kind of experiment (`templates/`), its
`SETTINGS = {}` line replaced by the run's settings as Python literals.

A template is a module of its own that imports Keras: it is read here as text, never imported
(the app renders scripts without TensorFlow). Every value goes in as `repr` writes it, so a
folder's name is data in the script, never code; the header's comments are one line each.
"""

from __future__ import annotations

import pprint
from dataclasses import dataclass
from importlib import resources
from typing import Any

from tui_dl.engine.export.refusals import ExportRefused
from tui_dl.engine.store import RunInfo

MARKER = "SETTINGS: dict = {}  # the run's settings (written here by the export)\n"
"""The line of a template that the run's settings replace."""
INCLUDE = "# include: "
"""A template's line `# include: NAME` is replaced by `templates/parts/NAME.txt`: the code
several scripts share (reading MNIST, the optimizers, the data's path), written once."""


def template_text(name: str) -> str:
    """A template with its parts put in."""
    folder = resources.files(__package__).joinpath("templates")
    lines = []
    for line in folder.joinpath(name).read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith(INCLUDE):
            part = line[len(INCLUDE) :].strip()
            lines.append(folder.joinpath("parts", f"{part}.txt").read_text(encoding="utf-8"))
        else:
            lines.append(line)
    return "".join(lines)


@dataclass(frozen=True)
class ScriptTemplate:
    """One experiment's script: its template file and the run's settings it fills in."""

    template: str
    """The file in `templates/`."""
    reproduces: frozenset[str]
    """The settings the template trains by; a run with another (set) is refused by name."""

    def settings(self, info: RunInfo) -> dict[str, Any]:
        raise NotImplementedError

    def render(self, info: RunInfo) -> str:
        params = info.spec.get("params", {})
        unknown = sorted(k for k, v in params.items() if k not in self.reproduces and v)
        if unknown:
            shown = ", ".join(f"{k}={params[k]!r}" for k in unknown)
            raise ExportRefused(
                f"run {info.run_id} has settings the exported script does not reproduce yet "
                f"({shown}): export its model instead (--keras, --tflite)."
            )
        text = template_text(self.template)
        if MARKER not in text:
            raise RuntimeError(f"template {self.template} has no settings line")
        block = "SETTINGS = " + pprint.pformat(self.settings(info), sort_dicts=False, width=96)
        header = (
            f"# Run {info.run_id} ({info.experiment}) as a plain Keras script, exported by "
            "tui-dl.\n# Run it with `python THIS_FILE`: it trains the model again and prints "
            "the test metrics as JSON, last.\n"
        )
        return header + text.replace(MARKER, block + "\n", 1)
