"""The lab's way into the learning-rate finder: ctrl+f runs it on the form's experiment and
settings, and the rate it suggests comes back into the form's learning-rate field. The lab
screen derives from this class (the lab's own module is full)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from tui_dl.ui.screens.following import FollowingScreen
from tui_dl.ui.widgets.run.run_form import RunForm

if TYPE_CHECKING:
    from tui_dl.engine.experiments import Experiment

FIELD = "learning_rate"


class LrFindLab(FollowingScreen):
    """The lab's key for it is ctrl+f (in the lab's BINDINGS, last: the footer keeps the
    lab's own keys first); shown only where the finder can run (the lab's `check_action`
    asks this one about it). Elsewhere `tui-dl lr-find` says why not, by name."""

    if TYPE_CHECKING:  # the lab's
        experiment: Experiment

        @property
        def running(self) -> bool: ...

        def action_new_run(self) -> None: ...

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+f where the finder can run: an experiment it builds, no run training here."""
        if action == "lr_find":
            return lr_find_refusal(self.experiment.name) is None and not self.running
        return super().check_action(action, parameters)

    def action_lr_find(self) -> None:
        from tui_dl.ui.screens.lr_find.screen import LrFindScreen

        why = lr_find_refusal(self.experiment.name)
        if why:
            self.notify(why, title="No learning rate to find", severity="warning")
            return
        if self.running:
            self.notify("A run is training here: the finder can wait until it ends.")
            return
        try:
            params, device = self.query_one(RunForm).read()
        except ValueError as exc:
            self.notify(str(exc), title="Check the settings", severity="error")
            return
        self.app.push_screen(LrFindScreen(self.experiment.name, params, device, self.take_rate))

    def take_rate(self, rate: float) -> None:
        """The suggested rate into the form; a finished run shown there gives way to a new one
        with its settings first (as n does)."""
        form = self.query_one(RunForm)
        if form.field(FIELD).disabled:
            self.action_new_run()
        form.fill({FIELD: rate})
        self.notify(f"Learning rate {rate:g} from the finder; ctrl+r to train.", title="Rate set")


@cache
def lr_find_refusal(experiment: str) -> str | None:
    """Why the finder cannot run on this experiment (asked at every footer refresh: kept)."""
    from tui_dl.engine.jobs.lrfind.launch import refusal

    return refusal(experiment)


__all__ = ["LrFindLab"]
