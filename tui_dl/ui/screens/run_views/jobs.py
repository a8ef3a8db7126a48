"""What a run's view does to have a short engine job computed (maps, a probe, the model's
summary): start it off the screen's thread, say its phases in the view's message line, and
hand its finished or failed event to the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work

from tui_dl.engine.events import Event
from tui_dl.engine.tf_start import STARTING
from tui_dl.text import sentence
from tui_dl.ui.tf_start import WAITING, measure_start

if TYPE_CHECKING:
    from pathlib import Path


class RunJobs:
    """Mixed into a RunViewScreen (it says things with `say`): `measure_job_start` on mount,
    then `run_job` when the view needs one."""

    starting = WAITING
    """What a job's wait on TensorFlow is said as, measured from the runs here."""

    def measure_job_start(self) -> None:
        measure_start(self, self._measured_start)  # type: ignore[arg-type]

    def _measured_start(self, words: str) -> None:
        self.starting = words

    def run_job(self, kind: str, args: dict, done: Callable[[dict], None]) -> None:
        """Start a job and follow its events; `done` gets its finished or failed event."""
        self.say(self.starting)  # type: ignore[attr-defined]
        self._start_job(kind, args, done)

    @work(thread=True, exit_on_error=False, group="job")
    def _start_job(self, kind: str, args: dict, done: Callable[[dict], None]) -> None:
        """Off the screen's thread: a spare still importing TensorFlow takes seconds to
        answer the hand-over, and the view's keys go on meanwhile."""
        screen: Any = self
        try:
            job_dir = screen.app.source.start_job(screen.run_id, kind, args)
        except (OSError, ValueError) as exc:
            screen.from_thread(done, {"event": Event.FAILED, "message": str(exc)})
            return
        screen.from_thread(self._follow_job, job_dir, done)

    def _follow_job(self, job_dir: Path, done: Callable[[dict], None]) -> None:
        screen: Any = self
        reader = screen.app.source.job_reader(job_dir)

        def poll() -> None:
            if not screen.is_attached:  # the learner has left this view; the job goes on
                timer.stop()
                return
            for event in reader.read_new():
                if event["event"] == Event.PHASE and event["phase"] == STARTING:
                    screen.say(self.starting)
                elif event["event"] == Event.PHASE:
                    screen.say(sentence(event["phase"]) + "…")
                elif event["event"] in (Event.FINISHED, Event.FAILED):
                    timer.stop()
                    screen.say("")
                    done(event)

        timer = screen.set_interval(0.2, poll)
