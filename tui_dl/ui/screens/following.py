"""What the screens that launch and follow a run share: the lab, the model zoo, the project
and the sweep. Each had written its own back, attach, GPU list and cancel worker."""

from __future__ import annotations

from collections.abc import Callable

from textual import work

from tui_dl.engine.devices import Gpu
from tui_dl.engine.store import RunInfo
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.sources import RunSource


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
