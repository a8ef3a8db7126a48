"""The exports that need no TensorFlow: the script (rendered) and the model (copied), each
written whole or not at all."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui_dl.engine import runfiles
from tui_dl.engine.export.notebook import notebook_json
from tui_dl.engine.export.refusals import TFLITE
from tui_dl.engine.export.script import SCRIPTS, render_script
from tui_dl.engine.store import RunInfo
from tui_dl.paths import write_atomic, write_atomic_with

EXPORTS = {
    "script": ("a plain Keras script that trains it again", ".py"),
    "keras": ("the trained model, model.keras", ".keras"),
    "tflite": ("a TensorFlow Lite file (what runs on a phone)", ".tflite"),
    "notebook": ("the script as a Jupyter notebook", ".ipynb"),
}
"""What a run exports as, in the order the choices are offered: what it is, its suffix."""


def offered(experiment: str) -> tuple[str, ...]:
    """What a finished run of `experiment` exports as, in `EXPORTS`' order: its script and
    notebook where it has a template, its model where it keeps one, TFLite for my-images."""
    from tui_dl.engine.experiments import EXPERIMENTS

    found = EXPERIMENTS.get(experiment)
    kinds = {
        "script": experiment in SCRIPTS,
        "notebook": experiment in SCRIPTS,
        "keras": found is not None and runfiles.MODEL in found.writes,
        "tflite": experiment in TFLITE,
    }
    return tuple(kind for kind in EXPORTS if kinds[kind])


def default_name(info: RunInfo, what: str) -> str:
    """The file's name when none is given: the run's id and the kind's suffix."""
    stem = info.run_id.replace("-", "_") if what in ("script", "notebook") else info.run_id
    return f"{stem}{EXPORTS[what][1]}"


def write_script(info: RunInfo, target: Path, notebook: bool = False) -> int:
    """The run's script (`notebook`: as a Jupyter notebook) written to `target`; its size in
    bytes."""
    text = render_script(info)
    if notebook:
        text = notebook_json(text)
    write_atomic(target, text)
    return len(text.encode("utf-8"))


def copy_model(info: RunInfo, target: Path) -> int:
    """The run's model.keras copied to `target`; its size in bytes."""
    with (info.run_dir / runfiles.MODEL).open("rb") as source:
        write_atomic_with(target, lambda out: shutil.copyfileobj(source, out))
    return target.stat().st_size
