"""What the screens that launch and follow a run share: the lab, the model zoo, the project
and the sweep. Each had written its own back, attach, GPU list and cancel worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work

from tui_dl.engine.devices import Gpu
from tui_dl.engine.store import RunInfo
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.sources import RunSource
from tui_dl.ui.widgets.run.run_progress import RunProgress


class FollowingScreen(AppScreen):
    """A screen with a settings form that starts a run (or a sweep) and then follows it."""

    @property
    def source(self) -> RunSource:
        """The app's RunSource: the real engine, or a test's fake."""
        return self.app.source

    def action_back(self) -> None:
        """Back where the learner came from; opened directly (`--screen`), back home."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.switch_to_home()

    def open_run(self, run_id: str) -> tuple[str, RunInfo] | None:
        """A run to show: its full id and what its folder says, or None (and a notice)."""
        try:
            run_id = self.source.resolve(run_id)
            return run_id, self.source.info(run_id)
        except (LookupError, OSError, ValueError) as exc:
            self.notify(str(exc), title="No such run", severity="error")
            return None

    # ----- the device list: nvidia-smi is asked in a thread -----------------------------------
    @work(thread=True, exclusive=True, group="gpus")
    def load_gpus(self) -> None:
        gpus = self.source.gpus()
        if gpus:
            self.from_thread(self.offer_gpus, gpus)

    def offer_gpus(self, gpus: list[Gpu]) -> None:
        """Put the GPUs nvidia-smi reported in the device choice (each screen its own)."""

    # ----- cancel: up to a second of waiting, so never on the UI thread -------------------------
    @work(thread=True, exclusive=True, group="cancel")
    def cancel_in_background(self, cancel: Callable[[str], None], what: str) -> None:
        try:
            cancel(what)
        except OSError as exc:
            self.app.call_from_thread(
                self.app.notify, str(exc), title="Cancel failed", severity="error"
            )

    # ----- launching: a spare still importing TensorFlow takes seconds to answer -------------
    launching = False
    """Between the start key and the run's folder: the launch runs in a thread, the screen's
    keys go on, and the start key does nothing (each screen's check_action says so)."""

    def launch_in_background(
        self, experiment: str, params: dict[str, Any], device: str, cluster: str | None = None
    ) -> None:
        self.launching = True
        self.refresh_bindings()
        self._launch(experiment, params, device, cluster)

    @work(thread=True, exit_on_error=False, group="launch")
    def _launch(
        self, experiment: str, params: dict[str, Any], device: str, cluster: str | None
    ) -> None:
        def said(text: str) -> None:
            self.from_thread(self.launch_progress, text)

        try:
            run_id = self.source.launch(experiment, params, device, cluster, progress=said)
        except (OSError, ValueError) as exc:
            self.from_thread(self._launch_ended, None, exc)
            return
        self.from_thread(self._launch_ended, run_id, None)

    def launch_progress(self, text: str) -> None:
        """How far the check before launch is (my-images reads the folder), where the
        screen says its run's phase, a bar pulsing under it."""
        for line in self.query(RunProgress):
            line.reset(text)

    def _launch_ended(self, run_id: str | None, problem: Exception | None) -> None:
        self.launching = False
        self.refresh_bindings()
        if run_id is None:
            for line in self.query(RunProgress):
                line.reset()
        if run_id is not None:
            self.attach(run_id)
        elif problem is not None:
            self.not_launched(problem)

    def attach(self, run_id: str) -> None:
        """Show the run just launched (each screen its own way)."""

    def not_launched(self, problem: Exception) -> None:
        """Say why the run could not start (each screen where its form says so)."""
