"""The training child: `python -m tui_dl.engine.jobs.child RUN_DIR`.

Order matters: the cancel handler goes in first, then fd 1 and 2 already point at
log.txt (the launcher opened them), then TensorFlow is imported, then the experiment's
trainer runs with an `emit` function that appends to events.jsonl. Whatever goes wrong
becomes a `failed` event with a message a learner can act on.
"""

from __future__ import annotations

import importlib
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

EARLY_CANCEL: list[int] = []
"""A cancel that came while this module's imports ran (before `main` could take it): the
signal's default would have killed the child and left the run "failed". The signal is
`launch.CANCEL_SIGNAL` (SIGUSR1); launch is one of the imports it must not wait for."""
signal.signal(signal.SIGUSR1, lambda signum, _frame: EARLY_CANCEL.append(signum))

from tui_dl.engine.events import Event, append_event  # noqa: E402
from tui_dl.engine.failures import report_failure  # noqa: E402
from tui_dl.engine.jobs.launch import CANCEL_SIGNAL, EXIT_CANCELLED, lower_priority  # noqa: E402
from tui_dl.engine.queue.place import take_place  # noqa: E402
from tui_dl.engine.store import read_spec  # noqa: E402
from tui_dl.engine.tf_start import STARTING, WARM  # noqa: E402
from tui_dl.engine.workshop.folder import cancel_asked  # noqa: E402

if TYPE_CHECKING:
    from tui_dl.engine.runfiles import TrainerSpec
    from tui_dl.engine.trainers import Trainer


class Cancelled(Exception):
    """Raised to leave a run that was cancelled before or between training steps."""


class CancelFlag:
    """Set by the cancel signal (or the cancel file); polled by the trainer's callback.

    Before training starts, the signal raises at once (TF import, data loading can be
    interrupted); during `fit` it only sets the flag, and the callback stops Keras cleanly.
    """

    ASK_EVERY_S = 0.2
    """How often the files are looked at (the callback asks after every batch)."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.requested = False
        self.interruptible = True
        self._next_look = 0.0

    def handle(self, _signum: int, _frame: object) -> None:
        self.requested = True
        if self.interruptible:
            raise Cancelled()

    def check(self) -> bool:
        """Asked to stop? By the signal, its own cancel file, or (in a workshop) a request
        from the instructor: `cancel_asked` believes only its owner's and the instructor's."""
        if not self.requested and time.monotonic() >= self._next_look:
            self._next_look = time.monotonic() + self.ASK_EVERY_S
            self.requested = cancel_asked(self.run_dir)
        return self.requested

    def raise_if_requested(self) -> None:
        if self.check():
            raise Cancelled()


def main(argv: list[str]) -> int:
    return serve(Path(argv[0]).resolve())


def serve(run_dir: Path, warm: bool = False) -> int:
    """Be the run in `run_dir` until it ends; its exit status. A cold child calls it first
    thing; a spare (tui_dl.engine.spare) calls it once it has been handed the run, with
    TensorFlow already imported (`warm`) and its priority already lowered."""
    cancel = CancelFlag(run_dir)
    signal.signal(CANCEL_SIGNAL, cancel.handle)
    cancel.requested = bool(EARLY_CANCEL)
    if not warm:
        lower_priority()  # after the handler: a niced start on a busy machine is slow
    started = time.monotonic()
    spec: TrainerSpec | None = None

    def emit(event: Event, **fields: object) -> None:
        append_event(run_dir, event, **fields)

    try:
        cancel.raise_if_requested()  # cancelled while it started: before TensorFlow's import
        spec = {**read_spec(run_dir), "run_dir": str(run_dir)}
        module_name, func_name = _runner(spec["experiment"]).split(":")
        # A place in the queue before TensorFlow: a waiting run costs a small process only.
        held = take_place(spec, run_dir, emit, cancel.raise_if_requested)
        waited = {"waited_s": round(held.waited_s, 1)} if held.waited_s >= 1 else {}
        emit(Event.PHASE, phase=WARM if warm else STARTING, **waited)
        try:
            trainer: Trainer = getattr(importlib.import_module(module_name), func_name)
            cancel.raise_if_requested()
            trainer(spec, emit=emit, cancel=cancel, started=started)
        finally:
            held.release()  # the slot, and the run's own ticket with it
    except Cancelled:
        emit(Event.CANCELLED, by="request", duration_s=round(time.monotonic() - started, 2))
        return EXIT_CANCELLED
    except BaseException as exc:  # noqa: BLE001 — every failure must become an event
        report_failure(emit, exc, spec or {}, started)
        return 1
    return 0


TEST_TRAINER = "TUI_DL_TEST_TRAINER"
"""For the queue's tests only: "module:function" to run instead of the experiment's trainer
(thirty TensorFlow processes would take minutes; the queue is the same either way)."""


def _runner(experiment: str) -> str:
    import os

    from tui_dl.engine.experiments import get_experiment

    runner = get_experiment(experiment).runner
    return os.environ.get(TEST_TRAINER) or runner


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip TensorFlow's slow interpreter teardown: everything worth keeping is on disk.
    import os

    os._exit(code)
