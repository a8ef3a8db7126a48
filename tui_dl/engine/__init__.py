"""The headless run engine: specs, run folders, child processes and their events.

Nothing here imports textual, and nothing imported by this package's `__init__`
imports tensorflow: the UI uses the store and launcher; only the child process
(`tui_dl.engine.child`) pulls in TensorFlow.
"""

from tui_dl.engine.events import TERMINAL_EVENTS, EventLog, append_event
from tui_dl.engine.experiments import EXPERIMENTS, Experiment, get_experiment
from tui_dl.engine.launcher import RunHandle, cancel_run, launch_run
from tui_dl.engine.store import RunInfo, RunStore

__all__ = [
    "EXPERIMENTS",
    "TERMINAL_EVENTS",
    "EventLog",
    "Experiment",
    "RunHandle",
    "RunInfo",
    "RunStore",
    "append_event",
    "cancel_run",
    "get_experiment",
    "launch_run",
]
