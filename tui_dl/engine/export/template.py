"""A run as a plain Keras script: one template a kind of experiment (`templates/`), its
`SETTINGS = {}` line replaced by the run's settings as Python literals.

A template is a module of its own that imports Keras: it is read here as text, never imported
(the app renders scripts without TensorFlow). Every value goes in as `repr` writes it, so a
folder's name is data in the script, never code; the header's comments are one line each.
"""

from __future__ import annotations

import ast
import pprint
from dataclasses import dataclass
from importlib import resources
from typing import Any

from tui_dl.engine.export.refusals import ExportRefused
from tui_dl.engine.store import RunInfo

MARKER = "SETTINGS: dict = {}  # the run's settings (written here by the export)\n"
"""The line of a template that the run's settings replace."""
INCLUDE = "# include: "
"""A template's line `# include: NAME` is replaced by the code several scripts share, or a
script shares with its trainer, written once: `templates/parts/NAME.txt` (reading MNIST, the
data's path), or the code of the module `templates/parts/NAME.py` below its imports (a model,
the optimizers: the trainer builds with the same module, so the two cannot drift)."""


def template_text(name: str) -> str:
    """A template with its parts put in."""
    folder = resources.files(__package__).joinpath("templates")
    lines = []
    for line in folder.joinpath(name).read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith(INCLUDE):
            part = line[len(INCLUDE) :].strip()
            text = folder.joinpath("parts", f"{part}.txt")
            if text.is_file():
                lines.append(text.read_text(encoding="utf-8"))
            else:
                module = folder.joinpath("parts", f"{part}.py").read_text(encoding="utf-8")
                lines.append(module_code(module))
        else:
            lines.append(line)
    return "".join(lines)


def module_code(module: str) -> str:
    """A part's code as the script takes it: from its first statement after the docstring and
    the imports (the script imports what its parts use, at its top), two blank lines after."""
    body = ast.parse(module).body
    kept = [
        node
        for node in body
        if not isinstance(node, ast.Import | ast.ImportFrom)
        and not (node is body[0] and isinstance(node, ast.Expr))
    ]
    if not kept:
        return ""
    first = kept[0]
    decorators = getattr(first, "decorator_list", [])
    start = min([first.lineno, *(d.lineno for d in decorators)])
    return "".join(module.splitlines(keepends=True)[start - 1 :]) + "\n\n"  # then PEP 8's gap


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
