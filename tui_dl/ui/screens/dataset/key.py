"""The key that opens a lab's dataset view (`--screen dataset:NAME`) from the lab itself.

A base of the screens that have an `experiment` (the lab, the mammogram project). The key is
put at the end of each such screen's own keys (Textual merges a screen's BINDINGS with its
bases' when the class is made), so the lab's own keys keep their places in the footer and at
80 columns this one is the first left out ("? All keys" lists it). `ctrl+d`, with priority:
the lab's form has the focus, and a letter would be typed into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from tui_dl.data.overview import VIEWS
from tui_dl.ui.screens.app_screen import AppScreen

if TYPE_CHECKING:
    from tui_dl.engine.experiments.experiment import Experiment


DATA_KEY = Binding("ctrl+d", "dataset_view", "The data", priority=True)


class DatasetKey(AppScreen):
    """`ctrl+d`: the dataset this screen's experiment trains on, looked at first."""

    experiment: Experiment

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.BINDINGS = [*cls.__dict__.get("BINDINGS", []), DATA_KEY]
        super().__init_subclass__(**kwargs)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dataset_view":
            return self.experiment.dataset in VIEWS
        return True

    def action_dataset_view(self) -> None:
        if self.experiment.dataset in VIEWS:
            self.app.open_screen(f"dataset:{self.experiment.dataset}")
