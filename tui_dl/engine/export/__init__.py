"""A finished run taken out of tui-dl: its model as `model.keras`, as a TensorFlow Lite file
(what runs on a phone), and as a plain Keras script that trains it again from its spec.

The script and the copy are made here, without TensorFlow (`script`, `files`); the TFLite
file is made and checked in a short job's child process (`tflite`, `insights.JOBS`). Which
runs can go out, and where to, is decided once (`refusals`), for the command line and the app
alike. Each experiment's script is a template of its own (`script.SCRIPTS`, `templates/`); a
notebook is the same script cut into cells (`notebook`).
"""

from tui_dl.engine.export.files import EXPORTS, copy_model, default_name, offered, write_script
from tui_dl.engine.export.refusals import ExportRefused, destination, exportable
from tui_dl.engine.export.script import SCRIPTS, render_script

__all__ = [
    "EXPORTS",
    "SCRIPTS",
    "ExportRefused",
    "copy_model",
    "default_name",
    "destination",
    "exportable",
    "offered",
    "render_script",
    "write_script",
]
