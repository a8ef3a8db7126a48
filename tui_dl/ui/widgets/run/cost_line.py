"""The lab's line on what a run will cost: before a CPU run that would take long, how long
(from the experiment's measured speed, or this machine's own last runs) and the smaller setup
that ctrl+t fills in; nothing for a GPU run, nor while a run is shown. Before it, the
experiment's caution on settings that would teach little (`Experiment.caution`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui_dl.engine.experiments.cost import Cost, Estimate, duration, estimate

PastRuns = list[tuple[dict[str, Any], list[dict[str, Any]]]]
"""An experiment's last runs here, (spec, events) newest first: the speed they ran at."""


class CostLine(Static):
    def __init__(
        self,
        cost: Cost | None,
        caution: Callable[[dict[str, Any]], str | None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__("", **kwargs)
        self.cost = cost
        self.caution = caution
        self.past: PastRuns = []
        self.estimate: Estimate | None = None
        """A long CPU run's estimate, while the form would start one (then ctrl+t: smaller)."""

    def show(self, params: dict[str, Any] | None, device: str | None) -> Estimate | None:
        """What a run with these settings costs; `params` None: nothing to say (a run is
        shown, or the form is half-typed: it says what is wrong when ctrl+r is pressed).
        The estimate of a long run, for which ctrl+t offers a smaller one; None otherwise."""
        cost = self.cost
        self.estimate = None
        caution = self.caution(params) if self.caution and params is not None else None
        if caution:  # a run that teaches little: said before what it costs
            self.update(Text(caution))
            self.display = True
            return None
        if cost is None or params is None:
            self.update("")
            self.display = False
            return None
        guess = estimate(cost, params, self.past)
        self.display = device == "cpu"
        if device != "cpu":
            self.update("")
        elif guess.long:
            self.estimate = guess
            smaller = guess.smaller(cost, params)
            small = estimate(cost, {**params, **smaller}, self.past)
            self.update(
                f"A full run: {guess.sentence()}. The course ran it on a GPU. ctrl+t: the same "
                f"model on {smaller['train_limit']:,} images × {smaller['epochs']} epochs, "
                f"{duration(small.seconds)}."
            )
        else:
            self.update(f"This run: {guess.sentence()}.")
        return self.estimate

    def smaller(self, params: dict[str, Any]) -> dict[str, int] | None:
        """The settings that make the long run `params` a short one (ctrl+t), or None."""
        if self.cost is None or self.estimate is None:
            return None
        return self.estimate.smaller(self.cost, params)
